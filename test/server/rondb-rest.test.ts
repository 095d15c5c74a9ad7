import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FeatureView } from '../../src/featurestore/featureview/feature-view.js';
import type { Humle } from '../../src/humle.js';
import { testEngines } from '../support/engines.js';
import { withServer, type ServerWorld } from '../support/server-fixture.js';

/**
 * Project alpha (alice owner, bob data owner, carol data scientist): `orders` keyed by order_id, joined on customer_id
 * to `customers` and, with prefix r_, on (customer_id, currency) to `rates`, whose currency the entry must give.
 * View `orders_fv` 1 has the label `returned` and the inference helper `channel`; view `plain` 1 has neither.
 * Customer 3 has no row; rates exist for customer 1 in EUR only.
 */
async function world(humle: Humle): Promise<{ orders: FeatureView; plain: FeatureView }> {
  const fs = (await humle.project('alpha')).featureStore();
  const orders = await fs.createFeatureGroup({
    name: 'orders',
    primaryKey: ['order_id'],
    eventTime: 'ts',
    onlineEnabled: true,
    features: [
      { name: 'order_id', type: 'bigint' },
      { name: 'ts', type: 'timestamp' },
      { name: 'customer_id', type: 'bigint' },
      { name: 'amount', type: 'decimal(10,2)' },
      { name: 'channel', type: 'string' },
      { name: 'returned', type: 'boolean' },
      { name: 'day', type: 'date' },
      { name: 'tags', type: 'array<string>' },
      { name: 'blob', type: 'binary' },
      { name: 'big', type: 'bigint' },
    ],
  });
  await orders.insert(
    [1, 2, 3, 4].map((id) => ({
      order_id: id,
      ts: new Date(Date.UTC(2026, 0, id, 10, 30, 0, 250)),
      customer_id: id === 4 ? 3 : ((id - 1) % 2) + 1,
      amount: `${id * 10}.50`,
      channel: id % 2 === 0 ? 'web' : 'shop',
      returned: id === 2,
      day: `2026-01-0${id}`,
      tags: ['a', `t${id}`],
      blob: Buffer.from([id, 255]),
      big: id === 1 ? 9007199254740993n : id,
    })),
  );
  const customers = await fs.createFeatureGroup({
    name: 'customers',
    primaryKey: ['customer_id'],
    eventTime: 'ts',
    onlineEnabled: true,
    features: [
      { name: 'customer_id', type: 'bigint' },
      { name: 'ts', type: 'timestamp' },
      { name: 'age', type: 'int' },
      { name: 'score', type: 'double' },
      { name: 'vip', type: 'boolean' },
    ],
  });
  await customers.insert([
    { customer_id: 1, ts: new Date('2025-12-01T00:00:00Z'), age: 31, score: 0.25, vip: true },
    { customer_id: 2, ts: new Date('2025-12-01T00:00:00Z'), age: 45, score: 0.5, vip: false },
  ]);
  const rates = await fs.createFeatureGroup({
    name: 'rates',
    primaryKey: ['customer_id', 'currency'],
    onlineEnabled: true,
    features: [
      { name: 'customer_id', type: 'bigint' },
      { name: 'currency', type: 'string' },
      { name: 'rate', type: 'double' },
    ],
  });
  await rates.insert([{ customer_id: 1, currency: 'EUR', rate: 1.1 }]);
  const view = await fs.createFeatureView({
    name: 'orders_fv',
    query: orders
      .select(['order_id', 'ts', 'amount', 'channel', 'returned', 'day', 'tags', 'blob', 'big'])
      .join(customers.select(['age', 'score']))
      .join(rates.select(['rate']), { on: ['customer_id'], prefix: 'r_' }),
    labels: ['returned'],
    inferenceHelperColumns: ['channel'],
  });
  const plain = await fs.createFeatureView({
    name: 'plain',
    query: orders.select(['order_id', 'customer_id', 'channel']).join(customers.select(['age', 'score', 'vip'])),
  });
  return { orders: view, plain };
}

/** POSTs JSON with carol's key (a data scientist of alpha), another key, or none (null). */
async function post(w: ServerWorld, path: string, json: unknown, key: string | null = w.keys.carol): Promise<{ status: number; body: any; text: string }> {
  const response = await w.call('POST', path, { key: key ?? undefined, json });
  const text = await response.text();
  return { status: response.status, body: text === '' ? undefined : JSON.parse(text), text };
}

const request = (entries: unknown, extra: Record<string, unknown> = {}) => ({
  featureStoreName: 'alpha',
  featureViewName: 'orders_fv',
  featureViewVersion: 1,
  entries,
  ...extra,
});

for (const kind of testEngines()) {
  describe(`RonDB REST API (${kind})`, () => {
    it('feature_store: vectors equal the SDK’s getFeatureVector for the same keys, with either feature store name', async () => {
      await withServer(kind, async (w) => {
        const { plain } = await world(w.humle);
        for (const order_id of [1, 2, 3]) {
          for (const featureStoreName of ['alpha', 'alpha_featurestore']) {
            const { status, body } = await post(w, '/0.1.0/feature_store', { featureStoreName, featureViewName: 'plain', featureViewVersion: 1, entries: { order_id } });
            assert.equal(status, 200);
            assert.deepEqual(body, { features: await plain.getFeatureVector({ order_id }), metadata: null, status: 'COMPLETE' });
          }
        }
        const batch = await post(w, '/0.1.0/batch_feature_store', { featureStoreName: 'alpha', featureViewName: 'plain', featureViewVersion: 1, entries: [{ order_id: 3 }, { order_id: 1 }, { order_id: 3 }] });
        assert.equal(batch.status, 200);
        assert.deepEqual(batch.body.features, await plain.getFeatureVectors([{ order_id: 3 }, { order_id: 1 }, { order_id: 3 }]));
        assert.deepEqual(batch.body.status, ['COMPLETE', 'COMPLETE', 'COMPLETE']);
        // 300 entries: a statement of 256, then one of 48 for the 44 left (padded statements keep the order).
        const many = Array.from({ length: 300 }, (_, i) => ({ order_id: (i * 7) % 6 }));
        const large = await post(w, '/0.1.0/batch_feature_store', { featureStoreName: 'alpha', featureViewName: 'plain', featureViewVersion: 1, entries: many });
        assert.deepEqual(large.body.features, await plain.getFeatureVectors(many, { allowMissing: true }));
        assert.equal(large.body.status.filter((s: string) => s === 'MISSING').length, many.filter((e) => [0, 4, 5].includes(e.order_id)).length); // no order, or customer 3 without a row
      });
    });

    it('feature_store: every column but labels, as RonDB writes them; metadata and detailed status on request', async () => {
      await withServer(kind, async (w) => {
        const { orders } = await world(w.humle);
        const { status, body, text } = await post(
          w,
          '/0.1.0/feature_store',
          request({ order_id: 1, r_currency: 'EUR' }, { metadataOptions: { featureName: true, featureType: true }, options: { includeDetailedStatus: true } }),
        );
        assert.equal(status, 200);
        assert.deepEqual(body.metadata, [
          { featureName: 'order_id', featureType: 'bigint' },
          { featureName: 'ts', featureType: 'timestamp' },
          { featureName: 'amount', featureType: 'decimal(10,2)' },
          { featureName: 'channel', featureType: 'string' },
          { featureName: 'day', featureType: 'date' },
          { featureName: 'tags', featureType: 'array<string>' },
          { featureName: 'blob', featureType: 'binary' },
          { featureName: 'big', featureType: 'bigint' },
          { featureName: 'age', featureType: 'int' },
          { featureName: 'score', featureType: 'double' },
          { featureName: 'r_rate', featureType: 'double' },
        ]);
        assert.deepEqual(body.features, [1, '2026-01-01 10:30:00.250000', 10.5, 'shop', '2026-01-01', ['a', 't1'], Buffer.from([1, 255]).toString('base64'), 9007199254740992, 31, 0.25, 1.1]);
        // A 64-bit integer past 2^53 keeps its digits on the wire (JSON.parse above rounds it).
        assert.match(text, /,9007199254740993,/);
        assert.equal(body.status, 'COMPLETE');
        const ids = (await w.humle.project('alpha')).featureStore();
        const groupId = async (name: string) => (await ids.getFeatureGroup(name, 1)).id;
        assert.deepEqual(body.detailedStatus, [
          { featureGroupId: await groupId('orders'), httpStatus: 200 },
          { featureGroupId: await groupId('customers'), httpStatus: 200 },
          { featureGroupId: await groupId('rates'), httpStatus: 200 },
        ]);
        const names = await post(w, '/0.1.0/feature_store', request({ order_id: 1, r_currency: 'EUR' }, { metadataOptions: { featureName: true } }));
        assert.deepEqual(names.body.metadata.slice(0, 2), [{ featureName: 'order_id' }, { featureName: 'ts' }]);
        // The SDK's vector is these columns without the inference helper, before transformations (there are none).
        const sdk = await orders.getFeatureVector({ order_id: 2, r_currency: 'EUR' }, { allowMissing: true, exactTimestamps: true });
        const rest = (await post(w, '/0.1.0/feature_store', request({ order_id: 2, r_currency: 'EUR' }))).body.features;
        assert.deepEqual([rest[0], rest[2], rest[8], rest[9], rest[10]], [sdk[0], Number(sdk[2]), sdk[7], sdk[8], sdk[9]]);
        assert.equal(rest[3], (await orders.getInferenceHelper({ order_id: 2, r_currency: 'EUR' }, { allowMissing: true })).channel);
      });
    });

    it('feature_store: a missing row is 200 MISSING with nulls; a missing key is that group’s 400; passed features', async () => {
      await withServer(kind, async (w) => {
        await world(w.humle);
        const ids = (await w.humle.project('alpha')).featureStore();
        const [o, c, r] = [(await ids.getFeatureGroup('orders', 1)).id, (await ids.getFeatureGroup('customers', 1)).id, (await ids.getFeatureGroup('rates', 1)).id];
        const options = { options: { includeDetailedStatus: true } };
        const noCustomer = await post(w, '/0.1.0/feature_store', request({ order_id: 4, r_currency: 'EUR' }, options));
        assert.equal(noCustomer.status, 200);
        assert.equal(noCustomer.body.status, 'MISSING');
        assert.deepEqual(noCustomer.body.features.slice(8), [null, null, null]);
        assert.deepEqual(noCustomer.body.detailedStatus.map((d: any) => [d.featureGroupId, d.httpStatus]), [[o, 200], [c, 404], [r, 404]]);
        const noOrder = await post(w, '/0.1.0/feature_store', request({ order_id: 99, r_currency: 'EUR' }, options));
        assert.equal(noOrder.body.status, 'MISSING');
        assert.deepEqual(noOrder.body.features, [99, null, null, null, null, null, null, null, null, null, null]);
        const noCurrency = await post(w, '/0.1.0/feature_store', request({ order_id: 1 }, options));
        assert.equal(noCurrency.status, 200);
        assert.equal(noCurrency.body.status, 'MISSING');
        assert.deepEqual(noCurrency.body.detailedStatus.map((d: any) => d.httpStatus), [200, 200, 400]);
        assert.equal(noCurrency.body.features[10], null);
        // Passed features replace looked-up values by name; names outside the vector are ignored without validation.
        const passed = await post(w, '/0.1.0/feature_store', request({ order_id: 4, r_currency: 'EUR' }, { passedFeatures: { age: 77, score: null, nope: 1 } }));
        assert.deepEqual(passed.body.features.slice(8), [77, null, null]);
        assert.equal(passed.body.status, 'MISSING');
        const validated = await post(w, '/0.1.0/feature_store', request({ order_id: 1 }, { passedFeatures: { nope: 1 }, options: { validatePassedFeatures: true } }));
        assert.deepEqual([validated.status, validated.body.code, validated.body.reason], [400, 11, 'Feature does not exist.']);
        const wrongType = await post(w, '/0.1.0/feature_store', request({ order_id: 1 }, { passedFeatures: { age: 'old' }, options: { validatePassedFeatures: true } }));
        assert.deepEqual([wrongType.status, wrongType.body.code, wrongType.body.reason], [400, 10, 'Wrong data type.']);
      });
    });

    it('batch_feature_store: request order and duplicates, per-entry passed features, ERROR entries beside good ones', async () => {
      await withServer(kind, async (w) => {
        await world(w.humle);
        const entries = [{ order_id: 3, r_currency: 'EUR' }, { order_id: 1, r_currency: 'EUR' }, { order_id: 'x' }, { order_id: 99 }, { order_id: 3, r_currency: 'EUR' }, {}, { nope: 1 }];
        const { status, body } = await post(
          w,
          '/0.1.0/batch_feature_store',
          request(entries, { passedFeatures: [null, { age: 5 }, null, null, null, null, null], options: { includeDetailedStatus: true } }),
        );
        assert.equal(status, 200);
        assert.deepEqual(body.status, ['COMPLETE', 'COMPLETE', 'ERROR', 'MISSING', 'COMPLETE', 'ERROR', 'ERROR']);
        assert.deepEqual(body.features.map((f: unknown[] | null) => (f === null ? null : f[0])), [3, 1, null, 99, 3, null, null]);
        assert.equal(body.features[1][8], 5);
        assert.equal(body.features[0][8], 31);
        assert.deepEqual(body.features[0], body.features[4]);
        assert.deepEqual(body.detailedStatus[2].map((d: any) => d.httpStatus), [400, 400, 400]);
        assert.deepEqual(body.detailedStatus[3].map((d: any) => d.httpStatus), [404, 404, 400]);
        assert.equal(body.metadata, null);
        const mismatch = await post(w, '/0.1.0/batch_feature_store', request([{ order_id: 1 }], { passedFeatures: [{}, {}] }));
        assert.deepEqual([mismatch.status, mismatch.body.code], [400, 13]);
        const none = await post(w, '/0.1.0/batch_feature_store', request([]));
        assert.deepEqual([none.status, none.body.code], [400, 15]);
      });
    });

    it('pk-read and batch: a project’s online table by <fg>_<version>, readColumns, 404 for a missing row', async () => {
      await withServer(kind, async (w) => {
        await world(w.humle);
        const read = await post(w, '/0.1.0/alpha/orders_1/pk-read', {
          filters: [{ column: 'order_id', value: 2 }],
          readColumns: [{ column: 'ts', dataReturnType: 'default' }, { column: 'amount' }, { column: 'tags' }],
          operationId: 'op-1',
        });
        assert.equal(read.status, 200);
        assert.deepEqual(read.body, { operationId: 'op-1', data: { ts: '2026-01-02 10:30:00.250000', amount: 20.5, tags: ['a', 't2'] } });
        const all = await post(w, '/0.1.0/alpha/rates_1/pk-read', { filters: [{ column: 'currency', value: 'EUR' }, { column: 'customer_id', value: 1 }] });
        assert.deepEqual(all.body, { data: { customer_id: 1, currency: 'EUR', rate: 1.1 } });
        const missing = await post(w, '/0.1.0/alpha/orders_1/pk-read', { filters: [{ column: 'order_id', value: 42 }] });
        assert.equal(missing.status, 404);
        const refused = async (path: string, body: unknown) => {
          const r = await post(w, path, body);
          return [r.status, r.body.code];
        };
        assert.deepEqual(await refused('/0.1.0/alpha/orders_1/pk-read', { filters: [{ column: 'channel', value: 'web' }] }), [400, 14]);
        assert.deepEqual(await refused('/0.1.0/alpha/rates_1/pk-read', { filters: [{ column: 'customer_id', value: 1 }] }), [400, 13]);
        assert.deepEqual(await refused('/0.1.0/alpha/orders_1/pk-read', { filters: [{ column: 'order_id', value: 'x' }] }), [400, 15]);
        assert.deepEqual(await refused('/0.1.0/alpha/orders_1/pk-read', { filters: [{ column: 'order_id', value: 1 }], readColumns: [{ column: 'nope' }] }), [400, 12]);
        assert.deepEqual(await refused('/0.1.0/alpha/orders_1/pk-read', { filters: [{ column: 'order_id', value: 1 }], readColumns: [{ column: 'order_id' }] }), [400, 60]);
        assert.deepEqual(await refused('/0.1.0/alpha/orders_1/pk-read', { filters: [{ column: 'order_id', value: 1 }], readColumns: [{ column: 'ts', dataReturnType: 'hex' }] }), [400, 25]);
        assert.deepEqual(await refused('/0.1.0/alpha/orders_7/pk-read', { filters: [{ column: 'order_id', value: 1 }] }), [400, 11]);
        const batch = await post(w, '/0.1.0/batch', {
          operations: [
            { method: 'POST', 'relative-url': 'alpha/customers_1/pk-read', body: { filters: [{ column: 'customer_id', value: 2 }], readColumns: [{ column: 'age' }], operationId: 'a' } },
            { method: 'POST', 'relative-url': 'alpha/customers_1/pk-read', body: { filters: [{ column: 'customer_id', value: 3 }] } },
            { method: 'POST', 'relative-url': 'beta/customers_1/pk-read', body: { filters: [{ column: 'customer_id', value: 2 }] } },
          ],
        });
        assert.equal(batch.status, 200);
        assert.deepEqual(batch.body.result[0], { code: 200, body: { operationId: 'a', data: { age: 45 } } });
        assert.deepEqual(batch.body.result.map((r: any) => r.code), [200, 404, 401]);
        const badUrl = await post(w, '/0.1.0/batch', { operations: [{ method: 'POST', 'relative-url': 'alpha/customers_1', body: { filters: [{ column: 'customer_id', value: 2 }] } }] });
        assert.deepEqual([badUrl.status, badUrl.body.code], [400, 63]);
        const badMethod = await post(w, '/0.1.0/batch', { operations: [{ method: 'GET', 'relative-url': 'alpha/customers_1/pk-read', body: { filters: [{ column: 'customer_id', value: 2 }] } }] });
        assert.deepEqual([badMethod.status, badMethod.body.code], [400, 62]);
      });
    });

    it('bad input: JSON, schema, unknown view or key, wrong key type; other projects answer as missing ones', async () => {
      await withServer(kind, async (w) => {
        await world(w.humle);
        const badJson = await w.call('POST', '/0.1.0/feature_store', { key: w.keys.carol, body: '{"featureStoreName":', headers: { 'content-type': 'application/json' } });
        assert.equal(badJson.status, 400);
        assert.deepEqual(Object.keys(await badJson.json()).sort(), ['code', 'message', 'reason']);
        assert.equal((await post(w, '/0.1.0/feature_store', { ...request({ order_id: 1 }), featureViewVersion: 'one' })).status, 400);
        assert.equal((await post(w, '/0.1.0/feature_store', { featureStoreName: 'alpha', entries: { order_id: 1 } })).status, 400);
        const unknownView = await post(w, '/0.1.0/feature_store', { ...request({ order_id: 1 }), featureViewName: 'nope' });
        assert.deepEqual([unknownView.status, unknownView.body.code, unknownView.body.reason], [400, 1, 'Feature view does not exist.']);
        const unknownVersion = await post(w, '/0.1.0/feature_store', { ...request({ order_id: 1 }), featureViewVersion: 2 });
        assert.deepEqual([unknownVersion.status, unknownVersion.body.code], [400, 1]);
        const unknownKey = await post(w, '/0.1.0/feature_store', request({ order_id: 1, nope: 2 }));
        assert.deepEqual([unknownKey.status, unknownKey.body.code, unknownKey.body.reason], [400, 12, 'Incorrect primary key.']);
        const noKeys = await post(w, '/0.1.0/feature_store', request({}));
        assert.deepEqual([noKeys.status, noKeys.body.code], [400, 12]);
        const wrongType = await post(w, '/0.1.0/feature_store', request({ order_id: 'one' }));
        assert.deepEqual([wrongType.status, wrongType.body.code, wrongType.body.reason], [415, 10, 'Wrong data type.']);
        // dave is in beta only: alpha answers him exactly as a feature store that does not exist.
        const other = await post(w, '/0.1.0/feature_store', request({ order_id: 1 }), w.keys.dave);
        const nowhere = await post(w, '/0.1.0/feature_store', { ...request({ order_id: 1 }), featureStoreName: 'gamma' }, w.keys.dave);
        assert.deepEqual([other.status, other.body.code], [400, 2]);
        assert.deepEqual(other.body, { ...nowhere.body, message: nowhere.body.message.replace('gamma', 'alpha') });
        const otherRead = await post(w, '/0.1.0/alpha/orders_1/pk-read', { filters: [{ column: 'order_id', value: 1 }] }, w.keys.dave);
        const nowhereRead = await post(w, '/0.1.0/gamma/orders_1/pk-read', { filters: [{ column: 'order_id', value: 1 }] }, w.keys.dave);
        assert.deepEqual([otherRead.status, nowhereRead.status], [401, 401]);
        assert.equal((await post(w, '/0.1.0/nothing_here', {})).status, 404);
      });
    });

    it('authentication: X-API-KEY or Authorization: ApiKey; missing, wrong, revoked and read-less keys are 401; removed members lose access', async () => {
      await withServer(kind, async (w) => {
        await world(w.humle);
        const body = request({ order_id: 1, r_currency: 'EUR' });
        assert.equal((await w.call('POST', '/0.1.0/feature_store', { json: body, headers: { authorization: `ApiKey ${w.keys.bob}` } })).status, 200);
        for (const key of [null, 'nonsense', w.keys.bob.slice(0, -2) + 'xx']) {
          const r = await post(w, '/0.1.0/feature_store', body, key);
          assert.deepEqual([r.status, Object.keys(r.body).sort()], [401, ['code', 'message', 'reason']]);
        }
        const fsOnly = (await w.humle.platform.apiKeys.create('bob', 'fs-only', ['fs:read'])).key;
        assert.deepEqual([(await post(w, '/0.1.0/feature_store', body, fsOnly)).status, (await post(w, '/0.1.0/feature_store', body, fsOnly)).body.code], [401, 17]);
        const temporary = (await w.humle.platform.apiKeys.create('bob', 'temporary', ['featurestore:read'])).key;
        assert.equal((await post(w, '/0.1.0/feature_store', body, temporary)).status, 200);
        await w.humle.platform.apiKeys.revoke('bob', 'temporary');
        assert.equal((await post(w, '/0.1.0/feature_store', body, temporary)).status, 401);
        assert.equal((await post(w, '/0.1.0/alpha/orders_1/pk-read', { filters: [{ column: 'order_id', value: 1 }] }, temporary)).status, 401);
        // Verified keys are cached, but a membership taken away through this server's platform counts at once.
        assert.equal((await post(w, '/0.1.0/feature_store', body)).status, 200);
        await w.humle.platform.removeMember(await w.humle.platform.project('alpha'), 'carol');
        const removed = await post(w, '/0.1.0/feature_store', body);
        assert.deepEqual([removed.status, removed.body.code], [400, 2]);
      });
    });
  });
}
