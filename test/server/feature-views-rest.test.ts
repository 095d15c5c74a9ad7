import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { testEngines } from '../support/engines.js';
import { withServer, type ServerWorld } from '../support/server-fixture.js';
import { arrowTable, parquetRows } from '../support/table-readers.js';

async function json(response: Response): Promise<any> {
  return JSON.parse(await response.text());
}

const P = '/api/v1/projects/alpha';
const VIEW = `${P}/featureviews/returns/1`;

/** The view of the tests: each order with its customer's profile as of the order's time, `returned` the label. */
const VIEW_SPEC = {
  name: 'returns',
  description: 'orders with the customer profile of their time',
  query: {
    featureGroup: { name: 'orders' },
    features: ['order_id', 'customer_id', 'amount', 'returned'],
    joins: [{ query: { featureGroup: { name: 'customers', version: 1 }, features: ['orders_30d'] }, prefix: 'c_' }],
    filter: { op: 'ge', feature: 'amount', value: 10 },
  },
  labels: ['returned'],
};

/**
 * Two online groups with event times. Customer 7's profile changes on Jan 5; customer 8's first profile comes after
 * its order, so that order reads nulls.
 */
async function createGroups(world: ServerWorld): Promise<void> {
  const key = world.keys.alice;
  const groups = [
    {
      name: 'orders',
      primaryKey: ['order_id'],
      eventTime: 'ts',
      onlineEnabled: true,
      features: [
        { name: 'order_id', type: 'bigint' },
        { name: 'ts', type: 'timestamp' },
        { name: 'customer_id', type: 'bigint' },
        { name: 'amount', type: 'double' },
        { name: 'returned', type: 'boolean' },
      ],
    },
    {
      name: 'customers',
      primaryKey: ['customer_id'],
      eventTime: 'ts',
      onlineEnabled: true,
      features: [{ name: 'customer_id', type: 'bigint' }, { name: 'ts', type: 'timestamp' }, { name: 'orders_30d', type: 'int' }],
    },
  ];
  for (const spec of groups) assert.equal((await world.call('POST', `${P}/featuregroups`, { key, json: spec })).status, 201);
  const insert = async (group: string, body: string) => {
    const response = await world.call('POST', `${P}/featuregroups/${group}/1/rows`, { key, body, headers: { 'content-type': 'text/csv' } });
    assert.equal(response.status, 201, await response.clone().text());
  };
  await insert('customers', 'customer_id,ts,orders_30d\n7,2026-01-01T00:00:00Z,3\n7,2026-01-05T00:00:00Z,9\n8,2026-01-20T00:00:00Z,1\n');
  await insert(
    'orders',
    'order_id,ts,customer_id,amount,returned\n1,2026-01-02T00:00:00Z,7,10,false\n2,2026-01-06T00:00:00Z,7,20,true\n3,2026-01-03T00:00:00Z,8,30,false\n4,2026-01-07T00:00:00Z,7,40,false\n',
  );
}

async function trainingData(world: ServerWorld, body: object, options: { format?: string; key?: string } = {}): Promise<Response> {
  return world.call('POST', `${VIEW}/trainingdata${options.format === undefined ? '' : `?format=${options.format}`}`, { key: options.key ?? world.keys.alice, json: body });
}

function rowsOf(answer: { rows: Record<string, unknown>[] }, ...columns: string[]): unknown[][] {
  return answer.rows.map((row) => columns.map((c) => row[c]));
}

for (const kind of testEngines()) {
  describe(`REST feature views (${kind})`, () => {
    it('a view end to end: created from JSON by a data scientist, point-in-time training data in every format, splits, filters, spines, a reproducible training dataset, batch data', async () => {
      await withServer(kind, async (world) => {
        await createGroups(world);
        const created = await world.call('POST', `${P}/featureviews`, { key: world.keys.carol, json: VIEW_SPEC });
        assert.equal(created.status, 201, await created.clone().text());
        const view = await json(created);
        assert.equal(view.creator, 'carol', 'the caller, not the server, is recorded as its creator');
        assert.deepEqual(view.query, {
          featureGroup: { name: 'orders', version: 1 },
          features: ['order_id', 'customer_id', 'amount', 'returned'],
          joins: [{ query: { featureGroup: { name: 'customers', version: 1 }, features: ['orders_30d'] }, joinType: 'left', prefix: 'c_' }],
          filter: { op: 'ge', feature: 'amount', featureGroup: { name: 'orders', version: 1 }, value: 10 },
        });
        assert.deepEqual(view.features.map((f: { name: string; label: boolean }) => `${f.name}${f.label ? '*' : ''}`), ['order_id', 'customer_id', 'amount', 'returned*', 'c_orders_30d']);
        // The description read back is the same view: posted again for version 1, it returns that version.
        const again = await world.call('POST', `${P}/featureviews`, { key: world.keys.alice, json: { ...VIEW_SPEC, version: 1, query: view.query } });
        assert.equal((await json(again)).id, view.id);
        const changed = await world.call('POST', `${P}/featureviews`, { key: world.keys.alice, json: { ...VIEW_SPEC, version: 1, labels: [] } });
        assert.equal(changed.status, 409);
        assert.equal((await json(changed)).code, 'FEATURE_VIEW_EXISTS');
        assert.deepEqual((await json(await world.call('GET', `${P}/featureviews`, { key: world.keys.bob }))).items.map((v: { version: number }) => v.version), [1]);

        // Each order sees the profile as of its own time; customer 8's profile is later than its order.
        const keyed = { primaryKey: true };
        const all = await json(await trainingData(world, keyed));
        assert.deepEqual(all.columns.map((c: { name: string; type: string }) => `${c.name}:${c.type}`), ['order_id:bigint', 'customer_id:bigint', 'amount:double', 'c_orders_30d:int', 'returned:boolean']);
        assert.deepEqual(rowsOf(all, 'order_id', 'c_orders_30d', 'returned'), [[1, 3, false], [3, null, false], [2, 9, true], [4, 9, false]]);
        const unkeyed = await json(await trainingData(world, {}, { key: world.keys.carol }));
        assert.deepEqual(unkeyed.columns.map((c: { name: string }) => c.name), ['amount', 'c_orders_30d', 'returned']);

        const csv = await trainingData(world, keyed, { format: 'csv' });
        assert.equal(await csv.text(), 'order_id,customer_id,amount,c_orders_30d,returned\n1,7,10,3,false\n3,8,30,,false\n2,7,20,9,true\n4,7,40,9,false\n');
        const parquet = await parquetRows(new Uint8Array(await (await trainingData(world, keyed, { format: 'parquet' })).arrayBuffer()));
        assert.deepEqual(parquet.map((r) => [r.order_id, r.c_orders_30d, r.returned]), [[1n, 3, false], [3n, null, false], [2n, 9, true], [4n, 9, false]]);
        const arrow = await arrowTable(await world.call('POST', `${VIEW}/trainingdata`, { key: world.keys.alice, json: keyed, headers: { accept: 'application/vnd.apache.arrow.stream' } }));
        assert.deepEqual(arrow.schema.fields.map((f) => `${f.name}:${f.type}`), ['order_id:Int64', 'customer_id:Int64', 'amount:Float64', 'c_orders_30d:Int32', 'returned:Bool']);
        assert.equal(arrow.numRows, 4);

        // Splits: a _split column names each row's part.
        const timeSplit = await json(await trainingData(world, { ...keyed, trainEnd: '2026-01-05T00:00:00Z', testStart: '2026-01-05T00:00:00Z' }));
        assert.deepEqual(timeSplit.columns[0], { name: '_split', type: 'string' });
        assert.deepEqual(rowsOf(timeSplit, '_split', 'order_id'), [['train', 1], ['train', 3], ['test', 2], ['test', 4]]);
        const random = await json(await trainingData(world, { testSize: 0.5, validationSize: 0.25, seed: 3 }));
        assert.deepEqual(random.rows.map((r: { _split: string }) => r._split).sort(), ['test', 'test', 'train', 'validation']);

        // Extra filters as a predicate tree; a feature two groups have is named with its group.
        const filtered = await json(
          await trainingData(world, { ...keyed, extraFilter: { op: 'and', operands: [{ op: 'eq', feature: 'customer_id', featureGroup: { name: 'orders' }, value: 7 }, { op: 'lt', feature: 'ts', featureGroup: { name: 'orders' }, value: '2026-01-07T00:00:00Z' }] } }),
        );
        assert.deepEqual(rowsOf(filtered, 'order_id'), [[1], [2]]);
        const noProfile = await json(await trainingData(world, { ...keyed, extraFilter: { op: 'isNull', feature: 'orders_30d' } }));
        assert.deepEqual(rowsOf(noProfile, 'order_id'), [[3]]);
        // A spine replaces the orders: keys and times to read the features at.
        const spine = await json(await trainingData(world, { ...keyed, spine: [{ order_id: 100, ts: '2026-01-04T00:00:00Z', customer_id: '7', amount: 50, returned: true }] }));
        assert.deepEqual(rowsOf(spine, 'order_id', 'c_orders_30d', 'returned'), [[100, 3, true]]);

        // A training dataset pins the commits it read: a later insert and upsert do not change it.
        const dataset = await world.call('POST', `${VIEW}/trainingdatasets`, { key: world.keys.carol, json: { ...keyed, testSize: 0.5, seed: 3, format: 'csv', description: 'first' } });
        assert.equal(dataset.status, 201, await dataset.clone().text());
        const info = await json(dataset);
        assert.deepEqual([info.version, info.format, info.description, info.splits.map((s: { name: string; rowCount: number }) => `${s.name}:${s.rowCount}`)], [1, 'csv', 'first', ['train:2', 'test:2']]);
        assert.deepEqual(info.commits, { 'orders:1': 0, 'customers:1': 0 });
        assert.equal(info.creator, 'carol');
        assert.ok(await world.humle.fs.exists(info.splits[0].files[0]));
        const before = await json(await world.call('GET', `${VIEW}/trainingdatasets/1/rows`, { key: world.keys.bob }));
        assert.deepEqual(before.rows.map((r: { _split: string }) => r._split), ['train', 'train', 'test', 'test']);
        const insert = (group: string, rows: object[]) => world.call('POST', `${P}/featuregroups/${group}/1/rows`, { key: world.keys.alice, json: rows });
        assert.equal((await insert('orders', [{ order_id: 5, ts: '2026-01-08T00:00:00Z', customer_id: 7, amount: 60, returned: true }])).status, 201);
        assert.equal((await insert('customers', [{ customer_id: 7, ts: '2026-01-05T00:00:00Z', orders_30d: 99 }])).status, 201);
        assert.deepEqual(await json(await world.call('GET', `${VIEW}/trainingdatasets/1/rows`, { key: world.keys.bob })), before);
        const now = await json(await trainingData(world, keyed));
        assert.deepEqual(rowsOf(now, 'order_id', 'c_orders_30d'), [[1, 3], [3, null], [2, 99], [4, 99], [5, 99]]);
        const listed = await json(await world.call('GET', `${VIEW}/trainingdatasets`, { key: world.keys.carol }));
        assert.deepEqual(listed.items.map((d: { version: number }) => d.version), [1]);
        assert.equal((await json(await world.call('GET', `${VIEW}/trainingdatasets/1`, { key: world.keys.carol }))).location, info.location);
        assert.equal((await json(await world.call('GET', `${VIEW}/trainingdatasets/2`, { key: world.keys.carol }))).code, 'FEATURE_TRAINING_DATASET_NOT_FOUND');

        const batch = await json(await world.call('POST', `${VIEW}/batchdata`, { key: world.keys.carol, json: { ...keyed, startTime: '2026-01-06T00:00:00Z' } }));
        assert.deepEqual(batch.columns.map((c: { name: string }) => c.name), ['order_id', 'customer_id', 'amount', 'c_orders_30d']);
        assert.deepEqual(rowsOf(batch, 'order_id'), [[2], [4], [5]]);

        // Deleting: the groups a view reads stay until the view goes; datasets and views are deleted by owners.
        const inUse = await world.call('DELETE', `${P}/featuregroups/orders/1`, { key: world.keys.alice });
        assert.equal(inUse.status, 409);
        assert.equal((await json(inUse)).code, 'FEATURE_GROUP_IN_USE');
        assert.equal((await world.call('DELETE', `${VIEW}/trainingdatasets/1`, { key: world.keys.carol })).status, 403);
        assert.equal((await world.call('DELETE', VIEW, { key: world.keys.carol })).status, 403);
        assert.equal((await world.call('DELETE', `${VIEW}/trainingdatasets/1`, { key: world.keys.bob })).status, 204);
        assert.equal(await world.humle.fs.exists(info.location), false);
        assert.equal((await world.call('DELETE', VIEW, { key: world.keys.bob })).status, 204);
        assert.equal((await json(await world.call('GET', VIEW, { key: world.keys.bob }))).code, 'FEATURE_VIEW_NOT_FOUND');
        assert.equal((await world.call('DELETE', `${P}/featuregroups/orders/1`, { key: world.keys.alice })).status, 204);
      });
    });

    it('feature vectors: one entry or many, COMPLETE and MISSING, passed features, objects; a missing row without allowMissing is 404', async () => {
      await withServer(kind, async (world) => {
        await createGroups(world);
        assert.equal((await world.call('POST', `${P}/featureviews`, { key: world.keys.alice, json: VIEW_SPEC })).status, 201);
        const vectors = (body: object, key = world.keys.carol) => world.call('POST', `${VIEW}/vectors`, { key, json: body });
        const batch = await json(await vectors({ entries: [{ order_id: 1 }, { order_id: 999 }, { order_id: '3' }], allowMissing: true }));
        assert.deepEqual(batch.features, [
          { name: 'order_id', type: 'bigint' },
          { name: 'customer_id', type: 'bigint' },
          { name: 'amount', type: 'double' },
          { name: 'c_orders_30d', type: 'int' },
        ]);
        // The online store has the newest profile of each customer.
        assert.deepEqual(batch.vectors, [
          { vector: [1, 7, 10, 9], status: 'COMPLETE' },
          { vector: [999, null, null, null], status: 'MISSING' },
          { vector: [3, 8, 30, 1], status: 'COMPLETE' },
        ]);
        const one = await json(await vectors({ entry: { order_id: 1 }, passedFeatures: { amount: '12.5' }, returnType: 'object' }));
        assert.deepEqual(one.vectors, [{ vector: { order_id: 1, customer_id: 7, amount: 12.5, c_orders_30d: 9 }, status: 'COMPLETE' }]);
        const perEntry = await json(await vectors({ entries: [{ order_id: 1 }, { order_id: 2 }], passedFeatures: [null, { c_orders_30d: 0 }] }));
        assert.deepEqual(perEntry.vectors.map((v: { vector: unknown[] }) => v.vector[3]), [9, 0]);

        // A view with an inference helper: left out of vectors, read apart.
        assert.equal((await world.call('POST', `${P}/featureviews`, { key: world.keys.alice, json: { ...VIEW_SPEC, inferenceHelperColumns: ['amount'] } })).status, 201);
        const helped = await json(await world.call('POST', `${P}/featureviews/returns/2/vectors`, { key: world.keys.carol, json: { entry: { order_id: 1 } } }));
        assert.deepEqual(helped.vectors, [{ vector: [1, 7, 9], status: 'COMPLETE' }]);
        const helpers = await json(await world.call('POST', `${P}/featureviews/returns/2/helpers`, { key: world.keys.carol, json: { entries: [{ order_id: 1 }, { order_id: 4 }] } }));
        assert.deepEqual(helpers, { features: [{ name: 'amount', type: 'double' }], helpers: [{ amount: 10 }, { amount: 40 }] });

        const refused: [Response, number, string, Record<string, unknown>?][] = [
          [await vectors({ entry: { order_id: 999 } }), 404, 'FEATURE_VECTOR_MISSING', { entry: 0 }],
          [await vectors({ entries: [{ order_id: 1 }, { order_id: 998 }] }), 404, 'FEATURE_VECTOR_MISSING', { entry: 1 }],
          [await vectors({ entry: { order: 1 } }), 400, 'FEATURE_SERVING_KEY_UNKNOWN'],
          [await vectors({ entry: { order_id: 'one' } }), 400, 'FEATURE_SERVING_KEY_INVALID'],
          [await vectors({ entry: { order_id: 1 }, entries: [{ order_id: 1 }] }), 400, 'INVALID_ARGUMENT'],
          [await vectors({}), 400, 'INVALID_ARGUMENT'],
          [await vectors({ entries: [{ order_id: 1 }], passedFeatures: [] }), 400, 'INVALID_ARGUMENT'],
          [await vectors({ entry: { order_id: 1 }, passedFeatures: { amount: 'lots' } }), 400, 'INVALID_ARGUMENT', { feature: 'amount' }],
          [await vectors({ entry: { order_id: 1 }, returnType: 'dict' }), 400, 'INVALID_REQUEST'],
          [await vectors({ entry: { order_id: 1 } }, world.keys.dave), 404, 'PROJECT_NOT_FOUND'],
          [await world.call('POST', `${P}/featureviews/returns/7/vectors`, { key: world.keys.carol, json: { entry: { order_id: 1 } } }), 404, 'FEATURE_VIEW_NOT_FOUND'],
        ];
        for (const [response, status, code, details] of refused) {
          const body = await json(response);
          assert.equal(response.status, status, JSON.stringify(body));
          assert.equal(body.code, code);
          for (const [name, value] of Object.entries(details ?? {})) assert.equal(body.details[name], value, JSON.stringify(body));
        }
      });
    });

    it('queries as JSON: read with per-group time travel, filters, changes and a limit, shown as SQL; view reads name their label columns; serving is prepared', async () => {
      await withServer(kind, async (world) => {
        await createGroups(world);
        const insert = (group: string, rows: object[]) => world.call('POST', `${P}/featuregroups/${group}/1/rows`, { key: world.keys.alice, json: rows });
        assert.equal((await insert('customers', [{ customer_id: 7, ts: '2026-01-06T00:00:00Z', orders_30d: 50 }])).status, 201);
        assert.equal((await insert('orders', [{ order_id: 5, ts: '2026-01-08T00:00:00Z', customer_id: 8, amount: 5, returned: false }])).status, 201);
        const read = async (query: object, key = world.keys.carol) => {
          const response = await world.call('POST', `${P}/query`, { key, json: { query } });
          const body = await json(response);
          return { status: response.status, body };
        };
        const orders = (extra: object = {}) => ({
          featureGroup: { name: 'orders' },
          features: ['order_id', 'amount'],
          joins: [{ query: { featureGroup: { name: 'customers' }, features: ['orders_30d'] }, prefix: 'c_' }],
          ...extra,
        });
        const sorted = (body: { rows: Record<string, unknown>[] }, ...columns: string[]) => rowsOf(body, ...columns).sort((a, b) => Number(a[0]) - Number(b[0]));

        const latest = await read(orders());
        assert.equal(latest.status, 200, JSON.stringify(latest.body));
        assert.deepEqual(latest.body.columns, [{ name: 'order_id', type: 'bigint' }, { name: 'amount', type: 'double' }, { name: 'c_orders_30d', type: 'int' }]);
        assert.deepEqual(sorted(latest.body, 'order_id', 'c_orders_30d'), [[1, 3], [2, 50], [3, null], [4, 50], [5, null]]);
        // The customers as of their first commit: orders 2 and 4 read the profile of Jan 5, not the one of Jan 6.
        const pinned = orders({ joins: [{ query: { featureGroup: { name: 'customers' }, features: ['orders_30d'], asOf: { commit: 0 } }, prefix: 'c_' }] });
        assert.deepEqual(sorted((await read(pinned)).body, 'order_id', 'c_orders_30d'), [[1, 3], [2, 9], [3, null], [4, 9], [5, null]]);
        const filtered = await read(orders({ filter: { op: 'ge', feature: 'amount', value: 20 }, limit: 2 }));
        assert.equal(filtered.body.rows.length, 2);
        assert.ok(filtered.body.rows.every((r: { amount: number }) => r.amount >= 20));
        const changes = await read({ featureGroup: { name: 'orders' }, features: ['order_id'], asOf: { commit: 1 }, excludeUntil: { commit: 0 } });
        assert.deepEqual(rowsOf(changes.body, 'order_id'), [[5]]);
        // Without asOf, the changes up to now (commit 1 is the newest).
        const changesToNow = await read({ featureGroup: { name: 'orders' }, features: ['order_id'], excludeUntil: { commit: 0 } });
        assert.deepEqual(rowsOf(changesToNow.body, 'order_id'), [[5]]);
        const asOfTime = await read({ featureGroup: { name: 'orders' }, features: ['order_id'], asOf: { time: new Date().toISOString() } });
        assert.equal(asOfTime.body.rows.length, 5);
        const arrow = await arrowTable(await world.call('POST', `${P}/query?format=arrow`, { key: world.keys.carol, json: { query: orders() } }));
        assert.deepEqual(arrow.schema.fields.map((f) => `${f.name}:${f.type}`), ['order_id:Int64', 'amount:Float64', 'c_orders_30d:Int32']);
        const sql = await json(await world.call('POST', `${P}/query/sql`, { key: world.keys.carol, json: { query: orders() } }));
        assert.match(sql.sql, /ASOF LEFT JOIN/);

        const refused: [{ status: number; body: { code: string } }, number, string][] = [
          [await read(orders({ asOf: { commit: 7 } })), 404, 'FEATURE_COMMIT_NOT_FOUND'],
          [await read(orders({ joins: [{ query: { featureGroup: { name: 'customers' }, asOf: { commit: 1 }, excludeUntil: { commit: 0 } } }] })), 400, 'FEATURE_JOIN_INVALID'],
          [await read(orders({ asOf: { when: 'now' } })), 400, 'INVALID_REQUEST'],
          [await read(orders(), world.keys.dave), 404, 'PROJECT_NOT_FOUND'],
        ];
        for (const [answer, status, code] of refused) {
          assert.equal(answer.status, status, JSON.stringify(answer.body));
          assert.equal(answer.body.code, code);
        }

        assert.equal((await world.call('POST', `${P}/featureviews`, { key: world.keys.alice, json: VIEW_SPEC })).status, 201);
        const training = await trainingData(world, { testSize: 0.5, seed: 1 });
        assert.equal(training.headers.get('humle-label-columns'), 'returned');
        const batch = await world.call('POST', `${VIEW}/batchdata`, { key: world.keys.carol, json: {} });
        assert.equal(batch.headers.get('humle-label-columns'), '');
        const serving = await world.call('POST', `${VIEW}/serving`, { key: world.keys.carol, json: {} });
        assert.equal(serving.status, 200);
        assert.deepEqual((await json(serving)).features.map((f: { name: string }) => f.name), ['order_id', 'customer_id', 'amount', 'c_orders_30d']);
        const notServable = await world.call('POST', `${P}/featuregroups`, {
          key: world.keys.alice,
          json: { name: 'offline_only', primaryKey: ['order_id'], features: [{ name: 'order_id', type: 'bigint' }, { name: 'note', type: 'string' }] },
        });
        assert.equal(notServable.status, 201);
        const offlineView = { name: 'offline_view', query: { featureGroup: { name: 'offline_only' } } };
        assert.equal((await world.call('POST', `${P}/featureviews`, { key: world.keys.alice, json: offlineView })).status, 201);
        const refusedServing = await world.call('POST', `${P}/featureviews/offline_view/1/serving`, { key: world.keys.carol, json: {} });
        assert.equal(refusedServing.status, 409);
        assert.equal((await json(refusedServing)).code, 'FEATURE_VIEW_NOT_SERVABLE');
      });
    });

    it('refuses bad views, filters and options with typed errors, and outsiders as for a missing project; nothing is created', async () => {
      await withServer(kind, async (world) => {
        await createGroups(world);
        const key = world.keys.alice;
        const create = (spec: object, k = key) => world.call('POST', `${P}/featureviews`, { key: k, json: spec });
        const withQuery = (query: object) => ({ ...VIEW_SPEC, query: { ...VIEW_SPEC.query, ...query } });
        const readOnly = (await world.humle.platform.apiKeys.create('carol', 'reader', ['featurestore:read'])).key;
        const cases: [Response, number, string][] = [
          [await create({ ...VIEW_SPEC, name: 'Returns' }), 400, 'INVALID_REQUEST'],
          [await create({ ...VIEW_SPEC, owner: 'bob' }), 400, 'INVALID_REQUEST'],
          [await create(withQuery({ features: ['order_id', 'colour'] })), 400, 'FEATURE_NOT_FOUND'],
          [await create(withQuery({ featureGroup: { name: 'nothing' } })), 404, 'FEATURE_GROUP_NOT_FOUND'],
          [await create(withQuery({ except: ['ts'] })), 400, 'FEATURE_QUERY_INVALID'],
          [await create(withQuery({ filter: { op: 'between', feature: 'amount', value: 1 } })), 400, 'INVALID_REQUEST'],
          [await create(withQuery({ filter: { op: 'gt', feature: 'amount', value: 'ten' } })), 400, 'FEATURE_FILTER_INVALID'],
          [await create(withQuery({ filter: { op: 'eq', feature: 'customer_id', value: 7 } })), 400, 'FEATURE_AMBIGUOUS'],
          [await create(withQuery({ filter: { op: 'eq', feature: 'amount', featureGroup: { name: 'payments' }, value: 7 } })), 400, 'FEATURE_FILTER_INVALID'],
          [await create(withQuery({ joins: [{ query: { featureGroup: { name: 'customers' } }, joinType: 'sideways' }] })), 400, 'INVALID_REQUEST'],
          [await create(withQuery({ features: ['order_id', 'ts', 'returned'], filter: undefined, joins: [{ query: { featureGroup: { name: 'customers' } } }] })), 400, 'FEATURE_AMBIGUOUS'],
          [await create({ ...VIEW_SPEC, labels: ['nothing'] }), 400, 'FEATURE_VIEW_INVALID'],
          [await create({ ...VIEW_SPEC, transformationFunctions: [{ name: 'mystery', features: ['amount'] }] }), 400, 'FEATURE_TRANSFORMATION_NOT_FOUND'],
          [await create(VIEW_SPEC, readOnly), 403, 'ACCESS_DENIED'],
          [await create(VIEW_SPEC, world.keys.dave), 404, 'PROJECT_NOT_FOUND'],
          [await world.call('GET', `${P}/featureviews/returns`, { key }), 404, 'FEATURE_VIEW_NOT_FOUND'],
          [await world.call('POST', `${VIEW}/trainingdata`, { key, json: {} }), 404, 'FEATURE_VIEW_NOT_FOUND'],
        ];
        for (const [response, status, code] of cases) {
          const body = await json(response);
          assert.equal(response.status, status, JSON.stringify(body));
          assert.equal(body.code, code);
        }
        assert.deepEqual((await json(await world.call('GET', `${P}/featureviews`, { key }))).items, []);

        assert.equal((await create(VIEW_SPEC)).status, 201);
        const options: [object, number, string][] = [
          [{ testSize: 1.5 }, 400, 'INVALID_REQUEST'],
          [{ testSize: 0.5, trainEnd: '2026-01-05T00:00:00Z' }, 400, 'INVALID_ARGUMENT'],
          [{ startTime: 'soon' }, 400, 'INVALID_ARGUMENT'],
          [{ extraFilter: { op: 'eq', feature: 'nothing', value: 1 } }, 400, 'FEATURE_NOT_FOUND'],
          [{ spine: [{ order_id: 1 }] }, 400, 'FEATURE_INVALID_DATA'],
          [{ dataframe: 'arrow' }, 400, 'INVALID_REQUEST'],
        ];
        for (const [body, status, code] of options) {
          const response = await trainingData(world, body);
          const answer = await json(response);
          assert.equal(response.status, status, JSON.stringify(answer));
          assert.equal(answer.code, code);
        }
        const before = (await json(await world.call('GET', `${VIEW}/trainingdatasets`, { key }))).items;
        assert.equal((await world.call('POST', `${VIEW}/trainingdatasets`, { key, json: { format: 'xlsx' } })).status, 400);
        assert.equal((await world.call('POST', `${VIEW}/trainingdatasets`, { key: readOnly, json: {} })).status, 403);
        assert.deepEqual((await json(await world.call('GET', `${VIEW}/trainingdatasets`, { key }))).items, before);
        assert.equal(await world.humle.fs.exists('/Projects/alpha/alpha_Training_Datasets'), false);

        const doc = await json(await world.call('GET', '/api/v1/openapi.json'));
        for (const path of ['', '/{name}', '/{name}/{version}', '/{name}/{version}/trainingdata', '/{name}/{version}/batchdata', '/{name}/{version}/trainingdatasets', '/{name}/{version}/trainingdatasets/{dataset}/rows', '/{name}/{version}/vectors', '/{name}/{version}/serving']) {
          assert.ok(doc.paths[`/api/v1/projects/{project}/featureviews${path}`], `missing ${path}`);
        }
        for (const path of ['/query', '/query/sql']) assert.ok(doc.paths[`/api/v1/projects/{project}${path}`], `missing ${path}`);
      });
    });
  });
}
