import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import { describe } from 'node:test';
import { Humle } from '../../../src/humle.js';
import { FileSystem } from '../../../src/fs/file-system.js';
import { createTestStore, testEngines } from '../../support/engines.js';

const CHILD = fileURLToPath(new URL('./insert-child.js', import.meta.url));
const BATCH = 2000;

for (const kind of testEngines()) {
  describe(`feature group inserts under SIGKILL [${kind}]`, () => {
    test('every acknowledged insert survives; an interrupted one is all or nothing; only orphans are left for fsck', async () => {
      const store = await createTestStore(kind);
      try {
        let humle = await Humle.open({ dataDir: store.dataDir, engine: store.engine, user: 'alice' });
        const fs0 = (await humle.createProject('crash')).featureStore();
        await fs0.createFeatureGroup({
          name: 'events',
          primaryKey: ['id'],
          eventTime: 'ts',
          onlineEnabled: true,
          features: [
            { name: 'id', type: 'bigint' },
            { name: 'ts', type: 'timestamp' },
            { name: 'value', type: 'int' },
            { name: 'note', type: 'string' },
          ],
        });
        await humle.close();

        // Kill the writer at a different point of its insert each run of the loop: after 3 acknowledged inserts,
        // then a few milliseconds later, wherever it is (writing Parquet, importing blocks, in the transaction).
        const child = spawn(process.execPath, [CHILD, store.dataDir, JSON.stringify(store.engine)], { stdio: ['ignore', 'pipe', 'inherit'] });
        const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
        let acknowledged = 0;
        await new Promise<void>((resolve, reject) => {
          createInterface({ input: child.stdout }).on('line', (line) => {
            const m = /^committed (\d+)$/.exec(line);
            if (!m) return;
            acknowledged = Number(m[1]);
            if (acknowledged >= 3 * BATCH) resolve();
          });
          child.on('exit', (code) => reject(new Error(`child exited (${code}) before three inserts`)));
        });
        await new Promise((r) => setTimeout(r, 5 + Math.floor(Math.random() * 40)));
        child.kill('SIGKILL');
        assert.equal(await exited, 'SIGKILL');
        const seenAtKill = acknowledged;

        humle = await Humle.open({ dataDir: store.dataDir, engine: store.engine, user: 'alice' });
        try {
          const fg = await (await humle.project('crash')).featureStore().getFeatureGroup('events');
          const rows = await fg.read();
          const commits = Object.keys(await fg.commitDetails()).length;
          assert.ok(rows.length >= seenAtKill, `acknowledged ${seenAtKill} rows, found ${rows.length}`);
          assert.ok(rows.length <= seenAtKill + BATCH, 'at most the one insert in flight was added');
          assert.equal(rows.length % BATCH, 0, 'an insert is all or nothing');
          assert.equal(commits, rows.length / BATCH);
          const ids = new Set(rows.map((r) => Number(r.id)));
          assert.equal(ids.size, rows.length);
          for (let id = 0; id < rows.length; id++) assert.ok(ids.has(id), `row ${id} is missing`);
          // The online store agrees with the offline one.
          const online = await fg.getOnlineBatch(Array.from({ length: rows.length + BATCH }, (_, i) => i));
          assert.equal(online.filter((r) => r !== undefined).length, rows.length);
          // One Delta commit file per commit.
          const log = await humle.fs.listStatus(`${fg.location}/_delta_log`);
          assert.equal(log.entries.length, commits);
          // The next insert works, and fsck leaves the table intact.
          await fg.insert([{ id: 10_000_000, ts: new Date(), value: 1, note: 'after the crash' }]);
          const fs = await FileSystem.open({ dataDir: store.dataDir, engine: store.engine, user: 'alice' });
          try {
            await fs.fsck({ graceMs: 0, repair: true, });
            const report = await fs.fsck({ graceMs: 0 });
            assert.equal(report.healthy, true, JSON.stringify(report));
          } finally {
            await fs.close();
          }
          assert.equal((await fg.read()).length, rows.length + 1);
        } finally {
          await humle.close();
        }
      } finally {
        await store.dispose();
      }
    });
  });
}
