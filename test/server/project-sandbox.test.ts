import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { testEngines } from '../support/engines.js';
import { withServer, type ServerWorld } from '../support/server-fixture.js';

// The attacks of issue 13 (security items 1-3), as the tester made them: over WebHDFS and the REST API, with API keys.
// alice owns alpha, bob is a data owner there, carol a data scientist; dave owns beta (see server-fixture.ts).

const W = '/webhdfs/v1';
const P = '/api/v1/projects/alpha';
const STORE = '/Projects/alpha/alpha_featurestore.db';
const GROUP_DIR = `${STORE}/events_1`;

/** A JSON answer parsed; file data (OPEN) as text. */
async function json(response: Response): Promise<any> {
  const text = await response.text();
  return (response.headers.get('content-type') ?? '').includes('json') ? JSON.parse(text) : text;
}

/** A WebHDFS call through both steps where there are two (CREATE, APPEND): the final status and body. */
async function webhdfs(world: ServerWorld, method: string, path: string, op: string, key: string, body?: string): Promise<{ status: number; body: any }> {
  const first = await world.call(method, `${W}${path}${path.includes('?') ? '&' : '?'}op=${op}`, { key });
  if (first.status !== 307) return { status: first.status, body: await json(first) };
  const second = await fetch(first.headers.get('location')!, { method, body, headers: { 'x-api-key': key, 'content-type': 'application/octet-stream' }, duplex: 'half' } as RequestInit);
  return { status: second.status, body: await json(second) };
}

/** The feature group `events` with one commit (one Parquet data file and its Delta log entry), made through REST. */
async function createEvents(world: ServerWorld): Promise<void> {
  const spec = { name: 'events', primaryKey: ['id'], features: [{ name: 'id', type: 'bigint' }, { name: 'v', type: 'double' }] };
  assert.equal((await world.call('POST', `${P}/featuregroups`, { key: world.keys.alice, json: spec })).status, 201);
  await insert(world, 'id,v\n1,1.5\n2,2.5\n');
}

async function insert(world: ServerWorld, csv: string): Promise<void> {
  const inserted = await world.call('POST', `${P}/featuregroups/events/1/rows`, { key: world.keys.alice, body: csv, headers: { 'content-type': 'text/csv' } });
  assert.equal(inserted.status, 201, await inserted.clone().text());
}

async function rows(world: ServerWorld, key: string): Promise<unknown[]> {
  const response = await world.call('GET', `${P}/featuregroups/events/1/rows`, { key });
  assert.equal(response.status, 200, await response.clone().text());
  return (await json(response)).rows ?? (await json(response));
}

/** Every path, owner and length under the feature store directory, as the superuser sees it. */
async function storeState(world: ServerWorld): Promise<string[]> {
  const out: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    for await (const entry of world.humle.fs.list(dir)) {
      out.push(`${entry.path} ${entry.owner}:${entry.group} ${entry.permissionString} ${entry.length} ${entry.modificationTime}`);
      if (entry.type === 'DIRECTORY') await walk(entry.path);
    }
  };
  await walk(STORE);
  return out;
}

for (const kind of testEngines()) {
  describe(`projects as sandboxes over WebHDFS (${kind})`, () => {
    it("the feature store's files cannot be destroyed through WebHDFS: owned by its principal, read by every member, written by nobody else", async () => {
      await withServer(kind, async (world) => {
        await createEvents(world);
        const files = (await world.humle.fs.listStatus(GROUP_DIR)).entries;
        const parquet = files.find((e) => e.name.endsWith('.parquet'))!.path;
        const log = `${GROUP_DIR}/_delta_log`;
        const commit = (await world.humle.fs.listStatus(log)).entries[0]!.path;
        const before = await storeState(world);
        assert.ok(before.every((line) => line.includes(' featurestore:alpha ')), before.join('\n'));
        const fsOnly = (await world.humle.platform.apiKeys.create('bob', 'fs-only', ['fs:read', 'fs:write'])).key;
        await webhdfs(world, 'PUT', '/Projects/alpha/outside', 'MKDIRS', world.keys.bob);
        for (const [who, key] of [['data owner (fs:read+fs:write)', fsOnly], ['owner', world.keys.alice]] as const) {
          const attacks: [string, string, string, string?][] = [
            ['POST', `${parquet}?newlength=0`, 'TRUNCATE'],
            ['PUT', `${parquet}?overwrite=true`, 'CREATE', 'garbage'],
            ['PUT', `${GROUP_DIR}/part-new.parquet`, 'CREATE', 'garbage'],
            ['POST', parquet, 'APPEND', 'garbage'],
            ['DELETE', parquet, 'DELETE'],
            ['DELETE', `${log}?recursive=true`, 'DELETE'],
            ['DELETE', `${STORE}?recursive=true`, 'DELETE'],
            ['PUT', `${commit}?destination=/Projects/alpha/outside/c.json`, 'RENAME'],
            ['PUT', `/Projects/alpha/outside?destination=${GROUP_DIR}/outside`, 'RENAME'],
            ['PUT', `${STORE}?destination=/Projects/alpha/moved`, 'RENAME'],
            ['PUT', `${GROUP_DIR}?permission=777`, 'SETPERMISSION'],
            ['PUT', `${GROUP_DIR}?owner=bob`, 'SETOWNER'],
            ['PUT', `${GROUP_DIR}?group=alpha`, 'SETOWNER'],
            ['PUT', `${parquet}?modificationtime=0&accesstime=0`, 'SETTIMES'],
            ['PUT', `${parquet}?xattr.name=user.x&xattr.value=y&flag=CREATE`, 'SETXATTR'],
            ['PUT', `${GROUP_DIR}/x?permission=777`, 'MKDIRS'],
          ];
          for (const [method, path, op, body] of attacks) {
            const answer = await webhdfs(world, method, path, op, key, body);
            assert.equal(answer.status, 403, `${who}: ${op} ${path}: ${JSON.stringify(answer.body)}`);
            assert.equal(answer.body.RemoteException.exception, 'AccessControlException', `${who}: ${op} ${path}`);
          }
        }
        assert.deepEqual(await storeState(world), before, 'no attack changed anything');
        // Members keep reading the tables over WebHDFS (Spark, delta-rs), and the group reads and takes upserts.
        for (const key of [world.keys.carol, fsOnly, world.keys.alice]) {
          const read = await world.call('GET', `${W}${commit}?op=OPEN`, { key, redirect: 'follow' });
          assert.equal(read.status, 200);
          assert.match(await read.text(), /commitInfo|add|protocol/);
        }
        assert.equal((await rows(world, world.keys.carol)).length, 2);
        await insert(world, 'id,v\n2,9.5\n3,3.5\n');
        assert.equal((await rows(world, world.keys.carol)).length, 3);
        const added = await storeState(world);
        assert.ok(added.every((line) => line.includes(' featurestore:alpha ')), 'what the feature store writes is its own');
      });
    });

    it("access follows the role at the time of the request: chgrp to another project is refused, a demoted member stops writing, the owner keeps control", async () => {
      await withServer(kind, async (world) => {
        const bob = world.keys.bob;
        assert.equal((await world.call('POST', '/api/v1/projects', { key: bob, json: { name: 'bobs' } })).status, 201);
        assert.equal((await webhdfs(world, 'PUT', '/Projects/alpha/locked', 'MKDIRS', bob)).status, 200);
        const chgrp = await webhdfs(world, 'PUT', '/Projects/alpha/locked?group=bobs', 'SETOWNER', bob);
        assert.equal(chgrp.status, 403, JSON.stringify(chgrp.body));
        assert.match(chgrp.body.RemoteException.message, /can only be alpha, the group of its project, not bobs/);
        assert.equal((await webhdfs(world, 'PUT', '/Projects/alpha/locked?permission=700', 'SETPERMISSION', bob)).status, 200);
        // As an older version let it happen: the directory carries bob's other project's group.
        await world.humle.fs.setOwner('/Projects/alpha/locked', undefined, 'bobs');
        assert.equal((await webhdfs(world, 'PUT', '/Projects/alpha/locked/before', 'CREATE', bob, 'b')).status, 201);
        const demoted = await world.call('PUT', `${P}/members/bob`, { key: world.keys.alice, json: { role: 'data_scientist' } });
        assert.equal(demoted.status, 204);
        // The very next request runs with the new role, whatever the directory's group or mode.
        for (const [method, path, op, body] of [
          ['PUT', '/Projects/alpha/locked/after', 'CREATE', 'x'],
          ['POST', '/Projects/alpha/locked/before', 'APPEND', 'x'],
          ['DELETE', '/Projects/alpha/locked/before', 'DELETE'],
          ['PUT', '/Projects/alpha/locked?permission=777', 'SETPERMISSION'],
        ] as const) {
          const answer = await webhdfs(world, method, path, op, bob, body);
          assert.equal(answer.status, 403, `demoted: ${op} ${path}: ${JSON.stringify(answer.body)}`);
        }
        assert.equal((await webhdfs(world, 'GET', '/Projects/alpha/locked/before', 'OPEN', bob)).status, 200, 'reads as a data scientist');
        // The owner is never locked out: lists, takes the group back, chmods, deletes what bob made 700.
        const alice = world.keys.alice;
        const listed = await webhdfs(world, 'GET', '/Projects/alpha/locked', 'LISTSTATUS', alice);
        assert.equal(listed.status, 200, JSON.stringify(listed.body));
        assert.deepEqual(listed.body.FileStatuses.FileStatus.map((s: { pathSuffix: string }) => s.pathSuffix), ['before']);
        assert.equal((await webhdfs(world, 'PUT', '/Projects/alpha/locked?group=alpha', 'SETOWNER', alice)).status, 200);
        assert.equal((await webhdfs(world, 'PUT', '/Projects/alpha/locked?permission=770', 'SETPERMISSION', alice)).status, 200);
        const deleted = await webhdfs(world, 'DELETE', '/Projects/alpha/locked?recursive=true', 'DELETE', alice);
        assert.deepEqual([deleted.status, deleted.body], [200, { boolean: true }]);
      });
    });

    it('nothing of a project the caller cannot see appears in any answer: summaries, quota usage, listings and counts cover its own projects', async () => {
      await withServer(kind, async (world) => {
        await world.humle.platform.users.ensure('mallory');
        const mallory = (await world.humle.platform.apiKeys.create('mallory', 'main', ['fs:read', 'fs:write'])).key;
        await webhdfs(world, 'PUT', '/Projects/alpha/raw/a.csv', 'CREATE', world.keys.alice, 'id\n1\n');
        await webhdfs(world, 'PUT', '/Projects/beta/b.csv', 'CREATE', world.keys.dave, 'id\n2\n3\n');
        const leaks = /alpha|beta|alice|dave|drwx/;
        const summary = await webhdfs(world, 'GET', '/Projects', 'GETCONTENTSUMMARY', mallory);
        assert.equal(summary.status, 200, JSON.stringify(summary.body));
        assert.deepEqual([summary.body.ContentSummary.directoryCount, summary.body.ContentSummary.fileCount, summary.body.ContentSummary.length], [1, 0, 0]);
        const rootSummary = await webhdfs(world, 'GET', '/', 'GETCONTENTSUMMARY', mallory);
        assert.equal(rootSummary.status, 200, JSON.stringify(rootSummary.body));
        assert.equal(rootSummary.body.ContentSummary.fileCount, 0);
        const usage = await webhdfs(world, 'GET', '/Projects', 'GETQUOTAUSAGE', mallory);
        assert.deepEqual([usage.body.QuotaUsage.fileAndDirectoryCount, usage.body.QuotaUsage.spaceConsumed], [1, 0]);
        const root = await webhdfs(world, 'GET', '/', 'LISTSTATUS', mallory);
        assert.equal(root.body.FileStatuses.FileStatus.find((s: { pathSuffix: string }) => s.pathSuffix === 'Projects').childrenNum, 0);
        assert.equal((await webhdfs(world, 'GET', '/Projects', 'GETFILESTATUS', mallory)).body.FileStatus.childrenNum, 0);
        assert.deepEqual((await webhdfs(world, 'GET', '/Projects', 'LISTSTATUS', mallory)).body.FileStatuses.FileStatus, []);
        for (const answer of [summary, rootSummary, usage, root]) assert.doesNotMatch(JSON.stringify(answer.body), leaks);
        // A member of beta alone sees beta's numbers, nothing of alpha's.
        const beta = await world.humle.fs.getContentSummary('/Projects/beta');
        const daves = await webhdfs(world, 'GET', '/Projects', 'GETCONTENTSUMMARY', world.keys.dave);
        assert.deepEqual(
          [daves.body.ContentSummary.directoryCount, daves.body.ContentSummary.fileCount, daves.body.ContentSummary.length],
          [1 + beta.directoryCount, beta.fileCount, beta.length],
        );
        const davesUsage = await webhdfs(world, 'GET', '/Projects', 'GETQUOTAUSAGE', world.keys.dave);
        assert.equal(davesUsage.body.QuotaUsage.fileAndDirectoryCount, 1 + beta.directoryCount + beta.fileCount);
        // Refusals name only what the caller sees: a data scientist refused in alpha hears of alpha, never of beta.
        const refused = await webhdfs(world, 'PUT', '/Projects/alpha/raw/c.csv', 'CREATE', world.keys.carol, 'x');
        assert.equal(refused.status, 403);
        assert.match(refused.body.RemoteException.message, /^Permission denied: user=carol, access=-wx, inode="\/Projects\/alpha\/raw":alice:alpha:drwxr-xr-x$/);
      });
    });
  });
}
