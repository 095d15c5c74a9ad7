import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { tableFromArrays } from 'apache-arrow';
import { createTestStore, testEngines } from '../../support/engines.js';
import { withHumle } from '../../support/humle-fixture.js';
import { Humle } from '../../../src/humle.js';
import {
  FeatureGroupInUseError,
  FeatureViewExistsError,
  FeatureViewNotFoundError,
  InvalidFeatureDataError,
  InvalidFeatureViewError,
  InvalidFilterError,
} from '../../../src/errors/featurestore-errors.js';
import { InvalidArgumentError } from '../../../src/errors/humle-error.js';
import type { FeatureStore } from '../../../src/featurestore/feature-store.js';
import type { FeatureViewSpec } from '../../../src/featurestore/featureview/feature-view-spec.js';

const day = (d: number, hour = 0) => new Date(Date.UTC(2026, 0, d, hour));

/**
 * Transactions (the labels' group: one per day, cards 1 and 2 alternating) and card profiles that change on days
 * 1, 4 and 8. The view's features: amount, merchant (inference helper), note (training helper), the profile's
 * credit limit as of each transaction; the label: is_fraud.
 */
async function fraudViewSpec(fs: FeatureStore): Promise<FeatureViewSpec> {
  const transactions = await fs.createFeatureGroup({
    name: 'transactions',
    primaryKey: ['tid'],
    eventTime: 'ts',
    features: [
      { name: 'tid', type: 'bigint' },
      { name: 'ts', type: 'timestamp' },
      { name: 'cc_num', type: 'bigint' },
      { name: 'amount', type: 'double' },
      { name: 'merchant', type: 'string' },
      { name: 'note', type: 'string' },
      { name: 'is_fraud', type: 'boolean' },
    ],
  });
  await transactions.insert(
    Array.from({ length: 10 }, (_, i) => ({
      tid: i + 1,
      ts: day(i + 1, 12),
      cc_num: (i % 2) + 1,
      amount: (i + 1) * 10,
      merchant: `m${i % 3}`,
      note: `n${i + 1}`,
      is_fraud: i % 4 === 3,
    })),
  );
  const profiles = await fs.createFeatureGroup({
    name: 'profiles',
    primaryKey: ['cc_num'],
    eventTime: 'ts',
    features: [
      { name: 'cc_num', type: 'bigint' },
      { name: 'ts', type: 'timestamp' },
      { name: 'credit_limit', type: 'int' },
    ],
  });
  await profiles.insert([
    { cc_num: 1, ts: day(1), credit_limit: 100 },
    { cc_num: 2, ts: day(1), credit_limit: 200 },
    { cc_num: 1, ts: day(4), credit_limit: 150 },
    { cc_num: 2, ts: day(8), credit_limit: 250 },
  ]);
  return {
    name: 'fraud',
    description: 'card fraud',
    query: transactions.select(['tid', 'ts', 'cc_num', 'amount', 'merchant', 'note', 'is_fraud']).join(profiles.select(['credit_limit'])),
    labels: ['is_fraud'],
    inferenceHelperColumns: ['merchant'],
    trainingHelperColumns: ['note'],
  };
}

/** The credit limit a transaction of day d (12:00) on card c must see. */
function expectedLimit(d: number): number {
  const card = ((d - 1) % 2) + 1;
  if (card === 1) return d >= 4 ? 150 : 100;
  return d >= 8 ? 250 : 200;
}

for (const kind of testEngines()) {
  describe(`feature views [${kind}]`, () => {
    test('create, get, list, versions; immutable: same definition returns the view, another is refused; survives reopening', async () => {
      const store = await createTestStore(kind);
      try {
        let humle = await Humle.open({ dataDir: store.dataDir, engine: store.engine, user: 'alice' });
        let fs = (await humle.createProject('fraud')).featureStore();
        const spec = await fraudViewSpec(fs);
        const fv = await fs.createFeatureView(spec);
        assert.deepEqual([fv.name, fv.version, fv.description, fv.labels, fv.creator], ['fraud', 1, 'card fraud', ['is_fraud'], 'alice']);
        assert.deepEqual(
          fv.features.map((f) => `${f.name}:${f.featureGroup.name}${f.label ? ':label' : ''}${f.inferenceHelperColumn ? ':inference' : ''}${f.trainingHelperColumn ? ':training' : ''}`),
          ['tid:transactions', 'ts:transactions', 'cc_num:transactions', 'amount:transactions', 'merchant:transactions:inference', 'note:transactions:training', 'is_fraud:transactions:label', 'credit_limit:profiles'],
        );
        assert.equal((await fs.createFeatureView(spec)).version, 2, 'no version: the next one');
        assert.equal((await fs.getFeatureViews('fraud')).length, 2);
        assert.equal((await fs.createFeatureView({ ...spec, version: 1 })).id, fv.id, 'the same definition again is the same view');
        await assert.rejects(fs.createFeatureView({ ...spec, version: 1, labels: [] }), FeatureViewExistsError);
        const transactions = await fs.getFeatureGroup('transactions');
        const changed = { ...spec, query: spec.query.filter(transactions.feature('amount').gt(0)) };
        await assert.rejects(fs.createFeatureView({ ...changed, version: 2 }), (e: FeatureViewExistsError) => e instanceof FeatureViewExistsError && /immutable/.test(e.message));
        const v3 = await fs.getOrCreateFeatureView(changed);
        assert.equal(v3.version, 3, 'a changed query is a new version');
        assert.equal((await fs.getOrCreateFeatureView(changed)).version, 3);
        assert.equal((await fs.getOrCreateFeatureView(spec)).version, 2, 'the newest version with this definition');
        assert.equal((await fs.getOrCreateFeatureView({ ...spec, version: 9 })).version, 9);
        assert.equal((await fs.getFeatureView('fraud')).version, 9);
        await assert.rejects(fs.getFeatureView('fraud', 4), FeatureViewNotFoundError);
        await assert.rejects(fs.getFeatureView('nope'), FeatureViewNotFoundError);
        const before = await fv.trainingData();
        await humle.close();

        // The stored plan names groups by id: reopened, the view reads the same data.
        humle = await Humle.open({ dataDir: store.dataDir, engine: store.engine, user: 'alice' });
        fs = (await humle.project('fraud')).featureStore();
        const reopened = await fs.getFeatureView('fraud', 1);
        assert.deepEqual(reopened.toJSON(), fv.toJSON());
        assert.deepEqual(await reopened.trainingData(), before);
        assert.deepEqual((await fs.getFeatureView('fraud', 3)).query.plan.filter, changed.query.plan.filter);
        assert.deepEqual((await fs.getFeatureViews()).map((v) => `${v.name}:${v.version}`), ['fraud:1', 'fraud:2', 'fraud:3', 'fraud:9']);
        await reopened.delete();
        await assert.rejects(fs.getFeatureView('fraud', 1), FeatureViewNotFoundError);
        await assert.rejects(reopened.delete(), FeatureViewNotFoundError);
        await humle.close();
      } finally {
        await store.dispose();
      }
    });

    test('definitions are checked: name, labels and helper columns in the query, transformation functions, no limit or time travel', () =>
      withHumle(kind, async (humle) => {
        const fs = (await humle.createProject('fraud')).featureStore();
        const spec = await fraudViewSpec(fs);
        const refused = (bad: Partial<FeatureViewSpec>, pattern: RegExp) =>
          assert.rejects(fs.createFeatureView({ ...spec, ...bad } as FeatureViewSpec), (e: Error) => e instanceof InvalidFeatureViewError && pattern.test(e.message));
        await refused({ name: 'Fraud View' }, /lowercase/);
        await refused({ version: 0 }, /positive integer/);
        await refused({ labels: ['nope'] }, /labels: nope is not a column of the query/);
        await refused({ labels: ['is_fraud', 'is_fraud'] }, /twice/);
        await refused({ trainingHelperColumns: ['is_fraud'] }, /both a label and a helper/);
        await refused({ inferenceHelperColumns: ['note'] }, /both/);
        await refused({ query: spec.query.limit(5) }, /limit/);
        await refused({ query: spec.query.asOf(new Date()) }, /time travel/);
        await refused({ query: 'select *' as never }, /must be a Query/);
        await refused({ transformationFunctions: [{ name: 'min_max', features: ['nope'] }] }, /nope is not a column/);
        await refused({ transformationFunctions: [{ name: '', features: ['amount'] }] }, /needs a name/);
        await refused({ transformationFunctions: [{ name: 'scale', features: [] }] }, /at least one feature/);
        const fv = await fs.createFeatureView({ ...spec, transformationFunctions: [{ name: 'minMaxScaler', version: 1, features: ['amount'] }, { name: 'labelEncoder', features: ['merchant'] }] });
        assert.deepEqual((await fs.getFeatureView('fraud')).transformationFunctions, [
          { name: 'minMaxScaler', version: 1, features: ['amount'] },
          { name: 'labelEncoder', features: ['merchant'] },
        ]);
        assert.equal(fv.version, 1);
      }));

    test('a feature group that a view reads cannot be deleted until the view is', () =>
      withHumle(kind, async (humle) => {
        const fs = (await humle.createProject('fraud')).featureStore();
        const spec = await fraudViewSpec(fs);
        const fv = await fs.createFeatureView(spec);
        await fs.createFeatureView({ name: 'fraud_small', query: (await fs.getFeatureGroup('profiles')).selectAll() });
        const profiles = await fs.getFeatureGroup('profiles');
        await assert.rejects(profiles.delete(), (e: FeatureGroupInUseError) => e instanceof FeatureGroupInUseError && e.details.featureViews!.toString() === 'fraud:1,fraud_small:1' && e.code === 'FEATURE_GROUP_IN_USE');
        assert.equal((await profiles.read()).length, 4, 'nothing was deleted');
        await fv.delete();
        await (await fs.getFeatureView('fraud_small')).delete();
        await profiles.delete();
        await assert.rejects(fs.getFeatureGroup('profiles'));
      }));

    test('training data: labels apart, features as of each label time, [start, end), extra filter, keys and helpers on request, Arrow', () =>
      withHumle(kind, async (humle) => {
        const fs = (await humle.createProject('fraud')).featureStore();
        const fv = await fs.createFeatureView(await fraudViewSpec(fs));
        const all = await fv.trainingData();
        assert.deepEqual(Object.keys(all.features[0]!), ['amount', 'credit_limit'], 'keys, event time, helpers and labels are not features by default');
        assert.equal(all.features.length, 10);
        assert.deepEqual(all.features.map((r) => r.amount), [10, 20, 30, 40, 50, 60, 70, 80, 90, 100], 'in event time order');
        assert.deepEqual(all.features.map((r) => r.credit_limit), Array.from({ length: 10 }, (_, i) => expectedLimit(i + 1)));
        assert.deepEqual(all.labels!.map((r) => r.is_fraud), Array.from({ length: 10 }, (_, i) => i % 4 === 3));

        const window = await fv.trainingData({ startTime: day(3, 12), endTime: '2026-01-06T12:00:00Z' });
        assert.deepEqual(window.features.map((r) => r.amount), [30, 40, 50], 'start inclusive, end exclusive');
        const transactions = await fs.getFeatureGroup('transactions');
        const profiles = await fs.getFeatureGroup('profiles');
        const filtered = await fv.trainingData({ extraFilter: profiles.feature('credit_limit').ge(200).and(transactions.feature('amount').lt(90)) });
        assert.deepEqual(filtered.features.map((r) => r.amount), [20, 40, 60, 80]);
        assert.throws(() => transactions.feature('amount').lt('ninety'), InvalidFilterError);
        await assert.rejects(fv.trainingData({ extraFilter: 'amount < 5' as never }), InvalidFilterError);

        const wide = await fv.trainingData({ primaryKey: true, eventTime: true, trainingHelperColumns: true, exactTimestamps: true, endTime: day(2) });
        assert.deepEqual(wide.features, [{ tid: 1, ts: day(1, 12).getTime() * 1000, cc_num: 1, amount: 10, note: 'n1', credit_limit: 100 }]);
        assert.deepEqual(wide.labels, [{ is_fraud: false }]);

        const arrow = await fv.trainingData({ dataframe: 'arrow' });
        assert.equal(arrow.features.numRows, 10);
        assert.deepEqual(arrow.features.schema.fields.map((f) => `${f.name}:${f.type}`), ['amount:Float64', 'credit_limit:Int32']);
        assert.deepEqual(arrow.labels!.getChild('is_fraud')!.toArray().slice(0, 4), [false, false, false, true]);
        // Arrow reads go from DuckDB to Arrow column by column; each split part holds what the row read holds.
        const splitOptions = { testSize: 0.3, validationSize: 0.2, seed: 7, primaryKey: true, eventTime: true, exactTimestamps: true } as const;
        const splitRows = await fv.trainValidationTestSplit(splitOptions);
        const splitTables = await fv.trainValidationTestSplit({ ...splitOptions, dataframe: 'arrow' });
        for (const part of ['train', 'validation', 'test'] as const) {
          const table = splitTables[part].features;
          const asRows = Array.from({ length: table.numRows }, (_, r) =>
            // Arrow JS gives 64-bit integers as bigints and microsecond timestamps in milliseconds.
            Object.fromEntries(table.schema.fields.map((f) => [f.name, f.name === 'ts' ? table.getChild(f.name)!.get(r) * 1000 : typeof table.getChild(f.name)!.get(r) === 'bigint' ? Number(table.getChild(f.name)!.get(r)) : table.getChild(f.name)!.get(r)])),
          );
          assert.deepEqual(asRows, splitRows[part].features, part);
          assert.deepEqual(splitTables[part].labels!.getChild('is_fraud')!.toArray().map(Boolean), splitRows[part].labels!.map((r) => r.is_fraud), part);
        }

        const batch = await fv.getBatchData({ startTime: day(8) });
        assert.deepEqual(batch, [
          { amount: 80, credit_limit: 250 },
          { amount: 90, credit_limit: 150 },
          { amount: 100, credit_limit: 250 },
        ]);
        assert.deepEqual(Object.keys((await fv.getBatchData({ inferenceHelperColumns: true, primaryKey: true }))[0]!), ['tid', 'cc_num', 'amount', 'merchant', 'credit_limit']);
        assert.equal((await fv.getBatchData({ dataframe: 'arrow' })).numRows, 10);

        await assert.rejects(fv.trainingData({ startTime: day(5), endTime: day(5) }), InvalidArgumentError);
        await assert.rejects(fv.trainingData({ startTime: 'yesterday' }), InvalidArgumentError);
        const unlabelled = await fs.createFeatureView({ name: 'profiles_only', query: profiles.selectAll() });
        assert.equal((await unlabelled.trainingData({ primaryKey: true })).labels, null);
      }));

    test('a spine replaces the left group: its rows and times drive the joins; rows, Arrow, checked like an insert', () =>
      withHumle(kind, async (humle) => {
        const fs = (await humle.createProject('fraud')).featureStore();
        const fv = await fs.createFeatureView(await fraudViewSpec(fs));
        const spine = [
          { tid: 100, cc_num: 1, ts: day(3), is_fraud: true, unrelated: 'ignored' },
          { tid: 101, cc_num: 2, ts: day(20), amount: 5 },
          { tid: 102, cc_num: 3, ts: day(21) },
        ];
        const data = await fv.trainingData({ spine, primaryKey: true });
        assert.deepEqual(data.features, [
          { tid: 100, cc_num: 1, amount: null, credit_limit: 100 },
          { tid: 101, cc_num: 2, amount: 5, credit_limit: 250 },
          { tid: 102, cc_num: 3, amount: null, credit_limit: null },
        ]);
        assert.deepEqual(data.labels, [{ is_fraud: true }, { is_fraud: null }, { is_fraud: null }]);

        const table = tableFromArrays({ tid: BigInt64Array.from([1n, 2n]), cc_num: BigInt64Array.from([1n, 1n]), ts: [day(2), day(5)] });
        assert.deepEqual(await fv.getBatchData({ spine: table }), [
          { amount: null, credit_limit: 100 },
          { amount: null, credit_limit: 150 },
        ]);

        await assert.rejects(fv.trainingData({ spine: [{ tid: 1, cc_num: 1 }] }), (e: InvalidFeatureDataError) => e instanceof InvalidFeatureDataError && e.details.column === 'ts');
        await assert.rejects(fv.trainingData({ spine: [{ tid: 1, cc_num: 'one', ts: day(1) }] }), (e: InvalidFeatureDataError) => e.details.column === 'cc_num' && e.details.row === 0);
        assert.deepEqual((await fv.trainingData({ spine: [] })).features, []);
      }));

    test('splits: random with exact sizes, deterministic with a seed; three ways; by event time ranges', () =>
      withHumle(kind, async (humle) => {
        const fs = (await humle.createProject('fraud')).featureStore();
        const fv = await fs.createFeatureView(await fraudViewSpec(fs));
        const all = await fv.trainingData({ primaryKey: true });
        const tids = (rows: Record<string, unknown>[]) => rows.map((r) => r.tid as number);

        const split = await fv.trainTestSplit({ testSize: 0.3, seed: 7, primaryKey: true });
        assert.equal(split.test.features.length, 3);
        assert.equal(split.train.features.length, 7);
        assert.deepEqual([...tids(split.train.features), ...tids(split.test.features)].sort((a, b) => a - b), tids(all.features).sort((a, b) => a - b));
        // Labels stay aligned with their features.
        for (const part of [split.train, split.test]) part.features.forEach((row, i) => assert.equal(part.labels![i]!.is_fraud, (row.tid as number) % 4 === 0));
        assert.deepEqual(await fv.trainTestSplit({ testSize: 0.3, seed: 7, primaryKey: true }), split, 'the same seed, the same split');
        const seeds = await Promise.all([1, 2, 3, 4, 5].map((seed) => fv.trainTestSplit({ testSize: 0.3, seed, primaryKey: true })));
        assert.ok(new Set(seeds.map((s) => JSON.stringify(tids(s.test.features)))).size > 1, 'other seeds, other splits');

        const three = await fv.trainValidationTestSplit({ validationSize: 0.2, testSize: 0.2, seed: 1, primaryKey: true });
        assert.deepEqual([three.train.features.length, three.validation.features.length, three.test.features.length], [6, 2, 2]);
        assert.equal(new Set([...tids(three.train.features), ...tids(three.validation.features), ...tids(three.test.features)]).size, 10);

        const byTime = await fv.trainTestSplit({ trainEnd: day(7), testStart: day(8), primaryKey: true });
        assert.deepEqual(tids(byTime.train.features), [1, 2, 3, 4, 5, 6]);
        assert.deepEqual(tids(byTime.test.features), [8, 9, 10]);
        const timed = await fv.trainValidationTestSplit({ trainStart: day(2), trainEnd: day(5), validationStart: day(5), validationEnd: day(7), testStart: day(9), dataframe: 'arrow', primaryKey: true });
        assert.deepEqual([timed.train.features.numRows, timed.validation.features.numRows, timed.test.features.numRows], [3, 2, 2]);

        await assert.rejects(fv.trainTestSplit({ testSize: 1.5 }), InvalidArgumentError);
        await assert.rejects(fv.trainTestSplit({ testSize: 0.2, seed: -1 }), InvalidArgumentError);
        await assert.rejects(fv.trainValidationTestSplit({ testSize: 0.5, validationSize: 0.5 }), /leave rows for training/);
        await assert.rejects(fv.trainTestSplit({ trainEnd: day(5), testStart: day(4) }), /overlap/);
        await assert.rejects(fv.trainTestSplit({ trainStart: day(5) }), /overlap/);
        await assert.rejects(fv.trainTestSplit({} as never), /give testSize/);
        await assert.rejects(fv.trainTestSplit({ testSize: 0.2, testStart: day(1) } as never), /not both/);
        const merchants = await fs.createFeatureGroup({ name: 'merchants', primaryKey: ['merchant'], features: [{ name: 'merchant', type: 'string' }, { name: 'category', type: 'string' }] });
        await merchants.insert([{ merchant: 'm0', category: 'food' }]);
        const timeless = await fs.createFeatureView({ name: 'merchant_view', query: merchants.selectAll() });
        await assert.rejects(timeless.trainTestSplit({ trainEnd: day(2), testStart: day(2) }), /has none/);
        assert.equal((await timeless.trainTestSplit({ testSize: 0.5, seed: 3 })).test.features.length, 1);
      }));
  });
}
