// Feature vector serving over HTTP: the RonDB-compatible routes of `humle server` (POST /0.1.0/feature_store, one
// vector a request, and /0.1.0/batch_feature_store, --batch vectors a request) on the data of bench/fv-serving.ts (a
// view over 3 online groups, 11 features, --entities entities), SQLite. The server runs as `humle server` in its
// own processes, the load generator (bench/http-load.ts, autocannon) in another, --connections keep-alive
// connections. Each server configuration (--configs, `;`-separated `humle server` flags) is measured with, in this
// order: GET /0.1.0/ping (the stack's own limit: Fastify, no key, no body), single vectors, batches. The machine's
// load average (uptime) is printed before each phase: the load generator shares the machine's cores.
// --feast PYTHON (a venv with bench/feast/requirements.txt) then runs Feast's Python feature server (`feast serve`,
// SQLite online store) on the same data (bench/feast/feature_server.py; --feast-entities to materialize fewer) with the
// same load: POST /get-online-features for the same 10 features of one uid, or of --batch uids.
//
//   node dist/bench/serving-http.js [--entities 1000000] [--seconds 10] [--connections 50] [--batch 100]
//     [--configs='--processes 1 --serving-workers 1;--processes 2 --serving-workers 0'] [--generator autocannon|wrk]
//     [--kinds hello,single,batch]
//     [--feast .venv-feast/bin/python [--feast-entities N] [--feast-workers 1]] [--json FILE] [--cpu-prof DIR] [--bare]
// --bare first measures a bare node:http hello server (bench/bare-http-server.ts, 1 and 2 processes) under the same
// load: the latencies of the machine and Node's HTTP stack with nothing of a server's own.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { Humle } from '../src/humle.js';
import { closeOfflineDuckDB } from '../src/featurestore/offline/duckdb/duckdb-instance.js';
import { environment, emitJson, type BenchOptions } from './harness.js';
import { loadServingData } from './serving-data.js';

const { values } = parseArgs({
  options: {
    entities: { type: 'string', default: '1000000' },
    seconds: { type: 'string', default: '10' },
    connections: { type: 'string', default: '50' },
    batch: { type: 'string', default: '100' },
    // Which phases to measure (a profile of one phase alone: --kinds batch --cpu-prof DIR).
    kinds: { type: 'string', default: 'hello,single,batch' },
    configs: { type: 'string', default: '--processes 1 --serving-workers 1;--processes 2 --serving-workers 0' },
    port: { type: 'string', default: '18080' },
    generator: { type: 'string', default: 'autocannon' },
    feast: { type: 'string' },
    'feast-entities': { type: 'string' },
    'feast-workers': { type: 'string', default: '1' },
    json: { type: 'string' },
    'cpu-prof': { type: 'string' },
    // Measure a bare node:http hello server (bench/bare-http-server.ts) with 1 and 2 processes first: the machine's floor.
    bare: { type: 'boolean', default: false },
    tmp: { type: 'string', default: process.env.HUMLE_BENCH_TMP ?? tmpdir() },
  },
});
const kinds = (values.kinds as string).split(',');
const unknownKind = kinds.find((k) => !['hello', 'single', 'batch'].includes(k));
if (unknownKind !== undefined) throw new Error(`--kinds takes hello, single and batch, not ${unknownKind}`);
const root = join(import.meta.dirname, '..', '..');
const port = Number(values.port);

interface LoadResult {
  kind: string;
  requestsPerSec: number;
  vectorsPerSec: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number };
  errors: number;
  non2xx: number;
}

function uptime(): string {
  return execFileSync('uptime', { encoding: 'utf8' }).trim();
}

/** `humle server` with these flags, resolved once it prints that it listens. */
function startServer(dataDir: string, flags: string[]): Promise<ChildProcess> {
  // Forked server processes (--processes) inherit these flags: each writes its own profile.
  const profile = values['cpu-prof'] === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${values['cpu-prof']}`];
  return startListening([...profile, join(root, 'dist/src/cli/main.js'), '--data', dataDir, '--user', 'bench', 'server', '--port', String(port), ...flags]);
}

/** A Node process (these arguments), resolved once it prints that it listens. */
async function startListening(args: string[]): Promise<ChildProcess> {
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('listening')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`${args.join(' ')} exited with ${code}: ${out}`)));
  });
  // With --processes every process prints its line; give the others a moment to listen too.
  await new Promise((r) => setTimeout(r, 1000));
  return child;
}

async function stopServer(child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

/**
 * One load phase in its own process: autocannon (bench/http-load.ts, from npm) or wrk (bench/http-load.lua; Debian's
 * `wrk` package), which costs the machine less CPU per request and so leaves more of the 2 cores to the server.
 */
export function runLoad(url: string, kind: string, seconds: number, key?: string): LoadResult {
  if (values.generator === 'wrk') return runWrk(url, kind, seconds, key);
  const args = [join(root, 'dist/bench/http-load.js'), '--url', url, '--kind', kind, '--seconds', String(seconds), '--connections', values.connections as string];
  args.push('--entities', values.entities as string, '--batch', values.batch as string);
  if (key !== undefined) args.push('--key', key);
  const out = execFileSync(process.execPath, args, { encoding: 'utf8' });
  return JSON.parse(out.trim().split('\n').pop()!) as LoadResult;
}

function runWrk(url: string, kind: string, seconds: number, key?: string): LoadResult {
  // A 30 s timeout, not wrk's 2 s: a slow server's answers still count, in the latencies too.
  const args = ['-t1', `-c${values.connections}`, `-d${seconds}s`, '--timeout', '30s', '-s', join(root, 'bench/http-load.lua'), url, '--', kind, key ?? '-', values.entities as string, values.batch as string];
  const out = execFileSync('wrk', args, { encoding: 'utf8' });
  const r = JSON.parse(out.trim().split('\n').pop()!) as { requests: number; seconds: number; errors: number; non2xx: number; p50: number; p90: number; p99: number; max: number };
  const perRequest = kind.endsWith('batch') ? Number(values.batch) : 1;
  return {
    kind,
    requestsPerSec: r.requests / r.seconds,
    vectorsPerSec: (r.requests * perRequest) / r.seconds,
    latencyMs: { p50: r.p50, p90: r.p90, p99: r.p99, max: r.max },
    errors: r.errors,
    non2xx: r.non2xx,
  };
}

export function reportLoad(config: string, r: LoadResult, hello?: LoadResult): void {
  const ratio = hello === undefined || r.kind === 'hello' ? '' : `  ${((r.requestsPerSec / hello.requestsPerSec) * 100).toFixed(0)} % of hello`;
  console.log(
    `${config.padEnd(40)} ${r.kind.padEnd(12)} ${Math.round(r.requestsPerSec).toLocaleString('en').padStart(8)} req/s ${Math.round(r.vectorsPerSec).toLocaleString('en').padStart(9)} vectors/s  p50 ${r.latencyMs.p50} ms  p99 ${r.latencyMs.p99} ms  errors ${r.errors} non2xx ${r.non2xx}${ratio}`,
  );
}

/** Feast's feature server on the same data, under the same load (single vectors, then batches). */
async function feast(work: string, seconds: number): Promise<(LoadResult & { config: string; uptime: string })[]> {
  const python = values.feast as string;
  const entities = values['feast-entities'] ?? (values.entities as string);
  console.log(execFileSync(python, [join(root, 'bench/feast/feature_server.py'), '--work', work, '--entities', entities], { encoding: 'utf8' }).trim().split('\n').pop());
  const feastBin = join(dirname(python), 'feast');
  const server = spawn(feastBin, ['-c', work, 'serve', '-p', String(port + 1), '--no-access-log', '-w', values['feast-workers'] as string], { stdio: 'ignore' });
  const url = `http://127.0.0.1:${port + 1}`;
  try {
    for (let i = 0; i < 120 && !(await fetch(`${url}/health`).then((r) => r.ok).catch(() => false)); i++) await new Promise((r) => setTimeout(r, 1000));
    const config = `feast serve -w ${values['feast-workers']} (${entities} entities)`;
    const out: (LoadResult & { config: string; uptime: string })[] = [];
    runLoad(`${url}/get-online-features`, 'feast-batch', 5);
    for (const kind of ['feast-single', 'feast-batch']) {
      const before = uptime();
      console.log(`uptime before ${kind}: ${before}`);
      const r = { ...runLoad(`${url}/get-online-features`, kind, seconds), entities: Number(entities) };
      reportLoad(config, r);
      out.push({ ...r, config, uptime: before });
    }
    return out;
  } finally {
    const exited = new Promise((resolve) => server.once('exit', resolve));
    server.kill('SIGTERM');
    await exited;
  }
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(values.tmp as string, 'humle-bench-serving-http-'));
  const dataDir = join(dir, 'data');
  const seconds = Number(values.seconds);
  const results: (LoadResult & { config: string; uptime: string })[] = [];
  try {
    const humle = await Humle.open({ dataDir, user: 'bench' });
    let key: string;
    try {
      await loadServingData(humle, Number(values.entities));
      key = (await humle.platform.apiKeys.create('bench', 'bench', ['featurestore:read'])).key;
    } finally {
      await humle.close();
      await closeOfflineDuckDB();
    }
    if (values.bare) {
      for (const processes of [1, 2]) {
        const server = await startListening([join(root, 'dist/bench/bare-http-server.js'), '--port', String(port), '--processes', String(processes)]);
        try {
          const config = `bare node:http, ${processes} process${processes === 1 ? '' : 'es'}`;
          const before = uptime();
          console.log(`uptime before bare hello: ${before}`);
          const r = runLoad(`http://127.0.0.1:${port}/`, 'hello', seconds);
          reportLoad(config, r);
          results.push({ ...r, config, uptime: before });
        } finally {
          await stopServer(server);
        }
      }
    }
    for (const config of (values.configs as string).split(';').map((c) => c.trim())) {
      const server = await startServer(dataDir, config.split(/\s+/).filter((f) => f !== ''));
      try {
        const base = `http://127.0.0.1:${port}/0.1.0`;
        // Warm-up: the view is prepared, the statements compiled, the pages of the database file mapped.
        runLoad(`${base}/batch_feature_store`, 'batch', 5, key);
        let hello: LoadResult | undefined;
        for (const [kind, path] of [['hello', 'ping'], ['single', 'feature_store'], ['batch', 'batch_feature_store']] as const) {
          if (!kinds.includes(kind)) continue;
          const before = uptime();
          console.log(`uptime before ${kind}: ${before}`);
          const r = runLoad(`${base}/${path}`, kind, seconds, kind === 'hello' ? undefined : key);
          if (kind === 'hello') hello = r;
          reportLoad(config, r, hello);
          results.push({ ...r, config, uptime: before });
        }
      } finally {
        await stopServer(server);
      }
    }
    if (values.feast !== undefined) results.push(...(await feast(join(dir, 'feast'), seconds)));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  emitJson({ json: values.json } as BenchOptions, { bench: 'serving-http', engine: 'sqlite', entities: Number(values.entities), seconds, connections: Number(values.connections), env: environment(undefined), loadavg: loadavg(), results });
}

if (process.argv[1]?.endsWith('serving-http.js')) await main();
