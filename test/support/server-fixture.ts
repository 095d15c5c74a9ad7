import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { Humle } from '../../src/humle.js';
import { buildServer } from '../../src/server/http-server.js';
import { createTestStore, type EngineKind } from './engines.js';

/**
 * The people of the server tests. alice owns project `alpha`, where bob is a data owner and carol a data scientist;
 * dave owns `beta` and is in nothing else. Each has one key with every scope.
 */
export interface ServerWorld {
  kind: EngineKind;
  humle: Humle;
  app: FastifyInstance;
  /** http://127.0.0.1:<port> */
  url: string;
  keys: { alice: string; bob: string; carol: string; dave: string };
  /** fetch against the server with `key` as X-API-KEY (none when undefined). */
  call(method: string, path: string, options?: { key?: string; json?: unknown; body?: BodyInit; headers?: Record<string, string>; redirect?: RequestRedirect }): Promise<Response>;
}

export async function withServer<T>(kind: EngineKind, fn: (world: ServerWorld) => Promise<T>, options: { insecure?: boolean; insertBodyLimit?: number } = {}): Promise<T> {
  const store = await createTestStore(kind);
  // `hdfs` formats the file system, so it is its superuser, as the service user of a Hopsworks cluster.
  const humle = await Humle.open({ dataDir: store.dataDir, engine: store.engine, user: 'hdfs' });
  const app = await buildServer({ humle, insecure: options.insecure, insertBodyLimit: options.insertBodyLimit });
  try {
    const platform = humle.platform;
    for (const user of ['alice', 'bob', 'carol', 'dave']) await platform.users.ensure(user);
    const alpha = await platform.createProject('alpha', 'alice');
    await platform.addMember(alpha, 'bob', 'data_owner');
    await platform.addMember(alpha, 'carol', 'data_scientist');
    await platform.createProject('beta', 'dave');
    const all = ['featurestore:read', 'featurestore:write', 'fs:read', 'fs:write', 'project:admin'];
    const keyOf = async (user: string) => (await platform.apiKeys.create(user, 'main', all)).key;
    const keys = { alice: await keyOf('alice'), bob: await keyOf('bob'), carol: await keyOf('carol'), dave: await keyOf('dave') };
    await app.listen({ port: 0, host: '127.0.0.1' });
    const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    const call: ServerWorld['call'] = (method, path, o = {}) => {
      const headers: Record<string, string> = { ...o.headers };
      if (o.key !== undefined) headers['x-api-key'] = o.key;
      let body = o.body;
      if (o.json !== undefined) {
        headers['content-type'] ??= 'application/json';
        body = JSON.stringify(o.json);
      }
      return fetch(url + path, { method, headers, body, redirect: o.redirect ?? 'manual', duplex: 'half' } as RequestInit);
    };
    return await fn({ kind, humle, app, url, keys, call });
  } finally {
    await app.close();
    await humle.close();
    await store.dispose();
  }
}
