import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startServerProcess } from '../support/server-process.js';
import { describeCli, type Cli } from './cli-harness.js';

const CSV = 'cc_num,ts,amount,category\n4242,2026-01-01T10:00:00Z,12.50,food\n4343,2026-01-01T11:00:00.123456Z,80,"travel, abroad"\n';
const NDJSON = '{"cc_num":4242,"ts":"2026-01-02T09:00:00Z","amount":"3.00","category":"food"}\n';
const CREATE = ['create', 'transactions', '--primary-key', 'cc_num', '--event-time', 'ts', '--online', '--feature', 'cc_num:bigint', '--feature', 'ts:timestamp', '--feature', 'amount:decimal(10,2)', '--feature', 'category:string'];

function localFile(cli: Cli, name: string, text: string): string {
  const path = join(cli.local, name);
  writeFileSync(path, text);
  return path;
}

/** Runs the same fg command on the data directory and through the server; both must succeed alike. */
async function bothWays(cli: Cli, remote: string[], args: string[]): Promise<{ local: string; remote: string }> {
  const local = await cli.ok(['--json', 'fg', '--project', 'fraud', ...args]);
  const through = await cli.ok(['--json', ...remote, 'fg', '--project', 'remote', ...args]);
  return { local: local.stdout, remote: through.stdout };
}

/** A server on the CLI's store, and alice's key (`humle apikey create` on the data directory) to call it with. */
async function withServerFor(cli: Cli, use: (remote: string[], url: string, key: string) => Promise<void>): Promise<void> {
  await cli.ok(['project', 'create', 'fraud', '--owner', 'alice']);
  const key = (await cli.ok(['apikey', 'create', '--name', 'laptop'], { user: 'alice' })).stdout.trim();
  // The CLI harness formats the file system as hdfs: the server runs as that superuser, as a service would.
  const server = await startServerProcess({ dataDir: cli.store.dataDir, dbUrl: cli.store.url, user: 'hdfs' });
  try {
    await use(['--url', server.url, '--api-key', key], server.url, key);
  } finally {
    assert.equal(await server.stop(), 0);
  }
}

describeCli('humle against a server (--url, --api-key, HUMLE_URL, HUMLE_API_KEY)', (withCli) => {
  test('project and apikey commands run through the server as the key’s user; what only the administrator does is refused', () =>
    withCli((cli) =>
      withServerFor(cli, async (remote, url) => {
        // Projects: created and listed as alice, whoever --user says; members only of users the server knows.
        const created = await cli.json<{ name: string; owner: string }>([...remote, 'project', 'create', 'remote'], { user: 'mallory' });
        assert.deepEqual([created.name, created.owner], ['remote', 'alice']);
        assert.deepEqual((await cli.json<{ name: string }[]>([...remote, 'project', 'list'])).map((p) => p.name), ['fraud', 'remote']);
        assert.equal((await cli.fails(3, [...remote, 'project', 'add-member', 'remote', 'bob', '--role', 'data_scientist'])).code, 'USER_NOT_FOUND');
        await cli.ok(['apikey', 'create', '--name', 'bob'], { user: 'bob' });
        await cli.ok([...remote, 'project', 'add-member', 'remote', 'bob', '--role', 'data_scientist']);
        const members = await cli.json<{ user: string; role: string }[]>([...remote, 'project', 'members', 'remote']);
        assert.deepEqual(members.map((m) => `${m.user}:${m.role}`), ['alice:owner', 'bob:data_scientist']);
        assert.match((await cli.ok([...remote, 'project', 'members', 'remote'])).stdout, /^USER +ROLE\nalice +owner\nbob +data_scientist\n$/);
        assert.equal((await cli.fails(5, [...remote, 'project', 'create', 'remote'])).code, 'PROJECT_EXISTS');
        assert.equal((await cli.fails(3, [...remote, 'project', 'members', 'elsewhere'])).code, 'PROJECT_NOT_FOUND');
        // What only the data directory's administrator does is refused on a server, before anything changes.
        assert.equal((await cli.fails(2, [...remote, 'project', 'create', 'other', '--owner', 'bob'])).code, 'USAGE');
        assert.equal((await cli.fails(2, [...remote, 'project', 'list', '--member', 'bob'])).code, 'USAGE');
        assert.equal((await cli.fails(2, [...remote, 'apikey', 'create', '--project', 'fraud', '--role', 'data_owner'])).code, 'USAGE');

        // API keys of alice: by default with the calling key's scopes, never wider; a revoked key is refused from then on.
        const ci = await cli.json<{ key: string; name: string; scopes: string[] }>([...remote, 'apikey', 'create', '--name', 'ci', '--scope', 'featurestore:read']);
        assert.deepEqual([ci.name, ci.scopes], ['ci', ['featurestore:read']]);
        assert.deepEqual((await cli.json<{ name: string }[]>([...remote, 'apikey', 'list'])).map((k) => k.name), ['ci', 'laptop']);
        const narrow = ['--url', url, '--api-key', ci.key];
        assert.deepEqual((await cli.json<{ scopes: string[] }>([...narrow, 'apikey', 'create', '--name', 'same'])).scopes, ['featurestore:read']);
        assert.equal((await cli.fails(4, [...narrow, 'apikey', 'create', '--name', 'wider', '--scope', 'project:admin'])).code, 'ACCESS_DENIED');
        await cli.ok([...remote, 'apikey', 'revoke', 'ci']);
        assert.equal((await cli.fails(4, [...narrow, 'project', 'list'])).code, 'UNAUTHENTICATED');
        assert.equal((await cli.fails(3, [...remote, 'apikey', 'revoke', 'ci'])).code, 'API_KEY_NOT_FOUND');
      }),
    ));

  test('fg commands print through the server what they print on the data directory (HUMLE_URL, HUMLE_API_KEY)', () =>
    withCli((cli) =>
      withServerFor(cli, async (remote, url, key) => {
        await cli.ok([...remote, 'project', 'create', 'remote']);
        const env = { HUMLE_URL: url, HUMLE_API_KEY: key };
        const csv = localFile(cli, 'transactions.csv', CSV);
        const ndjson = localFile(cli, 'late.ndjson', NDJSON);
        const fromEnv = (args: string[]) => cli.ok(['--json', 'fg', '--project', 'remote', ...args], { env });
        await cli.ok(['fg', '--project', 'fraud', ...CREATE]);
        await fromEnv(CREATE);
        for (const file of [csv, ndjson]) {
          const local = JSON.parse((await cli.ok(['--json', 'fg', '--project', 'fraud', 'insert', 'transactions', file])).stdout);
          const through = JSON.parse((await fromEnv(['insert', 'transactions', file])).stdout);
          assert.deepEqual({ ...through, committedOn: null }, { ...local, committedOn: null });
        }
        for (const args of [['read', 'transactions'], ['read', 'transactions', '--as-of', '0'], ['changes', 'transactions', '--from', '0'], ['list']]) {
          const { local, remote: through } = await bothWays(cli, remote, args);
          assert.equal(through, local, args.join(' '));
        }
        const csvOut = (await cli.ok([...remote, 'fg', '--project', 'remote', 'read', 'transactions'])).stdout;
        assert.equal(
          csvOut,
          'cc_num,ts,amount,category\n4242,2026-01-01T10:00:00.000000Z,12.50,food\n4242,2026-01-02T09:00:00.000000Z,3.00,food\n4343,2026-01-01T11:00:00.123456Z,80.00,"travel, abroad"\n',
        );
        const described = JSON.parse((await fromEnv(['describe', 'transactions'])).stdout);
        assert.deepEqual([described.location, described.latestCommit.commitId], ['/Projects/remote/remote_featurestore.db/transactions_1', 1]);
        const commits = JSON.parse((await fromEnv(['commits', 'transactions'])).stdout);
        assert.deepEqual(commits.map((c: { commitId: number }) => c.commitId), [1, 0]);
        const stats = JSON.parse((await fromEnv(['stats', 'transactions', '--compute'])).stdout);
        assert.equal(stats.rowCount, 3);
        const bad = localFile(cli, 'bad.csv', 'cc_num,ts,amount,category\n1,2026-01-03T00:00:00Z,1,a\n2,not a time,2,b\n');
        const refused = await cli.fails(7, [...remote, 'fg', '--project', 'remote', 'insert', 'transactions', bad]);
        assert.deepEqual([refused.code, refused.details.row, refused.details.column], ['FEATURE_INVALID_DATA', 1, 'ts']);
        assert.equal((await cli.fails(3, [...remote, 'fg', '--project', 'remote', 'read', 'nothing'])).code, 'FEATURE_GROUP_NOT_FOUND');
        await cli.ok([...remote, 'fg', '--project', 'remote', 'delete', 'transactions', '--version', '1']);
        assert.deepEqual(JSON.parse((await fromEnv(['list'])).stdout), []);
      }),
    ));

  test('a wrong or missing key, a server that is not there, and commands of the data directory given --url fail with their exit codes', () =>
    withCli(async (cli) => {
      let gone = '';
      await withServerFor(cli, async (remote, url) => {
        gone = url;
        assert.equal((await cli.fails(4, ['--url', url, '--api-key', 'nope', 'project', 'list'])).code, 'UNAUTHENTICATED');
        assert.equal((await cli.fails(2, ['--url', url, 'project', 'list'])).code, 'USAGE');
        // humle fs and humle server work on the data directory and say so rather than ignore --url.
        assert.equal((await cli.fails(2, [...remote, 'fs', 'ls', '/'])).code, 'USAGE');
        assert.equal((await cli.fails(2, [...remote, 'server', '--port', '0'])).code, 'USAGE');
      });
      assert.equal((await cli.fails(1, ['--url', gone, '--api-key', 'any.key', 'project', 'list'])).code, 'SERVER_UNREACHABLE');
    }));
});
