import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { testEngines } from '../support/engines.js';
import { withServer, type ServerWorld } from '../support/server-fixture.js';
import { arrowTable } from '../support/table-readers.js';

async function json(response: Response): Promise<any> {
  return JSON.parse(await response.text());
}

const P = '/api/v1/projects/alpha';

/** Orders (commit 0, then an upsert of order 2 as commit 1) and customers whose profile changes on Jan 5. */
async function createGroups(world: ServerWorld): Promise<void> {
  const key = world.keys.alice;
  const groups = [
    {
      name: 'orders',
      primaryKey: ['order_id'],
      eventTime: 'ts',
      features: [
        { name: 'order_id', type: 'bigint' },
        { name: 'ts', type: 'timestamp' },
        { name: 'customer_id', type: 'bigint' },
        { name: 'amount', type: 'decimal(10,2)' },
      ],
    },
    { name: 'customers', primaryKey: ['customer_id'], eventTime: 'ts', features: [{ name: 'customer_id', type: 'bigint' }, { name: 'ts', type: 'timestamp' }, { name: 'orders_30d', type: 'int' }] },
  ];
  for (const spec of groups) assert.equal((await world.call('POST', `${P}/featuregroups`, { key, json: spec })).status, 201);
  const insert = async (group: string, body: string) => {
    const response = await world.call('POST', `${P}/featuregroups/${group}/1/rows`, { key, body, headers: { 'content-type': 'text/csv' } });
    assert.equal(response.status, 201, await response.clone().text());
  };
  await insert('customers', 'customer_id,ts,orders_30d\n7,2026-01-01T00:00:00Z,3\n7,2026-01-05T00:00:00Z,9\n');
  await insert('orders', 'order_id,ts,customer_id,amount\n1,2026-01-02T00:00:00.000001Z,7,10.50\n2,2026-01-06T00:00:00Z,7,20\n');
  await insert('orders', 'order_id,ts,customer_id,amount\n3,2026-01-07T00:00:00Z,7,30\n');
}

const byOrder = (rows: Record<string, unknown>[]) => [...rows].sort((a, b) => Number(a.order_id) - Number(b.order_id));

for (const kind of testEngines()) {
  describe(`REST query reads (${kind})`, () => {
    it('POST …/query reads a joined, filtered query point in time, as of a commit or time, its changes (to now or to a commit) and a limit, in JSON with exact values and in Arrow; refuses what the SDK refuses', async () => {
      await withServer(kind, async (world) => {
        await createGroups(world);
        const read = (body: object, options: { key?: string; format?: string } = {}) =>
          world.call('POST', `${P}/query${options.format === undefined ? '' : `?format=${options.format}`}`, { key: options.key ?? world.keys.carol, json: body });
        const joined = {
          featureGroup: { name: 'orders' },
          features: ['order_id', 'ts', 'amount'],
          joins: [{ query: { featureGroup: { name: 'customers' }, features: ['orders_30d'] }, prefix: 'c_' }],
          filter: { op: 'ge', feature: 'amount', value: '20' },
        };

        // A data scientist reads; each order gets the profile of its own time; types are the features' own.
        const all = await json(await read({ query: joined }));
        assert.deepEqual(all.columns, [
          { name: 'order_id', type: 'bigint' },
          { name: 'ts', type: 'timestamp' },
          { name: 'amount', type: 'decimal(10,2)' },
          { name: 'c_orders_30d', type: 'int' },
        ]);
        assert.deepEqual(byOrder(all.rows), [
          { order_id: 2, ts: '2026-01-06T00:00:00.000000Z', amount: '20.00', c_orders_30d: 9 },
          { order_id: 3, ts: '2026-01-07T00:00:00.000000Z', amount: '30.00', c_orders_30d: 9 },
        ]);
        const arrow = await arrowTable(await read({ query: { featureGroup: { name: 'orders', version: 1 } } }, { format: 'arrow' }));
        assert.deepEqual(arrow.schema.fields.map((f) => `${f.name}:${f.type}`), ['order_id:Int64', 'ts:Timestamp<MICROSECOND, UTC>', 'customer_id:Int64', 'amount:Utf8']);
        assert.equal(arrow.numRows, 3);

        // As of commit 0 of one group; as of a time before anything was written there is nothing.
        const first = await json(await read({ query: { featureGroup: { name: 'orders' }, features: ['order_id', 'ts'], asOf: { commit: 0 } } }));
        assert.deepEqual(byOrder(first.rows), [
          { order_id: 1, ts: '2026-01-02T00:00:00.000001Z' },
          { order_id: 2, ts: '2026-01-06T00:00:00.000000Z' },
        ]);
        const later = await json(await read({ query: { featureGroup: { name: 'orders' }, asOf: { time: new Date(Date.now() + 60_000).toISOString() } } }));
        assert.equal(later.rows.length, 3);
        const before = await read({ query: { featureGroup: { name: 'orders' }, asOf: { time: '2020-01-01T00:00:00Z' } } });
        assert.deepEqual([before.status, (await json(before)).code], [404, 'FEATURE_COMMIT_NOT_FOUND']);
        // Only what commits after 0 wrote, with or without an end.
        const changed = await json(await read({ query: { featureGroup: { name: 'orders' }, except: ['ts'], asOf: { commit: 1 }, excludeUntil: { commit: 0 } } }));
        assert.deepEqual(changed.rows, [{ order_id: 3, customer_id: 7, amount: '30.00' }]);
        assert.deepEqual((await json(await read({ query: { featureGroup: { name: 'orders' }, features: ['order_id'], excludeUntil: { commit: 0 } } }))).rows, [{ order_id: 3 }]);
        assert.equal((await json(await read({ query: { featureGroup: { name: 'orders' }, limit: 1 } }))).rows.length, 1);

        const refused: [Response, number, string][] = [
          [await read({ query: { ...joined, excludeUntil: { commit: 0 }, joins: [{ query: { featureGroup: { name: 'customers' }, excludeUntil: { commit: 0 } } }] } }), 400, 'FEATURE_JOIN_INVALID'],
          [await read({ query: { featureGroup: { name: 'nope' } } }), 404, 'FEATURE_GROUP_NOT_FOUND'],
          [await read({ query: { featureGroup: { name: 'orders' } } }, { key: world.keys.dave }), 404, 'PROJECT_NOT_FOUND'],
          [await read({ query: { featureGroup: { name: 'orders' }, asOf: { time: 'yesterday' } } }), 400, 'FEATURE_QUERY_INVALID'],
          [await read({ query: { featureGroup: { name: 'orders' } }, asOf: 0 }), 400, 'INVALID_REQUEST'],
          [await read({ query: { ...joined, filter: { op: 'eq', feature: 'ts', value: '2026-01-06T00:00:00Z' } } }), 400, 'FEATURE_AMBIGUOUS'],
        ];
        for (const [response, status, code] of refused) {
          assert.equal(response.status, status);
          assert.equal((await json(response)).code, code);
        }
        const doc = await json(await world.call('GET', '/api/v1/openapi.json'));
        assert.ok(doc.paths['/api/v1/projects/{project}/query'].post.requestBody);
      });
    });
  });
}
