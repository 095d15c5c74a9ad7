import type { Engine, Transaction } from '../db/engine.js';

/**
 * A counter in the database that every change able to take access away or give it back (an API key revoked, a
 * member added, a role changed, a member removed) bumps in the same unit as the change: a process that caches
 * callers (src/server/rondb/caller-cache.ts) reads it to know at once whether what it cached is stale, whichever
 * process made the change (`humle server --processes`, several servers on one database, the CLI).
 * One row (id 1), made by the platform's migration.
 */
export async function bumpAccessGenerationIn(tx: Transaction): Promise<void> {
  await tx.run('UPDATE hm_access_generation SET generation = generation + 1 WHERE id = 1');
}

/** The counter now: a primary-key read of one row. */
export async function readAccessGeneration(engine: Engine): Promise<number> {
  const row = await engine.read((tx) => tx.get<{ generation: number }>('SELECT generation FROM hm_access_generation WHERE id = 1'));
  return Number(row!.generation);
}
