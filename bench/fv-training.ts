// Training data with point-in-time joins (issue 4): a spine of labelled events joined as of their event times with
// three feature groups of `entities` entities × 10 versions each (11 features in all), through a feature view, two
// ways: materialized as a Parquet training dataset in humle fs (humle-parquet) and read into memory as Arrow tables
// (humle-arrow). Reports seconds, rows/s and the process's peak resident memory during each; with --feast, runs
// Feast's get_historical_features (its local "file" offline store) on a smaller instance of the same data, and Humle
// again on that same instance, and reports the ratio.
//
//   node --max-old-space-size=12000 dist/bench/fv-training.js [--spine 10000000] [--entities 1000000] [--keep DIR]
//        [--profile DIR] [--rows] [--feast-spine 100000 --feast-entities 10000 --feast-python .venv-feast/bin/python]
//        [--json FILE]
//
// --keep DIR loads the full instance into DIR and keeps it; a later run with the same DIR only reads (loading 40M
// rows takes minutes). --profile DIR writes DuckDB's JSON profile of each read there (HUMLE_DUCKDB_PROFILE) and
// prints its costliest operators; profiling itself adds a little time. --rows also reads the training data as row
// objects (humle-rows: the SDK's default, and the path of views with transformations). The Feast environment:
// python3 -m venv .venv-feast && .venv-feast/bin/pip install -r bench/feast/requirements.txt
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { performance } from 'node:perf_hooks';
import { Humle } from '../src/humle.js';
import { closeOfflineDuckDB, withDuckDBConnection } from '../src/featurestore/offline/duckdb/duckdb-instance.js';
import { environment, emitJson, type BenchOptions } from './harness.js';

const { values } = parseArgs({
  options: {
    spine: { type: 'string', default: '10000000' },
    entities: { type: 'string', default: '1000000' },
    'feast-spine': { type: 'string' },
    'feast-entities': { type: 'string', default: '10000' },
    'feast-python': { type: 'string', default: '.venv-feast/bin/python' },
    json: { type: 'string' },
    tmp: { type: 'string', default: process.env.HUMLE_BENCH_TMP ?? tmpdir() },
    // Load the full instance into this directory and keep it; a later run with the same directory only reads.
    keep: { type: 'string' },
    // Profile each read with DuckDB and print where its time goes.
    profile: { type: 'string' },
    // Also read the training data as row objects (the SDK's default), the path that transformations take.
    rows: { type: 'boolean', default: false },
  },
});
const run = promisify(execFile);
const VERSIONS = 10;
/** Feature group versions are a day apart from 2026-01-01; spine events fall anywhere in those ten days and one more. */
const START_SECONDS = Date.parse('2026-01-01T00:00:00Z') / 1000;
const DAY = 86_400;

/** The three feature groups: 4 + 3 + 4 features besides the key and the event time. */
const GROUPS = [
  { name: 'account', columns: ['balance DOUBLE', 'limit_used DOUBLE', 'age_days BIGINT', 'score DOUBLE'], expressions: ['v * 10.5 + e % 97', '(e % 100) / 100.0', 'e % 3650', '((e * 7 + v) % 1000) / 1000.0'] },
  { name: 'activity', columns: ['tx_7d BIGINT', 'amount_7d DOUBLE', 'channel VARCHAR'], expressions: ['(e + v) % 50', '((e * 13 + v) % 10000) / 10.0', "['web', 'app', 'pos'][(e + v) % 3 + 1]"] },
  { name: 'risk', columns: ['risk DOUBLE', 'alerts BIGINT', 'country VARCHAR', 'segment BIGINT'], expressions: ['((e * 31 + v) % 997) / 997.0', '(e * v) % 5', "['SE', 'NO', 'DK', 'FI'][e % 4 + 1]", 'e % 12'] },
];

/** Writes the instance's Parquet files with DuckDB: per group `entities` × 10 versions, and the spine. */
async function writeData(dir: string, spineRows: number, entities: number): Promise<{ groups: string[]; spine: string }> {
  mkdirSync(dir, { recursive: true });
  const groups: string[] = [];
  await withDuckDBConnection(async (connection) => {
    for (const group of GROUPS) {
      const path = join(dir, `${group.name}.parquet`);
      // Each entity's version v is valid from day v, shifted by the entity so that events do not all tie.
      const select = [
        'e AS entity_id',
        `to_timestamp(${START_SECONDS} + v * ${DAY} + (e % ${DAY})) AS event_time`,
        // Cast to the declared type: DuckDB types `v * 10.5` as a DECIMAL, which would make `balance` a decimal feature.
        ...group.columns.map((c, i) => `CAST(${group.expressions[i]} AS ${c.split(' ')[1]}) AS ${c.split(' ')[0]}`),
      ];
      await connection.run(
        `COPY (SELECT ${select.join(', ')} FROM range(${entities}) r(e), range(${VERSIONS}) w(v)) TO '${path}' (FORMAT parquet, COMPRESSION snappy)`,
      );
      groups.push(path);
    }
    const spine = join(dir, 'spine.parquet');
    await connection.run(
      `COPY (SELECT i AS tid, hash(i) % ${entities} AS entity_id, to_timestamp(${START_SECONDS} + hash(i * 3) % ${(VERSIONS + 1) * DAY}) AS event_time, ` +
        `CAST(hash(i * 7) % 2 AS BIGINT) AS label FROM range(${spineRows}) r(i)) TO '${spine}' (FORMAT parquet, COMPRESSION snappy)`,
    );
  });
  return { groups, spine: join(dir, 'spine.parquet') };
}

/** Peak resident memory while `work` runs, sampled every 20 ms. */
async function withPeakRss<T>(work: () => Promise<T>): Promise<{ value: T; peakRssMiB: number }> {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 20);
  try {
    const value = await work();
    peak = Math.max(peak, process.memoryUsage.rss());
    return { value, peakRssMiB: Math.round(peak / 2 ** 20) };
  } finally {
    clearInterval(timer);
  }
}

interface Result {
  engine: string;
  spineRows: number;
  entities: number;
  rows: number;
  seconds: number;
  rowsPerSec: number;
  peakRssMiB: number;
}

/**
 * Loads the instance into Humle (offline only), unless `root` holds one already (--keep), then reads the view's
 * training data: materialized as a Parquet training dataset in humle fs (DuckDB streams it to files), and in memory
 * as Arrow tables.
 */
async function humleRun(root: string, data: () => Promise<{ groups: string[]; spine: string }>, spineRows: number, entities: number): Promise<{ load: number | null; results: Result[] }> {
  const loaded = existsSync(join(root, 'humle'));
  const humle = await Humle.open({ dataDir: join(root, 'humle'), user: 'bench' });
  try {
    let load: number | null = null;
    if (!loaded) {
      const files = await data();
      const fs = (await humle.createProject('bench')).featureStore();
      const loadStart = performance.now();
      const spine = await fs.createFeatureGroup({ name: 'transactions', primaryKey: ['tid'], eventTime: 'event_time', statisticsConfig: { enabled: false } });
      await spine.insert(files.spine);
      const groups = [];
      for (const [i, group] of GROUPS.entries()) {
        const fg = await fs.createFeatureGroup({ name: group.name, primaryKey: ['entity_id'], eventTime: 'event_time', statisticsConfig: { enabled: false } });
        await fg.insert(files.groups[i]!);
        groups.push(fg);
      }
      load = (performance.now() - loadStart) / 1000;
      let query = spine.select(['tid', 'entity_id', 'event_time', 'label']);
      for (const fg of groups) query = query.join(fg.selectExcept(['entity_id', 'event_time']));
      await fs.createFeatureView({ name: 'fraud', query, labels: ['label'] });
    }
    const view = await (await humle.project('bench')).featureStore().getFeatureView('fraud');
    const results: Result[] = [];
    const measure = async (engine: string, read: () => Promise<number>) => {
      const start = performance.now();
      const { value: rows, peakRssMiB } = await withPeakRss(read);
      const seconds = (performance.now() - start) / 1000;
      if (rows !== spineRows) throw new Error(`${engine}: the training data has ${rows} rows, the spine ${spineRows}`);
      results.push({ engine, spineRows, entities, rows, seconds: round(seconds), rowsPerSec: Math.round(rows / seconds), peakRssMiB });
      if (values.profile !== undefined) printProfile(engine, values.profile);
    };
    await measure('humle-parquet', async () => {
      const dataset = await view.createTrainingData({ format: 'parquet' });
      await view.deleteTrainingDataset(dataset.version);
      return dataset.splits.reduce((n, part) => n + part.rowCount, 0);
    });
    await measure('humle-arrow', async () => (await view.trainingData({ dataframe: 'arrow' })).features.numRows);
    if (values.rows) await measure('humle-rows', async () => (await view.trainingData()).features.length);
    return { load, results };
  } finally {
    await humle.close();
  }
}

async function feastRun(root: string, data: { groups: string[]; spine: string }, spineRows: number, entities: number, python: string): Promise<Result> {
  const args = [join('bench', 'feast', 'historical_features.py'), '--work', join(root, 'feast'), '--spine', data.spine];
  GROUPS.forEach((g, i) => args.push('--group', `${g.name}=${data.groups[i]}`));
  const { stdout } = await run(python, args, { maxBuffer: 64 * 1024 * 1024 });
  const line = JSON.parse(stdout.trim().split('\n').pop()!) as { engine: string; rows: number; seconds: number; peakRssMiB: number };
  return { engine: line.engine, spineRows, entities, rows: line.rows, seconds: line.seconds, rowsPerSec: Math.round(line.rows / line.seconds), peakRssMiB: line.peakRssMiB };
}

interface ProfileNode {
  operator_name?: string;
  operator_timing?: number;
  operator_cardinality?: number;
  latency?: number;
  children?: ProfileNode[];
}

/**
 * The costliest operators of the newest DuckDB profile in `dir` (the read just measured: its connection's last
 * statement), by their own time; DuckDB times each operator apart from its children.
 */
function printProfile(engine: string, dir: string): void {
  const files = readdirSync(dir).filter((f) => f.endsWith('.json')).map((f) => join(dir, f));
  const newest = files.sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0];
  if (newest === undefined) return;
  const root = JSON.parse(readFileSync(newest, 'utf8')) as ProfileNode;
  const operators: { name: string; seconds: number; rows: number }[] = [];
  const walk = (node: ProfileNode) => {
    if (node.operator_name !== undefined) operators.push({ name: node.operator_name.trim(), seconds: node.operator_timing ?? 0, rows: node.operator_cardinality ?? 0 });
    node.children?.forEach(walk);
  };
  walk(root);
  const total = operators.reduce((sum, o) => sum + o.seconds, 0);
  console.log(`${engine}: DuckDB profile ${newest} (latency ${(root.latency ?? 0).toFixed(2)} s, operator time ${total.toFixed(2)} s across threads)`);
  for (const o of operators.sort((a, b) => b.seconds - a.seconds).slice(0, 8)) {
    console.log(`  ${o.name.padEnd(20)} ${o.seconds.toFixed(2).padStart(7)} s ${((100 * o.seconds) / total).toFixed(1).padStart(5)} % ${String(o.rows).padStart(10)} rows`);
  }
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}

function report(r: Result): void {
  console.log(`${r.engine.padEnd(14)} spine ${String(r.spineRows).padStart(9)} entities ${String(r.entities).padStart(8)}: ${r.seconds.toFixed(2).padStart(8)} s ${String(r.rowsPerSec).padStart(9)} rows/s peak RSS ${r.peakRssMiB} MiB`);
}

async function main(): Promise<void> {
  const root = mkdtempSync(join(values.tmp as string, 'humle-bench-fv-'));
  if (values.profile !== undefined) {
    mkdirSync(values.profile, { recursive: true });
    process.env.HUMLE_DUCKDB_PROFILE = values.profile;
  }
  const results: Result[] = [];
  try {
    const spineRows = Number(values.spine);
    const entities = Number(values.entities);
    console.log(`training data: ${spineRows} spine rows as of 3 feature groups of ${entities} entities × ${VERSIONS} versions (11 features)`);
    const full = await humleRun(values.keep ?? join(root, 'full'), () => writeData(join(root, 'data'), spineRows, entities), spineRows, entities);
    console.log(full.load === null ? `the instance in ${values.keep} was loaded before` : `loaded in ${full.load.toFixed(1)} s (4 inserts of Parquet files, offline only)`);
    full.results.forEach(report);
    results.push(...full.results);

    if (values['feast-spine'] !== undefined) {
      const smallSpine = Number(values['feast-spine']);
      const smallEntities = Number(values['feast-entities']);
      const small = await writeData(join(root, 'small'), smallSpine, smallEntities);
      const humle = (await humleRun(join(root, 'small-humle'), async () => small, smallSpine, smallEntities)).results;
      const feast = await feastRun(root, small, smallSpine, smallEntities, values['feast-python'] as string);
      [...humle, feast].forEach(report);
      const arrow = humle.find((r) => r.engine === 'humle-arrow')!;
      console.log(`same instance: Feast takes ${(feast.seconds / arrow.seconds).toFixed(1)}× the time of Humle's in-memory read`);
      results.push(...humle, feast);
    }
  } finally {
    await closeOfflineDuckDB();
    rmSync(root, { recursive: true, force: true });
  }
  emitJson({ json: values.json } as BenchOptions, { bench: 'fv-training', env: environment(undefined), results });
}

await main();
