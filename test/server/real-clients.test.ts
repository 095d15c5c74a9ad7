import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { Humle } from '../../src/humle.js';
import { repositoryRoot, setupScriptOutput, skipHadoop, skipPython } from '../support/client-scripts.js';
import { createTestStore, type TestStore } from '../support/engines.js';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';

// WebHDFS as clients nobody here wrote see it: the Python `hdfs` package (HdfsCLI) and Hadoop's own FsShell
// (`hadoop fs`), against `humle server` running as a process. The wire protocol is what is tested, so SQLite alone;
// the metadata engines are covered by webhdfs.test.ts. The clients come from scripts/python-env.sh and
// scripts/hadoop-client.sh, which .ci/run runs first; HUMLE_SKIP_PYTHON=1 / HUMLE_SKIP_HADOOP=1 skip them on purpose.

const run = promisify(execFile);

interface Setup {
  store: TestStore;
  keys: { alice: string; carol: string; dave: string };
}

/** alice owns `alpha`, carol is a data scientist there, dave owns `beta` only. */
async function setUp(): Promise<Setup> {
  const store = await createTestStore('sqlite');
  const humle = await Humle.open({ dataDir: store.dataDir, engine: store.engine, user: 'hdfs' });
  try {
    const p = humle.platform;
    for (const user of ['alice', 'carol', 'dave']) await p.users.ensure(user);
    await p.addMember(await p.createProject('alpha', 'alice'), 'carol', 'data_scientist');
    await p.createProject('beta', 'dave');
    const all = ['fs:read', 'fs:write', 'project:admin'];
    const key = async (user: string) => (await p.apiKeys.create(user, 'main', all)).key;
    return { store, keys: { alice: await key('alice'), carol: await key('carol'), dave: await key('dave') } };
  } finally {
    await humle.close();
  }
}

describe('real WebHDFS clients against humle server', () => {
  let setup: Setup;
  let secure: ServerProcess;
  let insecure: ServerProcess;

  before(async () => {
    setup = await setUp();
    secure = await startServerProcess({ dataDir: setup.store.dataDir, dbUrl: setup.store.url });
    insecure = await startServerProcess({ dataDir: setup.store.dataDir, dbUrl: setup.store.url, insecure: true });
  });

  after(async () => {
    assert.equal(await secure?.stop(), 0);
    assert.equal(await insecure?.stop(), 0);
    await setup?.store.dispose();
  });

  describe('the Python hdfs package (HdfsCLI 2.7.3)', { skip: skipPython }, () => {
    const scenario = async (url: string, mode: string, credential: string, dir: string) => {
      const python = await setupScriptOutput('python-env.sh');
      try {
        const { stdout } = await run(python, [join(repositoryRoot, 'test', 'support', 'hdfs_client.py'), url, mode, credential, dir], { encoding: 'utf8' });
        return JSON.parse(stdout);
      } catch (error) {
        const stdout = (error as { stdout?: string }).stdout;
        if (stdout) return JSON.parse(stdout);
        throw error;
      }
    };

    const expected = (owner: string, group: string) => ({
      hello: 'hello, humle\n',
      bigSliceOk: true,
      bigOk: true,
      appended: 'hello, humle\nagain\n',
      list: ['big.bin', 'hello.txt'],
      status: { type: 'FILE', length: 19, permission: '644', owner, group, pathSuffix: '' },
      dirStatus: '750',
      missing: null,
      content: { directoryCount: 1, fileCount: 2, length: 3 * 1024 * 1024 + 19 },
      permissionAfter: '600',
      archive: ['hello.txt'],
    });

    for (const mode of ['token', 'header'] as const) {
      it(`writes, reads, lists, renames and deletes with an API key (${mode === 'token' ? 'TokenClient: delegation=<key>' : 'a session with X-API-KEY'})`, async () => {
        const dir = `/Projects/alpha/py-${mode}`;
        const seen = await scenario(secure.url, mode, setup.keys.alice, dir);
        assert.deepEqual({ ...seen, walk: undefined, afterDelete: undefined }, { ...expected('alice', 'alpha'), walk: undefined, afterDelete: undefined });
        assert.deepEqual(seen.walk, [dir, `${dir}/archive`, `${dir}/data`]);
        assert.deepEqual(seen.afterDelete, ['archive']);
      });
    }

    it('InsecureClient (user.name) works against an --insecure server, and is refused by a secure one', async () => {
      const seen = await scenario(insecure.url, 'insecure', 'alice', '/Projects/alpha/py-insecure');
      assert.equal(seen.hello, 'hello, humle\n');
      const refused = await scenario(secure.url, 'insecure', 'alice', '/Projects/alpha/py-refused');
      assert.match(refused.error.message, /Authentication failure/);
    });

    it('a data scientist cannot write and a non-member sees no project, whatever the client', async () => {
      const scientist = await scenario(secure.url, 'token', setup.keys.carol, '/Projects/alpha/py-carol');
      assert.equal(scientist.error.exception, 'AccessControlException');
      const outsider = await scenario(secure.url, 'token', setup.keys.dave, '/Projects/alpha/py-dave');
      assert.equal(outsider.error.exception, 'FileNotFoundException');
    });
  });

  describe('Hadoop FsShell 3.4.1 (hadoop fs) over webhdfs://', { skip: skipHadoop }, () => {
    let classpath: string;
    let local: string;

    before(async () => {
      classpath = await setupScriptOutput('hadoop-client.sh');
      local = mkdtempSync(join(tmpdir(), 'humle-hadoop-'));
    });

    after(() => rmSync(local, { recursive: true, force: true }));

    /** `hadoop fs ARGS` with a core-site.xml of `properties` (a conf directory first on the classpath). */
    async function hadoopFs(properties: Record<string, string>, args: string[], env: NodeJS.ProcessEnv = {}) {
      const conf = mkdtempSync(join(local, 'conf-'));
      const xml = Object.entries(properties).map(([name, value]) => `<property><name>${name}</name><value>${value}</value></property>`);
      writeFileSync(join(conf, 'core-site.xml'), `<?xml version="1.0"?>\n<configuration>${xml.join('')}</configuration>\n`);
      try {
        const { stdout, stderr } = await run('java', ['-cp', `${conf}:${classpath}`, 'org.apache.hadoop.fs.FsShell', ...args], {
          encoding: 'utf8',
          env: { ...process.env, ...env },
          timeout: 120_000,
        });
        return { code: 0, stdout, stderr };
      } catch (error) {
        const e = error as { code?: number; stdout?: string; stderr?: string };
        return { code: e.code ?? -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
      }
    }

    /** Hadoop's OAuth2 client-credentials provider, fetching its bearer token from the server's token endpoint. */
    const oauth = (server: ServerProcess, key: string) => ({
      'dfs.webhdfs.oauth2.enabled': 'true',
      'dfs.webhdfs.oauth2.access.token.provider': 'org.apache.hadoop.hdfs.web.oauth2.ConfCredentialBasedAccessTokenProvider',
      'dfs.webhdfs.oauth2.credential': key,
      'dfs.webhdfs.oauth2.client.id': 'humle',
      'dfs.webhdfs.oauth2.refresh.url': `${server.url}/api/v1/oauth2/token`,
    });

    it('mkdir, put, ls, get, mv, cat and rm with an API key as an OAuth2 bearer token', async () => {
      const conf = oauth(secure, setup.keys.alice);
      const fs = (...args: string[]) => hadoopFs(conf, args);
      const base = `webhdfs://127.0.0.1:${secure.port}/Projects/alpha/hadoop`;
      const data = Buffer.alloc(5 * 1024 * 1024 + 3);
      for (let i = 0; i < data.length; i++) data[i] = (i * 31) % 256;
      writeFileSync(join(local, 'data.bin'), data);
      assert.equal((await fs('-mkdir', '-p', `${base}/in`)).code, 0);
      const put = await fs('-put', join(local, 'data.bin'), `${base}/in/`);
      assert.equal(put.code, 0, put.stderr);
      const ls = await fs('-ls', `${base}/in`);
      assert.equal(ls.code, 0, ls.stderr);
      assert.match(ls.stdout, new RegExp(`-rw-r--r--\\s+\\d+ alice alpha\\s+${data.length} .*/Projects/alpha/hadoop/in/data.bin`));
      const get = await fs('-get', `${base}/in/data.bin`, join(local, 'back.bin'));
      assert.equal(get.code, 0, get.stderr);
      assert.ok(readFileSync(join(local, 'back.bin')).equals(data));
      assert.equal((await fs('-mv', `${base}/in/data.bin`, `${base}/moved.bin`)).code, 0);
      const moved = await fs('-ls', base);
      assert.match(moved.stdout, /moved\.bin/);
      assert.doesNotMatch(moved.stdout, /in\/data\.bin/);
      writeFileSync(join(local, 'small.txt'), 'small\n');
      assert.equal((await fs('-put', join(local, 'small.txt'), `${base}/small.txt`)).code, 0);
      assert.equal((await fs('-cat', `${base}/small.txt`)).stdout, 'small\n');
      const rm = await fs('-rm', '-r', `${base}/in`, `${base}/small.txt`);
      assert.equal(rm.code, 0, rm.stderr);
      const after = await fs('-ls', base);
      assert.doesNotMatch(after.stdout, /small\.txt|\/in$/m);
    });

    it('refusals reach Hadoop as HDFS exceptions: a data scientist’s put, another project, a revoked or missing key', async () => {
      writeFileSync(join(local, 'refused.txt'), 'no\n');
      const scientist = await hadoopFs(oauth(secure, setup.keys.carol), ['-put', join(local, 'refused.txt'), `webhdfs://127.0.0.1:${secure.port}/Projects/alpha/refused.txt`]);
      assert.notEqual(scientist.code, 0);
      assert.match(scientist.stderr, /Permission denied/);
      const outsider = await hadoopFs(oauth(secure, setup.keys.dave), ['-ls', `webhdfs://127.0.0.1:${secure.port}/Projects/alpha`]);
      assert.notEqual(outsider.code, 0);
      assert.match(outsider.stderr, /No such file or directory/);
      const noKey = await hadoopFs({}, ['-ls', `webhdfs://127.0.0.1:${secure.port}/Projects/alpha`], { HADOOP_USER_NAME: 'alice' });
      assert.notEqual(noKey.code, 0);
    });

    it('with --insecure, Hadoop’s simple authentication (user.name) is enough', async () => {
      const fs = (...args: string[]) => hadoopFs({}, args, { HADOOP_USER_NAME: 'alice' });
      const base = `webhdfs://127.0.0.1:${insecure.port}/Projects/alpha/simple`;
      assert.equal((await fs('-mkdir', '-p', base)).code, 0);
      writeFileSync(join(local, 'simple.txt'), 'simple\n');
      assert.equal((await fs('-put', join(local, 'simple.txt'), `${base}/`)).code, 0);
      assert.equal((await fs('-cat', `${base}/simple.txt`)).stdout, 'simple\n');
      assert.equal((await fs('-rm', '-r', base)).code, 0);
      const asDave = await hadoopFs({}, ['-ls', `webhdfs://127.0.0.1:${insecure.port}/Projects/alpha`], { HADOOP_USER_NAME: 'dave' });
      assert.match(asDave.stderr, /No such file or directory/);
    });
  });
});
