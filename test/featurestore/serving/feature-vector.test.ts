import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestStore, testEngines } from '../../support/engines.js';
import { withHumle } from '../../support/humle-fixture.js';
import { Humle } from '../../../src/humle.js';
import {
  FeatureVectorMissingError,
  FeatureViewNotServableError,
  InvalidServingKeyError,
  MissingServingKeyError,
  UnknownServingKeyError,
} from '../../../src/errors/featurestore-errors.js';
import { InvalidArgumentError } from '../../../src/errors/humle-error.js';
import type { FeatureStore } from '../../../src/featurestore/feature-store.js';
import type { FeatureView } from '../../../src/featurestore/featureview/feature-view.js';

const day = (d: number, hour = 0) => new Date(Date.UTC(2026, 0, d, hour));

/**
 * Three online groups: transactions (tid; the label is_fraud, the inference helper category) joined on cc_num to
 * card profiles, and with prefix m_ on merchant_id to merchants. Profiles and merchants change only before the first
 * transaction, so every transaction's point-in-time row holds the latest values, as the online store does. Card 3
 * has no profile; merchant 9 no row.
 */
async function servingView(fs: FeatureStore): Promise<FeatureView> {
  const transactions = await fs.createFeatureGroup({
    name: 'transactions',
    primaryKey: ['tid'],
    eventTime: 'ts',
    onlineEnabled: true,
    features: [
      { name: 'tid', type: 'bigint' },
      { name: 'ts', type: 'timestamp' },
      { name: 'cc_num', type: 'bigint' },
      { name: 'merchant_id', type: 'int' },
      { name: 'amount', type: 'double' },
      { name: 'category', type: 'string' },
      { name: 'is_fraud', type: 'boolean' },
    ],
  });
  await transactions.insert(
    Array.from({ length: 12 }, (_, i) => ({
      tid: i + 1,
      ts: day(10 + i, 12),
      cc_num: (i % 3) + 1,
      merchant_id: i === 11 ? 9 : (i % 2) + 1,
      amount: (i + 1) * 1.5,
      category: `c${i % 4}`,
      is_fraud: i % 5 === 0,
    })),
  );
  const profiles = await fs.createFeatureGroup({
    name: 'profiles',
    primaryKey: ['cc_num'],
    eventTime: 'ts',
    onlineEnabled: true,
    features: [
      { name: 'cc_num', type: 'bigint' },
      { name: 'ts', type: 'timestamp' },
      { name: 'credit_limit', type: 'int' },
      { name: 'segment', type: 'string' },
    ],
  });
  await profiles.insert([
    { cc_num: 1, ts: day(1), credit_limit: 100, segment: 'old' },
    { cc_num: 2, ts: day(1), credit_limit: 200, segment: 'gold' },
  ]);
  await profiles.insert([{ cc_num: 1, ts: day(5), credit_limit: 150, segment: 'silver' }]);
  const merchants = await fs.createFeatureGroup({
    name: 'merchants',
    primaryKey: ['merchant_id'],
    eventTime: 'updated',
    onlineEnabled: true,
    features: [
      { name: 'merchant_id', type: 'int' },
      { name: 'updated', type: 'timestamp' },
      { name: 'risk', type: 'double' },
    ],
  });
  await merchants.insert([
    { merchant_id: 1, updated: day(2), risk: 0.25 },
    { merchant_id: 2, updated: day(2), risk: 0.75 },
  ]);
  return fs.createFeatureView({
    name: 'scoring',
    query: transactions
      .select(['tid', 'ts', 'cc_num', 'amount', 'category', 'is_fraud'])
      .join(profiles.select(['credit_limit', 'segment']))
      .join(merchants.select(['risk']), { on: ['merchant_id'], prefix: 'm_' }),
    labels: ['is_fraud'],
    inferenceHelperColumns: ['category'],
  });
}

const VECTOR = ['tid', 'ts', 'cc_num', 'amount', 'credit_limit', 'segment', 'm_risk'];

for (const kind of testEngines()) {
  describe(`feature vectors [${kind}]`, () => {
    test('a vector equals the training data row of the same key at its latest time: view order, no labels or helper columns', () =>
      withHumle(kind, async (humle) => {
        const fs = (await humle.createProject('serving')).featureStore();
        const fv = await servingView(fs);
        await fv.initServing({ trainingDatasetVersion: 1 });
        const training = (await fv.trainingData({ primaryKey: true, eventTime: true })).features;
        assert.equal(training.length, 12);
        for (const row of training.filter((r) => r.tid !== 12 && r.cc_num !== 3)) {
          const vector = await fv.getFeatureVector({ tid: row.tid as number }, { returnType: 'object' });
          assert.deepEqual(vector, row, `tid ${String(row.tid)}`);
          assert.deepEqual(Object.keys(vector), VECTOR);
          assert.deepEqual(await fv.getFeatureVector({ tid: row.tid as number }), VECTOR.map((n) => row[n]), 'a list by default');
        }
        const t4 = await fv.getFeatureVector({ tid: 4 });
        assert.deepEqual(t4, [4, day(13, 12), 1, 6, 150, 'silver', 0.75], 'the latest profile of card 1, merchant 2');
        assert.deepEqual((await fv.getFeatureVector({ tid: 4 }, { exactTimestamps: true }))[1], day(13, 12).getTime() * 1000);
        assert.deepEqual(await fv.getFeatureVectorWithStatus({ tid: 4 }), { vector: t4, status: 'COMPLETE' });
        assert.deepEqual(await fv.getInferenceHelper({ tid: 4 }), { category: 'c3' });
        assert.deepEqual(await fv.getInferenceHelpers([{ tid: 2 }, { tid: 1 }], { returnType: 'list' }), [['c1'], ['c0']]);
      }));

    test('missing rows: refused naming the key and groups, or nulls with status MISSING; passed features stand in', () =>
      withHumle(kind, async (humle) => {
        const fv = await servingView((await humle.createProject('serving')).featureStore());
        await assert.rejects(
          fv.getFeatureVector({ tid: 99 }),
          (e: FeatureVectorMissingError) =>
            e instanceof FeatureVectorMissingError &&
            /99/.test(e.message) &&
            JSON.stringify(e.details.featureGroups) === JSON.stringify(['transactions', 'profiles', 'merchants']) &&
            (e.details.keys as Record<string, unknown>).tid === 99,
        );
        assert.deepEqual(await fv.getFeatureVectorWithStatus({ tid: 99 }, { allowMissing: true }), {
          vector: [99, null, null, null, null, null, null],
          status: 'MISSING',
        });
        // Card 3 has no profile: only the profile's features are missing.
        await assert.rejects(fv.getFeatureVector({ tid: 3 }), (e: FeatureVectorMissingError) => JSON.stringify(e.details.featureGroups) === '["profiles"]');
        assert.deepEqual(await fv.getFeatureVector({ tid: 3 }, { allowMissing: true }), [3, day(12, 12), 3, 4.5, null, null, 0.25]);
        const passed = { credit_limit: 10, segment: 'new' };
        assert.deepEqual(await fv.getFeatureVectorWithStatus({ tid: 3 }, { passedFeatures: passed }), {
          vector: [3, day(12, 12), 3, 4.5, 10, 'new', 0.25],
          status: 'COMPLETE',
        });
        // Passing part of a missing group's features leaves it missing.
        await assert.rejects(fv.getFeatureVector({ tid: 3 }, { passedFeatures: { credit_limit: 10 } }), FeatureVectorMissingError);
        // Passed features replace looked-up ones; names outside the vector are ignored (request parameters).
        assert.deepEqual(await fv.getFeatureVector({ tid: 4 }, { passedFeatures: { amount: -1, m_risk: null, request_id: 'r1' }, returnType: 'object' }), {
          tid: 4,
          ts: day(13, 12),
          cc_num: 1,
          amount: -1,
          credit_limit: 150,
          segment: 'silver',
          m_risk: null,
        });
        assert.deepEqual(await fv.getFeatureVector({ tid: 12 }, { allowMissing: true }), [12, day(21, 12), 3, 18, null, null, null], 'merchant 9 has no row either');
        assert.deepEqual(await fv.getInferenceHelper({ tid: 99 }, { allowMissing: true }), { category: null });
        await assert.rejects(fv.getInferenceHelper({ tid: 99 }), FeatureVectorMissingError);
      }));

    test('batches keep the entries order with duplicates and missing keys, across statements of 256 entries', () =>
      withHumle(kind, async (humle) => {
        const fv = await servingView((await humle.createProject('serving')).featureStore());
        const tids = [5, 1, 5, 99, 2, 12, 1];
        const singles = await Promise.all(tids.map((tid) => fv.getFeatureVectorWithStatus({ tid }, { allowMissing: true })));
        assert.deepEqual(await fv.getFeatureVectorsWithStatus(tids.map((tid) => ({ tid })), { allowMissing: true }), singles);
        assert.deepEqual(singles.map((s) => s.status), ['COMPLETE', 'COMPLETE', 'COMPLETE', 'MISSING', 'COMPLETE', 'MISSING', 'COMPLETE']);
        const many = Array.from({ length: 600 }, (_, i) => ({ tid: (i * 7) % 15 }));
        const vectors = await fv.getFeatureVectors(many, { allowMissing: true, returnType: 'object' });
        assert.equal(vectors.length, 600);
        vectors.forEach((v, i) => assert.equal(v.tid, many[i]!.tid));
        for (const i of [0, 255, 256, 257, 511, 599]) assert.deepEqual(vectors[i], await fv.getFeatureVector(many[i]!, { allowMissing: true, returnType: 'object' }));
        await assert.rejects(fv.getFeatureVectors(tids.map((tid) => ({ tid }))), (e: FeatureVectorMissingError) => e.details.entry === 3);
        assert.deepEqual(
          await fv.getFeatureVectors([{ tid: 3 }, { tid: 4 }], { passedFeatures: [{ credit_limit: 1, segment: 's' }, undefined] }),
          [
            [3, day(12, 12), 3, 4.5, 1, 's', 0.25],
            [4, day(13, 12), 1, 6, 150, 'silver', 0.75],
          ],
        );
        assert.deepEqual(await fv.getFeatureVectors([]), []);
        await assert.rejects(fv.getFeatureVectors([{ tid: 1 }], { passedFeatures: [] }), InvalidArgumentError);
      }));

    test('serving keys: required keys with prefixes, keys a join derives may be given, bad entries are typed errors', () =>
      withHumle(kind, async (humle) => {
        const fs = (await humle.createProject('serving')).featureStore();
        const fv = await servingView(fs);
        // cc_num and m_merchant_id come from the transaction row; given, they look up that key instead (HSFS).
        assert.deepEqual(await fv.getFeatureVector({ tid: 4, cc_num: 2, m_merchant_id: 1 }), [4, day(13, 12), 1, 6, 200, 'gold', 0.25]);
        const refused = (entry: unknown, type: Function, details: Record<string, unknown>) =>
          assert.rejects(fv.getFeatureVector(entry as Record<string, unknown>), (e: Error & { details: Record<string, unknown> }) => {
            assert.ok(e instanceof type, `${e.name}: ${e.message}`);
            for (const [k, v] of Object.entries(details)) assert.deepEqual(e.details[k], v, k);
            return true;
          });
        await refused({ tid: 1, merchant_id: 1 }, UnknownServingKeyError, { key: 'merchant_id', servingKeys: ['tid', 'cc_num', 'm_merchant_id'] });
        await refused({ cc_num: 1 }, MissingServingKeyError, { key: 'tid', entry: 0 });
        await refused({ tid: null }, MissingServingKeyError, { key: 'tid' });
        await refused({ tid: 'one' }, InvalidServingKeyError, { key: 'tid' });
        await refused({ tid: 1, m_merchant_id: 2 ** 40 }, InvalidServingKeyError, { key: 'm_merchant_id' });
        await refused([1], InvalidServingKeyError, { entry: 0 });
        await assert.rejects(fv.getFeatureVectors([{ tid: 1 }, { tid: 2, x: 1 }]), (e: UnknownServingKeyError) => e instanceof UnknownServingKeyError && e.details.entry === 1);
        assert.deepEqual(await fv.getFeatureVector({ tid: '4' }), await fv.getFeatureVector({ tid: 4 }), 'an integer string is a bigint, as an insert takes it');

        // A group joined on part of its key: the rest is a required serving key, under the join's prefix.
        const rates = await fs.createFeatureGroup({
          name: 'rates',
          primaryKey: ['cc_num', 'currency'],
          onlineEnabled: true,
          features: [
            { name: 'cc_num', type: 'bigint' },
            { name: 'currency', type: 'string' },
            { name: 'rate', type: 'double' },
          ],
        });
        await rates.insert([
          { cc_num: 1, currency: 'EUR', rate: 1.1 },
          { cc_num: 1, currency: 'SEK', rate: 11 },
          { cc_num: 2, currency: 'EUR', rate: 2.2 },
        ]);
        const transactions = await fs.getFeatureGroup('transactions');
        const rated = await fs.createFeatureView({
          name: 'rated',
          query: transactions.select(['tid', 'amount']).join(rates.select(['currency', 'rate']), { on: ['cc_num'], prefix: 'r_' }),
        });
        assert.deepEqual(await rated.getFeatureVector({ tid: 4, r_currency: 'SEK' }, { returnType: 'object' }), { tid: 4, amount: 6, r_currency: 'SEK', r_rate: 11 });
        assert.deepEqual(await rated.getFeatureVector({ tid: 5, r_currency: 'EUR' }), [5, 7.5, 'EUR', 2.2]);
        await assert.rejects(rated.getFeatureVector({ tid: 4 }), (e: MissingServingKeyError) => e instanceof MissingServingKeyError && e.details.key === 'r_currency');
        assert.deepEqual(await rated.getFeatureVectorWithStatus({ tid: 4, r_currency: 'USD' }, { allowMissing: true }), { vector: [4, 6, 'USD', null], status: 'MISSING' });

        const offline = await fs.createFeatureGroup({ name: 'offline_only', primaryKey: ['tid'], features: [{ name: 'tid', type: 'bigint' }, { name: 'x', type: 'int' }] });
        const notServable = await fs.createFeatureView({ name: 'offline_view', query: transactions.select(['tid', 'amount']).join(offline.select(['x'])) });
        await assert.rejects(notServable.initServing(), (e: FeatureViewNotServableError) => e instanceof FeatureViewNotServableError && e.details.featureGroup === 'offline_only');
        await assert.rejects(notServable.getFeatureVector({ tid: 1 }), FeatureViewNotServableError);
      }));

    test('64-bit keys and features beyond 2^53 come back exact', () =>
      withHumle(kind, async (humle) => {
        const fs = (await humle.createProject('serving')).featureStore();
        const big = await fs.createFeatureGroup({
          name: 'big',
          primaryKey: ['id'],
          onlineEnabled: true,
          features: [
            { name: 'id', type: 'bigint' },
            { name: 'n', type: 'bigint' },
            { name: 'small', type: 'bigint' },
          ],
        });
        await big.insert([{ id: 2n ** 62n, n: 2n ** 63n - 1n, small: 5 }, { id: -(2n ** 60n) - 1n, n: -(2n ** 63n), small: -3 }]);
        const fv = await fs.createFeatureView({ name: 'big_view', query: big.selectAll() });
        assert.deepEqual(await fv.getFeatureVector({ id: 2n ** 62n }), [2n ** 62n, 2n ** 63n - 1n, 5]);
        assert.deepEqual(await fv.getFeatureVectors([{ id: `${-(2n ** 60n) - 1n}` }, { id: 2n ** 62n }]), [
          [-(2n ** 60n) - 1n, -(2n ** 63n), -3],
          [2n ** 62n, 2n ** 63n - 1n, 5],
        ]);
      }));

    test('vectors follow online updates; lookups on worker threads answer as the calling thread does', async () => {
      const store = await createTestStore(kind);
      try {
        const entries = Array.from({ length: 40 }, (_, i) => ({ tid: (i % 14) + 1 }));
        const answers: unknown[] = [];
        for (const servingWorkers of [0, 2]) {
          const humle = await Humle.open({ dataDir: store.dataDir, engine: store.engine, user: 'alice', servingWorkers });
          try {
            const fs = servingWorkers === 0 ? (await humle.createProject('serving')).featureStore() : (await humle.project('serving')).featureStore();
            const fv = servingWorkers === 0 ? await servingView(fs) : await fs.getFeatureView('scoring', 1);
            // Many concurrent callers in one turn: with workers, most of them are answered on another thread.
            const concurrent = await Promise.all(entries.map((e) => fv.getFeatureVectorWithStatus(e, { allowMissing: true, returnType: 'object' })));
            const batch = await fv.getFeatureVectorsWithStatus(entries, { allowMissing: true, returnType: 'object' });
            assert.deepEqual(batch, concurrent);
            answers.push(concurrent);
            if (servingWorkers === 2) {
              const profiles = await fs.getFeatureGroup('profiles');
              await profiles.insert([{ cc_num: 3, ts: day(6), credit_limit: 300, segment: 'new' }]);
              const after = await Promise.all(entries.map((e) => fv.getFeatureVector(e, { allowMissing: true, returnType: 'object' })));
              assert.deepEqual(after[2], { tid: 3, ts: day(12, 12), cc_num: 3, amount: 4.5, credit_limit: 300, segment: 'new', m_risk: 0.25 }, 'a new row is served at once');
            }
          } finally {
            await humle.close();
          }
        }
        assert.deepEqual(answers[1], answers[0]);
      } finally {
        await store.dispose();
      }
    });
  });
}
