import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { testEngines } from '../../support/engines.js';
import { withHumle } from '../../support/humle-fixture.js';

// Specification: serving applies the view's transformations and on-demand features with the statistics of the
// training dataset it was initialized for, so a served vector equals the transformed training row of the same key.

const day = (d: number) => new Date(Date.UTC(2026, 0, d, 12));

for (const kind of testEngines()) {
  describe(`transformed feature vectors [${kind}]`, () => {
    test('a served vector equals the transformed training row of the same key, with the same statistics', () =>
      withHumle(kind, async (humle) => {
        const fs = (await humle.createProject('shop')).featureStore();
        const orders = await fs.createFeatureGroup({
          name: 'orders',
          primaryKey: ['oid'],
          eventTime: 'ts',
          onlineEnabled: true,
          features: [
            { name: 'oid', type: 'bigint' },
            { name: 'ts', type: 'timestamp' },
            { name: 'amount', type: 'double' },
            { name: 'category', type: 'string' },
            { name: 'returned', type: 'boolean' },
          ],
        });
        await orders.insert(
          Array.from({ length: 12 }, (_, i) => ({ oid: i + 1, ts: day(i + 1), amount: (i + 1) * 10, category: ['books', 'games', 'garden'][i % 3]!, returned: i % 4 === 0 })),
        );
        fs.registerTransformationFunction('doubled', ([a]) => (a === null ? null : Number(a) * 2));
        const view = await fs.createFeatureView({
          name: 'orders_view',
          query: orders.select(['oid', 'ts', 'amount', 'category', 'returned']),
          labels: ['returned'],
          transformationFunctions: [
            { name: 'minMaxScaler', features: ['amount'] },
            { name: 'oneHotEncoder', features: ['category'] },
          ],
          onDemandFeatures: [{ name: 'amount_doubled', function: 'doubled', features: ['amount'] }],
        });
        const dataset = await view.createTrainingData({ format: 'parquet' });
        // In memory, the training data is fitted on the same rows the dataset was: the same statistics.
        const training = await view.trainingData({ primaryKey: true });
        await view.initServing({ trainingDatasetVersion: dataset.version });
        // New rows after the dataset was made are scaled with the dataset's statistics, not their own.
        await orders.insert([{ oid: 13, ts: day(13), amount: 500, category: 'toys', returned: false }]);

        for (let i = 0; i < training.features.length; i++) {
          const row = training.features[i] as Record<string, unknown>;
          const served = (await view.getFeatureVector({ oid: row.oid }, { returnType: 'object' })) as Record<string, unknown>;
          for (const [name, value] of Object.entries(row)) {
            if (name === 'ts') continue;
            assert.deepEqual(served[name], value, `oid ${row.oid}: ${name}`);
          }
          assert.equal(served.amount_doubled, row.amount_doubled);
        }
        const late = (await view.getFeatureVector({ oid: 13 }, { returnType: 'object' })) as Record<string, unknown>;
        assert.equal(late.min_max_scaler_amount, (500 - 10) / (120 - 10), 'scaled with the training statistics');
        assert.ok(Object.keys(late).some((k) => k.startsWith('one_hot_encoder_category_')));
        assert.ok(Object.entries(late).filter(([k]) => k.startsWith('one_hot_encoder_category_')).every(([, v]) => v === false), 'an unseen category sets no column');
        // Request parameters reach the on-demand features through passedFeatures.
        const passed = (await view.getFeatureVector({ oid: 2 }, { returnType: 'object', passedFeatures: { amount: 60 } })) as Record<string, unknown>;
        assert.equal(passed.amount_doubled, 120);
      }));
  });
}
