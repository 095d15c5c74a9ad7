import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunResult, SqlValue, Transaction } from '../../src/db/engine.js';
import { GroupCommitQueue, type BatchConnection } from '../../src/db/group-commit-queue.js';
import { WalSync } from '../../src/db/sqlite/wal-sync.js';

/** A connection that records what the queue asks of it; its syncs finish only when the test says so. */
function recordingConnection() {
  const log: string[] = [];
  const syncs: { resolve(): void; reject(error: unknown): void }[] = [];
  const tx: Transaction = {
    all: async <T extends object>() => [] as T[],
    rows: async (): Promise<SqlValue[][]> => [],
    get: async () => undefined,
    run: async (sql: string): Promise<RunResult> => {
      log.push(sql);
      return { changes: 1 };
    },
  };
  const connection: BatchConnection = {
    tx,
    begin: () => log.push('BEGIN'),
    commit: () => log.push('COMMIT'),
    rollback: () => log.push('ROLLBACK'),
    savepoint: () => log.push('SAVEPOINT'),
    releaseSavepoint: () => log.push('RELEASE'),
    rollbackToSavepoint: () => log.push('ROLLBACK TO'),
    sync: () => new Promise<void>((resolve, reject) => syncs.push({ resolve, reject })),
  };
  return { connection, log, syncs };
}

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('group commit with a durability step', () => {
  test('a committed unit is acknowledged only after its sync, and the next batch runs meanwhile', async () => {
    const { connection, log, syncs } = recordingConnection();
    const queue = new GroupCommitQueue(connection, 256);
    let firstDone = false;
    const first = queue.submit(async (tx) => tx.run('first')).then(() => (firstDone = true));
    await turn();
    await turn();
    assert.deepEqual(log, ['BEGIN', 'first', 'COMMIT']);
    assert.equal(syncs.length, 1);
    assert.equal(firstDone, false, 'committed but not yet synced: not acknowledged');

    const second = queue.submit(async (tx) => tx.run('second'));
    await turn();
    await turn();
    assert.deepEqual(log.slice(3), ['BEGIN', 'second', 'COMMIT'], 'the next batch ran while the first one synced');
    assert.equal(firstDone, false);

    syncs[0]!.resolve();
    await first;
    assert.equal(firstDone, true);
    syncs[1]!.resolve();
    await second;
  });

  test('a failed sync rejects the units it covered; a unit that failed by itself keeps its own error', async () => {
    const { connection, syncs } = recordingConnection();
    const queue = new GroupCommitQueue(connection, 256);
    const ok = queue.submit(async (tx) => tx.run('ok'));
    const bad = queue.submit(async () => {
      throw new Error('unit failed');
    });
    await turn();
    await turn();
    syncs[0]!.reject(new Error('disk gone'));
    await assert.rejects(ok, /disk gone/);
    await assert.rejects(bad, /unit failed/);
  });
});

describe('WalSync', () => {
  test('concurrent callers share syncs, and all resolve', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'humle-walsync-'));
    try {
      writeFileSync(join(dir, 'db-wal'), 'frames');
      const sync = new WalSync(join(dir, 'db-wal'));
      await Promise.all(Array.from({ length: 100 }, () => sync.sync()));
      assert.equal(sync.failed, undefined);
      await sync.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a failed sync is final: it and every later sync reject', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'humle-walsync-'));
    try {
      const missing = new WalSync(join(dir, 'no-such-wal'));
      await assert.rejects(missing.sync(), /fdatasync of .*no-such-wal failed/);
      await assert.rejects(missing.sync(), /writes are refused/);
      assert.ok(missing.failed);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
