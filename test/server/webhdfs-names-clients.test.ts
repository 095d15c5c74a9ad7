import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { repositoryRoot, setupScriptOutput, skipHadoop, skipPython } from '../support/client-scripts.js';
import { createTestStore, type TestStore } from '../support/engines.js';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';

// Names HDFS allows but HTTP headers do not carry raw (non-ASCII, NFD, Latin-1, CR/LF, space, `%`, `#`), through
// WebHDFS clients nobody here wrote: the Python `hdfs` package and Hadoop's FsShell 3.4.1 (issue 13, item 9). Against
// `humle server --insecure` as a process, SQLite alone (the wire is what is tested). HUMLE_SKIP_PYTHON=1 /
// HUMLE_SKIP_HADOOP=1 skip them on purpose.

const run = promisify(execFile);

const NAMES = ['日本.txt', 'cafe\u0301.txt', 'naïve.txt', 'line\r\nbreak.txt', 'sp ace %25 #x.txt'];

describe('WebHDFS clients with names HDFS allows', () => {
  let store: TestStore;
  let server: ServerProcess;

  before(async () => {
    store = await createTestStore('sqlite');
    server = await startServerProcess({ dataDir: store.dataDir, dbUrl: store.url, user: 'hdfs', insecure: true });
  });

  after(async () => {
    assert.equal(await server?.stop(), 0);
    await store?.dispose();
  });

  /** What the server has, asked with percent-encoded URLs (another client than the one under test). */
  const url = (path: string, op: string) => `${server.url}/webhdfs/v1${path.split('/').map(encodeURIComponent).join('/')}?op=${op}&user.name=hdfs`;
  async function names(dir: string): Promise<string[]> {
    const listing = await (await fetch(url(dir, 'LISTSTATUS'))).json();
    return listing.FileStatuses.FileStatus.map((s: { pathSuffix: string }) => s.pathSuffix).sort();
  }
  async function content(path: string): Promise<string> {
    return (await fetch(url(path, 'OPEN'))).text();
  }

  it('the Python hdfs package writes, reads, stats and lists them as sent', { skip: skipPython }, async () => {
    const python = await setupScriptOutput('python-env.sh');
    const { stdout } = await run(python, [join(repositoryRoot, 'test', 'support', 'hdfs_names.py'), server.url, 'hdfs', '/py', JSON.stringify(NAMES)], { encoding: 'utf8' });
    const seen = JSON.parse(stdout);
    for (const name of NAMES) {
      assert.equal(seen.read[name], `content of ${name}`, name);
      assert.equal(seen.length[name], Buffer.byteLength(`content of ${name}`), name);
    }
    assert.deepEqual([...seen.list].sort(), [...NAMES].sort());
    assert.deepEqual(await names('/py'), [...NAMES].sort());
  });

  describe('Hadoop FsShell 3.4.1 (hadoop fs) over webhdfs://', { skip: skipHadoop }, () => {
    let classpath: string;
    let local: string;

    before(async () => {
      local = mkdtempSync(join(tmpdir(), 'humle-hadoop-names-'));
      // FsShell wants a core-site.xml on its classpath; an empty one keeps Hadoop's defaults.
      writeFileSync(join(local, 'core-site.xml'), '<?xml version="1.0"?>\n<configuration></configuration>\n');
      writeFileSync(join(local, 'data.txt'), 'from hadoop\n');
      classpath = `${local}:${await setupScriptOutput('hadoop-client.sh')}`;
    });

    after(() => rmSync(local, { recursive: true, force: true }));

    async function hadoopFs(...args: string[]) {
      try {
        const { stdout, stderr } = await run('java', ['-cp', classpath, 'org.apache.hadoop.fs.FsShell', ...args], {
          encoding: 'utf8',
          env: { ...process.env, HADOOP_USER_NAME: 'hdfs' },
          timeout: 120_000,
        });
        return { code: 0, stdout, stderr };
      } catch (error) {
        const e = error as { code?: number; stdout?: string; stderr?: string };
        return { code: e.code ?? -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
      }
    }

    it('puts, cats and lists names with CR/LF, spaces, % and #; lists non-ASCII names others wrote', async () => {
      const base = `webhdfs://127.0.0.1:${server.port}/hadoop`;
      assert.equal((await hadoopFs('-mkdir', '-p', base)).code, 0);
      for (const name of ['line\r\nbreak.txt', 'sp ace %25 #x.txt']) {
        const put = await hadoopFs('-put', join(local, 'data.txt'), `${base}/${name}`);
        assert.equal(put.code, 0, put.stderr);
        const cat = await hadoopFs('-cat', `${base}/${name}`);
        assert.equal(cat.stdout, 'from hadoop\n', cat.stderr);
        assert.equal(await content(`/hadoop/${name}`), 'from hadoop\n');
      }
      const step = await fetch(url('/hadoop/日本.txt', 'CREATE'), { method: 'PUT', redirect: 'manual' });
      assert.equal((await fetch(step.headers.get('location')!, { method: 'PUT', body: 'written here\n' })).status, 201);
      const ls = await hadoopFs('-ls', base);
      assert.equal(ls.code, 0, ls.stderr);
      assert.ok(ls.stdout.includes(`${base}/日本.txt`), ls.stdout);
      assert.ok(ls.stdout.includes(`${base}/line\r\nbreak.txt`), ls.stdout);
    });

    it('non-ASCII names in the request line (Hadoop sends raw UTF-8, which Node’s HTTP parser refuses) are put, read, listed, renamed and deleted', async () => {
      const base = `webhdfs://127.0.0.1:${server.port}/hadoop`;
      const put = await hadoopFs('-put', join(local, 'data.txt'), `${base}/ü.txt`);
      assert.equal(put.code, 0, put.stderr);
      assert.equal(await content('/hadoop/ü.txt'), 'from hadoop\n');
      const cat = await hadoopFs('-cat', `${base}/ü.txt`);
      assert.equal(cat.stdout, 'from hadoop\n', cat.stderr);
      assert.equal((await hadoopFs('-mv', `${base}/ü.txt`, `${base}/日本語.txt`)).code, 0);
      assert.equal((await hadoopFs('-rm', '-skipTrash', `${base}/日本語.txt`)).code, 0);
      assert.deepEqual(await names('/hadoop'), ['line\r\nbreak.txt', 'sp ace %25 #x.txt', '日本.txt'].sort());
    });
  });
});
