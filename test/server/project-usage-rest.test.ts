import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { testEngines } from '../support/engines.js';
import { withServer, type ServerWorld } from '../support/server-fixture.js';

async function json(response: Response): Promise<any> {
  return JSON.parse(await response.text());
}

/** alpha gets an online feature group with `rows` rows, written through the embedded SDK beside the server. */
async function ordersIn(world: ServerWorld, rows: number) {
  const fg = await (await world.humle.project('alpha')).featureStore().createFeatureGroup({
    name: 'orders',
    primaryKey: ['id'],
    onlineEnabled: true,
    features: [
      { name: 'id', type: 'bigint' },
      { name: 'amount', type: 'double' },
    ],
  });
  await fg.insert(Array.from({ length: rows }, (_, id) => ({ id, amount: id / 4 })));
  return fg;
}

for (const kind of testEngines()) {
  describe(`REST project usage and quotas (${kind})`, () => {
    it('GET usage: any member reads what the SDK measures; another project answers exactly as a missing one', async () => {
      await withServer(kind, async (world) => {
        await ordersIn(world, 300);
        const response = await world.call('GET', '/api/v1/projects/alpha/usage', { key: world.keys.carol });
        assert.equal(response.status, 200);
        const usage = await json(response);
        assert.deepEqual(usage, JSON.parse(JSON.stringify(await (await world.humle.project('alpha')).usage())));
        assert.deepEqual(
          usage.featureGroups.map((g: { name: string; online: { rows: number } }) => [g.name, g.online.rows]),
          [['orders', 300]],
        );
        assert.ok(usage.featureGroups[0].online.bytes > 0);
        assert.ok(usage.featureGroups[0].offline.files >= 2);
        assert.equal(usage.fs.directory, '/Projects/alpha');
        assert.deepEqual([usage.quota.space, usage.quota.files], [null, null]);

        const other = await world.call('GET', '/api/v1/projects/alpha/usage', { key: world.keys.dave });
        const missing = await world.call('GET', '/api/v1/projects/gamma/usage', { key: world.keys.dave });
        assert.deepEqual([other.status, missing.status], [404, 404]);
        const [a, b] = [await json(other), await json(missing)];
        assert.equal(a.code, 'PROJECT_NOT_FOUND');
        assert.deepEqual({ ...a, message: a.message.replace('alpha', 'P'), details: {} }, { ...b, message: b.message.replace('gamma', 'P'), details: {} });
        assert.equal((await world.call('GET', '/api/v1/projects/alpha/usage')).status, 401);
        assert.equal((await world.call('GET', '/api/v1/projects/no-such/usage', { key: world.keys.alice })).status, 400);
      });
    });

    it('PUT quota: the owner with project:admin sets it; data owners and data scientists get 403, non-members 404; refusals change nothing', async () => {
      await withServer(kind, async (world) => {
        const put = (key: string, body: unknown, project = 'alpha') => world.call('PUT', `/api/v1/projects/${project}/quota`, { key, json: body });
        const quotaNow = async () => (await (await world.humle.project('alpha')).usage()).quota;
        const set = await put(world.keys.alice, { space: 10 * 2 ** 30, files: 1000 });
        assert.equal(set.status, 200);
        const quota = await json(set);
        assert.deepEqual([quota.space, quota.files], [10 * 2 ** 30, 1000]);
        const summary = await world.humle.fs.getContentSummary('/Projects/alpha');
        assert.deepEqual([summary.spaceQuota, summary.quota], [10 * 2 ** 30, 1000]);
        assert.deepEqual(quota, await quotaNow());

        const refusals: [string, Response, number, string][] = [
          ['data scientist', await put(world.keys.carol, { space: null }), 403, 'ACCESS_DENIED'],
          ['data owner', await put(world.keys.bob, { space: null }), 403, 'ACCESS_DENIED'],
          ['non-member', await put(world.keys.dave, { space: null }), 404, 'PROJECT_NOT_FOUND'],
          ['no key', await world.call('PUT', '/api/v1/projects/alpha/quota', { json: { space: null } }), 401, 'UNAUTHENTICATED'],
          ['empty body', await put(world.keys.alice, {}), 400, 'INVALID_REQUEST'],
          ['negative', await put(world.keys.alice, { space: -1 }), 400, 'INVALID_REQUEST'],
          ['a size string', await put(world.keys.alice, { space: '10g' }), 400, 'INVALID_REQUEST'],
          ['a fraction', await put(world.keys.alice, { files: 2.5 }), 400, 'INVALID_REQUEST'],
          ['beyond 2^53', await put(world.keys.alice, { space: 2 ** 60 }), 400, 'INVALID_REQUEST'],
          ['an unknown field', await put(world.keys.alice, { bytes: 5 }), 400, 'INVALID_REQUEST'],
        ];
        for (const [what, response, status, code] of refusals) {
          assert.equal(response.status, status, what);
          assert.equal((await json(response)).code, code, what);
        }
        // A key without project:admin is refused even for the owner.
        const narrow = (await world.humle.platform.apiKeys.create('alice', 'reader', ['featurestore:read', 'fs:read'])).key;
        assert.equal((await json(await put(narrow, { space: null }))).code, 'ACCESS_DENIED');
        assert.deepEqual(await quotaNow(), quota);

        const cleared = await json(await put(world.keys.alice, { space: null }));
        assert.deepEqual([cleared.space, cleared.files], [null, 1000]);
      });
    });

    it('a quota set over REST is the one humle fs enforces: an insert beyond it fails whole, and goes through once it is lifted', async () => {
      await withServer(kind, async (world) => {
        const fg = await ordersIn(world, 10);
        const used = (await json(await world.call('GET', '/api/v1/projects/alpha/usage', { key: world.keys.alice }))).quota.spaceUsed;
        assert.equal((await world.call('PUT', '/api/v1/projects/alpha/quota', { key: world.keys.alice, json: { space: used + 50 } })).status, 200);
        const commits = await fg.commitDetails();
        await assert.rejects(fg.insert(Array.from({ length: 500 }, (_, i) => ({ id: 100 + i, amount: i }))), { code: 'FS_DS_QUOTA_EXCEEDED' });
        assert.deepEqual(await fg.commitDetails(), commits);
        const after = await json(await world.call('GET', '/api/v1/projects/alpha/usage', { key: world.keys.bob }));
        assert.deepEqual([after.featureGroups[0].online.rows, after.quota.spaceUsed], [10, used]);
        assert.equal((await world.call('PUT', '/api/v1/projects/alpha/quota', { key: world.keys.alice, json: { space: null } })).status, 200);
        await fg.insert(Array.from({ length: 500 }, (_, i) => ({ id: 100 + i, amount: i })));
        assert.equal((await json(await world.call('GET', '/api/v1/projects/alpha/usage', { key: world.keys.bob }))).featureGroups[0].online.rows, 510);
      });
    });

    it('the OpenAPI document describes both routes with their schemas', async () => {
      await withServer(kind, async (world) => {
        const doc = await json(await world.call('GET', '/api/v1/openapi.json'));
        const usage = doc.paths['/api/v1/projects/{project}/usage'].get;
        const quota = doc.paths['/api/v1/projects/{project}/quota'].put;
        for (const operation of [usage, quota]) {
          assert.deepEqual(operation.tags, ['projects']);
          assert.ok(operation.summary);
          assert.deepEqual(operation.security, [{ apiKey: [] }, { apiKeyAuthorization: [] }]);
        }
        assert.ok(usage.responses['200'] && usage.responses['404']);
        assert.ok(quota.responses['403'] && quota.responses['404']);
        assert.equal(quota.requestBody.content['application/json'].schema.additionalProperties, false);
        const schemaOf = (response: any) => doc.components.schemas[response.content['application/json'].schema.$ref.split('/').pop()];
        assert.deepEqual(Object.keys(schemaOf(usage.responses['200']).properties), ['project', 'featureGroups', 'fs', 'quota']);
        assert.deepEqual(Object.keys(schemaOf(quota.responses['200']).properties), ['space', 'spaceUsed', 'files', 'filesUsed']);
      });
    });
  });
}
