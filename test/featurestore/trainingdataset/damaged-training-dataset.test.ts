import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DataFileDamagedError } from '../../../src/featurestore/offline/offline-store-errors.js';
import { testEngines } from '../../support/engines.js';
import { withHumle } from '../../support/humle-fixture.js';
import { withServer } from '../../support/server-fixture.js';

const ordersSpec = {
  name: 'orders',
  version: 1,
  primaryKey: ['id'],
  features: [
    { name: 'id', type: 'bigint' },
    { name: 'amount', type: 'double' },
  ],
};
const rows = Array.from({ length: 10 }, (_, i) => ({ id: i, amount: i * 1.5 }));

for (const kind of testEngines()) {
  describe(`damaged training dataset files [${kind}]`, () => {
    for (const format of ['parquet', 'csv', 'json'] as const) {
      for (const damage of ['truncated', 'overwritten'] as const) {
        test(`a ${format} training dataset file ${damage} through humle fs: reading the dataset back fails with DataFileDamagedError naming it`, () =>
          withHumle(kind, async (humle) => {
            const store = (await humle.createProject('shop')).featureStore();
            const fg = await store.createFeatureGroup(ordersSpec);
            await fg.insert(rows);
            const view = await store.createFeatureView({ name: 'orders_view', query: fg.selectAll(), labels: [] });
            const info = await view.createTrainingData({ format });
            const file = info.splits[0]!.files[0]!;
            const dataDir = humle.fs.blockStore.localPath(0)!.split('/blocks/')[0]!;
            if (damage === 'truncated') await humle.fs.truncate(file, 20);
            else await humle.fs.writeFile(file, 'not,the,dataset\n', { overwrite: true });
            await assert.rejects(view.getTrainingData(info.version), (error: unknown) => {
              assert.ok(error instanceof DataFileDamagedError, String(error));
              assert.equal(error.details.path, file);
              assert.ok(error.message.includes(file), error.message);
              assert.ok(!JSON.stringify(error.toJSON()).includes(dataDir), error.message);
              return true;
            });
          }));
      }
    }

    test('over REST, reading a damaged training dataset answers 409 FEATURE_DATA_FILE_DAMAGED naming its humle path', () =>
      withServer(kind, async (world) => {
        const P = '/api/v1/projects/alpha';
        assert.equal((await world.call('POST', `${P}/featuregroups`, { key: world.keys.alice, json: ordersSpec })).status, 201);
        assert.ok((await world.call('POST', `${P}/featuregroups/orders/1/rows`, { key: world.keys.alice, json: rows })).status < 300);
        const view = await world.call('POST', `${P}/featureviews`, { key: world.keys.alice, json: { name: 'orders_view', query: { featureGroup: { name: 'orders' } }, labels: [] } });
        assert.equal(view.status, 201, await view.clone().text());
        const VIEW = `${P}/featureviews/orders_view/1`;
        const dataset = await world.call('POST', `${VIEW}/trainingdatasets`, { key: world.keys.alice, json: { format: 'parquet' } });
        assert.equal(dataset.status, 201, await dataset.clone().text());
        const file = ((await dataset.json()) as { splits: { files: string[] }[] }).splits[0]!.files[0]!;
        await world.humle.fs.truncate(file, 20);
        const dataDir = world.humle.fs.blockStore.localPath(0)!.split('/blocks/')[0]!;
        for (const format of ['json', 'csv', 'arrow', 'parquet']) {
          const answer = await world.call('GET', `${VIEW}/trainingdatasets/1/rows?format=${format}`, { key: world.keys.bob });
          const text = await answer.text();
          assert.equal(answer.status, 409, `${format}: ${text}`);
          const body = JSON.parse(text) as { code: string; details: { path: string } };
          assert.equal(body.code, 'FEATURE_DATA_FILE_DAMAGED', format);
          assert.equal(body.details.path, file, format);
          assert.ok(!text.includes(dataDir), `${format}: no server path in ${text}`);
        }
      }));
  });
}
