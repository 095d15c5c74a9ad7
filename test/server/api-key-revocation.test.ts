import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { testEngines } from '../support/engines.js';
import { withServer } from '../support/server-fixture.js';

async function json(response: Response): Promise<any> {
  return JSON.parse(await response.text());
}

for (const kind of testEngines()) {
  describe(`API key management by a narrow key (${kind})`, () => {
    it('a read-only key cannot revoke a wider key of its user: 403 ACCESS_DENIED, the key stays live', async () => {
      await withServer(kind, async (world) => {
        const keys = world.humle.platform.apiKeys;
        const reader = (await keys.create('bob', 'reader', ['featurestore:read', 'fs:read'])).key;
        const refused = await world.call('DELETE', '/api/v1/apikeys/main', { key: reader });
        assert.equal(refused.status, 403);
        const body = await json(refused);
        assert.equal(body.code, 'ACCESS_DENIED');
        assert.deepEqual(body.details.scopes, ['featurestore:write', 'fs:write', 'project:admin']);
        assert.deepEqual((await keys.list('bob')).map((k) => k.name), ['main', 'reader']);
        assert.equal((await world.call('GET', '/api/v1/projects', { key: world.keys.bob })).status, 200);
      });
    });

    it('a key revokes keys whose scopes it holds, itself included; a missing key is still 404', async () => {
      await withServer(kind, async (world) => {
        const keys = world.humle.platform.apiKeys;
        const reader = (await keys.create('bob', 'reader', ['featurestore:read', 'fs:read'])).key;
        await keys.create('bob', 'narrower', ['fs:read']);
        await keys.create('bob', 'same', ['featurestore:read', 'fs:read']);
        assert.equal((await world.call('DELETE', '/api/v1/apikeys/narrower', { key: reader })).status, 204);
        assert.equal((await world.call('DELETE', '/api/v1/apikeys/same', { key: reader })).status, 204);
        assert.equal((await json(await world.call('DELETE', '/api/v1/apikeys/nothing', { key: reader }))).code, 'API_KEY_NOT_FOUND');
        assert.equal((await world.call('DELETE', '/api/v1/apikeys/reader', { key: reader })).status, 204);
        assert.equal((await world.call('GET', '/api/v1/apikeys', { key: reader })).status, 401);
        // The full key revokes anything of its user.
        await keys.create('bob', 'reader', ['fs:read']);
        assert.equal((await world.call('DELETE', '/api/v1/apikeys/reader', { key: world.keys.bob })).status, 204);
        assert.deepEqual((await keys.list('bob')).map((k) => k.name), ['main']);
      });
    });

    it('a key cannot create a key with a scope it lacks, even a partly wider one; nothing is created', async () => {
      await withServer(kind, async (world) => {
        const keys = world.humle.platform.apiKeys;
        const reader = (await keys.create('bob', 'reader', ['fs:read'])).key;
        const refused = await world.call('POST', '/api/v1/apikeys', { key: reader, json: { name: 'wider', scopes: ['fs:read', 'fs:write'] } });
        assert.equal(refused.status, 403);
        assert.deepEqual((await json(refused)).details.scopes, ['fs:write']);
        assert.deepEqual((await keys.list('bob')).map((k) => k.name), ['main', 'reader']);
      });
    });

    it('the administrator (no acting key) still revokes any key', async () => {
      await withServer(kind, async (world) => {
        await world.humle.platform.apiKeys.revoke('bob', 'main');
        assert.equal((await world.call('GET', '/api/v1/projects', { key: world.keys.bob })).status, 401);
      });
    });
  });
}
