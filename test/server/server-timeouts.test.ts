import assert from 'node:assert/strict';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { InvalidArgumentError } from '../../src/errors/humle-error.js';
import { Humle } from '../../src/humle.js';
import type { ServerTimeouts } from '../../src/server/connection-limits.js';
import { buildServer } from '../../src/server/http-server.js';
import { createTestStore } from '../support/engines.js';
import { startServerProcess } from '../support/server-process.js';

interface TimedServer {
  app: FastifyInstance;
  humle: Humle;
  port: number;
  /** alice's key (she owns project alpha). */
  key: string;
}

/** Raw connections of the running test, destroyed before its server closes (a socket left open would hold it). */
const openClients = new Set<Socket>();

/** A server with small limits (the database plays no part in them: SQLite). */
async function withTimedServer(timeouts: Partial<ServerTimeouts>, fn: (server: TimedServer) => Promise<void>): Promise<void> {
  const store = await createTestStore('sqlite');
  const humle = await Humle.open({ dataDir: store.dataDir, engine: store.engine, user: 'hdfs' });
  const app = await buildServer({ humle, timeouts });
  try {
    await humle.platform.users.ensure('alice');
    await humle.platform.createProject('alpha', 'alice');
    const key = (await humle.platform.apiKeys.create('alice', 'main', ['fs:read', 'fs:write'])).key;
    await app.listen({ port: 0, host: '127.0.0.1' });
    await fn({ app, humle, port: (app.server.address() as AddressInfo).port, key });
  } finally {
    for (const socket of openClients) socket.destroy();
    openClients.clear();
    await app.close();
    await humle.close();
    await store.dispose();
  }
}

/** A raw connection that records what it receives and when it closed. */
interface RawClient {
  socket: Socket;
  received(): string;
  /** Resolves with the ms from `since` to the socket's close; rejects if it stays open `withinMs`. */
  closedWithin(withinMs: number, since?: number): Promise<number>;
  /** Writes one byte every `everyMs` until the socket closes or `stop` is called. */
  drip(everyMs: number): { stop(): void };
}

async function rawClient(port: number): Promise<RawClient> {
  const socket = connect(port, '127.0.0.1');
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  openClients.add(socket);
  let data = '';
  let closedAt: number | undefined;
  const closed = new Promise<void>((resolve) => socket.once('close', () => ((closedAt = Date.now()), resolve())));
  socket.on('data', (chunk: Buffer) => (data += chunk.toString('latin1')));
  socket.on('error', () => {}); // a reset by the server is one way of closing
  return {
    socket,
    received: () => data,
    async closedWithin(withinMs, since = Date.now()) {
      const timer = new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`still open after ${withinMs} ms; received ${JSON.stringify(data)}`)), withinMs).unref());
      await Promise.race([closed, timer]);
      return closedAt! - since;
    },
    drip(everyMs) {
      const interval = setInterval(() => {
        if (!socket.destroyed) socket.write('x');
      }, everyMs);
      socket.once('close', () => clearInterval(interval));
      return { stop: () => clearInterval(interval) };
    },
  };
}

describe('server timeouts and refused bodies', () => {
  it('a request without a key announcing a huge body, then a byte at a time, gets 401 and its connection is closed', async () => {
    await withTimedServer({ bodyIdleMs: 60_000 }, async (server) => {
      for (const head of [
        'PUT /webhdfs/v1/Projects/alpha/f?op=CREATE&data=true&datanode=true HTTP/1.1',
        'POST /api/v1/projects/alpha/featuregroups/g/1/rows HTTP/1.1',
      ]) {
        const client = await rawClient(server.port);
        client.socket.write(`${head}\r\nHost: x\r\nContent-Type: application/octet-stream\r\nContent-Length: 100000000\r\n\r\nx`);
        client.drip(50);
        await client.closedWithin(3_000);
        assert.match(client.received(), /^HTTP\/1\.1 401 /);
        assert.match(client.received(), /\r\nconnection: close\r\n/i);
      }
    });
  });

  it('headers sent a byte at a time, or none at all, are cut off after headersMs', async () => {
    await withTimedServer({ headersMs: 400 }, async (server) => {
      const slow = await rawClient(server.port);
      const start = Date.now();
      slow.socket.write('GET /0.1.0/ping HTTP/1.1\r\nHost: x\r\nX-Slow: ');
      slow.drip(50);
      const silent = await rawClient(server.port);
      assert.ok((await slow.closedWithin(3_000, start)) >= 350);
      await silent.closedWithin(3_000);
    });
  });

  it('an idle keep-alive connection is closed after keepAliveMs', async () => {
    await withTimedServer({ keepAliveMs: 300 }, async (server) => {
      const client = await rawClient(server.port);
      client.socket.write('GET /0.1.0/ping HTTP/1.1\r\nHost: x\r\n\r\n');
      while (!client.received().includes('\r\n\r\n')) await new Promise((resolve) => setTimeout(resolve, 10));
      const answered = Date.now();
      assert.match(client.received(), /^HTTP\/1\.1 200 /);
      assert.ok((await client.closedWithin(3_000, answered)) >= 250);
    });
  });

  it('a WebHDFS upload that keeps moving outlives bodyIdleMs; one that stops is cut off after it', async () => {
    await withTimedServer({ bodyIdleMs: 400 }, async (server) => {
      const upload = async (name: string) => {
        const first = await fetch(`http://127.0.0.1:${server.port}/webhdfs/v1/Projects/alpha/${name}?op=CREATE`, { method: 'PUT', headers: { 'x-api-key': server.key }, redirect: 'manual' });
        assert.equal(first.status, 307);
        const location = new URL(first.headers.get('location')!);
        const client = await rawClient(server.port);
        client.socket.write(`PUT ${location.pathname}${location.search} HTTP/1.1\r\nHost: x\r\nX-API-KEY: ${server.key}\r\nContent-Type: application/octet-stream\r\nTransfer-Encoding: chunked\r\n\r\n`);
        return client;
      };
      // Slow but moving: 30 chunks, one every 50 ms (1.5 s in all, well past the 400 ms idle limit).
      const moving = await upload('moving');
      for (let i = 0; i < 30; i++) {
        moving.socket.write('1\r\nx\r\n');
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      moving.socket.write('0\r\n\r\n');
      while (!moving.received().includes('\r\n\r\n')) await new Promise((resolve) => setTimeout(resolve, 10));
      assert.match(moving.received(), /^HTTP\/1\.1 201 /);
      assert.equal((await server.humle.fs.readFile('/Projects/alpha/moving')).toString(), 'x'.repeat(30));
      moving.socket.destroy();

      const stalled = await upload('stalled');
      stalled.socket.write('1\r\nx\r\n');
      const lastByte = Date.now();
      assert.ok((await stalled.closedWithin(3_000, lastByte)) >= 350);
    });
  });

  it('requestMs bounds a whole request when set, however it moves', async () => {
    await withTimedServer({ headersMs: 300, requestMs: 600 }, async (server) => {
      const client = await rawClient(server.port);
      const start = Date.now();
      client.socket.write(`PUT /webhdfs/v1/Projects/alpha/f?op=CREATE&data=true&datanode=true HTTP/1.1\r\nHost: x\r\nX-API-KEY: ${server.key}\r\nContent-Type: application/octet-stream\r\nContent-Length: 100000\r\n\r\n`);
      client.drip(50);
      assert.ok((await client.closedWithin(3_000, start)) >= 550);
    });
  });

  it('`humle server --keep-alive-timeout` and the other flags reach the server; a bad value is refused', async () => {
    const store = await createTestStore('sqlite');
    try {
      const server = await startServerProcess({ dataDir: store.dataDir, dbUrl: store.url, serverArgs: ['--keep-alive-timeout', '300', '--headers-timeout', '2000', '--body-idle-timeout', '2000'] });
      try {
        const client = await rawClient(server.port);
        client.socket.write('GET /0.1.0/ping HTTP/1.1\r\nHost: x\r\n\r\n');
        await client.closedWithin(3_000);
        assert.match(client.received(), /^HTTP\/1\.1 200 /);
      } finally {
        await server.stop();
      }
      await assert.rejects(startServerProcess({ dataDir: store.dataDir, dbUrl: store.url, serverArgs: ['--headers-timeout', '0'] }), /--headers-timeout must be an integer number of milliseconds from 1/);
      await assert.rejects(startServerProcess({ dataDir: store.dataDir, dbUrl: store.url, serverArgs: ['--request-timeout', 'soon'] }), /--request-timeout must be a whole number/);
    } finally {
      for (const socket of openClients) socket.destroy();
      openClients.clear();
      await store.dispose();
    }
  });

  it('refuses limits that would be no limit, with a typed error', async () => {
    const store = await createTestStore('sqlite');
    const humle = await Humle.open({ dataDir: store.dataDir, engine: store.engine, user: 'hdfs' });
    try {
      for (const timeouts of [{ headersMs: 0 }, { bodyIdleMs: -1 }, { keepAliveMs: 1.5 }, { requestMs: 100, headersMs: 200 }, { headersMs: Number.NaN }]) {
        await assert.rejects(buildServer({ humle, timeouts }), InvalidArgumentError, JSON.stringify(timeouts));
      }
    } finally {
      await humle.close();
      await store.dispose();
    }
  });
});
