import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { describe, it } from 'node:test';
import { testEngines } from '../support/engines.js';
import { withServer, type ServerWorld } from '../support/server-fixture.js';

// WebHDFS answers that Hadoop's contract suites (webhdfs-hadoop-contract.test.ts) found differing from HDFS's, and
// names that are legal in HDFS but broke the answer's headers (issue 13: item 9 and causes A-D), on the raw wire.

const W = '/webhdfs/v1';

async function json(response: Response): Promise<any> {
  return JSON.parse(await response.text());
}

function exceptionOf(body: any): string {
  return body.RemoteException.exception;
}

/** Only visible ASCII: what a header value that names a path must be. */
const HEADER_SAFE = /^[\x21-\x7e]+$/;

/** A request with headers fetch will not send as given (Host). */
function rawRequest(world: ServerWorld, method: string, path: string, headers: Record<string, string>, body?: string): Promise<{ status: number; headers: Record<string, unknown>; text: string }> {
  return new Promise((resolve, reject) => {
    const url = new URL(world.url);
    const req = httpRequest({ host: url.hostname, port: url.port, method, path, headers }, (res) => {
      let text = '';
      res.on('data', (chunk) => (text += chunk)).on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
    });
    req.on('error', reject).end(body);
  });
}

/** Bytes sent as they are (a request line with raw UTF-8, as Hadoop's client sends it); the whole answer as text. */
function rawBytes(world: ServerWorld, bytes: Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    const url = new URL(world.url);
    const socket = connect(Number(url.port), url.hostname, () => socket.write(bytes));
    let text = '';
    socket.on('data', (chunk) => (text += chunk.toString('utf8'))).on('close', () => resolve(text)).on('error', reject);
  });
}

/** The two steps of a CREATE, each answer checked to carry a header-safe Location; the data step's answer. */
async function create(world: ServerWorld, path: string, key: string, data: string, query = ''): Promise<Response> {
  const first = await world.call('PUT', `${W}${path}?op=CREATE${query}`, { key });
  if (first.status !== 307) return first;
  const location = first.headers.get('location')!;
  assert.match(location, HEADER_SAFE);
  return fetch(location, { method: 'PUT', body: data, headers: { 'x-api-key': key } });
}

const encoded = (path: string) => path.split('/').map(encodeURIComponent).join('/');

for (const kind of testEngines()) {
  describe(`WebHDFS as HDFS answers (${kind})`, () => {
    it('CREATE of non-ASCII, NFD, Latin-1 and CR/LF names writes the file and answers percent-encoded Locations; a name HDFS refuses changes nothing', async () => {
      await withServer(kind, async (world) => {
        const key = world.keys.alice;
        const host = new URL(world.url).host;
        const names = ['日本.txt', 'cafe\u0301.txt', 'naïve.txt', 'line\r\nbreak.txt', 'tab\there %25 #?.txt'];
        for (const name of names) {
          const path = `/Projects/alpha/${name}`;
          const first = await world.call('PUT', `${W}${encoded(path)}?op=CREATE`, { key });
          assert.equal(first.status, 307, name);
          const location = first.headers.get('location')!;
          assert.match(location, HEADER_SAFE, name);
          assert.equal(decodeURIComponent(new URL(location).pathname), `${W}${path}`, name);
          const created = await fetch(location, { method: 'PUT', body: `content of ${name}`, headers: { 'x-api-key': key } });
          assert.equal(created.status, 201, `${name}: ${await created.clone().text()}`);
          const written = created.headers.get('location')!;
          assert.equal(written, `webhdfs://${host}${encoded(path)}`, name);
          assert.equal(decodeURIComponent(new URL(written).pathname), path, name);
          assert.equal((await world.humle.fs.readFile(path)).toString(), `content of ${name}`, name);
        }
        // Names are kept as sent, NFD included (HDFS does not normalise them).
        const listed = (await json(await world.call('GET', `${W}/Projects/alpha?op=LISTSTATUS`, { key }))).FileStatuses.FileStatus.map((s: any) => s.pathSuffix);
        for (const name of names) assert.ok(listed.includes(name), name);
        assert.ok(!listed.includes('café.txt'), 'the NFD name was not normalised to NFC');
        // A raw `\` in the request line is part of the name: the Location encodes it (a URL parser would make it `/`).
        const backslash = await rawRequest(world, 'PUT', `${W}/Projects/alpha/a\\b.txt?op=CREATE&noRedirect=true`, { 'x-api-key': key });
        const { Location } = JSON.parse(backslash.text);
        assert.equal(Location, `${world.url}${W}/Projects/alpha/a%5Cb.txt?op=CREATE&datanode=true`);
        assert.equal((await fetch(Location, { method: 'PUT', body: 'slash', headers: { 'x-api-key': key } })).status, 201);
        assert.equal((await world.humle.fs.readFile('/Projects/alpha/a\\b.txt')).toString(), 'slash');
        assert.equal(await world.humle.fs.exists('/Projects/alpha/a/b.txt'), false);
        // HDFS's DFSUtil.isValidName refuses ':' in a name: 400 InvalidPathException at either step, nothing written.
        const before = await world.humle.fs.listStatus('/Projects/alpha');
        for (const query of ['op=CREATE', 'op=CREATE&datanode=true']) {
          const refused = await world.call('PUT', `${W}/Projects/alpha/a%3Ab.txt?${query}`, { key, body: 'x' });
          assert.equal(refused.status, 400, query);
          assert.equal(exceptionOf(await json(refused)), 'InvalidPathException');
        }
        assert.deepEqual(await world.humle.fs.listStatus('/Projects/alpha'), before);
      });
    });

    it('a request line with raw UTF-8 (as Hadoop sends non-ASCII names) is answered as its percent-encoded form, then the connection closes; one with a body is refused', async () => {
      await withServer(kind, async (world) => {
        const key = world.keys.alice;
        const line = (method: string, path: string, extra = '') =>
          Buffer.concat([Buffer.from(`${method} ${W}`), Buffer.from(path, 'utf8'), Buffer.from(` HTTP/1.1\r\nHost: x\r\nX-API-KEY: ${key}\r\n${extra}\r\n`)]);
        const made = await rawBytes(world, line('PUT', '/Projects/alpha/ü-日本?op=MKDIRS'));
        assert.match(made, /^HTTP\/1\.1 200 OK\r\n/);
        assert.match(made, /\r\nconnection: close\r\n/i);
        assert.match(made, /\{"boolean":true\}$/);
        assert.equal((await world.call('GET', `${W}${encoded('/Projects/alpha/ü-日本')}?op=GETFILESTATUS`, { key })).status, 200);
        const status = await rawBytes(world, line('GET', '/Projects/alpha/ü-日本?op=GETFILESTATUS'));
        assert.match(status, /"type":"DIRECTORY"/);
        // Authentication runs as for any request.
        const anonymous = await rawBytes(world, Buffer.concat([Buffer.from(`GET ${W}`), Buffer.from('/Projects/alpha/ü-日本', 'utf8'), Buffer.from('?op=GETFILESTATUS HTTP/1.1\r\nHost: x\r\n\r\n')]));
        assert.match(anonymous, /^HTTP\/1\.1 401 /);
        // A body cannot be replayed from what the parser held: refused as before, nothing written.
        const withBody = await rawBytes(world, Buffer.concat([line('PUT', '/Projects/alpha/é.txt?op=CREATE&noredirect=true', 'Content-Length: 4\r\n'), Buffer.from('data')]));
        assert.match(withBody, /^HTTP\/1\.1 400 /);
        assert.equal((await world.call('GET', `${W}${encoded('/Projects/alpha/é.txt')}?op=GETFILESTATUS`, { key })).status, 404);
      });
    });

    it('a Host header that names no server is refused (400) before anything is written, never echoed into a Location', async () => {
      await withServer(kind, async (world) => {
        const key = world.keys.alice;
        for (const host of ['bad host', 'h/x', 'user@h']) {
          for (const query of ['op=CREATE', 'op=CREATE&datanode=true']) {
            const answer = await rawRequest(world, 'PUT', `${W}/Projects/alpha/h.txt?${query}`, { 'x-api-key': key, host }, 'data');
            assert.equal(answer.status, 400, `${host} ${query}`);
            assert.equal(exceptionOf(JSON.parse(answer.text)), 'IllegalArgumentException');
            assert.equal(answer.headers.location, undefined);
          }
        }
        assert.equal(await world.humle.fs.exists('/Projects/alpha/h.txt'), false);
        // A Host the URL parser normalises (the default port, upper case) is still this server.
        const normalised = await rawRequest(world, 'PUT', `${W}/Projects/alpha/h.txt?op=CREATE`, { 'x-api-key': key, host: 'LOCALHOST:80' });
        assert.equal(normalised.status, 307);
        assert.equal(normalised.headers.location, 'http://localhost/webhdfs/v1/Projects/alpha/h.txt?op=CREATE&datanode=true');
      });
    });

    it('OPEN and APPEND of a missing file or a directory answer 404 FileNotFoundException at once, not a redirect', async () => {
      await withServer(kind, async (world) => {
        const key = world.keys.alice;
        for (const [method, op] of [['GET', 'OPEN'], ['POST', 'APPEND']] as const) {
          const missing = await world.call(method, `${W}/Projects/alpha/nope.txt?op=${op}`, { key });
          assert.equal(missing.status, 404, op);
          assert.equal(exceptionOf(await json(missing)), 'FileNotFoundException', op);
        }
        assert.equal(await world.humle.fs.exists('/Projects/alpha/nope.txt'), false);
        for (const [method, op] of [['GET', 'OPEN'], ['POST', 'APPEND']] as const) {
          const directory = await world.call(method, `${W}/Projects/alpha?op=${op}`, { key });
          assert.equal(directory.status, 404, op);
          const body = await json(directory);
          assert.equal(exceptionOf(body), 'FileNotFoundException', op);
          assert.match(body.RemoteException.message, /Path is not a file: \/Projects\/alpha/);
        }
        assert.equal((await create(world, '/Projects/alpha/here.txt', key, 'here')).status, 201);
        assert.equal((await world.call('GET', `${W}/Projects/alpha/here.txt?op=OPEN`, { key })).status, 307);
        assert.equal((await world.call('POST', `${W}/Projects/alpha/here.txt?op=APPEND`, { key })).status, 307);
      });
    });

    it('GETFILEBLOCKLOCATIONS and GET_BLOCK_LOCATIONS locate the blocks of a range at this server', async () => {
      await withServer(kind, async (world) => {
        const key = world.keys.alice;
        const MiB = 1024 * 1024;
        const data = 'x'.repeat(2 * MiB + MiB / 2);
        assert.equal((await create(world, '/Projects/alpha/blocks.bin', key, data, `&blocksize=${MiB}`)).status, 201);
        const { hostname, port } = new URL(world.url);
        const name = `${hostname}:${port}`;
        const locations = async (query: string) =>
          (await json(await world.call('GET', `${W}/Projects/alpha/blocks.bin?op=GETFILEBLOCKLOCATIONS${query}`, { key }))).BlockLocations.BlockLocation;
        const all = await locations('');
        assert.deepEqual(all.map((b: any) => [b.offset, b.length]), [[0, MiB], [MiB, MiB], [2 * MiB, MiB / 2]]);
        assert.deepEqual(all[0], { cachedHosts: [], corrupt: false, hosts: [hostname], length: MiB, names: [name], offset: 0, storageIds: [], storageTypes: ['DISK'], topologyPaths: [`/default-rack/${name}`] });
        assert.deepEqual((await locations(`&offset=${MiB + 10}&length=1`)).map((b: any) => b.offset), [MiB]);
        assert.deepEqual((await locations(`&offset=${MiB - 1}&length=2`)).map((b: any) => b.offset), [0, MiB]);
        assert.deepEqual(await locations(`&offset=${3 * MiB}`), []);
        const located = (await json(await world.call('GET', `${W}/Projects/alpha/blocks.bin?op=GET_BLOCK_LOCATIONS&offset=${MiB}`, { key }))).LocatedBlocks;
        assert.equal(located.fileLength, data.length);
        assert.equal(located.isUnderConstruction, false);
        assert.deepEqual(located.locatedBlocks.map((b: any) => [b.startOffset, b.block.numBytes]), [[MiB, MiB], [2 * MiB, MiB / 2]]);
        assert.equal(located.lastLocatedBlock.startOffset, 2 * MiB);
        assert.deepEqual([located.locatedBlocks[0].locations[0].ipAddr, located.locatedBlocks[0].locations[0].xferPort], [hostname, Number(port)]);
        for (const op of ['GETFILEBLOCKLOCATIONS', 'GET_BLOCK_LOCATIONS']) {
          const dir = await world.call('GET', `${W}/Projects/alpha?op=${op}`, { key });
          assert.equal(dir.status, 404, op);
          assert.equal(exceptionOf(await json(dir)), 'FileNotFoundException');
          assert.equal((await world.call('GET', `${W}/Projects/alpha/nope?op=${op}`, { key })).status, 404, op);
          assert.equal((await world.call('GET', `${W}/Projects/alpha/blocks.bin?op=${op}&offset=-1`, { key })).status, 400, op);
        }
        const empty = await create(world, '/Projects/alpha/empty.bin', key, '');
        assert.equal(empty.status, 201);
        assert.deepEqual(await (async () => (await json(await world.call('GET', `${W}/Projects/alpha/empty.bin?op=GETFILEBLOCKLOCATIONS`, { key }))).BlockLocations.BlockLocation)(), []);
      });
    });

    it('DELETE / answers false for the superuser (PathIsNotEmptyDirectoryException without recursive), AccessControlException for others, and deletes nothing', async () => {
      await withServer(
        kind,
        async (world) => {
          const recursive = await world.call('DELETE', `${W}/?op=DELETE&recursive=true&user.name=hdfs`);
          assert.equal(recursive.status, 200);
          assert.deepEqual(await json(recursive), { boolean: false });
          const nonRecursive = await world.call('DELETE', `${W}/?op=DELETE&user.name=hdfs`);
          assert.equal(nonRecursive.status, 403);
          assert.equal(exceptionOf(await json(nonRecursive)), 'PathIsNotEmptyDirectoryException');
          for (const query of ['recursive=true', 'recursive=false']) {
            const member = await world.call('DELETE', `${W}/?op=DELETE&${query}&user.name=alice`);
            assert.equal(member.status, 403, query);
            assert.equal(exceptionOf(await json(member)), 'AccessControlException');
          }
          assert.equal(await world.humle.fs.exists('/Projects/alpha'), true);
          assert.equal(await world.humle.fs.exists('/Projects/beta'), true);
        },
        { insecure: true },
      );
    });

    it('CREATE honours createflag (createNonRecursive, the createFile() builder) as HDFS’s datanode reads it', async () => {
      await withServer(kind, async (world) => {
        const key = world.keys.alice;
        const path = '/Projects/alpha/flags.txt';
        const content = async () => (await world.humle.fs.readFile(path)).toString();
        assert.equal((await create(world, path, key, 'one', '&createflag=CREATE')).status, 201);
        const exists = await create(world, path, key, 'two', '&createflag=CREATE');
        assert.equal(exists.status, 403);
        assert.equal(exceptionOf(await json(exists)), 'FileAlreadyExistsException');
        assert.equal(await content(), 'one');
        assert.equal((await create(world, path, key, 'three', '&createflag=CREATE,OVERWRITE')).status, 201);
        assert.equal(await content(), 'three');
        assert.equal((await create(world, path, key, 'four', '&createflag=create,sync_block&overwrite=true')).status, 201);
        assert.equal(await content(), 'four');
        assert.equal((await create(world, path, key, 'five', '&createflag=OVERWRITE')).status, 201);
        assert.equal(await content(), 'five');
        // OVERWRITE without CREATE needs the file: FileNotFoundException, nothing created.
        const missing = await create(world, '/Projects/alpha/none.txt', key, 'x', '&createflag=OVERWRITE');
        assert.equal(missing.status, 404);
        assert.equal(exceptionOf(await json(missing)), 'FileNotFoundException');
        assert.equal(await world.humle.fs.exists('/Projects/alpha/none.txt'), false);
        // A bad flag, or APPEND through CREATE, is refused at the first step, before any data.
        for (const flag of ['BOGUS', 'CREATE,APPEND', 'CREATE,,OVERWRITE']) {
          const refused = await world.call('PUT', `${W}${path}?op=CREATE&createflag=${flag}`, { key });
          assert.equal(refused.status, 400, flag);
          assert.equal(exceptionOf(await json(refused)), 'IllegalArgumentException', flag);
        }
        assert.equal(await content(), 'five');
      });
    });
  });
}
