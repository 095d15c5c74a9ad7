import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import { testEngines } from '../support/engines.js';
import { withServer, type ServerWorld } from '../support/server-fixture.js';

const W = '/webhdfs/v1';

async function json(response: Response): Promise<any> {
  return JSON.parse(await response.text());
}

/** A request sent with its path exactly as given (fetch would resolve `..` before sending). */
function rawGet(world: ServerWorld, path: string, key: string): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const url = new URL(world.url);
    const req = httpRequest({ host: url.hostname, port: url.port, path, headers: { 'x-api-key': key } }, (res) => {
      let text = '';
      res.on('data', (chunk) => (text += chunk)).on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
    });
    req.on('error', reject).end();
  });
}

/** The two-step create of WebHDFS.md: a 307 without data, then the bytes to the Location. */
async function create(world: ServerWorld, path: string, key: string, data: BodyInit, query = ''): Promise<Response> {
  const first = await world.call('PUT', `${W}${path}?op=CREATE${query}`, { key });
  assert.equal(first.status, 307);
  const location = first.headers.get('location')!;
  return fetch(location, { method: 'PUT', body: data, headers: { 'x-api-key': key, 'content-type': 'application/octet-stream' }, duplex: 'half' } as RequestInit);
}

async function open(world: ServerWorld, path: string, key: string, query = ''): Promise<Buffer> {
  const response = await world.call('GET', `${W}${path}?op=OPEN${query}`, { key, redirect: 'follow' });
  assert.equal(response.status, 200);
  return Buffer.from(await response.arrayBuffer());
}

function remote(body: any): { exception: string; javaClassName: string } {
  return { exception: body.RemoteException.exception, javaClassName: body.RemoteException.javaClassName };
}

for (const kind of testEngines()) {
  describe(`WebHDFS (${kind})`, () => {
    it('answers in the JSON shapes of WebHDFS.md', async () => {
      await withServer(kind, async (world) => {
        const key = world.keys.alice;
        assert.deepEqual(await json(await world.call('PUT', `${W}/Projects/alpha/raw?op=MKDIRS&permission=750`, { key })), { boolean: true });
        assert.equal((await create(world, '/Projects/alpha/raw/a.csv', key, 'id\n1\n')).status, 201);
        const status = (await json(await world.call('GET', `${W}/Projects/alpha/raw/a.csv?op=GETFILESTATUS`, { key }))).FileStatus;
        assert.deepEqual(Object.keys(status).sort(), ['accessTime', 'blockSize', 'childrenNum', 'fileId', 'group', 'length', 'modificationTime', 'owner', 'pathSuffix', 'permission', 'replication', 'storagePolicy', 'type']);
        assert.deepEqual([status.pathSuffix, status.type, status.length, status.owner, status.group, status.permission], ['', 'FILE', 5, 'alice', 'alpha', '644']);
        const list = await json(await world.call('GET', `${W}/Projects/alpha?op=LISTSTATUS`, { key }));
        assert.deepEqual(list.FileStatuses.FileStatus.map((s: any) => [s.pathSuffix, s.type, s.permission]), [['alpha_featurestore.db', 'DIRECTORY', '755'], ['raw', 'DIRECTORY', '750']]);
        const ofFile = await json(await world.call('GET', `${W}/Projects/alpha/raw/a.csv?op=LISTSTATUS`, { key }));
        assert.equal(ofFile.FileStatuses.FileStatus[0].pathSuffix, '');
        const batch = await json(await world.call('GET', `${W}/Projects/alpha?op=LISTSTATUS_BATCH&startAfter=alpha_featurestore.db`, { key }));
        assert.deepEqual(batch.DirectoryListing.partialListing.FileStatuses.FileStatus.map((s: any) => s.pathSuffix), ['raw']);
        assert.equal(batch.DirectoryListing.remainingEntries, 0);
        const summary = await json(await world.call('GET', `${W}/Projects/alpha/raw?op=GETCONTENTSUMMARY`, { key }));
        assert.deepEqual({ ...summary.ContentSummary, typeQuota: undefined }, { directoryCount: 1, ecPolicy: '', fileCount: 1, length: 5, quota: -1, spaceConsumed: 5, spaceQuota: -1, typeQuota: undefined });
        assert.deepEqual(await json(await world.call('GET', `${W}/?op=GETHOMEDIRECTORY`, { key })), { Path: '/user/alice' });
        const missing = await world.call('GET', `${W}/Projects/alpha/nope?op=GETFILESTATUS`, { key });
        assert.equal(missing.status, 404);
        assert.deepEqual(remote(await json(missing)), { exception: 'FileNotFoundException', javaClassName: 'java.io.FileNotFoundException' });
      });
    });

    it('CREATE and APPEND redirect to a data step (or answer the Location with noredirect); OPEN honours offset and length; large files stream', async () => {
      await withServer(kind, async (world) => {
        const key = world.keys.bob;
        const noRedirect = await world.call('PUT', `${W}/Projects/alpha/n.txt?op=CREATE&noredirect=true`, { key });
        assert.equal(noRedirect.status, 200);
        const { Location } = await json(noRedirect);
        assert.match(Location, /\/webhdfs\/v1\/Projects\/alpha\/n\.txt\?op=CREATE&datanode=true$/);
        assert.equal(await world.humle.fs.exists('/Projects/alpha/n.txt'), false, 'the first step writes nothing');
        const created = await fetch(Location, { method: 'PUT', body: 'hello', headers: { 'x-api-key': key } });
        assert.equal(created.status, 201);
        assert.equal(created.headers.get('location'), `webhdfs://${new URL(world.url).host}/Projects/alpha/n.txt`);
        const append = await world.call('POST', `${W}/Projects/alpha/n.txt?op=APPEND`, { key });
        assert.equal(append.status, 307);
        const appended = await fetch(append.headers.get('location')!, { method: 'POST', body: ', world', headers: { 'x-api-key': key } });
        assert.equal(appended.status, 200);
        assert.equal((await open(world, '/Projects/alpha/n.txt', key)).toString(), 'hello, world');
        assert.equal((await open(world, '/Projects/alpha/n.txt', key, '&offset=7&length=3')).toString(), 'wor');
        // 12 MiB sent as a stream of 64 KiB chunks, read back whole and in a slice.
        const chunk = Buffer.alloc(64 * 1024, 7);
        for (let i = 0; i < chunk.length; i++) chunk[i] = i % 251;
        const chunks = 192;
        const body = Readable.toWeb(Readable.from((function* () { for (let i = 0; i < chunks; i++) yield chunk; })())) as unknown as BodyInit;
        assert.equal((await create(world, '/Projects/alpha/big.bin', key, body, '&overwrite=true')).status, 201);
        const whole = await open(world, '/Projects/alpha/big.bin', key);
        assert.equal(whole.length, chunks * chunk.length);
        assert.ok(whole.subarray(5 * chunk.length, 6 * chunk.length).equals(chunk));
        const slice = await open(world, '/Projects/alpha/big.bin', key, `&offset=${chunk.length - 10}&length=20`);
        assert.ok(slice.equals(Buffer.concat([chunk.subarray(chunk.length - 10), chunk.subarray(0, 10)])));
        assert.equal((await world.humle.fs.getFileStatus('/Projects/alpha/big.bin')).storage, 'blocks');
        // overwrite=false (the default) refuses an existing file, as HDFS does: FileAlreadyExistsException, 403.
        const again = await create(world, '/Projects/alpha/n.txt', key, 'x');
        assert.equal(again.status, 403);
        assert.equal(remote(await json(again)).exception, 'FileAlreadyExistsException');
      });
    });

    it('namespace and attribute operations behave as HDFS', async () => {
      await withServer(kind, async (world) => {
        const key = world.keys.alice;
        const put = (path: string, query: string) => world.call('PUT', `${W}${path}?${query}`, { key });
        await put('/Projects/alpha/d/sub', 'op=MKDIRS');
        for (const name of ['x', 'y', 'z']) await create(world, `/Projects/alpha/d/${name}`, key, name.repeat(4));
        // Old-style rename: into an existing directory; false (not an error) when it cannot happen.
        assert.deepEqual(await json(await put('/Projects/alpha/d/x', 'op=RENAME&destination=/Projects/alpha/d/sub')), { boolean: true });
        assert.equal(await world.humle.fs.exists('/Projects/alpha/d/sub/x'), true);
        assert.deepEqual(await json(await put('/Projects/alpha/d/nope', 'op=RENAME&destination=/Projects/alpha/d/w')), { boolean: false });
        assert.deepEqual(await json(await put('/Projects/alpha/d/y', 'op=RENAME&destination=/Projects/alpha/d/z')), { boolean: false });
        assert.equal((await put('/Projects/alpha/d/y', 'op=RENAME&destination=/Projects/alpha/d/z&renameoptions=OVERWRITE')).status, 200);
        assert.equal((await open(world, '/Projects/alpha/d/z', key)).toString(), 'yyyy');
        assert.deepEqual(await json(await world.call('POST', `${W}/Projects/alpha/d/z?op=TRUNCATE&newlength=2`, { key })), { boolean: true });
        await create(world, '/Projects/alpha/d/c1', key, 'AB');
        await create(world, '/Projects/alpha/d/c2', key, 'CD');
        assert.equal((await world.call('POST', `${W}/Projects/alpha/d/z?op=CONCAT&sources=/Projects/alpha/d/c1,/Projects/alpha/d/c2`, { key })).status, 200);
        assert.equal((await open(world, '/Projects/alpha/d/z', key)).toString(), 'yyABCD');
        assert.equal((await put('/Projects/alpha/d/z', 'op=SETPERMISSION&permission=1640')).status, 200);
        assert.equal((await put('/Projects/alpha/d/z', 'op=SETTIMES&modificationtime=1000&accesstime=2000')).status, 200);
        const status = (await json(await world.call('GET', `${W}/Projects/alpha/d/z?op=GETFILESTATUS`, { key }))).FileStatus;
        assert.deepEqual([status.permission, status.modificationTime, status.accessTime], ['1640', 1000, 2000]);
        // Only the superuser changes an owner: AccessControlException, 403.
        const chown = await put('/Projects/alpha/d/z', 'op=SETOWNER&owner=bob');
        assert.equal(chown.status, 403);
        assert.equal(remote(await json(chown)).exception, 'AccessControlException');
        assert.equal((await put('/Projects/alpha/d/z', 'op=SETXATTR&xattr.name=user.team&xattr.value=%22ml%22&flag=CREATE')).status, 200);
        assert.equal((await put('/Projects/alpha/d/z', 'op=SETXATTR&xattr.name=user.bin&xattr.value=0x00ff&flag=CREATE')).status, 200);
        assert.deepEqual(await json(await world.call('GET', `${W}/Projects/alpha/d/z?op=GETXATTRS&xattr.name=user.team&encoding=text`, { key })), { XAttrs: [{ name: 'user.team', value: '"ml"' }] });
        assert.deepEqual(await json(await world.call('GET', `${W}/Projects/alpha/d/z?op=GETXATTRS&xattr.name=user.bin&encoding=hex`, { key })), { XAttrs: [{ name: 'user.bin', value: '0x00ff' }] });
        assert.deepEqual(JSON.parse((await json(await world.call('GET', `${W}/Projects/alpha/d/z?op=LISTXATTRS`, { key }))).XAttrNames).sort(), ['user.bin', 'user.team']);
        assert.equal((await put('/Projects/alpha/d/z', 'op=REMOVEXATTR&xattr.name=user.bin')).status, 200);
        // Quotas are the superuser's: a member gets 403, and GETQUOTAUSAGE shows what the superuser set.
        assert.equal((await put('/Projects/alpha', 'op=SETQUOTA&namespacequota=100&storagespacequota=1000000')).status, 403);
        await world.humle.fs.setQuota('/Projects/alpha', { namespace: 100, space: 1_000_000 });
        const usage = (await json(await world.call('GET', `${W}/Projects/alpha?op=GETQUOTAUSAGE`, { key }))).QuotaUsage;
        assert.deepEqual([usage.quota, usage.spaceQuota, usage.fileAndDirectoryCount], [100, 1_000_000, 6]);
        const notEmpty = await world.call('DELETE', `${W}/Projects/alpha/d?op=DELETE`, { key });
        assert.equal(notEmpty.status, 403);
        assert.equal(remote(await json(notEmpty)).exception, 'PathIsNotEmptyDirectoryException');
        assert.deepEqual(await json(await world.call('DELETE', `${W}/Projects/alpha/d?op=DELETE&recursive=true`, { key })), { boolean: true });
        assert.deepEqual(await json(await world.call('DELETE', `${W}/Projects/alpha/d?op=DELETE`, { key })), { boolean: false });
      });
    });

    it('the superuser sets quotas with SETQUOTA (-1 clears one, Long.MAX_VALUE keeps it)', async () => {
      await withServer(kind, async (world) => {
        await world.humle.platform.users.ensure('hdfs');
        await world.humle.platform.addMember(await world.humle.platform.project('alpha'), 'hdfs', 'data_owner');
        const key = (await world.humle.platform.apiKeys.create('hdfs', 'admin', ['fs:read', 'fs:write'])).key;
        const put = (query: string) => world.call('PUT', `${W}/Projects/alpha?op=SETQUOTA&${query}`, { key });
        assert.equal((await put('namespacequota=50&storagespacequota=4096')).status, 200);
        assert.equal((await put('namespacequota=9223372036854775807&storagespacequota=-1')).status, 200);
        const usage = (await json(await world.call('GET', `${W}/Projects/alpha?op=GETQUOTAUSAGE`, { key }))).QuotaUsage;
        assert.deepEqual([usage.quota, usage.spaceQuota], [50, -1]);
      });
    });

    it('projects are sandboxes: roles decide writes, other projects look missing, /Projects lists only one’s own', async () => {
      await withServer(kind, async (world) => {
        const { alice, bob, carol, dave } = world.keys;
        await world.call('PUT', `${W}/Projects/alpha/alices?op=MKDIRS&permission=755`, { key: alice });
        // A data owner writes into a directory another member made with 755: the role grants rwx on the project group.
        assert.equal((await create(world, '/Projects/alpha/alices/by-bob', bob, 'b')).status, 201);
        // A data scientist reads, and writes nothing.
        assert.equal((await open(world, '/Projects/alpha/alices/by-bob', carol)).toString(), 'b');
        for (const [method, query] of [['PUT', 'op=MKDIRS'], ['DELETE', 'op=DELETE&recursive=true'], ['PUT', 'op=SETPERMISSION&permission=777'], ['PUT', 'op=RENAME&destination=/Projects/alpha/moved']]) {
          const path = query === 'op=MKDIRS' ? '/Projects/alpha/alices/new' : '/Projects/alpha/alices';
          const refused = await world.call(method!, `${W}${path}?${query}`, { key: carol });
          assert.equal(refused.status, 403, query);
          assert.equal(remote(await json(refused)).exception, 'AccessControlException');
        }
        const step = await world.call('PUT', `${W}/Projects/alpha/alices/c?op=CREATE`, { key: carol });
        const refusedData = await fetch(step.headers.get('location')!, { method: 'PUT', body: 'c', headers: { 'x-api-key': carol } });
        assert.equal(refusedData.status, 403);
        const listing = await json(await world.call('GET', `${W}/Projects/alpha/alices?op=LISTSTATUS`, { key: carol }));
        assert.deepEqual(listing.FileStatuses.FileStatus.map((s: any) => s.pathSuffix), ['by-bob']);
        // dave is not in alpha: every path there is missing, exactly like a project that does not exist.
        for (const path of ['/Projects/alpha', '/Projects/alpha/alices/by-bob', '/Projects/nonexistent/x']) {
          const response = await world.call('GET', `${W}${path}?op=GETFILESTATUS`, { key: dave });
          assert.equal(response.status, 404);
          assert.equal((await json(response)).RemoteException.message, `File does not exist: ${path}`);
        }
        const intoAlpha = await world.call('PUT', `${W}/Projects/beta/x?op=MKDIRS`, { key: dave });
        assert.equal(intoAlpha.status, 200);
        assert.equal((await world.call('PUT', `${W}/Projects/beta/x?op=RENAME&destination=/Projects/alpha/x`, { key: dave })).status, 404);
        assert.equal((await world.call('POST', `${W}/Projects/beta/x?op=CONCAT&sources=/Projects/alpha/alices/by-bob`, { key: dave })).status, 404);
        const roots = await json(await world.call('GET', `${W}/Projects?op=LISTSTATUS`, { key: dave }));
        assert.deepEqual(roots.FileStatuses.FileStatus.map((s: any) => s.pathSuffix), ['beta']);
        assert.equal((await json(await world.call('GET', `${W}/Projects?op=GETFILESTATUS`, { key: dave }))).FileStatus.childrenNum, 1);
        assert.equal(await world.humle.fs.exists('/Projects/alpha/x'), false);
        assert.equal(await world.humle.fs.exists('/Projects/alpha/alices/c'), false);
      });
    });

    it('refuses bad requests: no or bad key (401), user.name without --insecure, .., unknown ops, wrong methods, bad parameters, narrow scopes', async () => {
      await withServer(kind, async (world) => {
        const key = world.keys.alice;
        const unauthenticated = await world.call('GET', `${W}/Projects?op=LISTSTATUS`);
        assert.equal(unauthenticated.status, 401);
        assert.equal(remote(await json(unauthenticated)).exception, 'AccessControlException');
        assert.equal((await world.call('GET', `${W}/Projects?op=LISTSTATUS&user.name=alice`)).status, 401);
        assert.equal((await world.call('GET', `${W}/Projects?op=LISTSTATUS`, { key: 'x.y' })).status, 401);
        assert.equal((await world.call('GET', `${W}/Projects/alpha?op=LISTSTATUS&delegation=${encodeURIComponent(key)}`)).status, 200);
        assert.equal((await world.call('GET', `${W}/Projects/alpha?op=LISTSTATUS&doas=bob`, { key })).status, 403);
        for (const path of [`${W}/Projects/alpha/../beta?op=LISTSTATUS`, `${W}/Projects/alpha/%2e%2e/beta?op=LISTSTATUS`, `${W}/Projects/./alpha?op=LISTSTATUS`]) {
          const response = await rawGet(world, path, key);
          assert.equal(response.status, 400, path);
          assert.equal(response.body.RemoteException.exception, 'InvalidPathException');
        }
        const cases: [string, string, number, string][] = [
          ['GET', `${W}/Projects/alpha?op=NOSUCHOP`, 400, 'IllegalArgumentException'],
          ['GET', `${W}/Projects/alpha`, 400, 'IllegalArgumentException'],
          ['GET', `${W}/Projects/alpha/x?op=MKDIRS`, 400, 'IllegalArgumentException'],
          ['PUT', `${W}/Projects/alpha/x?op=MKDIRS&permission=999`, 400, 'IllegalArgumentException'],
          ['DELETE', `${W}/Projects/alpha?op=DELETE&recursive=maybe`, 400, 'IllegalArgumentException'],
          ['GET', `${W}/Projects/alpha?op=OPEN&datanode=true&offset=-1`, 400, 'IllegalArgumentException'],
          ['PUT', `${W}/Projects/alpha/x?op=RENAME&destination=relative`, 400, 'IllegalArgumentException'],
          ['PATCH', `${W}/Projects/alpha?op=MKDIRS`, 400, 'IllegalArgumentException'],
        ];
        for (const [method, path, status, exception] of cases) {
          const response = await world.call(method, path, { key });
          assert.equal(response.status, status, path);
          assert.equal((await json(response)).RemoteException.exception, exception, path);
        }
        const reader = (await world.humle.platform.apiKeys.create('alice', 'reader', ['fs:read'])).key;
        assert.equal((await world.call('GET', `${W}/Projects/alpha?op=LISTSTATUS`, { key: reader })).status, 200);
        assert.equal((await world.call('PUT', `${W}/Projects/alpha/r?op=MKDIRS`, { key: reader })).status, 403);
        const featureOnly = (await world.humle.platform.apiKeys.create('alice', 'features', ['featurestore:read'])).key;
        assert.equal((await world.call('GET', `${W}/Projects/alpha?op=LISTSTATUS`, { key: featureOnly })).status, 403);
        assert.equal(await world.humle.fs.exists('/Projects/alpha/x'), false);
        assert.equal(await world.humle.fs.exists('/Projects/alpha/r'), false);
      });
    });

    it('with --insecure, user.name is trusted and gets that user’s project roles', async () => {
      await withServer(
        kind,
        async (world) => {
          assert.equal((await world.call('PUT', `${W}/Projects/alpha/u?op=MKDIRS&user.name=bob`)).status, 200);
          assert.equal((await world.call('PUT', `${W}/Projects/alpha/v?op=MKDIRS&user.name=carol`)).status, 403);
          assert.equal((await world.call('GET', `${W}/Projects/alpha?op=GETFILESTATUS&user.name=dave`)).status, 404);
          assert.equal((await world.call('GET', `${W}/Projects?op=LISTSTATUS`)).status, 401);
        },
        { insecure: true },
      );
    });
  });
}
