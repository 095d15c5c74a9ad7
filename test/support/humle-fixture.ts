import { Humle } from '../../src/humle.js';
import { createTestStore, type EngineKind } from './engines.js';

/** Runs `fn` with Humle embedded on a fresh store of the engine (SQLite file, or a new MariaDB database), as alice. */
export async function withHumle<T>(kind: EngineKind, fn: (humle: Humle) => Promise<T>): Promise<T> {
  const store = await createTestStore(kind);
  const humle = await Humle.open({ dataDir: store.dataDir, engine: store.engine, user: 'alice' });
  try {
    return await fn(humle);
  } finally {
    await humle.close();
    await store.dispose();
  }
}
