import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  AmbiguousFeatureError,
  FeatureGroupInUseError,
  FeatureVectorMissingError,
  FeatureViewExistsError,
  FeatureViewNotFoundError,
  FeatureViewNotServableError,
  InvalidFeatureDataError,
  InvalidFilterError,
  InvalidJoinError,
  TrainingDatasetNotFoundError,
  UnknownServingKeyError,
} from '../../src/errors/featurestore-errors.js';
import { InvalidArgumentError } from '../../src/errors/humle-error.js';
import type { FeatureStore } from '../../src/sdk/feature-store.js';
import { describeSdk, sortedBy } from './sdk-harness.js';

const t = (iso: string) => new Date(iso);

/** Orders and customers as in the README: customer 7's profile changes on Jan 5; customer 8's first profile comes after its order. */
async function ordersAndCustomers(fs: FeatureStore) {
  const orders = await fs.createFeatureGroup({
    name: 'orders',
    primaryKey: ['order_id'],
    eventTime: 'ts',
    onlineEnabled: true,
    features: [
      { name: 'order_id', type: 'bigint' },
      { name: 'ts', type: 'timestamp' },
      { name: 'customer_id', type: 'bigint' },
      { name: 'amount', type: 'decimal(8,2)' },
      { name: 'channel', type: 'string' },
      { name: 'returned', type: 'boolean' },
    ],
  });
  const customers = await fs.createFeatureGroup({
    name: 'customers',
    primaryKey: ['customer_id'],
    eventTime: 'ts',
    onlineEnabled: true,
    features: [{ name: 'customer_id', type: 'bigint' }, { name: 'ts', type: 'timestamp' }, { name: 'orders_30d', type: 'int' }],
  });
  await customers.insert([
    { customer_id: 7, ts: t('2026-01-01T00:00:00Z'), orders_30d: 3 },
    { customer_id: 7, ts: t('2026-01-05T00:00:00Z'), orders_30d: 9 },
    { customer_id: 8, ts: t('2026-01-20T00:00:00Z'), orders_30d: 1 },
  ]);
  await orders.insert([
    { order_id: 1, ts: t('2026-01-02T00:00:00Z'), customer_id: 7, amount: 10, channel: 'web', returned: false },
    { order_id: 2, ts: t('2026-01-06T00:00:00Z'), customer_id: 7, amount: 20, channel: 'app', returned: true },
    { order_id: 3, ts: t('2026-01-03T00:00:00Z'), customer_id: 8, amount: 30, channel: 'web', returned: false },
    { order_id: 4, ts: t('2026-01-07T00:00:00Z'), customer_id: 7, amount: 40, channel: 'app', returned: false },
  ]);
  return { orders, customers };
}

describeSdk('SDK queries and feature views', (withSdk) => {
  test('queries: selections, point-in-time joins, filters, time travel, changes and limits read alike both ways', () =>
    withSdk(async ({ humle }) => {
      const fs = (await humle.getOrCreateProject('shop')).featureStore();
      const { orders, customers } = await ordersAndCustomers(fs);
      const query = orders.select(['order_id', 'amount']).join(customers.select(['orders_30d']), { prefix: 'c_' });
      assert.deepEqual(query.features.map((f) => f.name), ['order_id', 'amount', 'c_orders_30d']);
      assert.deepEqual(sortedBy(await query.read(), 'order_id'), [
        { order_id: 1, amount: '10.00', c_orders_30d: 3 },
        { order_id: 2, amount: '20.00', c_orders_30d: 9 },
        { order_id: 3, amount: '30.00', c_orders_30d: null },
        { order_id: 4, amount: '40.00', c_orders_30d: 9 },
      ]);
      const filtered = query.filter(orders.feature('amount').ge(20).and(customers.feature('orders_30d').isNotNull()));
      assert.deepEqual(sortedBy(await filtered.read(), 'order_id').map((r) => r.order_id), [2, 4]);
      assert.equal((await query.limit(2).read()).length, 2);
      const arrow = await query.read({ dataframe: 'arrow' });
      assert.deepEqual(arrow.schema.fields.map((f) => `${f.name}:${f.type}`), ['order_id:Int64', 'amount:Utf8', 'c_orders_30d:Int32']);
      assert.match(await query.toSql(), /ASOF LEFT JOIN/);
      assert.deepEqual(
        sortedBy(await orders.selectExcept(['ts', 'channel', 'returned']).read({ exactTimestamps: true }), 'order_id').map((r) => Object.keys(r)),
        [0, 1, 2, 3].map(() => ['order_id', 'customer_id', 'amount']),
      );

      await orders.insert([{ order_id: 5, ts: t('2026-01-08T00:00:00Z'), customer_id: 7, amount: 50, channel: 'web', returned: false }]);
      assert.deepEqual((await orders.selectAll().asOf(0).read()).length, 4);
      assert.deepEqual((await orders.select(['order_id']).pullChanges(0, 1).read()).map((r) => r.order_id), [5]);
      assert.equal((await orders.selectAll().asOf(new Date()).read()).length, 5);
      const pinned = orders.select(['order_id']).join(customers.select(['orders_30d']).asOf(0));
      assert.equal((await pinned.read()).length, 5);

      // Checked where it is written, with the same errors.
      assert.throws(() => orders.feature('amount').gt('ten'), InvalidFilterError);
      assert.throws(() => orders.select(['order_id', 'ts']).join(customers.select(['ts'])), AmbiguousFeatureError);
      assert.throws(() => orders.selectAll().join(customers.selectAll(), { joinType: 'full' }), InvalidJoinError);
    }));

  test('feature views: versions, point-in-time training data, splits, spines, filters, batch data and reproducible training datasets', () =>
    withSdk(async ({ humle, local }) => {
      const fs = (await humle.getOrCreateProject('shop')).featureStore();
      const { orders, customers } = await ordersAndCustomers(fs);
      const query = orders.select(['order_id', 'ts', 'customer_id', 'amount', 'returned']).join(customers.select(['orders_30d']), { prefix: 'c_' });
      const fv = await fs.createFeatureView({ name: 'returns', description: 'orders and profiles', query, labels: ['returned'] });
      assert.deepEqual([fv.name, fv.version, fv.description, fv.labels], ['returns', 1, 'orders and profiles', ['returned']]);
      assert.deepEqual(fv.features.map((f) => `${f.name}${f.label ? '*' : ''}:${f.featureGroup.name}`), [
        'order_id:orders',
        'ts:orders',
        'customer_id:orders',
        'amount:orders',
        'returned*:orders',
        'c_orders_30d:customers',
      ]);
      assert.deepEqual(fv.query.plan, query.plan);
      assert.equal((await fs.getOrCreateFeatureView({ name: 'returns', query, labels: ['returned'] })).version, 1);
      assert.equal((await fs.getOrCreateFeatureView({ name: 'returns', query, labels: [] })).version, 2);
      await assert.rejects(fs.createFeatureView({ name: 'returns', version: 1, query, labels: [] }), FeatureViewExistsError);
      assert.deepEqual((await fs.getFeatureViews('returns')).map((v) => v.version), [1, 2]);
      assert.equal((await fs.getFeatureView('returns')).version, 2);
      await assert.rejects(fs.getFeatureView('returns', 3), FeatureViewNotFoundError);
      await (await fs.getFeatureView('returns', 2)).delete();

      const { features, labels } = await fv.trainingData({ primaryKey: true });
      assert.deepEqual(features, [
        { order_id: 1, customer_id: 7, amount: '10.00', c_orders_30d: 3 },
        { order_id: 3, customer_id: 8, amount: '30.00', c_orders_30d: null },
        { order_id: 2, customer_id: 7, amount: '20.00', c_orders_30d: 9 },
        { order_id: 4, customer_id: 7, amount: '40.00', c_orders_30d: 9 },
      ]);
      assert.deepEqual(labels, [{ returned: false }, { returned: false }, { returned: true }, { returned: false }]);
      const unkeyed = await fv.trainingData({ startTime: t('2026-01-03T00:00:00Z'), endTime: '2026-01-07T00:00:00Z' });
      assert.deepEqual(unkeyed.features, [{ amount: '30.00', c_orders_30d: null }, { amount: '20.00', c_orders_30d: 9 }]);
      const withTimes = await fv.trainingData({ eventTime: true, exactTimestamps: true, extraFilter: orders.feature('amount').lt(25) });
      assert.deepEqual(withTimes.features.map((r) => r.ts), [1767312000000000, 1767657600000000]);
      const arrow = await fv.trainingData({ dataframe: 'arrow' });
      assert.deepEqual([arrow.features.numRows, arrow.labels?.numRows, arrow.labels?.schema.fields.map((f) => f.name)], [4, 4, ['returned']]);

      const random = await fv.trainTestSplit({ testSize: 0.5, seed: 7, primaryKey: true });
      const again = await fv.trainTestSplit({ testSize: 0.5, seed: 7, primaryKey: true });
      assert.deepEqual(again, random);
      assert.deepEqual([random.train.features.length, random.test.features.length], [2, 2]);
      const byTime = await fv.trainTestSplit({ trainEnd: '2026-01-05T00:00:00Z', testStart: t('2026-01-05T00:00:00Z'), primaryKey: true });
      assert.deepEqual([byTime.train.features.map((r) => r.order_id), byTime.test.features.map((r) => r.order_id)], [[1, 3], [2, 4]]);
      const three = await fv.trainValidationTestSplit({ testSize: 0.25, validationSize: 0.25, seed: 1, dataframe: 'arrow' });
      assert.deepEqual([three.train.features.numRows, three.validation.features.numRows, three.test.features.numRows], [2, 1, 1]);
      await assert.rejects(fv.trainTestSplit({ testSize: 1.5 }), InvalidArgumentError);
      await assert.rejects(fv.trainTestSplit({ trainEnd: '2026-01-05T00:00:00Z', testStart: '2026-01-04T00:00:00Z' }), InvalidArgumentError);

      // A spine: rows of its own, or a CSV file, read like an insert (the event time and key of the orders).
      const spine = await fv.trainingData({ primaryKey: true, spine: [{ order_id: 100, ts: t('2026-01-04T00:00:00Z'), customer_id: 7n, returned: true }] });
      assert.deepEqual(spine, { features: [{ order_id: 100, customer_id: 7, amount: null, c_orders_30d: 3 }], labels: [{ returned: true }] });
      const spineFile = join(local, 'spine.csv');
      writeFileSync(spineFile, 'order_id,ts,customer_id\n101,2026-01-30T00:00:00Z,8\n');
      assert.deepEqual((await fv.trainingData({ spine: spineFile })).features, [{ amount: null, c_orders_30d: 1 }]);
      await assert.rejects(fv.trainingData({ spine: [{ order_id: 1 }] }), InvalidFeatureDataError);

      const batch = await fv.getBatchData({ startTime: t('2026-01-06T00:00:00Z') });
      assert.deepEqual(batch, [{ amount: '20.00', c_orders_30d: 9 }, { amount: '40.00', c_orders_30d: 9 }]);

      // A training dataset reads back exactly as it was made, whatever came since.
      const td = await fv.createTrainingData({ testSize: 0.5, seed: 3, primaryKey: true, format: 'csv', description: 'first' });
      assert.deepEqual([td.version, td.format, td.description, td.splits.map((s) => `${s.name}:${s.rowCount}`)], [1, 'csv', 'first', ['train:2', 'test:2']]);
      assert.deepEqual(td.commits, { 'orders:1': 0, 'customers:1': 0 });
      assert.ok(td.createdAt instanceof Date);
      const made = await fv.getTrainTestSplit(td.version);
      await orders.insert([{ order_id: 5, ts: t('2026-01-08T00:00:00Z'), customer_id: 7, amount: 60, channel: 'web', returned: true }]);
      await customers.insert([{ customer_id: 7, ts: t('2026-01-05T00:00:00Z'), orders_30d: 99 }]);
      assert.deepEqual(await fv.getTrainTestSplit(td.version), made);
      const rowsOf = (rows: unknown) => rows as Record<string, unknown>[];
      assert.deepEqual(rowsOf(made.train.features).concat(rowsOf(made.test.features)).map((r) => r.order_id).sort(), [1, 2, 3, 4]);
      const timeDataset = await fv.createTrainingData({ trainEnd: '2026-01-05T00:00:00Z', testStart: '2026-01-05T00:00:00Z' });
      assert.deepEqual(timeDataset.split, { kind: 'time', ranges: [{ start: null, end: 1767571200000000 }, null, { start: 1767571200000000, end: null }] });
      const whole = await fv.createTrainingData({ format: 'json', startTime: '2026-01-05T00:00:00Z' });
      assert.deepEqual((await fv.getTrainingData(whole.version)).features, [{ amount: '20.00', c_orders_30d: 99 }, { amount: '40.00', c_orders_30d: 99 }, { amount: '60.00', c_orders_30d: 99 }]);
      await assert.rejects(fv.getTrainingData(td.version), InvalidArgumentError);
      assert.deepEqual((await fv.getTrainingDatasets()).map((d) => d.version), [1, 2, 3]);
      await fv.deleteTrainingDataset(2);
      assert.deepEqual((await fv.getTrainingDatasets()).map((d) => d.version), [1, 3]);
      await assert.rejects(fv.getTrainTestSplit(2), TrainingDatasetNotFoundError);

      await assert.rejects(orders.delete(), FeatureGroupInUseError);
      await fv.delete();
      await orders.delete();
      await assert.rejects(fs.getFeatureView('returns'), FeatureViewNotFoundError);
    }));

  test('serving: feature vectors and inference helpers from the online store, with MISSING vectors and passed features', () =>
    withSdk(async ({ humle }) => {
      const fs = (await humle.getOrCreateProject('shop')).featureStore();
      const { orders, customers } = await ordersAndCustomers(fs);
      const fv = await fs.createFeatureView({
        name: 'serving',
        query: orders.select(['order_id', 'ts', 'amount', 'channel', 'returned']).join(customers.select(['orders_30d']), { prefix: 'c_' }),
        labels: ['returned'],
        inferenceHelperColumns: ['channel'],
      });
      await fv.initServing();
      assert.deepEqual(await fv.getFeatureVector({ order_id: 1 }), [1, t('2026-01-02T00:00:00Z'), '10.00', 9]);
      assert.deepEqual(await fv.getFeatureVector({ order_id: 1 }, { returnType: 'object', exactTimestamps: true }), { order_id: 1, ts: 1767312000000000, amount: '10.00', c_orders_30d: 9 });
      assert.deepEqual(await fv.getFeatureVector({ order_id: 3 }, { passedFeatures: { amount: '12.50' } }), [3, t('2026-01-03T00:00:00Z'), '12.50', 1]);
      assert.deepEqual(await fv.getFeatureVectors([{ order_id: 2 }, { order_id: 99 }, { order_id: 1n }], { allowMissing: true }), [
        [2, t('2026-01-06T00:00:00Z'), '20.00', 9],
        [99, null, null, null],
        [1, t('2026-01-02T00:00:00Z'), '10.00', 9],
      ]);
      assert.deepEqual(await fv.getFeatureVectorWithStatus({ order_id: 99 }, { allowMissing: true }), { vector: [99, null, null, null], status: 'MISSING' });
      assert.deepEqual((await fv.getFeatureVectorsWithStatus([{ order_id: 4 }])).map((v) => v.status), ['COMPLETE']);
      await assert.rejects(fv.getFeatureVector({ order_id: 99 }), (error: unknown) => error instanceof FeatureVectorMissingError && error.details.entry === 0);
      await assert.rejects(fv.getFeatureVectors([{ order_id: 1 }, { order_id: 98 }]), (error: unknown) => error instanceof FeatureVectorMissingError && error.details.entry === 1);
      await assert.rejects(fv.getFeatureVector({ order: 1 }), UnknownServingKeyError);
      assert.deepEqual(await fv.getInferenceHelper({ order_id: 2 }), { channel: 'app' });
      assert.deepEqual(await fv.getInferenceHelpers([{ order_id: 1 }, { order_id: 4 }], { returnType: 'list' }), [['web'], ['app']]);

      const offline = await fs.createFeatureGroup({ name: 'offline', primaryKey: ['order_id'], features: [{ name: 'order_id', type: 'bigint' }, { name: 'note', type: 'string' }] });
      const notServable = await fs.createFeatureView({ name: 'not_servable', query: offline.selectAll() });
      await assert.rejects(notServable.initServing(), FeatureViewNotServableError);
    }));
});
