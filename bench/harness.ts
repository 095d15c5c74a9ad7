// Shared pieces of the humle fs benchmarks: command line, a fresh store per run, closed-loop concurrent clients with
// per-operation latencies, and the table / JSON-line output.
import { mkdtempSync, rmSync, readFileSync, appendFileSync } from 'node:fs';
import { cpus, totalmem, tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import { createConnection } from 'mysql2/promise';
import { FileSystem } from '../src/fs/file-system.js';
import type { EngineConfig } from '../src/db/open-engine.js';

export interface BenchOptions {
  engine: 'sqlite' | 'mysql';
  mysqlUrl: string | undefined;
  /** Operations per measured phase (upper bound). */
  ops: number;
  clients: number;
  /** Seconds per measured phase (upper bound). */
  timeLimit: number;
  /** Operations per warm-up phase. */
  warmup: number;
  poolSize: number | undefined;
  /** SQLite: most units in one group commit (the engine's default when undefined). */
  maxBatch: number | undefined;
  readWorkers: number;
  /** Phases to run (all when empty). */
  phases: string[];
  /** Parent directory of the fresh data directory. */
  tmp: string;
  /** Also append the JSON line to this file. */
  json: string | undefined;
  keep: boolean;
  extra: Record<string, string | boolean | undefined>;
}

/** Parses the common options; `extra` declares bench-specific ones (all strings). */
export function parseOptions(extra: Record<string, { type: 'string' | 'boolean'; default?: string | boolean }> = {}): BenchOptions {
  const { values } = parseArgs({
    options: {
      engine: { type: 'string', default: 'sqlite' },
      'mysql-url': { type: 'string' },
      ops: { type: 'string', default: '100000' },
      clients: { type: 'string', default: '64' },
      'time-limit': { type: 'string', default: '60' },
      warmup: { type: 'string' },
      'pool-size': { type: 'string' },
      'max-batch': { type: 'string' },
      'read-workers': { type: 'string', default: '0' },
      phases: { type: 'string', default: '' },
      tmp: { type: 'string', default: process.env.HUMLE_BENCH_TMP ?? tmpdir() },
      json: { type: 'string' },
      keep: { type: 'boolean', default: false },
      ...extra,
    },
    strict: true,
  });
  const engine = values.engine as string;
  if (engine !== 'sqlite' && engine !== 'mysql') throw new Error(`--engine must be sqlite or mysql, got ${engine}`);
  const ops = positiveInt('ops', values.ops as string);
  const mysqlUrl = (values['mysql-url'] as string | undefined) ?? process.env.HUMLE_BENCH_MYSQL_URL ?? process.env.HUMLE_TEST_MYSQL_URL;
  if (engine === 'mysql' && !mysqlUrl) throw new Error('--engine mysql needs --mysql-url (or HUMLE_BENCH_MYSQL_URL): start one with scripts/mariadb-test-server.sh start');
  const extraValues: Record<string, string | boolean | undefined> = {};
  for (const key of Object.keys(extra)) extraValues[key] = values[key as keyof typeof values] as string | boolean | undefined;
  return {
    engine,
    mysqlUrl,
    ops,
    clients: positiveInt('clients', values.clients as string),
    timeLimit: Number(values['time-limit']),
    warmup: values.warmup === undefined ? Math.min(5000, Math.ceil(ops / 10)) : Number(values.warmup),
    poolSize: values['pool-size'] === undefined ? undefined : positiveInt('pool-size', values['pool-size'] as string),
    maxBatch: values['max-batch'] === undefined ? undefined : positiveInt('max-batch', values['max-batch'] as string),
    readWorkers: Number(values['read-workers']),
    phases: (values.phases as string).split(',').filter((p) => p !== ''),
    tmp: values.tmp as string,
    json: values.json as string | undefined,
    keep: values.keep as boolean,
    extra: extraValues,
  };
}

function positiveInt(name: string, text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer, got ${text}`);
  return n;
}

/** A fresh humle fs: a new temp data directory, and for MySQL a new database; `dispose` removes both. */
export interface BenchStore {
  fs: FileSystem;
  dataDir: string;
  engineConfig: EngineConfig;
  engineVersion: string;
  /** A scratch directory beside the data directory (the "datanode way" baseline writes here). */
  scratch: string;
  dispose(): Promise<void>;
}

/** A fresh database on a MySQL-protocol server for one benchmark run: its URL, the server's version, and how to drop it. */
export async function createBenchDatabase(serverUrl: string): Promise<{ url: string; version: string; drop(): Promise<void> }> {
  const database = `humle_bench_${randomBytes(5).toString('hex')}`;
  const admin = await createConnection(serverUrl);
  const [rows] = await admin.query('SELECT VERSION() AS v');
  await admin.query(`CREATE DATABASE ${database}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return {
    url: url.toString(),
    version: `MySQL protocol server ${(rows as { v: string }[])[0]!.v}`,
    drop: async () => {
      const conn = await createConnection(serverUrl);
      await conn.query(`DROP DATABASE IF EXISTS ${database}`);
      await conn.end();
    },
  };
}

export async function openStore(options: BenchOptions): Promise<BenchStore> {
  const root = mkdtempSync(join(options.tmp, `humle-bench-${options.engine}-`));
  const dataDir = join(root, 'data');
  const scratch = join(root, 'scratch');
  let engineConfig: EngineConfig;
  let engineVersion: string;
  let dropDatabase = async (): Promise<void> => undefined;
  if (options.engine === 'sqlite') {
    engineConfig = { kind: 'sqlite', ...(options.maxBatch ? { maxBatch: options.maxBatch } : {}) };
    const db = new Database(':memory:');
    engineVersion = `SQLite ${(db.prepare('SELECT sqlite_version() AS v').get() as { v: string }).v}`;
    db.close();
  } else {
    const created = await createBenchDatabase(options.mysqlUrl!);
    engineVersion = created.version;
    engineConfig = { kind: 'mysql', url: created.url, ...(options.poolSize ? { poolSize: options.poolSize } : {}) };
    dropDatabase = created.drop;
  }
  const fs = await FileSystem.open({ dataDir, engine: engineConfig, user: 'bench', readWorkers: options.readWorkers });
  return {
    fs,
    dataDir,
    engineConfig,
    engineVersion,
    scratch,
    dispose: async () => {
      await fs.close();
      if (!options.keep) {
        await dropDatabase();
        rmSync(root, { recursive: true, force: true });
      }
    },
  };
}

export interface LatencySummary {
  ops: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
}

export interface PhaseResult extends LatencySummary {
  phase: string;
  errors: number;
  firstError?: string;
  seconds: number;
  opsPerSec: number;
  /** Per kind of operation, for mixed phases. */
  byKind?: Record<string, LatencySummary & { opsPerSec: number }>;
  note?: string;
}

/**
 * One closed-loop client's operation: `client` is its number, `j` its own sequence number, `i` the global one.
 * It may return a kind (for a mixed phase's breakdown).
 */
export type Op = (client: number, j: number, i: number) => Promise<string | void>;

export interface PhaseSpec {
  name: string;
  ops: number;
  clients: number;
  timeLimitSec: number;
  /** Most operations each client may run (e.g. how many files it has to rename). */
  perClientLimit?: readonly number[];
  note?: string;
}

/**
 * Runs `op` from `clients` concurrent async loops until `ops` operations have started or the time limit passes.
 * Throughput counts successful operations over the wall time of the whole phase.
 */
export async function runPhase(spec: PhaseSpec, op: Op): Promise<PhaseResult> {
  const latencies = new Float64Array(spec.ops);
  const kinds: (string | undefined)[] = [];
  let next = 0;
  let done = 0;
  let errors = 0;
  let firstError: string | undefined;
  const start = performance.now();
  const deadline = start + spec.timeLimitSec * 1000;
  const client = async (c: number): Promise<void> => {
    const limit = spec.perClientLimit?.[c] ?? Infinity;
    for (let j = 0; j < limit; j++) {
      if (next >= spec.ops) return;
      const t0 = performance.now();
      if (t0 >= deadline) return;
      const i = next++;
      try {
        const kind = await op(c, j, i);
        latencies[done] = performance.now() - t0;
        if (kind) kinds[done] = kind;
        done++;
      } catch (error) {
        errors++;
        firstError ??= String((error as Error)?.stack ?? error).split('\n').slice(0, 3).join(' | ');
      }
    }
  };
  await Promise.all(Array.from({ length: spec.clients }, (_, c) => client(c)));
  const seconds = (performance.now() - start) / 1000;
  const all = latencies.subarray(0, done);
  const result: PhaseResult = {
    phase: spec.name,
    ...summarize(all),
    errors,
    ...(firstError ? { firstError } : {}),
    seconds: round(seconds, 3),
    opsPerSec: Math.round(done / seconds),
    ...(spec.note ? { note: spec.note } : {}),
  };
  if (kinds.length > 0) {
    const groups = new Map<string, number[]>();
    for (let k = 0; k < done; k++) {
      const kind = kinds[k] ?? 'other';
      let list = groups.get(kind);
      if (!list) groups.set(kind, (list = []));
      list.push(all[k]!);
    }
    result.byKind = {};
    for (const [kind, list] of [...groups].sort()) {
      result.byKind[kind] = { ...summarize(Float64Array.from(list)), opsPerSec: Math.round(list.length / seconds) };
    }
  }
  return result;
}

function summarize(latencies: Float64Array): LatencySummary {
  const sorted = Float64Array.from(latencies).sort();
  const pick = (q: number) => (sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!);
  let sum = 0;
  for (const v of sorted) sum += v;
  return {
    ops: sorted.length,
    p50: round(pick(0.5), 3),
    p90: round(pick(0.9), 3),
    p99: round(pick(0.99), 3),
    max: round(sorted.length ? sorted[sorted.length - 1]! : 0, 3),
    mean: round(sorted.length ? sum / sorted.length : 0, 3),
  };
}

function round(v: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}

/** Runs a phase's warm-up (not reported) and then the measured phase. */
export async function warmAndRun(
  options: BenchOptions,
  name: string,
  op: (root: string) => Op,
  spec: { warmRoot: string; root: string; ops?: number; note?: string; perClientLimit?: (root: string) => readonly number[] },
): Promise<PhaseResult> {
  if (options.warmup > 0) {
    const warm = await runPhase(
      {
        name: `${name} (warm-up)`,
        ops: options.warmup,
        clients: options.clients,
        timeLimitSec: Math.max(5, options.timeLimit / 4),
        perClientLimit: spec.perClientLimit?.(spec.warmRoot),
      },
      op(spec.warmRoot),
    );
    if (warm.errors > 0) console.log(`  warm-up of ${name}: ${warm.errors} errors, first: ${warm.firstError}`);
  }
  const result = await runPhase(
    {
      name,
      ops: spec.ops ?? options.ops,
      clients: options.clients,
      timeLimitSec: options.timeLimit,
      perClientLimit: spec.perClientLimit?.(spec.root),
      note: spec.note,
    },
    op(spec.root),
  );
  printRow(result);
  return result;
}

export function selected(options: BenchOptions, phase: string): boolean {
  return options.phases.length === 0 || options.phases.some((p) => phase === p || phase.startsWith(`${p}`));
}

const COLUMNS = ['phase', 'ops', 'errors', 'seconds', 'ops/s', 'p50 ms', 'p90 ms', 'p99 ms', 'max ms'];
const WIDTHS = [34, 8, 6, 8, 9, 8, 8, 8, 9];

export function printHeader(title: string): void {
  console.log(`\n${title}`);
  console.log(COLUMNS.map((c, k) => (k === 0 ? c.padEnd(WIDTHS[k]!) : c.padStart(WIDTHS[k]!))).join(' '));
  console.log(WIDTHS.map((w) => '-'.repeat(w)).join(' '));
}

export function printRow(r: PhaseResult): void {
  const cells = [r.phase, r.ops, r.errors, r.seconds.toFixed(2), r.opsPerSec, r.p50.toFixed(2), r.p90.toFixed(2), r.p99.toFixed(2), r.max.toFixed(1)];
  console.log(cells.map((c, k) => (k === 0 ? String(c).padEnd(WIDTHS[k]!) : String(c).padStart(WIDTHS[k]!))).join(' '));
  if (r.byKind) {
    for (const [kind, s] of Object.entries(r.byKind)) {
      const sub = [`  ${kind}`, s.ops, '', '', s.opsPerSec, s.p50.toFixed(2), s.p90.toFixed(2), s.p99.toFixed(2), s.max.toFixed(1)];
      console.log(sub.map((c, k) => (k === 0 ? String(c).padEnd(WIDTHS[k]!) : String(c).padStart(WIDTHS[k]!))).join(' '));
    }
  }
  if (r.errors > 0) console.log(`  first error: ${r.firstError}`);
}

/** The machine and software the run used. */
export function environment(store: BenchStore | undefined): Record<string, unknown> {
  let cpuModel = cpus()[0]?.model ?? 'unknown';
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8').split('\n').find((l) => l.startsWith('model name'));
    if (line) cpuModel = line.split(':')[1]!.trim();
  } catch {
    // not Linux
  }
  return {
    date: new Date().toISOString(),
    node: process.version,
    cpus: cpus().length,
    cpuModel,
    memGiB: Math.round(totalmem() / 2 ** 30),
    engineVersion: store?.engineVersion,
    uvThreadpool: process.env.UV_THREADPOOL_SIZE ?? '4 (default)',
  };
}

export function emitJson(options: BenchOptions, record: Record<string, unknown>): void {
  const line = JSON.stringify(record);
  console.log(line);
  if (options.json) appendFileSync(options.json, line + '\n');
}

/** A small deterministic PRNG (mulberry32), so mixed workloads are repeatable. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Runs `fn` for each of `count` items with at most `concurrency` in flight (setup work, not measured). */
export async function parallel(count: number, concurrency: number, fn: (k: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async () => {
      while (next < count) await fn(next++);
    }),
  );
}
