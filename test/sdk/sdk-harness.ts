import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe } from 'node:test';
import { Humle } from '../../src/humle.js';
import type { HumleConnection } from '../../src/sdk/humle-connection.js';
import { createTestStore, testEngines, type EngineKind } from '../support/engines.js';
import { withServer } from '../support/server-fixture.js';

/** How a scenario reaches Humle: embedded on a data directory, or over the REST API of a real server. */
export type SdkMode = 'embedded' | 'remote';

export interface SdkWorld {
  kind: EngineKind;
  mode: SdkMode;
  /** Humle as alice: `Humle.open` as her, or `Humle.connect` with her key. */
  humle: HumleConnection;
  /** A local scratch directory for files to insert. */
  local: string;
}

/**
 * Runs scenarios written against the SDK interfaces on every engine under test, each embedded and against a server
 * (`describe('<name> [sqlite, remote]')` ...). Every scenario gets a fresh store; remotely, the server of
 * test/support/server-fixture.ts (alice, bob, carol and dave exist there), reached with alice's key.
 */
export function describeSdk(name: string, body: (withSdk: (scenario: (world: SdkWorld) => Promise<void>) => Promise<void>) => void): void {
  for (const kind of testEngines()) {
    for (const mode of ['embedded', 'remote'] as const) {
      describe(`${name} [${kind}, ${mode}]`, () => body((scenario) => withSdk(kind, mode, scenario)));
    }
  }
}

async function withSdk(kind: EngineKind, mode: SdkMode, scenario: (world: SdkWorld) => Promise<void>): Promise<void> {
  const local = mkdtempSync(join(tmpdir(), 'humle-sdk-local-'));
  try {
    if (mode === 'remote') {
      await withServer(kind, async (server) => {
        const humle = await Humle.connect({ url: server.url, apiKey: server.keys.alice });
        try {
          await scenario({ kind, mode, humle, local });
        } finally {
          await humle.close();
        }
      });
      return;
    }
    const store = await createTestStore(kind);
    const humle = await Humle.open({ dataDir: store.dataDir, engine: store.engine, user: 'alice' });
    try {
      await scenario({ kind, mode, humle, local });
    } finally {
      await humle.close();
      await store.dispose();
    }
  } finally {
    rmSync(local, { recursive: true, force: true });
  }
}

/** Rows in the order of the given columns' values (reads make no promise of order across modes). */
export function sortedBy<T extends Record<string, unknown>>(rows: readonly T[], ...columns: string[]): T[] {
  const key = (value: unknown) => (value instanceof Date ? value.getTime() : value);
  return [...rows].sort((a, b) => {
    for (const c of columns) {
      const x = key(a[c]) as number | string;
      const y = key(b[c]) as number | string;
      if (x < y) return -1;
      if (x > y) return 1;
    }
    return 0;
  });
}
