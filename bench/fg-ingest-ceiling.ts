// The floor under feature group ingestion: the same batches of 10,000 rows of ~1 KB that bench/fg-ingest.ts inserts,
// written by the two engines alone with none of Humle around them, to measure how much CPU one batch costs at the
// least. (1) SQLite: the record index lookups, then one transaction with the online rows (the online table's
// multi-row upsert-if-newer, 256 rows a statement) and the record index rows (512 a statement), committed in WAL mode
// at synchronous=NORMAL with automatic checkpoints off, as Humle's writer does; then the PASSIVE checkpoint that
// copies the batch's WAL frames into the database file, which Humle runs on its own thread (it is CPU of the same two
// cores all the same). Each step is timed on its own. (2) DuckDB: the rows through the appender into a table and COPY
// to a Snappy Parquet file, as the Parquet writer thread does. CPU is the process's (every thread: DuckDB's own
// included), so the sum bounds what two cores can ingest: 2 × rows per batch / (CPU seconds per batch).
//
//   node dist/bench/fg-ingest-ceiling.js [--batches 50] [--batch 10000] [--json FILE]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import { DuckDBInstance, DuckDBDataChunk, DOUBLE, BIGINT, TIMESTAMPTZ, VARCHAR, DuckDBTimestampTZValue, type DuckDBValue } from '@duckdb/node-api';
import { environment, emitJson, type BenchOptions } from './harness.js';

const { values } = parseArgs({
  options: {
    batches: { type: 'string', default: '50' },
    batch: { type: 'string', default: '10000' },
    json: { type: 'string' },
    tmp: { type: 'string', default: process.env.HUMLE_BENCH_TMP ?? tmpdir() },
  },
});
const batches = Number(values.batches);
const batchRows = Number(values.batch);

const NOTE = 'x'.repeat(850);
const CATEGORIES = ['food', 'travel', 'fuel', 'retail', 'online'];
const TS = 1_767_225_600_000_000;

/** The bench's row (see fg-ingest.ts) in canonical form: id, ts (µs), five doubles, two bigints, two strings. */
function canonicalRow(id: number): unknown[] {
  return [id, TS, (id % 1000) / 7, id * 0.5, (id % 97) / 97, 59.3 + (id % 100) / 1000, 18.0 + (id % 100) / 1000, id % 13, id % 41, CATEGORIES[id % CATEGORIES.length], NOTE];
}

/** `n` items from `start`, the last repeated to fill a short tail (as Humle pads its statements; a repeat changes nothing). */
function chunk<T>(items: readonly T[], start: number, n: number): T[] {
  const out = items.slice(start, start + n);
  while (out.length < n) out.push(out[out.length - 1]!);
  return out;
}

function cpuSeconds(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}

interface Measured {
  part: string;
  msPerBatch: number;
  cpuMsPerBatch: number;
}

function sqliteParts(dir: string): Measured[] {
  const db = new Database(join(dir, 'ceiling.sqlite'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('cache_size = -65536');
  db.pragma('wal_autocheckpoint = 0');
  const columns = ['id', 'ts', 'amount', 'balance', 'score', 'lat', 'lon', 'count_7d', 'count_30d', 'category', 'note'];
  db.exec(
    'CREATE TABLE online (id INTEGER NOT NULL PRIMARY KEY, ts INTEGER NOT NULL, amount REAL, balance REAL, score REAL, lat REAL, lon REAL, ' +
      'count_7d INTEGER, count_30d INTEGER, category TEXT, note TEXT)',
  );
  db.exec('CREATE TABLE record_index (fg_id INTEGER NOT NULL, record_key TEXT NOT NULL, file_id INTEGER NOT NULL, PRIMARY KEY (fg_id, record_key))');
  db.exec('CREATE INDEX record_index_file ON record_index (fg_id, file_id)');
  const rowsPerStatement = 256;
  const row = `(${'?, '.repeat(columns.length - 1)}?)`;
  const upsert = db.prepare(
    `INSERT INTO online (${columns.join(', ')}) VALUES ${`${row}, `.repeat(rowsPerStatement - 1)}${row} ` +
      `ON CONFLICT (id) DO UPDATE SET ${columns.slice(1).map((c) => `${c} = excluded.${c}`).join(', ')} WHERE excluded.ts >= online.ts`,
  );
  const keysPerStatement = 512;
  const assign = db.prepare(
    `INSERT INTO record_index (fg_id, record_key, file_id) VALUES ${'(?, ?, ?), '.repeat(keysPerStatement - 1)}(?, ?, ?) ` +
      'ON CONFLICT (fg_id, record_key) DO UPDATE SET file_id = excluded.file_id',
  );
  const lookup = db.prepare(`SELECT record_key, file_id FROM record_index WHERE fg_id = ? AND record_key IN (${'?, '.repeat(keysPerStatement - 1)}?)`).raw(true);
  const begin = db.prepare('BEGIN IMMEDIATE');
  const commit = db.prepare('COMMIT');
  const steps = {
    lookups: { part: 'SQLite: record index lookups', wall: 0, cpu: 0 },
    online: { part: 'SQLite: online upsert-if-newer (BEGIN, statements)', wall: 0, cpu: 0 },
    index: { part: 'SQLite: record index rows', wall: 0, cpu: 0 },
    commit: { part: 'SQLite: COMMIT (the WAL frames written)', wall: 0, cpu: 0 },
    checkpoint: { part: 'SQLite: checkpoint (WAL → database file)', wall: 0, cpu: 0 },
  };
  for (let b = 0; b < batches; b++) {
    const rows = Array.from({ length: batchRows }, (_, i) => canonicalRow(b * batchRows + i));
    const keys = rows.map((r) => `${r[0]},${r[1]}`);
    // Every statement's parameters are ready before the clock starts: what is timed is the engine's work alone.
    const lookupParams: unknown[][] = [];
    for (let s = 0; s < keys.length; s += keysPerStatement) lookupParams.push([1, ...chunk(keys, s, keysPerStatement)]);
    const upsertParams: unknown[][] = [];
    for (let s = 0; s < rows.length; s += rowsPerStatement) upsertParams.push(chunk(rows, s, rowsPerStatement).flat());
    const assignParams: unknown[][] = [];
    for (let s = 0; s < keys.length; s += keysPerStatement) assignParams.push(chunk(keys, s, keysPerStatement).flatMap((k) => [1, k, b]));
    let lapWall = performance.now();
    let lapCpu = cpuSeconds();
    const lap = (step: { wall: number; cpu: number }) => {
      const [wall, cpu] = [performance.now(), cpuSeconds()];
      step.wall += wall - lapWall;
      step.cpu += cpu - lapCpu;
      [lapWall, lapCpu] = [wall, cpu];
    };
    for (const params of lookupParams) lookup.all(params);
    lap(steps.lookups);
    begin.run();
    for (const params of upsertParams) upsert.run(params);
    lap(steps.online);
    for (const params of assignParams) assign.run(params);
    lap(steps.index);
    commit.run();
    lap(steps.commit);
    db.pragma('wal_checkpoint(PASSIVE)');
    lap(steps.checkpoint);
  }
  db.close();
  return Object.values(steps).map((s) => ({ part: s.part, msPerBatch: s.wall / batches, cpuMsPerBatch: (s.cpu * 1000) / batches }));
}

async function duckdbPart(dir: string): Promise<Measured> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  const types = [BIGINT, TIMESTAMPTZ, DOUBLE, DOUBLE, DOUBLE, DOUBLE, DOUBLE, BIGINT, BIGINT, VARCHAR, VARCHAR];
  let wall = 0;
  let cpu = 0;
  for (let b = 0; b < batches; b++) {
    const rows = Array.from({ length: batchRows }, (_, i) => canonicalRow(b * batchRows + i));
    // The DuckDB values of each 2,048-row chunk are made before the clock starts, as the SQLite part's parameters are.
    const chunks: DuckDBValue[][][] = [];
    for (let s = 0; s < rows.length; s += 2048) {
      const slice = rows.slice(s, s + 2048);
      chunks.push(
        types.map((_, c) =>
          slice.map((r) => (c === 0 || c === 7 || c === 8 ? BigInt(r[c] as number) : c === 1 ? new DuckDBTimestampTZValue(BigInt(r[c] as number)) : (r[c] as DuckDBValue))),
        ),
      );
    }
    const startWall = performance.now();
    const startCpu = cpuSeconds();
    await connection.run(
      'CREATE OR REPLACE TEMPORARY TABLE t (id BIGINT, ts TIMESTAMPTZ, amount DOUBLE, balance DOUBLE, score DOUBLE, lat DOUBLE, lon DOUBLE, ' +
        'count_7d BIGINT, count_30d BIGINT, category VARCHAR, note VARCHAR)',
    );
    const appender = await connection.createAppender('t', 'main', 'temp');
    for (const columnValues of chunks) {
      const chunk = DuckDBDataChunk.create(types, columnValues[0]!.length);
      chunk.setColumns(columnValues);
      appender.appendDataChunk(chunk);
    }
    appender.flushSync();
    appender.closeSync();
    await connection.run(`COPY t TO '${join(dir, `batch-${b}.parquet`)}' (FORMAT parquet, COMPRESSION snappy)`);
    wall += performance.now() - startWall;
    cpu += cpuSeconds() - startCpu;
  }
  connection.closeSync();
  instance.closeSync();
  return { part: 'DuckDB: appender + COPY to Snappy Parquet', msPerBatch: wall / batches, cpuMsPerBatch: (cpu * 1000) / batches };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(values.tmp as string, 'humle-bench-ceiling-'));
  try {
    const parts = [...sqliteParts(dir), await duckdbPart(dir)];
    const cpuMs = parts.reduce((n, p) => n + p.cpuMsPerBatch, 0);
    console.log(`ingestion floor: ${batches} batches of ${batchRows} rows (~1 KB), engines alone`);
    for (const p of parts) console.log(`${p.part.padEnd(56)} ${p.msPerBatch.toFixed(1).padStart(7)} ms wall ${p.cpuMsPerBatch.toFixed(1).padStart(7)} ms CPU per batch`);
    const bound = Math.round((2 * batchRows) / (cpuMs / 1000));
    console.log(`CPU per batch, every part: ${cpuMs.toFixed(1)} ms → at most ${bound} rows/s on 2 cores with nothing else running`);
    emitJson({ json: values.json } as BenchOptions, {
      bench: 'fg-ingest-ceiling',
      batches,
      batch: batchRows,
      env: environment(undefined),
      parts,
      cpuMsPerBatch: cpuMs,
      rowsPerSecBoundTwoCores: bound,
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
