import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServerProcess } from '../support/server-process.js';
import { describeCli } from './cli-harness.js';

describeCli('humle project, apikey and server', (withCli) => {
  test('project create, list, members and add-member; refusals have their exit codes and change nothing', () =>
    withCli(async (cli) => {
      const created = await cli.json<{ name: string; owner: string }>(['project', 'create', 'fraud', '--owner', 'alice']);
      assert.deepEqual([created.name, created.owner], ['fraud', 'alice']);
      await cli.ok(['project', 'add-member', 'fraud', 'bob', '--role', 'data_scientist']);
      const members = await cli.json<{ user: string; role: string }[]>(['project', 'members', 'fraud']);
      assert.deepEqual(members.map((m) => `${m.user}:${m.role}`), ['alice:owner', 'bob:data_scientist']);
      assert.match((await cli.ok(['project', 'list'])).stdout, /^NAME +OWNER +CREATED\nfraud +alice +\d{4}-/);
      const bobs = await cli.json<{ name: string; role: string }[]>(['project', 'list', '--member', 'bob']);
      assert.deepEqual(bobs.map((p) => `${p.name}:${p.role}`), ['fraud:data_scientist']);
      assert.equal((await cli.fails(5, ['project', 'create', 'fraud'])).code, 'PROJECT_EXISTS');
      assert.equal((await cli.fails(5, ['project', 'add-member', 'fraud', 'bob', '--role', 'data_owner'])).code, 'MEMBER_EXISTS');
      assert.equal((await cli.fails(3, ['project', 'members', 'nope'])).code, 'PROJECT_NOT_FOUND');
      assert.equal((await cli.fails(2, ['project', 'create', '9lives'])).code, 'INVALID_ARGUMENT');
      assert.equal((await cli.fails(2, ['project', 'add-member', 'fraud', 'carol', '--role', 'owner'])).code, 'USAGE');
      assert.equal((await cli.fails(2, ['project', 'create', 'supergroup'])).code, 'INVALID_ARGUMENT');
      const after = await cli.json<{ user: string }[]>(['project', 'members', 'fraud']);
      assert.deepEqual(after.map((m) => m.user), ['alice', 'bob']);
      await cli.withFs(async (fs) => {
        const status = await fs.getFileStatus('/Projects/fraud');
        assert.deepEqual([status.owner, status.group, status.permissionString], ['alice', 'fraud', 'drwxrwx---']);
      });
    }));

  test('apikey create prints a key the server accepts; list shows no secret; revoke makes the server refuse it', () =>
    withCli(async (cli) => {
      await cli.ok(['project', 'create', 'fraud', '--owner', 'alice']);
      const key = (await cli.ok(['apikey', 'create', '--name', 'laptop', '--project', 'fraud', '--role', 'data_owner'], { user: 'bob' })).stdout.trim();
      assert.match(key, /^[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{43}$/);
      const listed = await cli.json<{ name: string; prefix: string; scopes: string[] }[]>(['apikey', 'list'], { user: 'bob' });
      assert.deepEqual(listed.map((k) => [k.name, k.prefix]), [['laptop', key.split('.')[0]]]);
      assert.equal((await cli.fails(2, ['apikey', 'create', '--project', 'fraud'], { user: 'bob' })).code, 'USAGE');
      assert.equal((await cli.fails(5, ['apikey', 'create', '--name', 'laptop'], { user: 'bob' })).code, 'API_KEY_EXISTS');
      const server = await startServerProcess({ dataDir: cli.store.dataDir, dbUrl: cli.store.url });
      try {
        const projects = await fetch(`${server.url}/api/v1/projects`, { headers: { 'x-api-key': key } });
        assert.equal(projects.status, 200);
        assert.deepEqual(((await projects.json()) as { items: { name: string; role: string }[] }).items.map((p) => `${p.name}:${p.role}`), ['fraud:data_owner']);
        await cli.ok(['apikey', 'revoke', 'laptop'], { user: 'bob' });
        assert.equal((await fetch(`${server.url}/api/v1/projects`, { headers: { 'x-api-key': key } })).status, 401);
        assert.equal((await cli.fails(3, ['apikey', 'revoke', 'laptop'], { user: 'bob' })).code, 'API_KEY_NOT_FOUND');
      } finally {
        assert.equal(await server.stop(), 0, 'SIGTERM stops the server cleanly');
      }
      assert.equal((await cli.fails(2, ['server', '--port', '99999'])).code, 'USAGE');
    }));

  test('server --processes 2: the processes share the port and serve the RonDB routes; SIGTERM stops them all', () =>
    withCli(async (cli) => {
      await cli.ok(['project', 'create', 'fraud', '--owner', 'alice']);
      const key = (await cli.ok(['apikey', 'create', '--name', 'serving'], { user: 'alice' })).stdout.trim();
      const server = await startServerProcess({ dataDir: cli.store.dataDir, dbUrl: cli.store.url, serverArgs: ['--processes', '2', '--serving-workers', '0'] });
      try {
        // Each request on its own connection: node:cluster hands connections to the processes in turn.
        for (let i = 0; i < 8; i++) {
          const response = await fetch(`${server.url}/0.1.0/fraud/nothing_1/pk-read`, {
            method: 'POST',
            headers: { 'x-api-key': key, 'content-type': 'application/json', connection: 'close' },
            body: JSON.stringify({ filters: [{ column: 'id', value: 1 }] }),
          });
          assert.deepEqual([response.status, ((await response.json()) as { code: number }).code], [400, 11]);
        }
      } finally {
        assert.equal(await server.stop(), 0, 'SIGTERM stops the supervisor and its server processes');
      }
      assert.equal((await cli.fails(2, ['server', '--processes', '0'])).code, 'USAGE');
    }));
});
