import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { Humle } from '../../src/humle.js';
import { buildServer } from '../../src/server/http-server.js';
import { createTestStore, testEngines, type EngineKind } from '../support/engines.js';

interface Instance {
  humle: Humle;
  app: FastifyInstance;
  url: string;
}

/**
 * Two Humle servers on one database (one data directory for SQLite, one MariaDB database), as `humle server
 * --processes` or several hosts run: alice owns `alpha` with an online group `orders`; bob is a data scientist there.
 */
async function withTwoServers(kind: EngineKind, fn: (a: Instance, b: Instance, bobKey: string) => Promise<void>): Promise<void> {
  const store = await createTestStore(kind);
  const instances: Instance[] = [];
  try {
    for (let i = 0; i < 2; i++) {
      const humle = await Humle.open({ dataDir: store.dataDir, engine: store.engine, user: 'hdfs' });
      const app = await buildServer({ humle });
      await app.listen({ port: 0, host: '127.0.0.1' });
      instances.push({ humle, app, url: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}` });
    }
    const platform = instances[0]!.humle.platform;
    for (const user of ['alice', 'bob']) await platform.users.ensure(user);
    const alpha = await platform.createProject('alpha', 'alice');
    await platform.addMember(alpha, 'bob', 'data_scientist');
    const orders = await (await instances[0]!.humle.project('alpha')).featureStore().createFeatureGroup({
      name: 'orders',
      primaryKey: ['order_id'],
      onlineEnabled: true,
      features: [
        { name: 'order_id', type: 'bigint' },
        { name: 'amount', type: 'double' },
      ],
    });
    await orders.insert([{ order_id: 1, amount: 2.5 }]);
    const bobKey = (await platform.apiKeys.create('bob', 'main', ['featurestore:read'])).key;
    await fn(instances[0]!, instances[1]!, bobKey);
  } finally {
    for (const { app, humle } of instances) {
      await app.close();
      await humle.close();
    }
    await store.dispose();
  }
}

/** A RonDB pk-read of order 1 on one server: its status. */
async function pkRead(server: Instance, key: string): Promise<number> {
  const response = await fetch(`${server.url}/0.1.0/alpha/orders_1/pk-read`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': key },
    body: JSON.stringify({ filters: [{ column: 'order_id', value: 1 }] }),
  });
  await response.text();
  return response.status;
}

for (const kind of testEngines()) {
  describe(`RonDB routes see key and membership changes of another server at once (${kind})`, () => {
    it('a key revoked through one server is refused by the other on the next request', async () => {
      await withTwoServers(kind, async (a, b, bobKey) => {
        // Both servers have verified and cached the key.
        assert.equal(await pkRead(a, bobKey), 200);
        assert.equal(await pkRead(b, bobKey), 200);
        const revoked = await fetch(`${a.url}/api/v1/apikeys/main`, { method: 'DELETE', headers: { 'x-api-key': bobKey } });
        assert.equal(revoked.status, 204);
        assert.equal(await pkRead(b, bobKey), 401);
        assert.equal(await pkRead(a, bobKey), 401);
      });
    });

    it('a member removed and added back through one server: the other refuses, then serves him again at once', async () => {
      await withTwoServers(kind, async (a, b, bobKey) => {
        assert.equal(await pkRead(b, bobKey), 200);
        const alpha = await a.humle.platform.project('alpha');
        await a.humle.platform.removeMember(alpha, 'bob');
        assert.equal(await pkRead(b, bobKey), 401);
        await a.humle.platform.addMember(alpha, 'bob', 'data_scientist');
        assert.equal(await pkRead(b, bobKey), 200);
      });
    });

    it('concurrent requests on a server share generation reads and still see a change made before they came', async () => {
      await withTwoServers(kind, async (a, b, bobKey) => {
        assert.deepEqual(await Promise.all([1, 2, 3, 4, 5, 6, 7, 8].map(() => pkRead(b, bobKey))), Array(8).fill(200));
        await a.humle.platform.apiKeys.revoke('bob', 'main');
        assert.deepEqual(await Promise.all([1, 2, 3, 4, 5, 6, 7, 8].map(() => pkRead(b, bobKey))), Array(8).fill(401));
      });
    });
  });
}
