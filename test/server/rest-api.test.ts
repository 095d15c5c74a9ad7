import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { testEngines } from '../support/engines.js';
import { withServer, type ServerWorld } from '../support/server-fixture.js';

async function json(response: Response): Promise<any> {
  return JSON.parse(await response.text());
}

async function projectNames(world: ServerWorld, key: string): Promise<string[]> {
  return (await json(await world.call('GET', '/api/v1/projects', { key }))).items.map((p: { name: string }) => p.name);
}

for (const kind of testEngines()) {
  describe(`REST API (${kind})`, () => {
    it('lists and shows only the caller’s projects; another project answers exactly as a missing one', async () => {
      await withServer(kind, async (world) => {
        assert.deepEqual(await projectNames(world, world.keys.bob), ['alpha']);
        assert.deepEqual(await projectNames(world, world.keys.dave), ['beta']);
        const alpha = await world.call('GET', '/api/v1/projects/alpha', { key: world.keys.carol });
        assert.equal(alpha.status, 200);
        assert.deepEqual({ ...(await json(alpha)), createdAt: 'x', id: 0 }, { id: 0, name: 'alpha', owner: 'alice', createdAt: 'x', role: 'data_scientist' });
        const other = await world.call('GET', '/api/v1/projects/beta/members', { key: world.keys.bob });
        const missing = await world.call('GET', '/api/v1/projects/gamma/members', { key: world.keys.bob });
        assert.equal(other.status, 404);
        assert.equal(missing.status, 404);
        const [a, b] = [await json(other), await json(missing)];
        assert.equal(a.code, 'PROJECT_NOT_FOUND');
        assert.deepEqual({ ...a, message: a.message.replace('beta', 'P'), details: {} }, { ...b, message: b.message.replace('gamma', 'P'), details: {} });
      });
    });

    it('creates a project owned by the caller: /Projects/<name> is the owner’s and the project group’s, mode 770', async () => {
      await withServer(kind, async (world) => {
        const created = await world.call('POST', '/api/v1/projects', { key: world.keys.carol, json: { name: 'carols' } });
        assert.equal(created.status, 201);
        assert.equal((await json(created)).role, 'owner');
        const status = await world.humle.fs.getFileStatus('/Projects/carols');
        assert.deepEqual([status.owner, status.group, status.permission], ['carol', 'carols', 0o770]);
        const again = await world.call('POST', '/api/v1/projects', { key: world.keys.dave, json: { name: 'carols' } });
        assert.equal(again.status, 409);
        assert.equal((await json(again)).code, 'PROJECT_EXISTS');
        const members = await json(await world.call('GET', '/api/v1/projects/carols/members', { key: world.keys.carol }));
        assert.deepEqual(members.items.map((m: { user: string; role: string }) => [m.user, m.role]), [['carol', 'owner']]);
      });
    });

    it('members: owners and data owners manage them; a data scientist gets 403, a non-member 404; the owner stays', async () => {
      await withServer(kind, async (world) => {
        const add = (key: string, user: string, role: string) => world.call('POST', '/api/v1/projects/alpha/members', { key, json: { user, role } });
        assert.equal((await add(world.keys.carol, 'dave', 'data_owner')).status, 403);
        assert.equal((await add(world.keys.dave, 'dave', 'data_owner')).status, 404);
        assert.equal((await add(world.keys.bob, 'dave', 'data_scientist')).status, 201);
        assert.equal((await add(world.keys.bob, 'dave', 'data_scientist')).status, 409);
        assert.equal((await json(await add(world.keys.bob, 'nobody', 'data_scientist'))).code, 'USER_NOT_FOUND');
        assert.equal((await add(world.keys.bob, 'erin', 'owner')).status, 400);
        assert.deepEqual(await projectNames(world, world.keys.dave), ['alpha', 'beta']);
        const promote = await world.call('PUT', '/api/v1/projects/alpha/members/dave', { key: world.keys.alice, json: { role: 'data_owner' } });
        assert.equal(promote.status, 204);
        assert.equal((await world.call('DELETE', '/api/v1/projects/alpha/members/alice', { key: world.keys.bob })).status, 400);
        assert.equal((await world.call('PUT', '/api/v1/projects/alpha/members/alice', { key: world.keys.bob, json: { role: 'data_scientist' } })).status, 400);
        assert.equal((await world.call('DELETE', '/api/v1/projects/alpha/members/dave', { key: world.keys.alice })).status, 204);
        assert.deepEqual(await projectNames(world, world.keys.dave), ['beta']);
        const members = await json(await world.call('GET', '/api/v1/projects/alpha/members', { key: world.keys.carol }));
        assert.deepEqual(members.items.map((m: { user: string; role: string }) => `${m.user}:${m.role}`), ['alice:owner', 'bob:data_owner', 'carol:data_scientist']);
      });
    });

    it('API keys: three header forms; missing, malformed, wrong and revoked keys are 401; keys are stored hashed', async () => {
      await withServer(kind, async (world) => {
        const key = world.keys.alice;
        for (const headers of [{ 'x-api-key': key }, { authorization: `ApiKey ${key}` }, { authorization: `Bearer ${key}` }] as Record<string, string>[]) {
          assert.equal((await world.call('GET', '/api/v1/projects', { headers })).status, 200);
        }
        const wrongSecret = key.slice(0, -4) + (key.endsWith('AAAA') ? 'BBBB' : 'AAAA');
        for (const headers of [{}, { 'x-api-key': 'nonsense' }, { 'x-api-key': wrongSecret }, { authorization: `Basic ${key}` }] as Record<string, string>[]) {
          const response = await world.call('GET', '/api/v1/projects', { headers });
          assert.equal(response.status, 401);
          assert.equal((await json(response)).code, 'UNAUTHENTICATED');
        }
        const created = await json(await world.call('POST', '/api/v1/apikeys', { key, json: { name: 'reader', scopes: ['fs:read'] } }));
        assert.deepEqual(created.scopes, ['fs:read']);
        const listed = await json(await world.call('GET', '/api/v1/apikeys', { key }));
        assert.deepEqual(listed.items.map((k: { name: string }) => k.name), ['main', 'reader']);
        assert.ok(!JSON.stringify(listed).includes(created.key.split('.')[1]));
        // Only sha256 of the secret is in the database.
        const rows = await world.humle.fs.engine.read((tx) => tx.all<{ secret_hash: Buffer }>('SELECT secret_hash FROM hm_api_keys'));
        assert.ok(rows.every((row) => !Buffer.from(row.secret_hash).toString('latin1').includes(created.key.split('.')[1])));
        assert.equal((await world.call('GET', '/api/v1/projects', { key: created.key })).status, 200);
        // A narrow key cannot mint a wider one, nor create projects.
        const wider = await world.call('POST', '/api/v1/apikeys', { key: created.key, json: { name: 'wider', scopes: ['fs:write'] } });
        assert.equal(wider.status, 403);
        assert.equal((await world.call('POST', '/api/v1/projects', { key: created.key, json: { name: 'nope' } })).status, 403);
        assert.equal((await world.call('DELETE', '/api/v1/apikeys/reader', { key })).status, 204);
        assert.equal((await world.call('GET', '/api/v1/projects', { key: created.key })).status, 401);
        assert.equal((await world.call('DELETE', '/api/v1/apikeys/reader', { key })).status, 404);
        // Another user's key of the same name is not reachable.
        assert.equal((await world.call('DELETE', '/api/v1/apikeys/main', { key: world.keys.bob })).status, 204);
        assert.equal((await world.call('GET', '/api/v1/projects', { key })).status, 200);
        assert.equal((await world.call('GET', '/api/v1/projects', { key: world.keys.bob })).status, 401);
      });
    });

    it('bad input is refused with typed errors and changes nothing', async () => {
      await withServer(kind, async (world) => {
        const key = world.keys.alice;
        const post = (body: BodyInit | undefined, headers: Record<string, string>) => world.call('POST', '/api/v1/projects', { key, body, headers });
        const cases: [Response, number, string][] = [
          [await post('{"name": "x"', { 'content-type': 'application/json' }), 400, 'MALFORMED_JSON'],
          [await post('', { 'content-type': 'application/json' }), 400, 'MALFORMED_JSON'],
          [await post('name=x', { 'content-type': 'application/x-www-form-urlencoded' }), 415, 'UNSUPPORTED_MEDIA_TYPE'],
          [await post('{"name":"x"}', { 'content-type': 'text/plain' }), 415, 'UNSUPPORTED_MEDIA_TYPE'],
          [await post(JSON.stringify({ name: 'x', padding: 'p'.repeat(2 * 1024 * 1024) }), { 'content-type': 'application/json' }), 413, 'PAYLOAD_TOO_LARGE'],
          [await post('{"name":"x","owner":"dave"}', { 'content-type': 'application/json' }), 400, 'INVALID_REQUEST'],
          [await post('{"name":42}', { 'content-type': 'application/json' }), 400, 'INVALID_REQUEST'],
          [await post('{"name":"../etc"}', { 'content-type': 'application/json' }), 400, 'INVALID_REQUEST'],
          [await post('{"name":"x".repeat(70)}', { 'content-type': 'application/json' }), 400, 'MALFORMED_JSON'],
          [await post(JSON.stringify({ name: 'y'.repeat(70) }), { 'content-type': 'application/json' }), 400, 'INVALID_REQUEST'],
          [await post('[]', { 'content-type': 'application/json' }), 400, 'INVALID_REQUEST'],
          [await world.call('GET', '/api/v1/projects/bad-name', { key }), 400, 'INVALID_REQUEST'],
          [await world.call('GET', '/api/v1/nothing-here', { key }), 404, 'ROUTE_NOT_FOUND'],
          [await world.call('POST', '/api/v1/projects/alpha/members', { key, json: { user: 'bob:x', role: 'data_owner' } }), 400, 'INVALID_REQUEST'],
          [await world.call('POST', '/api/v1/apikeys', { key, json: { name: 'k', scopes: ['root'] } }), 400, 'INVALID_REQUEST'],
        ];
        for (const [response, status, code] of cases) {
          const body = await json(response);
          assert.equal(response.status, status, JSON.stringify(body));
          assert.equal(body.code, code);
          assert.equal(typeof body.message, 'string');
          assert.equal(typeof body.details, 'object');
        }
        assert.deepEqual(await projectNames(world, key), ['alpha']);
        assert.deepEqual((await world.humle.listProjects()).map((p) => p.name), ['alpha', 'beta']);
        assert.equal(await world.humle.fs.exists('/Projects/x'), false);
        assert.deepEqual((await world.humle.platform.apiKeys.list('alice')).map((k) => k.name), ['main']);
      });
    });

    it('serves its OpenAPI 3 document without a key, with the routes and their schemas', async () => {
      await withServer(kind, async (world) => {
        const response = await world.call('GET', '/api/v1/openapi.json');
        assert.equal(response.status, 200);
        const doc = await json(response);
        assert.match(doc.openapi, /^3\./);
        for (const path of ['/api/v1/projects', '/api/v1/projects/{project}', '/api/v1/projects/{project}/members', '/api/v1/projects/{project}/members/{user}', '/api/v1/apikeys', '/api/v1/apikeys/{name}', '/api/v1/oauth2/token']) {
          assert.ok(doc.paths[path], `missing ${path}`);
        }
        const createProject = doc.paths['/api/v1/projects'].post;
        assert.equal(createProject.requestBody.content['application/json'].schema.additionalProperties, false);
        assert.ok(createProject.responses['201']);
        assert.ok(doc.components.securitySchemes.apiKey);
      });
    });

    it('an OAuth2 client-credentials grant turns a live API key into a bearer token', async () => {
      await withServer(kind, async (world) => {
        const grant = (secret: string) =>
          world.call('POST', '/api/v1/oauth2/token', { body: `grant_type=client_credentials&client_id=humle&client_secret=${encodeURIComponent(secret)}`, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
        const token = await json(await grant(world.keys.carol));
        assert.equal(token.token_type, 'Bearer');
        assert.equal((await world.call('GET', '/api/v1/projects', { headers: { authorization: `Bearer ${token.access_token}` } })).status, 200);
        assert.equal((await grant('not-a-key')).status, 401);
      });
    });
  });
}
