import type { Platform } from '../../platform/platform.js';
import type { Principal } from '../../platform/principal.js';
import { authenticateKey } from '../authentication.js';

/** How long a verified key's caller is reused (RonDB's REST server refreshes its API key cache every 10 s by default). */
export const CALLER_CACHE_MS = 5_000;
/** Keys remembered at most; the cache starts over beyond it, so unseen keys cannot grow it without bound. */
const MAX_CALLERS = 10_000;

interface Cached {
  caller: Principal;
  verifiedAt: number;
  generation: number;
}

/**
 * The callers of recently verified API keys, as RonDB's REST server keeps its API key cache: a key is verified (an
 * indexed read, a sha256 and the user's memberships) once per CALLER_CACHE_MS instead of once per request, where it
 * took about 8 % of the server's CPU for single vectors (bench/serving-http.ts under --cpu-prof). A revocation or a role taken away through this process empties it at
 * once (Platform.accessGeneration); one made through another process (`humle server --processes`, the CLI) is seen
 * within CALLER_CACHE_MS. Keys that fail are never cached.
 */
export class CallerCache {
  private readonly callers = new Map<string, Cached>();

  constructor(private readonly platform: Platform) {}

  async caller(key: string | undefined): Promise<Principal> {
    const generation = this.platform.accessGeneration;
    if (key !== undefined) {
      const cached = this.callers.get(key);
      if (cached !== undefined && cached.generation === generation && Date.now() - cached.verifiedAt < CALLER_CACHE_MS) return cached.caller;
    }
    const caller = await authenticateKey(this.platform, key);
    if (this.callers.size >= MAX_CALLERS) this.callers.clear();
    this.callers.set(key!, { caller, verifiedAt: Date.now(), generation });
    return caller;
  }
}
