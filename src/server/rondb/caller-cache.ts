import type { Platform } from '../../platform/platform.js';
import type { Principal } from '../../platform/principal.js';
import { authenticateKey } from '../authentication.js';
import { SharedFreshRead } from './shared-fresh-read.js';

/** Keys remembered at most; the cache starts over beyond it, so unseen keys cannot grow it without bound. */
const MAX_CALLERS = 10_000;

interface Cached {
  caller: Principal;
  generation: number;
}

/**
 * The callers of verified API keys, as RonDB's REST server keeps its API key cache, but never stale: a key is
 * verified (an indexed read, a sha256 and the user's memberships) once, not per request, where it took about 8 % of
 * the server's CPU for single vectors (bench/serving-http.ts under --cpu-prof). Each request reads the access
 * generation (Platform.accessGeneration: one row by primary key, bumped in the same unit as any revocation or
 * membership change by any process on the database), and a caller cached under another generation is verified
 * again: a revoked key fails and a re-added member gets in from the next request on, whichever server made the
 * change. Concurrent requests share that read (SharedFreshRead). Keys that fail are never cached.
 */
export class CallerCache {
  private readonly callers = new Map<string, Cached>();
  private readonly generation: SharedFreshRead<number>;

  constructor(private readonly platform: Platform) {
    this.generation = new SharedFreshRead(() => platform.accessGeneration());
  }

  async caller(key: string | undefined): Promise<Principal> {
    // Read before the key is verified: a change between the two leaves the entry under the older generation, stale.
    const generation = await this.generation.get();
    if (key !== undefined) {
      const cached = this.callers.get(key);
      if (cached !== undefined && cached.generation === generation) return cached.caller;
    }
    const caller = await authenticateKey(this.platform, key);
    if (this.callers.size >= MAX_CALLERS) this.callers.clear();
    this.callers.set(key!, { caller, generation });
    return caller;
  }
}
