import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { createConnection } from 'mysql2/promise';
import type { EngineConfig } from '../../src/db/open-engine.js';

export type EngineKind = 'sqlite' | 'mysql';

/** The engines this run covers (HUMLE_TEST_ENGINES, set by scripts/run-tests.js). */
export function testEngines(): EngineKind[] {
  return (process.env.HUMLE_TEST_ENGINES ?? 'sqlite').split(',').filter((e): e is EngineKind => e === 'sqlite' || e === 'mysql');
}

/** A fresh data directory and, for MySQL, a fresh database; `dispose` removes both. */
export interface TestStore {
  kind: EngineKind;
  dataDir: string;
  engine: EngineConfig;
  /** The URL form of the engine (what the CLI's --db takes). */
  url: string;
  dispose(): Promise<void>;
}

export async function createTestStore(kind: EngineKind): Promise<TestStore> {
  const dataDir = mkdtempSync(join(tmpdir(), `humle-test-${kind}-`));
  if (kind === 'sqlite') {
    return { kind, dataDir, engine: { kind: 'sqlite' }, url: 'sqlite', dispose: async () => rmSync(dataDir, { recursive: true, force: true }) };
  }
  const base = process.env.HUMLE_TEST_MYSQL_URL;
  if (!base) throw new Error('HUMLE_TEST_MYSQL_URL is not set: run the tests through `npm test`, which starts MariaDB');
  const database = `humle_t_${randomBytes(6).toString('hex')}`;
  const admin = await createConnection(base);
  await admin.query(`CREATE DATABASE ${database}`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${database}`;
  return {
    kind,
    dataDir,
    engine: { kind: 'mysql', url: url.toString(), poolSize: 16 },
    url: url.toString(),
    dispose: async () => {
      const conn = await createConnection(base);
      await conn.query(`DROP DATABASE IF EXISTS ${database}`);
      await conn.end();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
