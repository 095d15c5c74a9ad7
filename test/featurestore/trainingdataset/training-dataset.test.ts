import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestStore, testEngines } from '../../support/engines.js';
import { withHumle } from '../../support/humle-fixture.js';
import { Humle } from '../../../src/humle.js';
import {
  FeatureViewNotFoundError,
  InvalidTransformationError,
  TrainingDatasetNotFoundError,
  TransformationFunctionNotFoundError,
} from '../../../src/errors/featurestore-errors.js';
import { InvalidArgumentError } from '../../../src/errors/humle-error.js';
import type { FeatureStore } from '../../../src/featurestore/feature-store.js';
import type { FeatureViewSpec } from '../../../src/featurestore/featureview/feature-view-spec.js';
import { withDuckDBConnection } from '../../../src/featurestore/offline/duckdb/duckdb-instance.js';

const day = (d: number, hour = 0) => new Date(Date.UTC(2026, 0, d, hour));

/** Registers the on-demand function the view uses (a process registers its functions before using such a view). */
function register(fs: FeatureStore): void {
  fs.registerTransformationFunction('ratio', ([a, b]) => (a === null || b === null || Number(b) === 0 ? null : Number(a) / Number(b)));
}

/**
 * Orders (the label `returned`) on days 1..20, customers 1..3 whose credit limit changes on day 10; the view scales
 * amount (min-max) and credit limit (standard), one-hot encodes the category, label-encodes the label, and adds
 * the on-demand feature amount_per_limit.
 */
async function orderViewSpec(fs: FeatureStore): Promise<FeatureViewSpec> {
  const orders = await fs.createFeatureGroup({
    name: 'orders',
    primaryKey: ['oid'],
    eventTime: 'ts',
    features: [
      { name: 'oid', type: 'bigint' },
      { name: 'ts', type: 'timestamp' },
      { name: 'customer', type: 'bigint' },
      { name: 'amount', type: 'double' },
      { name: 'category', type: 'string' },
      { name: 'returned', type: 'string' },
    ],
  });
  await orders.insert(
    Array.from({ length: 20 }, (_, i) => ({
      oid: i + 1,
      ts: day(i + 1, 12),
      customer: (i % 3) + 1,
      amount: (i + 1) * 7.5,
      category: ['books', 'games', 'garden'][i % 3]!,
      returned: i % 4 === 0 ? 'yes' : 'no',
    })),
  );
  const customers = await fs.createFeatureGroup({
    name: 'customers',
    primaryKey: ['customer'],
    eventTime: 'ts',
    features: [
      { name: 'customer', type: 'bigint' },
      { name: 'ts', type: 'timestamp' },
      { name: 'credit_limit', type: 'int' },
    ],
  });
  await customers.insert([1, 2, 3].flatMap((c) => [{ customer: c, ts: day(1), credit_limit: c * 100 }, { customer: c, ts: day(10), credit_limit: c * 150 }]));
  register(fs);
  return {
    name: 'orders_view',
    query: orders.select(['oid', 'ts', 'customer', 'amount', 'category', 'returned']).join(customers.select(['credit_limit'])),
    labels: ['returned'],
    transformationFunctions: [
      { name: 'minMaxScaler', features: ['amount'] },
      { name: 'standardScaler', features: ['credit_limit'] },
      { name: 'oneHotEncoder', features: ['category'] },
      { name: 'labelEncoder', features: ['returned'] },
    ],
    onDemandFeatures: [{ name: 'amount_per_limit', function: 'ratio', features: ['amount', 'credit_limit'] }],
  };
}

for (const kind of testEngines()) {
  describe(`transformations and training datasets [${kind}]`, () => {
    test('consistency: training rows equal the transformer applied to the raw features; statistics from the train split only', () =>
      withHumle(kind, async (humle) => {
        const fs = (await humle.createProject('shop')).featureStore();
        const fv = await fs.createFeatureView(await orderViewSpec(fs));
        const td = await fv.createTrainingData({ testSize: 0.25, seed: 3, primaryKey: true, description: 'first' });
        assert.equal(td.version, 1);
        assert.deepEqual(td.splits.map((s) => [s.name, s.rowCount]), [['train', 15], ['test', 5]]);
        assert.deepEqual(td.columns, { features: ['oid', 'customer', 'amount', 'category', 'credit_limit'], labels: ['returned'], inputs: [] });
        assert.deepEqual(td.commits, { 'orders:1': 0, 'customers:1': 0 });

        const { train, test: testPart } = await fv.getTrainTestSplit(1);
        const trainRows = train.features as Record<string, unknown>[];
        assert.equal(trainRows.length, 15);
        assert.deepEqual(Object.keys(trainRows[0]!), ['oid', 'customer', 'min_max_scaler_amount', 'one_hot_encoder_category_0', 'one_hot_encoder_category_1', 'one_hot_encoder_category_2', 'standard_scaler_credit_limit', 'amount_per_limit']);
        assert.deepEqual(Object.keys((train.labels as Record<string, unknown>[])[0]!), ['label_encoder_returned']);

        // The raw rows of the view, by order id, and the statistics they imply for the train split.
        const raw = new Map((await fv.query.read()).map((r) => [Number(r.oid), r]));
        const trainIds = trainRows.map((r) => Number(r.oid));
        const amounts = trainIds.map((id) => Number(raw.get(id)!.amount));
        const limits = trainIds.map((id) => Number(raw.get(id)!.credit_limit));
        const mean = limits.reduce((a, b) => a + b, 0) / limits.length;
        const stddev = Math.sqrt(limits.reduce((a, b) => a + (b - mean) ** 2, 0) / limits.length);
        assert.equal(td.statistics.amount!.min, Math.min(...amounts));
        assert.equal(td.statistics.amount!.max, Math.max(...amounts));
        assert.ok(Math.abs(td.statistics.credit_limit!.mean! - mean) < 1e-9);
        assert.ok(Math.abs(td.statistics.credit_limit!.stddev! - stddev) < 1e-9);
        assert.deepEqual(td.statistics.category!.distinct, ['books', 'games', 'garden']);

        const transformer = await fv.transformer({ trainingDatasetVersion: 1 });
        assert.deepEqual(transformer.inputNames, ['oid', 'ts', 'customer', 'amount', 'category', 'credit_limit']);
        for (const row of [...trainRows, ...(testPart.features as Record<string, unknown>[])]) {
          const served = transformer.transformObject(raw.get(Number(row.oid))!);
          for (const [name, value] of Object.entries(row)) assert.deepEqual(served[name], value, `${name} of order ${String(row.oid)}`);
        }
        // Test rows use the train statistics: a test amount beyond the train range scales beyond [0, 1].
        const testAmounts = (testPart.features as Record<string, unknown>[]).map((r) => Number(r.min_max_scaler_amount));
        assert.ok(testAmounts.every((a) => Number.isFinite(a)));

        // In memory, the same split with the same seed gives the same rows, fitted on the same train part.
        const inMemory = await fv.trainTestSplit({ testSize: 0.25, seed: 3, primaryKey: true });
        assert.deepEqual(inMemory, { train, test: testPart });

        // Serving a vector in its own column order, with a category training never saw and a request parameter.
        const serving = await fv.transformer({ features: ['amount', 'category', 'credit_limit'] });
        assert.deepEqual(serving.outputNames, ['min_max_scaler_amount', 'one_hot_encoder_category_0', 'one_hot_encoder_category_1', 'one_hot_encoder_category_2', 'standard_scaler_credit_limit', 'amount_per_limit']);
        const vector = serving.transform([td.statistics.amount!.max, 'toys', 300], { credit_limit: 600 });
        assert.deepEqual(vector.slice(0, 4), [1, false, false, false]);
        assert.equal(vector[5], td.statistics.amount!.max! / 600);

        // Batch data uses the newest training dataset's statistics.
        const batch = await fv.getBatchData({ primaryKey: true });
        assert.equal(batch.length, 20);
        for (const row of batch) {
          const served = transformer.transformObject(raw.get(Number(row.oid))!);
          assert.deepEqual(row, Object.fromEntries(Object.keys(row).map((k) => [k, served[k]])));
        }
      }));

    test('materialized datasets are reproducible after more inserts and upserts, in every format, and after reopening', async () => {
      const store = await createTestStore(kind);
      try {
        let humle = await Humle.open({ dataDir: store.dataDir, engine: store.engine, user: 'alice' });
        let fs = (await humle.createProject('shop')).featureStore();
        const fv = await fs.createFeatureView(await orderViewSpec(fs));
        const parquet = await fv.createTrainingData({ startTime: day(1), endTime: day(19) });
        const csv = await fv.createTrainingData({ format: 'csv', testSize: 0.3, validationSize: 0.2, seed: 9, eventTime: true });
        const json = await fv.createTrainingData({ format: 'json', trainEnd: day(12), testStart: day(12), primaryKey: true });
        assert.deepEqual([parquet.version, csv.version, json.version], [1, 2, 3]);
        assert.equal(parquet.location, '/Projects/shop/shop_Training_Datasets/orders_view_1_1');
        assert.deepEqual(parquet.splits.map((s) => s.files), [['/Projects/shop/shop_Training_Datasets/orders_view_1_1/orders_view_1_1/part-00000.parquet']]);
        assert.deepEqual(csv.splits.map((s) => [s.name, s.rowCount]), [['train', 10], ['validation', 4], ['test', 6]]);
        assert.deepEqual(json.splits.map((s) => [s.name, s.rowCount]), [['train', 11], ['test', 9]]);
        const before = {
          parquet: await fv.getTrainingData(1),
          csv: await fv.getTrainValidationTestSplit(2, { exactTimestamps: true }),
          json: await fv.getTrainTestSplit(3),
        };
        assert.equal(before.parquet.features.length, 18);

        // More data: new orders, an upsert of an order in every dataset, a new credit limit.
        const orders = await fs.getFeatureGroup('orders');
        await orders.insert([{ oid: 5, ts: day(5, 12), customer: 2, amount: 9999, category: 'toys', returned: 'no' }], { operation: 'upsert' });
        await orders.insert(Array.from({ length: 5 }, (_, i) => ({ oid: 100 + i, ts: day(2 + i, 6), customer: 1, amount: 1, category: 'toys', returned: 'yes' })));
        await (await fs.getFeatureGroup('customers')).insert([{ customer: 2, ts: day(3), credit_limit: 1 }]);
        assert.notDeepEqual(await fv.trainingData({ startTime: day(1), endTime: day(19) }), before.parquet, 'the live data changed');

        assert.deepEqual(await fv.getTrainingData(1), before.parquet);
        assert.deepEqual(await fv.getTrainValidationTestSplit(2, { exactTimestamps: true }), before.csv);
        assert.deepEqual(await fv.getTrainTestSplit(3), before.json);
        const arrow = await fv.getTrainingData(1, { dataframe: 'arrow' });
        assert.equal(arrow.features.numRows, 18);

        // The files are plain Parquet, CSV with a header, and JSON lines, readable by other tools.
        const local = mkdtempSync(join(tmpdir(), 'humle-td-'));
        try {
          const parquetPath = join(local, 'part.parquet');
          writeFileSync(parquetPath, await humle.fs.readFile(parquet.splits[0]!.files[0]!));
          const count = await withDuckDBConnection(async (c) => (await c.runAndReadAll(`SELECT count(*) FROM read_parquet('${parquetPath}')`)).getRowsJS()[0]![0]);
          assert.equal(Number(count), 18);
          const csvText = (await humle.fs.readFile(csv.splits[0]!.files[0]!)).toString('utf8').trim().split('\n');
          assert.equal(csvText[0], 'ts,amount,category,credit_limit,returned');
          assert.equal(csvText.length, 11);
          const lines = (await humle.fs.readFile(json.splits[1]!.files[0]!)).toString('utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
          assert.equal(lines.length, 9);
          assert.deepEqual(Object.keys(lines[0]!), ['oid', 'customer', 'amount', 'category', 'credit_limit', 'returned']);
        } finally {
          rmSync(local, { recursive: true, force: true });
        }
        await humle.close();

        // Reopened: user functions are registered again before the view is used.
        humle = await Humle.open({ dataDir: store.dataDir, engine: store.engine, user: 'alice' });
        fs = (await humle.project('shop')).featureStore();
        const reopened = await fs.getFeatureView('orders_view');
        await assert.rejects(reopened.getTrainingData(1), (e: Error) => e instanceof TransformationFunctionNotFoundError && /ratio/.test(e.message));
        register(fs);
        assert.deepEqual(await reopened.getTrainingData(1), before.parquet);
        assert.deepEqual((await reopened.getTrainingDatasets()).map((t) => [t.version, t.format]), [[1, 'parquet'], [2, 'csv'], [3, 'json']]);
        await reopened.deleteTrainingDataset(2);
        await assert.rejects(reopened.getTrainValidationTestSplit(2), TrainingDatasetNotFoundError);
        assert.equal(await humle.fs.exists(csv.location), false, 'its files are gone');
        assert.deepEqual((await reopened.getTrainingDatasets()).map((t) => t.version), [1, 3]);
        const fourth = await reopened.createTrainingData();
        assert.equal(fourth.version, 4);
        await reopened.delete();
        assert.equal(await humle.fs.exists(fourth.location), false, 'deleting the view deletes its training datasets');
        await humle.close();
      } finally {
        await store.dispose();
      }
    });

    test('bad input: unknown functions, scalers on strings, unknown versions and splits, formats (typed errors, nothing stored)', () =>
      withHumle(kind, async (humle) => {
        const fs = (await humle.createProject('shop')).featureStore();
        const spec = await orderViewSpec(fs);
        await assert.rejects(fs.createFeatureView({ ...spec, transformationFunctions: [{ name: 'zScaler', features: ['amount'] }] }), TransformationFunctionNotFoundError);
        await assert.rejects(fs.createFeatureView({ ...spec, transformationFunctions: [{ name: 'minMaxScaler', features: ['category'] }] }), (e: Error) => e instanceof InvalidTransformationError && /numeric/.test(e.message));
        await assert.rejects(fs.createFeatureView({ ...spec, onDemandFeatures: [{ name: 'x', function: 'nope', features: ['amount'] }] }), TransformationFunctionNotFoundError);
        await assert.rejects(fs.createFeatureView({ ...spec, onDemandFeatures: [{ name: 'amount', function: 'ratio', features: ['amount'] }] }), /name of another column/);
        await assert.rejects(fs.getFeatureView('orders_view'), FeatureViewNotFoundError);
        const fv = await fs.createFeatureView(spec);
        await assert.rejects(fv.transformer(), (e: Error) => e instanceof TrainingDatasetNotFoundError && /createTrainingData/.test(e.message));
        await assert.rejects(fv.getBatchData(), TrainingDatasetNotFoundError);
        await assert.rejects(fv.getTrainingData(1), TrainingDatasetNotFoundError);
        await assert.rejects(fv.deleteTrainingDataset(1), TrainingDatasetNotFoundError);
        await assert.rejects(fv.createTrainingData({ format: 'xml' as never }), InvalidArgumentError);
        await assert.rejects(fv.createTrainingData({ testSize: 2 }), InvalidArgumentError);
        assert.deepEqual(await fv.getTrainingDatasets(), []);
        await fv.createTrainingData();
        await assert.rejects(fv.getTrainTestSplit(1), (e: Error) => e instanceof InvalidArgumentError && /split as none/.test(e.message));
        await assert.rejects(fv.getTrainingData(0), InvalidArgumentError);
        await assert.rejects(fv.transformer({ trainingDatasetVersion: 1, features: ['nope'] }), InvalidArgumentError);
        await assert.rejects(fv.getBatchData({ trainingDatasetVersion: 7 }), TrainingDatasetNotFoundError);
      }));
  });
}
