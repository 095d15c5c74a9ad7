import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import type { Humle } from '../../../src/humle.js';
import type { FeatureGroup } from '../../../src/featurestore/feature-group.js';
import { DataFileDamagedError } from '../../../src/featurestore/offline/offline-store-errors.js';
import { testEngines } from '../../support/engines.js';
import { withHumle } from '../../support/humle-fixture.js';
import { withServer } from '../../support/server-fixture.js';

const ordersSpec = (name: string) => ({
  name,
  version: 1,
  primaryKey: ['id'],
  features: [
    { name: 'id', type: 'bigint' },
    { name: 'amount', type: 'double' },
  ],
});

function rows(from: number, to: number): Record<string, unknown>[] {
  return Array.from({ length: to - from }, (_, i) => ({ id: from + i, amount: (from + i) * 1.5 }));
}

/** A group with one commit of ten rows, and the humle fs path of its one data file. */
async function groupWithOneFile(humle: Humle, name: string): Promise<{ fg: FeatureGroup; dataFile: string }> {
  const project = (await humle.listProjects()).find((p) => p.name === 'shop') ?? (await humle.createProject('shop'));
  const fg = await project.featureStore().createFeatureGroup(ordersSpec(name));
  await fg.insert(rows(0, 10));
  const listing = await humle.fs.listStatus(fg.location);
  const parquet = listing.entries.filter((e) => e.path.endsWith('.parquet'));
  assert.equal(parquet.length, 1);
  return { fg, dataFile: parquet[0]!.path };
}

/** The local block file a data file's reads use (the damage a disk does, below humle fs). */
function blockFileOf(humle: Humle, dataFileBlockId: number): string {
  return humle.fs.blockStore.localPath(dataFileBlockId)!;
}

async function blockIdOf(humle: Humle, fg: FeatureGroup): Promise<number> {
  const row = await humle.fs.engine.read((tx) => tx.get<{ block_id: number }>('SELECT block_id FROM fg_data_files WHERE fg_id = ? AND removed_version IS NULL', [fg.id]));
  return Number(row!.block_id);
}

/** Asserts that `operation` fails with a DataFileDamagedError that names `path` and no local (server) path. */
async function refusedNaming(operation: Promise<unknown>, path: string, dataDir: string, what: string): Promise<void> {
  await assert.rejects(operation, (error: unknown) => {
    assert.ok(error instanceof DataFileDamagedError, `${what}: ${String(error)}`);
    assert.equal(error.details.path, path, what);
    assert.ok(error.message.includes(path), `${what}: ${error.message}`);
    assert.ok(!JSON.stringify(error.toJSON()).includes(dataDir), `${what}: no server path in ${error.message}`);
    return true;
  });
}

for (const kind of testEngines()) {
  describe(`damaged offline table files [${kind}]`, () => {
    for (const damage of ['truncated through humle fs', 'deleted through humle fs', 'overwritten on disk with the same length'] as const) {
      test(`a data file ${damage}: reads, upserts, compact, queries and training data fail with a typed error naming it`, () =>
        withHumle(kind, async (humle) => {
          const { fg, dataFile } = await groupWithOneFile(humle, 'orders');
          await fg.insert(rows(100, 110)); // a second, intact file
          const blockId = await humle.fs.engine.read((tx) =>
            tx.get<{ block_id: number }>('SELECT block_id FROM fg_data_files WHERE fg_id = ? AND added_version = 0', [fg.id]),
          );
          const dataDir = humle.fs.blockStore.localPath(0)!.split('/blocks/')[0]!;
          if (damage === 'truncated through humle fs') await humle.fs.truncate(dataFile, 100);
          else if (damage === 'deleted through humle fs') await humle.fs.delete(dataFile);
          else {
            const block = blockFileOf(humle, Number(blockId!.block_id));
            const bytes = readFileSync(block);
            bytes.fill(0x55, 4, bytes.length - 8);
            writeFileSync(block, bytes);
          }
          const commitsBefore = Object.keys(await fg.commitDetails()).length;

          await refusedNaming(fg.read(), dataFile, dataDir, 'read');
          await refusedNaming(fg.read({ dataframe: 'arrow' }), dataFile, dataDir, 'read as Arrow');
          await refusedNaming(fg.insert([{ id: 3, amount: 0 }]), dataFile, dataDir, 'an upsert that rewrites the file');
          await refusedNaming(fg.compact(), dataFile, dataDir, 'compact');
          await refusedNaming(fg.select(['id']).read(), dataFile, dataDir, 'a query');
          const store = (await humle.project('shop')).featureStore();
          const view = await store.createFeatureView({ name: 'orders_view', query: fg.selectAll(), labels: [] });
          await refusedNaming(view.trainingData(), dataFile, dataDir, 'training data');
          await refusedNaming(view.trainingData({ dataframe: 'arrow' }), dataFile, dataDir, 'training data as Arrow');
          await refusedNaming(view.createTrainingData(), dataFile, dataDir, 'a training dataset');
          const scaled = await store.createFeatureView({
            name: 'scaled',
            query: fg.selectAll(),
            labels: [],
            transformationFunctions: [{ name: 'minMaxScaler', features: ['amount'] }],
          });
          await refusedNaming(scaled.trainingData(), dataFile, dataDir, 'training data with fitted transformations');
          await refusedNaming(fg.computeStatistics(), dataFile, dataDir, 'statistics');
          assert.equal(Object.keys(await fg.commitDetails()).length, commitsBefore, 'nothing was committed');
          // An upsert of records in the intact file only still works.
          await fg.insert([{ id: 105, amount: 1 }]);
        }));
    }

    test('over REST, a damaged data file answers 409 FEATURE_DATA_FILE_DAMAGED naming its humle path, never a 500 or a server path', () =>
      withServer(kind, async (world) => {
        const groups = '/api/v1/projects/alpha/featuregroups';
        const created = await world.call('POST', groups, { key: world.keys.alice, json: ordersSpec('orders') });
        assert.equal(created.status, 201, await created.clone().text());
        const inserted = await world.call('POST', `${groups}/orders/1/rows`, { key: world.keys.alice, json: rows(0, 10) });
        assert.ok(inserted.status < 300, await inserted.clone().text());
        const location = '/Projects/alpha/alpha_featurestore.db/orders_1';
        const dataFile = (await world.humle.fs.listStatus(location)).entries.find((e) => e.path.endsWith('.parquet'))!.path;
        await world.humle.fs.truncate(dataFile, 50);
        const dataDir = world.humle.fs.blockStore.localPath(0)!.split('/blocks/')[0]!;
        const answers = {
          rows: await world.call('GET', `${groups}/orders/1/rows`, { key: world.keys.carol }),
          arrow: await world.call('GET', `${groups}/orders/1/rows?format=arrow`, { key: world.keys.carol }),
          query: await world.call('POST', '/api/v1/projects/alpha/query', { key: world.keys.carol, json: { query: { featureGroup: { name: 'orders' }, features: ['id'] } } }),
          upsert: await world.call('POST', `${groups}/orders/1/rows`, { key: world.keys.alice, json: [{ id: 1, amount: 2 }] }),
        };
        for (const [what, response] of Object.entries(answers)) {
          const text = await response.text();
          assert.equal(response.status, 409, `${what}: ${text}`);
          const body = JSON.parse(text) as { code: string; details: { path: string } };
          assert.equal(body.code, 'FEATURE_DATA_FILE_DAMAGED', what);
          assert.equal(body.details.path, dataFile, what);
          assert.ok(!text.includes(dataDir), `${what}: no server path in ${text}`);
        }
      }));

    test('fsck checks every live data file against its commit (length, checksum) and the Delta log: each damage is CORRUPT, naming the file', () =>
      withHumle(kind, async (humle) => {
        const intact = await groupWithOneFile(humle, 'intact');
        const healthy = await humle.fsck();
        assert.equal(healthy.healthy, true, JSON.stringify(healthy.featureStore));
        assert.deepEqual(healthy.featureStore, { tables: 1, dataFiles: 1, dataFilesWithoutChecksum: 0, corrupt: [] });

        // Damage done through humle fs by its superuser (what WebHDFS lets through), and below it on disk.
        const truncated = await groupWithOneFile(humle, 'truncated');
        await humle.fs.truncate(truncated.dataFile, 10);
        const overwritten = await groupWithOneFile(humle, 'overwritten');
        const length = (await humle.fs.getFileStatus(overwritten.dataFile)).length;
        await humle.fs.writeFile(overwritten.dataFile, Buffer.alloc(length, 7), { overwrite: true });
        const deleted = await groupWithOneFile(humle, 'deleted');
        await humle.fs.delete(deleted.dataFile);
        const onDisk = await groupWithOneFile(humle, 'ondisk');
        // Same length, other bytes: only the checksum can tell.
        const block = blockFileOf(humle, await blockIdOf(humle, onDisk.fg));
        const bytes = readFileSync(block);
        bytes[Math.floor(bytes.length / 2)] ^= 0xff;
        writeFileSync(block, bytes);
        const logMissing = await groupWithOneFile(humle, 'logmissing');
        const logCommit = `${logMissing.fg.location}/_delta_log/00000000000000000000.json`;
        await humle.fs.delete(logCommit);
        const logGarbage = await groupWithOneFile(humle, 'loggarbage');
        const garbageCommit = `${logGarbage.fg.location}/_delta_log/00000000000000000000.json`;
        await humle.fs.writeFile(garbageCommit, '{"add": not json\n', { overwrite: true });

        const report = await humle.fsck();
        assert.equal(report.healthy, false);
        assert.equal(report.featureStore.tables, 7);
        const corruptPaths = new Set(report.featureStore.corrupt.map((c) => c.path));
        assert.deepEqual(
          [...corruptPaths].sort(),
          [truncated.dataFile, overwritten.dataFile, deleted.dataFile, onDisk.dataFile, logCommit, garbageCommit].sort(),
          JSON.stringify(report.featureStore.corrupt, null, 1),
        );
        const problemsOf = (path: string) => report.featureStore.corrupt.filter((c) => c.path === path).map((c) => c.problem).join('; ');
        assert.match(problemsOf(truncated.dataFile), /has 10 bytes; its commit recorded \d+/);
        assert.match(problemsOf(overwritten.dataFile), /fail the checksum/);
        assert.match(problemsOf(deleted.dataFile), /missing|does not exist/i);
        assert.match(problemsOf(onDisk.dataFile), /block the feature store reads .*fail the checksum/);
        assert.match(problemsOf(logCommit), /Delta commit 0/);
        assert.match(problemsOf(garbageCommit), /Delta commit 0.*not JSON/);
        for (const c of report.featureStore.corrupt) assert.ok(c.table.startsWith('/Projects/shop/shop_featurestore.db/'), c.table);
        assert.ok(!report.featureStore.corrupt.some((c) => c.path.startsWith(intact.fg.location)), 'the intact table is not reported');
        // A repair cannot give back bytes: the feature store's problems stay.
        const afterRepair = await humle.fsck({ repair: true });
        assert.equal(afterRepair.healthy, false);
        assert.equal(afterRepair.featureStore.corrupt.length, report.featureStore.corrupt.length);
      }));

    test('files written before checksums were recorded are checked by length only, and counted as such', () =>
      withHumle(kind, async (humle) => {
        const { fg, dataFile } = await groupWithOneFile(humle, 'legacy');
        await humle.fs.engine.write((tx) => tx.run('DELETE FROM fg_file_checksums WHERE fg_id = ?', [fg.id]));
        const report = await humle.fsck();
        assert.equal(report.healthy, true);
        assert.deepEqual([report.featureStore.dataFiles, report.featureStore.dataFilesWithoutChecksum], [1, 1]);
        await humle.fs.truncate(dataFile, 5);
        const damaged = await humle.fsck();
        assert.deepEqual(
          damaged.featureStore.corrupt.map((c) => c.path),
          [dataFile, dataFile],
          'the block reads use and the file in humle fs: both of another length',
        );
      }));
  });
}
