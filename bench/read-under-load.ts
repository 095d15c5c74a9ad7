// Other clients while a big read or a large insert runs: a second client (this process, one keep-alive connection)
// sends a ping (GET /0.1.0/ping) and a primary-key read (POST …/featuregroups/lookups/1/online, one key) in turn,
// back to back, and records each latency, first on an idle server, then while one big operation runs from curl (its
// own process): a read of the --rows-row feature group over REST as JSON, then as Arrow IPC, a /query read of it, its
// changes since before its first commit (JSON), training data of a view of it (JSON), and an insert of --insert-rows
// rows (NDJSON). For each phase it prints the big operation's time to first byte, its
// total time and bytes, the server's peak RSS during it, and the ping / pk-read p50, p99 and max.
// The data is loaded with the embedded SDK first (not measured); the server is `humle server` in its own process
// (--cli: the CLIs of builds to measure in turn on the same data, comma-separated, e.g. the previous commit's build
// and this one's: before and after in one run; each build inserts into a feature group of its own).
//
//   node dist/bench/read-under-load.js [--rows 10000000] [--insert-rows 1000000] [--phases json,arrow,query,changes,training,insert]
//     [--cli OTHER/dist/src/cli/main.js,dist/src/cli/main.js] [--server-args '--processes 1'] [--json FILE]
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { Humle } from '../src/humle.js';
import { closeOfflineDuckDB } from '../src/featurestore/offline/duckdb/duckdb-instance.js';
import { environment, emitJson, type BenchOptions } from './harness.js';

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '10000000' },
    'insert-rows': { type: 'string', default: '1000000' },
    phases: { type: 'string', default: 'json,arrow,query,changes,training,insert' },
    cli: { type: 'string' },
    'server-args': { type: 'string', default: '' },
    'idle-seconds': { type: 'string', default: '5' },
    json: { type: 'string' },
    tmp: { type: 'string', default: process.env.HUMLE_BENCH_TMP ?? tmpdir() },
  },
});
const PHASES = ['json', 'arrow', 'query', 'changes', 'training', 'insert'] as const;
type Phase = (typeof PHASES)[number];
const phases = (values.phases as string).split(',').filter((p) => p !== '');
const unknownPhase = phases.find((p) => !(PHASES as readonly string[]).includes(p));
if (unknownPhase !== undefined) throw new Error(`--phases takes ${PHASES.join(', ')}, not ${unknownPhase}`);
const totalRows = Number(values.rows);
const insertRows = Number(values['insert-rows']);
const clis = (values.cli ?? join(import.meta.dirname, '..', 'src', 'cli', 'main.js')).split(',').filter((c) => c !== '');
const LOOKUP_ENTITIES = 10_000;
const CATEGORIES = ['food', 'travel', 'fuel', 'retail', 'online'];

const FEATURES = [
  { name: 'id', type: 'bigint' },
  { name: 'ts', type: 'timestamp' },
  { name: 'amount', type: 'double' },
  { name: 'balance', type: 'double' },
  { name: 'score', type: 'double' },
  { name: 'count_7d', type: 'bigint' },
  { name: 'category', type: 'string' },
  { name: 'merchant', type: 'string' },
] as const;

/** 8 features, about 80 bytes a row in JSON. */
function rowsOf(start: number, count: number, ts: Date): Record<string, unknown>[] {
  const rows = new Array<Record<string, unknown>>(count);
  for (let i = 0; i < count; i++) {
    const id = start + i;
    rows[i] = { id, ts, amount: (id % 1000) / 7, balance: id * 0.5, score: (id % 97) / 97, count_7d: id % 13, category: CATEGORIES[id % CATEGORIES.length], merchant: `m${id % 5000}` };
  }
  return rows;
}

/**
 * The data of every phase: `big` (offline, --rows rows), the view `big_view` of it (`score` its label), `lookups`
 * (online, for the pk reads), `sink_<n>` (inserts of build n).
 */
async function load(dataDir: string): Promise<string> {
  const humle = await Humle.open({ dataDir, user: 'bench' });
  try {
    const fs = (await humle.createProject('bench')).featureStore();
    const common = { primaryKey: ['id'], eventTime: 'ts', statisticsConfig: false as const, features: FEATURES.map((f) => ({ ...f })) };
    const big = await fs.createFeatureGroup({ name: 'big', ...common });
    const lookups = await fs.createFeatureGroup({ name: 'lookups', onlineEnabled: true, ...common });
    for (let n = 0; n < clis.length; n++) await fs.createFeatureGroup({ name: `sink_${n}`, onlineEnabled: true, ...common });
    const ts = new Date('2026-01-01T00:00:00Z');
    const start = performance.now();
    const batch = 1_000_000;
    for (let done = 0; done < totalRows; done += batch) await big.insert(rowsOf(done, Math.min(batch, totalRows - done), ts));
    await lookups.insert(rowsOf(0, LOOKUP_ENTITIES, ts));
    await fs.createFeatureView({ name: 'big_view', query: big.selectAll(), labels: ['score'] });
    console.log(`loaded ${totalRows} rows in ${((performance.now() - start) / 1000).toFixed(1)} s`);
    return (await humle.platform.apiKeys.create('bench', 'bench', ['featurestore:read', 'featurestore:write'])).key;
  } finally {
    await humle.close();
    await closeOfflineDuckDB();
  }
}

function startServer(cli: string, dataDir: string): Promise<{ child: ChildProcess; url: string }> {
  const extra = (values['server-args'] as string).split(/\s+/).filter((a) => a !== '');
  const child = spawn(process.execPath, [cli, '--data', dataDir, '--user', 'bench', 'server', '--port', '0', ...extra], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.once('exit', (code) => reject(new Error(`humle server exited with ${code}`)));
    child.stdout!.on('data', (chunk) => {
      out += chunk;
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (match !== null) resolve({ child, url: match[1]! });
    });
  });
}

/** The resident set of a process and its children (the server's --processes), in MiB, from /proc. */
function rssMiB(pid: number): number {
  const status = (p: number) => {
    try {
      return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${p}/status`, 'utf8'))?.[1] ?? 0) / 1024;
    } catch {
      return 0;
    }
  };
  let children: number[] = [];
  try {
    children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter((c) => c !== '').map(Number);
  } catch {
    // No children file: count the process alone.
  }
  return [pid, ...children].reduce((sum, p) => sum + status(p), 0);
}

interface Latencies {
  count: number;
  p50: number;
  p99: number;
  max: number;
}

function summarize(samples: number[]): Latencies {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => Math.round((sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN) * 10) / 10;
  return { count: sorted.length, p50: at(0.5), p99: at(0.99), max: Math.round((sorted.at(-1) ?? NaN) * 10) / 10 };
}

/** The second client: ping and pk-read in turn until `until` settles; the latencies of each, in ms. */
async function probe(url: string, key: string, until: Promise<unknown>): Promise<{ ping: number[]; pkRead: number[] }> {
  let done = false;
  void until.finally(() => (done = true));
  const ping: number[] = [];
  const pkRead: number[] = [];
  let id = 0;
  while (!done) {
    let start = performance.now();
    const pong = await fetch(`${url}/0.1.0/ping`).catch(() => undefined);
    // The server died (the answer it was making took more memory than it has): the phase ends with it.
    if (pong === undefined) break;
    await pong.text();
    ping.push(performance.now() - start);
    if (pong.status !== 200) throw new Error(`ping answered ${pong.status}`);
    start = performance.now();
    const row = await fetch(`${url}/api/v1/projects/bench/featuregroups/lookups/1/online`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': key },
      body: JSON.stringify({ keys: [id++ % LOOKUP_ENTITIES] }),
    }).catch(() => undefined);
    if (row === undefined) break;
    await row.text();
    pkRead.push(performance.now() - start);
    if (row.status !== 200) throw new Error(`pk read answered ${row.status}`);
  }
  return { ping, pkRead };
}

interface CurlResult {
  status: number;
  firstByteSeconds: number;
  totalSeconds: number;
  bytes: number;
  /** curl's exit code when it failed (52: the server closed the connection without an answer, e.g. it died). */
  curlExit?: number;
}

/** One big request by curl in its own process; the answer is counted and thrown away. */
function curl(args: string[]): Promise<CurlResult> {
  return new Promise((resolve) => {
    execFile('curl', ['-s', '-o', '/dev/null', '-w', '%{http_code} %{time_starttransfer} %{time_total} %{size_download}', ...args], { maxBuffer: 1 << 20 }, (error, stdout) => {
      const [status, firstByte, total, bytes] = stdout.trim().split(' ').map(Number);
      const result = { status: status!, firstByteSeconds: firstByte!, totalSeconds: total!, bytes: bytes! };
      resolve(error ? { ...result, curlExit: typeof error.code === 'number' ? error.code : -1 } : result);
    });
  });
}

function bigOperation(phase: Phase, url: string, key: string, insertFile: string, sink: string): Promise<CurlResult> {
  const auth = ['-H', `x-api-key: ${key}`];
  const rows = `${url}/api/v1/projects/bench/featuregroups/big/1/rows`;
  switch (phase) {
    case 'json':
      return curl([...auth, `${rows}?format=json`]);
    case 'arrow':
      return curl([...auth, `${rows}?format=arrow`]);
    case 'query':
      return curl([...auth, '-H', 'content-type: application/json', '--data-binary', JSON.stringify({ query: { featureGroup: { name: 'big' } } }), `${url}/api/v1/projects/bench/query?format=json`]);
    case 'changes':
      return curl([...auth, `${url}/api/v1/projects/bench/featuregroups/big/1/changes?from=2000-01-01T00:00:00Z&format=json`]);
    case 'training':
      return curl([...auth, '-H', 'content-type: application/json', '--data-binary', '{}', `${url}/api/v1/projects/bench/featureviews/big_view/1/trainingdata?format=json`]);
    case 'insert':
      return curl([...auth, '-H', 'content-type: application/x-ndjson', '--data-binary', `@${insertFile}`, `${url}/api/v1/projects/bench/featuregroups/${sink}/1/rows`]);
  }
}

function report(name: string, result: Record<string, unknown>): void {
  console.log(`${name.padEnd(8)} ${JSON.stringify(result)}`);
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(values.tmp as string, 'humle-bench-read-under-load-'));
  const dataDir = join(dir, 'data');
  const insertFile = join(dir, 'insert.ndjson');
  const results: Record<string, unknown>[] = [];
  try {
    const key = await load(dataDir);
    const ts = new Date('2026-01-01T00:00:00Z').toISOString();
    writeFileSync(insertFile, rowsOf(totalRows, insertRows, new Date(ts)).map((r) => JSON.stringify({ ...r, ts })).join('\n') + '\n');
    for (const [n, cli] of clis.entries()) {
      console.log(`server: ${cli}`);
      let server = await startServer(cli, dataDir);
      try {
        // Warm-up: the key is checked once, the routes' statements prepared.
        await probe(server.url, key, new Promise((resolve) => setTimeout(resolve, 1000)));
        const idle = await probe(server.url, key, new Promise((resolve) => setTimeout(resolve, Number(values['idle-seconds']) * 1000)));
        const idleResult = { cli, phase: 'idle', ping: summarize(idle.ping), pkRead: summarize(idle.pkRead), rssMiB: Math.round(rssMiB(server.child.pid!)) };
        report('idle', idleResult);
        results.push(idleResult);
        for (const phase of phases as Phase[]) {
          if (server.child.exitCode !== null || server.child.signalCode !== null) {
            console.log(`the server exited (${server.child.exitCode ?? server.child.signalCode}); starting it again`);
            server = await startServer(cli, dataDir);
          }
          const rssBefore = rssMiB(server.child.pid!);
          let rssPeak = rssBefore;
          const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, rssMiB(server.child.pid!))), 100);
          const operation = bigOperation(phase, server.url, key, insertFile, `sink_${n}`);
          const latencies = await probe(server.url, key, operation);
          clearInterval(sampler);
          const big = await operation;
          const result = {
            cli,
            phase,
            big,
            ping: summarize(latencies.ping),
            pkRead: summarize(latencies.pkRead),
            rssBeforeMiB: Math.round(rssBefore),
            rssPeakMiB: Math.round(rssPeak),
            loadavg: loadavg(),
          };
          report(phase, result);
          results.push(result);
        }
      } finally {
        if (server.child.exitCode === null && server.child.signalCode === null) {
          const exited = new Promise((resolve) => server.child.once('exit', resolve));
          server.child.kill('SIGTERM');
          await exited;
        }
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  emitJson({ json: values.json } as BenchOptions, { bench: 'read-under-load', engine: 'sqlite', rows: totalRows, insertRows, clis, serverArgs: values['server-args'], env: environment(undefined), results });
}

if (process.argv[1]?.endsWith('read-under-load.js')) await main();
