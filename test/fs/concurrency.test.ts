import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachEngine } from '../support/fs-fixture.js';
import { FileAlreadyExistsError, FileNotFoundError } from '../../src/errors/fs-errors.js';

/** Deterministic pseudo-random numbers, so a failing interleaving can be replayed. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describeEachEngine('concurrent writers and renamers', (withFs) => {
  test('200 concurrent creates in one directory: every file exists once, counts and quota exact', () =>
    withFs(async ({ fs }) => {
      await fs.mkdirs('/hot');
      await fs.setQuota('/hot', { namespace: 1000, space: 10_000_000 });
      await Promise.all(Array.from({ length: 200 }, (_, i) => fs.writeFile(`/hot/f${i}`, `file ${i}`)));
      const names = new Set<string>();
      for await (const e of fs.list('/hot')) names.add(e.name);
      assert.equal(names.size, 200);
      assert.equal((await fs.getFileStatus('/hot')).childrenNum, 200);
      const usage = await fs.getQuotaUsage('/hot');
      const bytes = Array.from({ length: 200 }, (_, i) => `file ${i}`.length).reduce((a, b) => a + b, 0);
      assert.deepEqual(usage, { fileAndDirectoryCount: 201, quota: 1000, spaceConsumed: bytes, spaceQuota: 10_000_000 });
    }));

  test('the same new path created by 50 clients at once: one wins, the others see it exists', () =>
    withFs(async ({ fs }) => {
      const results = await Promise.allSettled(Array.from({ length: 50 }, (_, i) => fs.writeFile('/race/deep/file', `writer ${i}`)));
      const won = results.filter((r) => r.status === 'fulfilled');
      assert.equal(won.length, 1);
      for (const r of results) if (r.status === 'rejected') assert.ok(r.reason instanceof FileAlreadyExistsError, String(r.reason));
      assert.equal((await fs.getFileStatus('/race')).childrenNum, 1);
      assert.equal((await fs.getFileStatus('/race/deep')).childrenNum, 1);
      assert.equal((await fs.mkdirs('/race/deep')), true);
    }));

  test('concurrent renames across directories lose nothing and leave the namespace consistent', () =>
    withFs(async ({ fs }) => {
      const dirs = ['/a', '/b', '/c/d', '/e/f/g'];
      for (const d of dirs) await fs.mkdirs(d);
      const items = 40;
      for (let i = 0; i < items; i++) await fs.writeFile(`/a/item${i}/data`, `payload ${i}`);
      const location = new Map<number, string>(Array.from({ length: items }, (_, i) => [i, '/a']));
      const next = random(7);
      // Each client moves its own items around; clients collide on the directories, not on the items.
      await Promise.all(
        Array.from({ length: 8 }, async (_, client) => {
          for (let step = 0; step < 25; step++) {
            const i = client * (items / 8) + Math.floor(next() * (items / 8));
            const from = location.get(i)!;
            const to = dirs[Math.floor(next() * dirs.length)]!;
            if (to === from) continue;
            await fs.rename(`${from}/item${i}`, `${to}/item${i}`);
            location.set(i, to);
          }
        }),
      );
      for (const [i, dir] of location) assert.equal((await fs.readFile(`${dir}/item${i}/data`)).toString(), `payload ${i}`);
      let total = 0;
      for (const d of dirs) total += (await fs.listStatus(d, { limit: 1000 })).entries.filter((e) => e.name.startsWith('item')).length;
      assert.equal(total, items);
      const report = await fs.fsck({ graceMs: 0 });
      assert.equal(report.healthy, true, JSON.stringify(report));
    }));

  test('renames that race for the same source: exactly one succeeds, the others find it gone', () =>
    withFs(async ({ fs }) => {
      await fs.writeFile('/src/payload', 'x');
      const results = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => fs.rename('/src', `/dst${i}`)));
      assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
      for (const r of results) if (r.status === 'rejected') assert.ok(r.reason instanceof FileNotFoundError, String(r.reason));
      const report = await fs.fsck({ graceMs: 0 });
      assert.equal(report.healthy, true, JSON.stringify(report));
      assert.equal((await fs.getFileStatus('/')).childrenNum, 1);
    }));

  test('a mixed workload of creates, appends, renames and deletes from 32 clients finishes without deadlock', () =>
    withFs(async ({ fs }) => {
      const next = random(42);
      const deadline = Date.now() + 60_000;
      await Promise.all(
        Array.from({ length: 32 }, async (_, client) => {
          const home = `/w/c${client}`;
          await fs.mkdirs(home);
          for (let step = 0; step < 15; step++) {
            const choice = next();
            const name = `${home}/f${step}`;
            if (choice < 0.4) await fs.writeFile(name, Buffer.alloc(Math.floor(next() * 3000), client));
            else if (choice < 0.6) {
              await fs.writeFile(name, 'a');
              const w = await fs.append(name);
              await w.write('b');
              await w.close();
            } else if (choice < 0.8) {
              await fs.writeFile(name, 'r');
              await fs.rename(name, `/w/c${(client + 1) % 32}-moved-${client}-${step}`);
            } else await fs.delete(`${home}/f${step - 1}`, { recursive: true });
          }
          assert.ok(Date.now() < deadline);
        }),
      );
      const report = await fs.fsck({ graceMs: 0 });
      assert.equal(report.healthy, true, JSON.stringify(report));
    }));

  test('readers racing overwrites and appends see whole versions of the file, never a mix', () =>
    withFs(async ({ fs }) => {
      const versions = [Buffer.alloc(2000, 'a'), Buffer.alloc(30_000, 'b'), Buffer.alloc(500, 'c')];
      await fs.writeFile('/racy', versions[0]!);
      let writing = true;
      const writer = (async () => {
        for (let i = 1; i <= 60; i++) await fs.writeFile('/racy', versions[i % 3]!, { overwrite: true });
        writing = false;
      })();
      const readers = Array.from({ length: 8 }, async () => {
        let reads = 0;
        while (writing) {
          const data = await fs.readFile('/racy').catch((e: Error) => (e.name === 'FileNotFoundError' ? undefined : Promise.reject(e)));
          if (data === undefined) continue; // between the delete and the create of an overwrite, on engines without snapshots
          assert.ok(versions.some((v) => v.equals(data)), `read ${data.length} bytes that match no version`);
          reads++;
        }
        return reads;
      });
      await writer;
      const counts = await Promise.all(readers);
      assert.ok(counts.reduce((a, b) => a + b, 0) > 0);
    }));
});

