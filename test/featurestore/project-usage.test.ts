import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Humle } from '../../src/humle.js';
import { createTestStore, testEngines } from '../support/engines.js';
import { withHumle } from '../support/humle-fixture.js';
import { listedFiles } from '../support/listed-files.js';

const ordersSpec = {
  name: 'orders',
  version: 1,
  primaryKey: ['id'],
  onlineEnabled: true,
  features: [
    { name: 'id', type: 'bigint' },
    { name: 'amount', type: 'double' },
    { name: 'note', type: 'string' },
  ],
};

/** Rows `from` .. `to - 1`, each with a note long enough that new rows take new pages on every engine. */
function orders(from: number, to: number, note = 'n'): Record<string, unknown>[] {
  return Array.from({ length: to - from }, (_, i) => ({ id: from + i, amount: (from + i) * 1.5, note: `${note}${from + i}`.padEnd(300, '.') }));
}

for (const kind of testEngines()) {
  describe(`project usage [${kind}]`, () => {
    test('online rows are exact and online bytes grow with inserts; offline bytes and files are what humle fs lists, every retained version included', () =>
      withHumle(kind, async (humle) => {
        const project = await humle.createProject('shop');
        const store = project.featureStore();
        const fg = await store.createFeatureGroup(ordersSpec);
        const events = await store.createFeatureGroup({ name: 'events', primaryKey: ['id'] });

        const empty = await project.usage();
        assert.deepEqual(
          empty.featureGroups.map((g) => [g.name, g.version, g.online?.rows ?? null, g.offline.files, g.offline.bytes]),
          [
            ['events', 1, null, 0, 0],
            ['orders', 1, 0, 0, 0],
          ],
        );
        const emptyOnline = empty.featureGroups[1]!.online!;
        assert.equal(emptyOnline.bytes, emptyOnline.dataBytes + emptyOnline.indexBytes);

        await fg.insert(orders(0, 1000));
        await events.insert([{ id: 1, kind: 'click' }]);
        const first = await project.usage();
        const firstOrders = first.featureGroups.find((g) => g.name === 'orders')!;
        assert.equal(firstOrders.online!.rows, 1000);
        assert.ok(firstOrders.online!.dataBytes > emptyOnline.dataBytes, `online bytes grow: ${emptyOnline.dataBytes} → ${firstOrders.online!.dataBytes}`);
        // 1000 rows of 300-character notes cannot take less room than their notes.
        assert.ok(firstOrders.online!.bytes >= 300_000, `online bytes ${firstOrders.online!.bytes}`);
        const listed = await listedFiles(humle.fs, fg.location);
        assert.equal(firstOrders.offline.directory, fg.location);
        assert.deepEqual([firstOrders.offline.bytes, firstOrders.offline.files], [listed.bytes, listed.files]);
        assert.equal(firstOrders.offline.files, 2, 'one data file and one commit file');
        const firstEvents = first.featureGroups.find((g) => g.name === 'events')!;
        assert.equal(firstEvents.online, null);
        assert.deepEqual([firstEvents.offline.bytes, firstEvents.offline.files], [(await listedFiles(humle.fs, events.location)).bytes, 2]);

        // An upsert of 500 known keys and 500 new ones: the replaced data file stays on disk for time travel.
        await fg.insert(orders(500, 1500, 'm'));
        const second = (await project.usage()).featureGroups.find((g) => g.name === 'orders')!;
        assert.equal(second.online!.rows, 1500);
        assert.ok(second.online!.dataBytes > firstOrders.online!.dataBytes, `online bytes grow: ${firstOrders.online!.dataBytes} → ${second.online!.dataBytes}`);
        const relisted = await listedFiles(humle.fs, fg.location);
        assert.deepEqual([second.offline.bytes, second.offline.files], [relisted.bytes, relisted.files]);
        assert.ok(second.offline.files > firstOrders.offline.files);

        // Vacuum deletes the files only old versions need: the usage follows what is on disk.
        await fg.vacuum({ retain: 0 });
        const vacuumed = (await project.usage()).featureGroups.find((g) => g.name === 'orders')!;
        const afterVacuum = await listedFiles(humle.fs, fg.location);
        assert.deepEqual([vacuumed.offline.bytes, vacuumed.offline.files], [afterVacuum.bytes, afterVacuum.files]);
        assert.ok(vacuumed.offline.bytes < second.offline.bytes);
        assert.equal(vacuumed.online!.rows, 1500);

        // The project's humle fs totals count everything below /Projects/shop, feature store or not.
        await humle.fs.writeFile('/Projects/shop/readme.txt', 'x'.repeat(1234));
        const usage = await project.usage();
        const all = await listedFiles(humle.fs, '/Projects/shop');
        assert.deepEqual(usage.fs, { directory: '/Projects/shop', bytes: all.bytes, spaceConsumed: all.bytes, files: all.files, directories: all.directories });
        assert.deepEqual(usage.quota, { space: null, spaceUsed: all.bytes, files: null, filesUsed: all.files + all.directories });
      }));

    test("a project's space quota stops an offline insert whole: no commit, no rows, no files; removing it lets the insert through", () =>
      withHumle(kind, async (humle) => {
        const project = await humle.createProject('quoted');
        const fg = await project.featureStore().createFeatureGroup(ordersSpec);
        await fg.insert(orders(0, 10));
        const before = await project.usage();
        const quota = await project.setQuota({ space: before.fs.spaceConsumed + 100 });
        assert.deepEqual(quota, { space: before.fs.spaceConsumed + 100, spaceUsed: before.fs.spaceConsumed, files: null, filesUsed: before.quota.filesUsed });
        assert.deepEqual((await humle.fs.getContentSummary('/Projects/quoted')).spaceQuota, before.fs.spaceConsumed + 100);

        const commits = await fg.commitDetails();
        const rows = await fg.read();
        const tree = await listedFiles(humle.fs, '/Projects/quoted');
        await assert.rejects(fg.insert(orders(10, 2000)), { code: 'FS_DS_QUOTA_EXCEEDED' });
        assert.deepEqual(await fg.commitDetails(), commits);
        assert.deepEqual(await fg.read(), rows);
        assert.equal(await fg.getOnline(1999), undefined);
        assert.deepEqual(await listedFiles(humle.fs, '/Projects/quoted'), tree);
        const refused = await project.usage();
        assert.equal(refused.featureGroups[0]!.online!.rows, 10);
        assert.equal(refused.quota.spaceUsed, before.fs.spaceConsumed);
        // The refused commit's data file was written before its transaction: its block went with the refusal.
        const fsck = await humle.fs.fsck({ graceMs: 0 });
        assert.deepEqual([fsck.orphanBlocks, fsck.wrongQuotaUsage], [[], []]);

        // A files quota counts names (files and directories): the next commit needs two more.
        await project.setQuota({ space: null, files: refused.quota.filesUsed + 1 });
        await assert.rejects(fg.insert(orders(10, 20)), { code: 'FS_NS_QUOTA_EXCEEDED' });
        assert.deepEqual(await fg.commitDetails(), commits);
        await humle.fs.writeFile('/Projects/quoted/last', 'one more name fits');
        await assert.rejects(humle.fs.writeFile('/Projects/quoted/over', 'x'), { code: 'FS_NS_QUOTA_EXCEEDED' });
        await humle.fs.delete('/Projects/quoted/last');

        const cleared = await project.setQuota({ files: null });
        assert.deepEqual([cleared.space, cleared.files], [null, null]);
        await fg.insert(orders(10, 2000));
        assert.equal((await project.usage()).featureGroups[0]!.online!.rows, 2000);
        assert.equal((await humle.fs.getContentSummary('/Projects/quoted')).spaceQuota, -1);
      }));

    test('setQuota refuses bad settings and changes nothing', () =>
      withHumle(kind, async (humle) => {
        const project = await humle.createProject('strict');
        await project.setQuota({ space: 1 << 30 });
        for (const bad of [{}, { space: -1 }, { files: 1.5 }, { space: '10g' }, { bytes: 5 }, null, [1]] as unknown[]) {
          await assert.rejects(project.setQuota(bad as never), { code: 'INVALID_ARGUMENT' }, JSON.stringify(bad));
        }
        const { quota } = await project.usage();
        assert.deepEqual([quota.space, quota.files], [1 << 30, null]);
      }));

    test("only the project's owner or the administrator (humle fs's superuser) sets its quotas", async () => {
      const store = await createTestStore(kind);
      const as = (user: string) => Humle.open({ dataDir: store.dataDir, engine: store.engine, user });
      try {
        // hdfs formats the file system, so it is the superuser.
        const admin = await as('hdfs');
        const alpha = await admin.platform.createProject('alpha', 'alice');
        await admin.platform.users.ensure('bob');
        await admin.platform.addMember(alpha, 'bob', 'data_owner');
        await admin.close();

        const bob = await as('bob');
        await assert.rejects((await bob.project('alpha')).setQuota({ space: 1 }), { code: 'ACCESS_DENIED' });
        await bob.close();
        const alice = await as('alice');
        assert.equal((await (await alice.project('alpha')).setQuota({ files: 500 })).files, 500);
        await alice.close();
        const again = await as('hdfs');
        const quota = await (await again.project('alpha')).setQuota({ space: 10 * 2 ** 30 });
        assert.deepEqual([quota.space, quota.files], [10 * 2 ** 30, 500]);
        await again.close();
      } finally {
        await store.dispose();
      }
    });
  });
}
