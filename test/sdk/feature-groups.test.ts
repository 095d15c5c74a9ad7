import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { tableFromArrays } from 'apache-arrow';
import {
  CommitNotFoundError,
  DuplicateRecordError,
  FeatureGroupExistsError,
  FeatureGroupNotFoundError,
  InvalidFeatureDataError,
  InvalidFeatureGroupError,
  ValidationFailedError,
} from '../../src/errors/featurestore-errors.js';
import { InvalidArgumentError } from '../../src/errors/humle-error.js';
import type { FeatureGroupSpec } from '../../src/featurestore/feature-group-spec.js';
import { parquetOf } from '../support/table-readers.js';
import { describeSdk, sortedBy } from './sdk-harness.js';

const t = (iso: string) => new Date(iso);

const transactions: FeatureGroupSpec = {
  name: 'transactions',
  description: 'card transactions',
  primaryKey: ['cc_num'],
  eventTime: 'ts',
  onlineEnabled: true,
  features: [
    { name: 'cc_num', type: 'bigint' },
    { name: 'ts', type: 'timestamp' },
    { name: 'amount', type: 'decimal(10,2)' },
    { name: 'category', type: 'string' },
    { name: 'tags', type: 'array<string>' },
    { name: 'day', type: 'date' },
    { name: 'blob', type: 'binary' },
  ],
};

describeSdk('SDK feature groups', (withSdk) => {
  test('insert, read with time travel, changes, commits, online lookups and removals give the same values both ways', () =>
    withSdk(async ({ humle }) => {
      const fs = (await humle.getOrCreateProject('fraud')).featureStore();
      const fg = await fs.createFeatureGroup(transactions);
      assert.deepEqual([fg.name, fg.version, fg.description, fg.eventTime, fg.onlineEnabled], ['transactions', 1, 'card transactions', 'ts', true]);
      assert.deepEqual(fg.features.map((f) => `${f.name}${f.primary ? '*' : ''}`), ['cc_num*', 'ts', 'amount', 'category', 'tags', 'day', 'blob']);
      assert.equal(fg.location, '/Projects/fraud/fraud_featurestore.db/transactions_1');
      assert.equal(typeof fg.onlineTable, 'string');

      const big = 2n ** 60n + 1n;
      const c0 = await fg.insert([
        { cc_num: 4242, ts: t('2026-01-01T10:00:00Z'), amount: 12.5, category: 'food', tags: ['a', 'b'], day: '2026-01-01', blob: Buffer.from('hi') },
        { cc_num: big, ts: '2026-01-01T11:00:00.123456Z', amount: '80', category: null, tags: null, day: null, blob: null },
      ]);
      assert.deepEqual({ ...c0, committedOn: undefined }, { commitId: 0, committedOn: undefined, operation: 'upsert', rowsInserted: 2, rowsUpdated: 0, rowsDeleted: 0 });
      assert.ok(c0.committedOn instanceof Date);
      const c1 = await fg.insert([{ cc_num: 4242, ts: 1767344400000000n, amount: 3, category: 'food' }]);
      assert.equal(c1.commitId, 1);

      const latest = sortedBy(await fg.read(), 'cc_num', 'ts');
      assert.deepEqual(latest, [
        { cc_num: 4242, ts: t('2026-01-01T10:00:00Z'), amount: '12.50', category: 'food', tags: ['a', 'b'], day: '2026-01-01', blob: Buffer.from('hi') },
        { cc_num: 4242, ts: t('2026-01-02T09:00:00Z'), amount: '3.00', category: 'food', tags: null, day: null, blob: null },
        { cc_num: big, ts: t('2026-01-01T11:00:00.123Z'), amount: '80.00', category: null, tags: null, day: null, blob: null },
      ]);
      const exact = sortedBy(await fg.read({ exactTimestamps: true }), 'cc_num', 'ts');
      assert.deepEqual(exact.map((r) => r.ts), [1767261600000000, 1767344400000000, 1767265200123456]);
      assert.equal(sortedBy(await fg.read({ asOf: 0 }), 'cc_num').length, 2);
      assert.equal((await fg.read({ asOf: new Date() })).length, 3);
      assert.equal((await fg.asOf(0)).length, 2);
      const arrow = await fg.read({ dataframe: 'arrow' });
      assert.equal(arrow.numRows, 3);
      assert.deepEqual(
        arrow.schema.fields.map((f) => `${f.name}:${f.type}`),
        ['cc_num:Int64', 'ts:Timestamp<MICROSECOND, UTC>', 'amount:Utf8', 'category:Utf8', 'tags:List<Utf8>', 'day:Date32<DAY>', 'blob:Binary'],
      );

      const changes = await fg.readChanges(0, 1, { exactTimestamps: true });
      assert.deepEqual(
        changes.map((r) => [r.cc_num, r.ts, r._change_type, r._commit_version]),
        [[4242, 1767344400000000, 'insert', 1]],
      );
      assert.deepEqual(await fg.asOf(1, { excludeUntil: 0 }), await fg.readChanges(0, 1));
      const commits = await fg.commitDetails();
      assert.deepEqual(Object.keys(commits), ['0', '1']);
      assert.deepEqual({ ...commits[1], committedOn: undefined }, { committedOn: undefined, operation: 'upsert', rowsInserted: 1, rowsUpdated: 0, rowsDeleted: 0 });
      assert.deepEqual(Object.keys(await fg.commitDetails({ limit: 1 })), ['1']);

      // The online store keeps the newest row per key.
      assert.deepEqual(await fg.getOnline(4242), { cc_num: 4242, ts: t('2026-01-02T09:00:00Z'), amount: '3.00', category: 'food', tags: null, day: null, blob: null });
      const online = await fg.getOnlineBatch([big, 1, { cc_num: 4242 }], { exactTimestamps: true });
      assert.deepEqual(online.map((r) => r?.ts), [1767265200123456, undefined, 1767344400000000]);
      assert.equal(online[0]!.cc_num, big);

      const removed = await fg.removeRows([{ cc_num: big }]);
      assert.equal(removed?.operation, 'delete');
      assert.equal(await fg.removeRows([{ cc_num: 7 }]), undefined);
      assert.equal(await fg.getOnline(big), undefined);
      assert.deepEqual(sortedBy(await fg.read(), 'ts').map((r) => r.cc_num), [4242, 4242]);

      await fg.appendFeatures([{ name: 'merchant', type: 'string' }]);
      assert.deepEqual(fg.features.map((f) => f.name).slice(-1), ['merchant']);
      assert.deepEqual((await fg.read()).map((r) => r.merchant), [null, null]);
      assert.deepEqual((await fs.getFeatureGroup('transactions')).features.map((f) => f.name).slice(-1), ['merchant']);
    }));

  test('refusals are the same typed errors, and a refused insert changes nothing', () =>
    withSdk(async ({ humle }) => {
      const fs = (await humle.getOrCreateProject('fraud')).featureStore();
      const fg = await fs.createFeatureGroup(transactions);
      await fg.insert([{ cc_num: 1, ts: t('2026-01-01T00:00:00Z'), amount: 1 }]);
      await assert.rejects(fs.getFeatureGroup('nothing'), FeatureGroupNotFoundError);
      await assert.rejects(fs.getFeatureGroup('transactions', 2), FeatureGroupNotFoundError);
      await assert.rejects(fs.getFeatureGroup('Not A Name'), FeatureGroupNotFoundError);
      await assert.rejects(fs.createFeatureGroup({ ...transactions, version: 1 }), FeatureGroupExistsError);
      await assert.rejects(fs.createFeatureGroup({ ...transactions, name: 'bad', primaryKey: ['nope'] }), InvalidFeatureGroupError);
      await assert.rejects(fs.createFeatureGroup({ ...transactions, name: 'bad', features: [{ name: 'x', type: 'varchar' }], primaryKey: ['x'], eventTime: undefined }), InvalidFeatureGroupError);

      const bad = fg.insert([
        { cc_num: 2, ts: t('2026-01-01T00:00:00Z'), amount: 1 },
        { cc_num: 3, ts: t('2026-01-01T00:00:00Z'), amount: 'lots' },
      ]);
      await assert.rejects(bad, (error: unknown) => {
        assert.ok(error instanceof InvalidFeatureDataError);
        assert.deepEqual([error.details.row, error.details.column], [1, 'amount']);
        return true;
      });
      await assert.rejects(fg.insert([{ cc_num: 4, ts: t('2026-01-01T00:00:00Z'), colour: 'red' }]), InvalidFeatureDataError);
      await assert.rejects(fg.insert([{ cc_num: 1, ts: t('2026-01-01T00:00:00Z'), amount: 2 }], { operation: 'insert' }), DuplicateRecordError);
      await assert.rejects(fg.insert([]), InvalidArgumentError);
      await assert.rejects(fg.insert(join('/nowhere', 'rows.csv')), InvalidArgumentError);
      await assert.rejects(fg.read({ asOf: 9 }), CommitNotFoundError);
      await assert.rejects(fg.read({ asOf: new Date('2000-01-01T00:00:00Z') }), CommitNotFoundError);
      await assert.rejects(fg.commitDetails({ limit: 0 }), InvalidArgumentError);
      await assert.rejects(fg.vacuum({ retain: -1 }), InvalidArgumentError);
      await assert.rejects(fg.getOnline({ cc_num: null }), InvalidArgumentError);
      assert.deepEqual((await fg.read()).map((r) => r.cc_num), [1]);
      assert.deepEqual(Object.keys(await fg.commitDetails()), ['0']);

      const offline = await fs.createFeatureGroup({ name: 'offline', primaryKey: ['id'], features: [{ name: 'id', type: 'int' }] });
      assert.equal(offline.onlineTable, null);
      await assert.rejects(offline.getOnline(1), InvalidArgumentError);
    }));

  test('Arrow tables, CSV, NDJSON and Parquet files insert as one commit each; a first insert infers the schema', () =>
    withSdk(async ({ humle, local }) => {
      const fs = (await humle.getOrCreateProject('shop')).featureStore();
      const orders = await fs.createFeatureGroup({ name: 'orders', primaryKey: ['id'], eventTime: 'ts', features: [{ name: 'id', type: 'bigint' }, { name: 'ts', type: 'timestamp' }, { name: 'price', type: 'double' }] });
      const csv = join(local, 'orders.csv');
      writeFileSync(csv, 'id,ts,price\n1,2026-01-01T00:00:00Z,1.5\n2,2026-01-02T00:00:00.000001Z,\n');
      const ndjson = join(local, 'orders.ndjson');
      writeFileSync(ndjson, '{"id":3,"ts":"2026-01-03T00:00:00Z","price":3}\n');
      const parquet = join(local, 'orders.parquet');
      writeFileSync(parquet, await parquetOf("SELECT 4::BIGINT AS id, TIMESTAMPTZ '2026-01-04 00:00:00+00' AS ts, 4.25::DOUBLE AS price"));
      assert.equal((await orders.insert(csv)).rowsInserted, 2);
      assert.equal((await orders.insert(ndjson)).commitId, 1);
      assert.equal((await orders.insert(parquet)).commitId, 2);
      const arrow = tableFromArrays({ id: BigInt64Array.from([5n]), price: Float64Array.from([5.5]), ts: ['2026-01-05T00:00:00Z'] });
      assert.equal((await orders.insert(arrow)).commitId, 3);
      assert.deepEqual(
        sortedBy(await orders.read({ exactTimestamps: true }), 'id').map((r) => [r.id, r.ts, r.price]),
        [
          [1, 1767225600000000, 1.5],
          [2, 1767312000000001, null],
          [3, 1767398400000000, 3],
          [4, 1767484800000000, 4.25],
          [5, 1767571200000000, 5.5],
        ],
      );
      const bad = join(local, 'bad.csv');
      writeFileSync(bad, 'id,ts,price\n6,2026-01-06T00:00:00Z,1\n7,yesterday,2\n');
      await assert.rejects(orders.insert(bad), (error: unknown) => error instanceof InvalidFeatureDataError && error.details.row === 1 && error.details.column === 'ts');
      assert.equal((await orders.read()).length, 5);

      // No features: the first insert's values type them (integers bigint, other numbers double, Dates timestamp).
      const clicks = await fs.createFeatureGroup({ name: 'clicks', primaryKey: ['user_id'], eventTime: 'at' });
      assert.equal(clicks.features.length, 0);
      await clicks.insert([{ user_id: 1, at: t('2026-01-01T00:00:00Z'), score: 0.5, page: 'home' }]);
      assert.deepEqual(clicks.features.map((f) => `${f.name}:${JSON.stringify(f.type)}`), [
        'user_id:{"kind":"bigint"}',
        'at:{"kind":"timestamp"}',
        'score:{"kind":"double"}',
        'page:{"kind":"string"}',
      ]);
      assert.deepEqual(await clicks.read(), [{ user_id: 1, at: t('2026-01-01T00:00:00Z'), score: 0.5, page: 'home' }]);
      const fromFile = await fs.createFeatureGroup({ name: 'from_file', primaryKey: ['id'] });
      await fromFile.insert(parquet);
      assert.deepEqual(fromFile.features.map((f) => f.name), ['id', 'ts', 'price']);
    }));

  test('statistics, validation reports, tags, compaction, vacuum and deletion', () =>
    withSdk(async ({ humle }) => {
      const fs = (await humle.getOrCreateProject('fraud')).featureStore();
      const fg = await fs.createFeatureGroup({
        name: 'scores',
        primaryKey: ['id'],
        features: [{ name: 'id', type: 'int' }, { name: 'score', type: 'double' }],
        expectations: { expectations: [{ kind: 'between', feature: 'score', min: 0, max: 1 }], validationIngestionPolicy: 'strict' },
      });
      assert.equal(await fg.getStatistics(), undefined);
      await fg.insert([{ id: 1, score: 0.25 }, { id: 2, score: 0.75 }], { wait: true });
      const statistics = await fg.getStatistics();
      assert.deepEqual([statistics?.commitId, statistics?.rowCount], [0, 2]);
      assert.equal(typeof statistics?.computedAt, 'number');
      assert.deepEqual(statistics?.features.map((f) => [f.feature, f.mean]), [['id', 1.5], ['score', 0.5]]);
      assert.equal((await fg.computeStatistics())?.rowCount, 2);
      await assert.rejects(fg.insert([{ id: 3, score: 7 }]), ValidationFailedError);
      const history = await fg.getValidationHistory();
      assert.deepEqual(history.map((r) => [r.ingestionResult, r.commitId, r.success]), [['REJECTED', null, false], ['INGESTED', 0, true]]);
      assert.deepEqual((await fg.getValidationHistory({ ingestionResult: 'REJECTED' })).length, 1);
      assert.equal(typeof history[0]!.validatedAt, 'number');

      await fg.addTag('owner', { team: 'risk', since: 2024 });
      assert.deepEqual(await fg.getTags(), { owner: { team: 'risk', since: 2024 } });
      assert.deepEqual(await fg.getTag('owner'), { team: 'risk', since: 2024 });
      assert.equal(await fg.deleteTag('owner'), true);
      assert.equal(await fg.deleteTag('owner'), false);
      await assert.rejects(fg.addTag('no spaces', 1), InvalidArgumentError);

      for (let i = 3; i < 6; i++) await fg.insert([{ id: i, score: 0.5 }]);
      const compacted = await fg.compact();
      assert.equal(compacted?.operation, 'compact');
      assert.equal((await fg.read()).length, 5);
      const vacuumed = await fg.vacuum({ retain: 0 });
      assert.ok(vacuumed.filesDeleted > 0);
      assert.equal(vacuumed.oldestVersion, compacted!.commitId);
      await assert.rejects(fg.read({ asOf: 0 }), CommitNotFoundError);

      await fg.delete();
      await assert.rejects(fs.getFeatureGroup('scores'), FeatureGroupNotFoundError);
      assert.deepEqual(await fs.getFeatureGroups('scores'), []);
    }));
});
