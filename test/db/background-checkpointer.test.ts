import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SqliteEngine } from '../../src/db/sqlite/sqlite-engine.js';

test('the SQLite WAL is checkpointed off the writer thread and stays bounded under a stream of large commits', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'humle-checkpoint-'));
  try {
    const path = join(dir, 'db.sqlite');
    const engine = new SqliteEngine({ path });
    await engine.write((tx) => tx.run('CREATE TABLE blobs (id INTEGER PRIMARY KEY, body BLOB NOT NULL)'));
    const body = Buffer.alloc(64 * 1024, 7);
    // 120 commits of 1 MB (about 250 pages each): 30,000 pages in all, far more than the 4,000 the WAL may hold.
    const walSizes: number[] = [];
    for (let commit = 0; commit < 120; commit++) {
      await engine.write(async (tx) => {
        for (let i = 0; i < 16; i++) await tx.run('INSERT INTO blobs (id, body) VALUES (?, ?)', [commit * 16 + i, body]);
      });
      walSizes.push(statSync(`${path}-wal`).size);
      // Give the checkpoint thread a moment now and then, as real writers' pauses do.
      if (commit % 10 === 9) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    // The WAL file is reused from its start after a complete checkpoint, so its size is its high-water mark: well
    // below the 120 MB written (a WAL that was never restarted would hold all of it), even on a busy machine where
    // the checkpoint thread falls behind and the writer catches up itself at 8,000 frames (32 MB).
    const largest = Math.max(...walSizes);
    assert.ok(largest < 60 * 1024 * 1024, `the WAL grew to ${largest} bytes`);
    // The checkpoints copied the data into the database file itself.
    assert.ok(statSync(path).size > 60 * 1024 * 1024, `the database file holds ${statSync(path).size} bytes`);
    await engine.close();

    const reopened = new Database(path, { readonly: true });
    const row = reopened.prepare('SELECT count(*) AS n, sum(length(body)) AS bytes FROM blobs').get() as { n: number; bytes: number };
    reopened.close();
    assert.deepEqual(row, { n: 1920, bytes: 1920 * 64 * 1024 });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
