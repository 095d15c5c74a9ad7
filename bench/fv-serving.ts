// Feature vector serving in process: a view over 3 online feature groups (11 features in all) of N entities.
// Phases, each for --seconds: the raw engine's primary-key lookup (a better-sqlite3 prepared statement on one table,
// this thread), single vectors one caller at a time (latency), single vectors from --clients concurrent callers
// (throughput), and batches of 100 vectors (one caller, then --batch-clients concurrent callers); the vector phases
// run with 0 serving workers and with --workers.
//
//   node dist/bench/fv-serving.js [--entities 1000000] [--seconds 10] [--clients 64] [--workers 1] [--json FILE]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import { Humle } from '../src/humle.js';
import { closeOfflineDuckDB } from '../src/featurestore/offline/duckdb/duckdb-instance.js';
import type { FeatureView } from '../src/featurestore/featureview/feature-view.js';
import { environment, emitJson, prng, type BenchOptions } from './harness.js';
import { loadServingData } from './serving-data.js';

const { values } = parseArgs({
  options: {
    entities: { type: 'string', default: '1000000' },
    seconds: { type: 'string', default: '10' },
    clients: { type: 'string', default: '64' },
    'batch-clients': { type: 'string', default: '8' },
    workers: { type: 'string', default: '1' },
    json: { type: 'string' },
    tmp: { type: 'string', default: process.env.HUMLE_BENCH_TMP ?? tmpdir() },
  },
});
const entities = Number(values.entities);
const seconds = Number(values.seconds);
const clients = Number(values.clients);
const batchClients = Number(values['batch-clients']);
const workers = Number(values.workers);

interface Result {
  phase: string;
  workers: number | null;
  vectorsPerSec: number;
  p50us?: number;
  p99us?: number;
  ratioToRaw?: number;
}
const results: Result[] = [];

function percentile(sorted: Float64Array, p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
}

function report(r: Result): void {
  results.push(r);
  const lat = r.p50us === undefined ? '' : `  p50 ${r.p50us.toFixed(1)} µs  p99 ${r.p99us!.toFixed(1)} µs`;
  const ratio = r.ratioToRaw === undefined ? '' : `  (${(r.ratioToRaw * 100).toFixed(0)} % of raw)`;
  console.log(`${r.phase.padEnd(48)} workers ${String(r.workers ?? '-').padStart(2)}  ${Math.round(r.vectorsPerSec).toLocaleString('en').padStart(10)} vectors/s${lat}${ratio}  load ${loadavg()[0]!.toFixed(2)}`);
}

/** Random entries, made before the clock starts. */
function entries(count: number, seed: number): { uid: number }[] {
  const random = prng(seed);
  return Array.from({ length: count }, () => ({ uid: Math.floor(random() * entities) }));
}

function rawLookups(dbPath: string): number {
  const db = new Database(dbPath, { readonly: true });
  // The settings the serving connections use (lookup-connection.ts), and the same warm-up.
  db.pragma(`mmap_size = ${64 * 2 ** 30}`);
  db.pragma('cache_size = -65536');
  const statement = db.prepare('SELECT * FROM p1_users_1 WHERE "uid" = ?').raw(true);
  for (const e of entries(20_000, 3)) statement.get(e.uid);
  const keys = entries(65536, 7).map((e) => e.uid);
  let n = 0;
  const until = performance.now() + seconds * 1000;
  while (performance.now() < until) {
    for (let i = 0; i < 1000; i++) statement.get(keys[n++ & 65535]);
  }
  const rate = n / seconds;
  db.close();
  return rate;
}

async function singleLatency(fv: FeatureView, w: number, raw: number): Promise<void> {
  const keys = entries(65536, 11);
  const latencies = new Float64Array(2_000_000);
  let n = 0;
  const start = performance.now();
  const until = start + seconds * 1000;
  while (n < latencies.length) {
    const t = performance.now();
    if (t >= until) break;
    await fv.getFeatureVector(keys[n & 65535]!);
    latencies[n++] = performance.now() - t;
  }
  const elapsed = (performance.now() - start) / 1000;
  const sorted = latencies.subarray(0, n).sort();
  report({ phase: 'single vectors, 1 caller', workers: w, vectorsPerSec: n / elapsed, p50us: percentile(sorted, 0.5) * 1000, p99us: percentile(sorted, 0.99) * 1000, ratioToRaw: n / elapsed / raw });
}

async function concurrent(fv: FeatureView, w: number, raw: number, callers: number, batch: number): Promise<void> {
  const keys = entries(65536, 13);
  const batches = Array.from({ length: 64 }, (_, b) => keys.slice(b * batch, b * batch + batch));
  const latencies: number[] = [];
  let vectors = 0;
  const start = performance.now();
  const until = start + seconds * 1000;
  await Promise.all(
    Array.from({ length: callers }, async (_, c) => {
      let i = c;
      while (performance.now() < until) {
        const t = performance.now();
        if (batch === 1) await fv.getFeatureVector(keys[i++ & 65535]!);
        else await fv.getFeatureVectors(batches[i++ & 63]!);
        if ((i & 15) === 0) latencies.push(performance.now() - t);
        vectors += batch;
      }
    }),
  );
  const elapsed = (performance.now() - start) / 1000;
  const sorted = Float64Array.from(latencies).sort();
  const what = batch === 1 ? `single vectors, ${callers} concurrent callers` : `batches of ${batch}, ${callers} caller${callers > 1 ? 's' : ''}`;
  report({ phase: what, workers: w, vectorsPerSec: vectors / elapsed, p50us: percentile(sorted, 0.5) * 1000, p99us: percentile(sorted, 0.99) * 1000, ratioToRaw: vectors / elapsed / raw });
}

async function main(): Promise<void> {
  const root = mkdtempSync(join(values.tmp as string, 'humle-bench-fv-serving-'));
  const dataDir = join(root, 'data');
  try {
    let humle = await Humle.open({ dataDir, user: 'bench' });
    await loadServingData(humle, entities);
    await humle.close();
    const raw = rawLookups(join(dataDir, 'humle.db'));
    report({ phase: 'raw better-sqlite3 pk lookup, one table', workers: null, vectorsPerSec: raw });
    for (const w of [0, workers]) {
      humle = await Humle.open({ dataDir, user: 'bench', servingWorkers: w });
      try {
        const fv = await (await humle.project('bench')).featureStore().getFeatureView('scoring');
        await fv.initServing();
        await fv.getFeatureVectors(entries(20_000, 3)); // warm the page cache and the JIT
        await singleLatency(fv, w, raw);
        await concurrent(fv, w, raw, clients, 1);
        await concurrent(fv, w, raw, 1, 100);
        await concurrent(fv, w, raw, batchClients, 100);
      } finally {
        await humle.close();
      }
    }
  } finally {
    await closeOfflineDuckDB();
    rmSync(root, { recursive: true, force: true });
  }
  emitJson({ json: values.json } as BenchOptions, { bench: 'fv-serving', engine: 'sqlite', entities, seconds, clients, batchClients, env: environment(undefined), loadavg: loadavg(), results });
}

await main();
