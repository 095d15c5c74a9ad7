// Feature group ingestion: rows of 11 features (~1 KB each, like the Hopsworks OnlineFS benchmark) inserted in batches
// of 10,000 into the online and offline stores together (embedded: one transaction per batch), and the online
// store's upsert alone. Reports rows/s per phase.
//
//   node dist/bench/fg-ingest.js --engine sqlite|mysql [--mysql-url URL] [--rows 1000000] [--batch 10000]
//                                [--writers 2] [--phases insert,writers,newer,upsert,online]
//
// Phases (each adds to the same table): `insert` new keys by one writer; `writers` new keys by --writers concurrent
// writers; `newer` events for the keys of `insert`; `upsert` the same records as `newer` again (copy-on-write);
// `online` the online table's upsert alone.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { Humle } from '../src/humle.js';
import type { EngineConfig } from '../src/db/open-engine.js';
import { OnlineTable, onlineTableDefinition } from '../src/featurestore/online/online-table.js';
import { feature } from '../src/featurestore/schema/feature.js';
import { closeOfflineDuckDB } from '../src/featurestore/offline/duckdb/duckdb-instance.js';
import { createBenchDatabase, environment, emitJson, type BenchOptions } from './harness.js';

const { values } = parseArgs({
  options: {
    engine: { type: 'string', default: 'sqlite' },
    'mysql-url': { type: 'string' },
    rows: { type: 'string', default: '1000000' },
    batch: { type: 'string', default: '10000' },
    writers: { type: 'string', default: '2' },
    phases: { type: 'string', default: 'insert,writers,newer,upsert,online' },
    json: { type: 'string' },
    tmp: { type: 'string', default: process.env.HUMLE_BENCH_TMP ?? tmpdir() },
  },
});
const engineKind = values.engine as 'sqlite' | 'mysql';
const totalRows = Number(values.rows);
const batchRows = Number(values.batch);
const mysqlUrl = (values['mysql-url'] as string | undefined) ?? process.env.HUMLE_BENCH_MYSQL_URL;
const writers = Number(values.writers);
const phases = new Set((values.phases as string).split(','));

/** 11 features, about 1 KB a row: a key, an event time, numbers, and a ~850-character text. */
const FEATURES = [
  { name: 'id', type: 'bigint' },
  { name: 'ts', type: 'timestamp' },
  { name: 'amount', type: 'double' },
  { name: 'balance', type: 'double' },
  { name: 'score', type: 'double' },
  { name: 'lat', type: 'double' },
  { name: 'lon', type: 'double' },
  { name: 'count_7d', type: 'bigint' },
  { name: 'count_30d', type: 'bigint' },
  { name: 'category', type: 'string' },
  { name: 'note', type: 'string' },
];
const NOTE = 'x'.repeat(850);
const CATEGORIES = ['food', 'travel', 'fuel', 'retail', 'online'];

function batchOf(start: number, count: number, ts: Date): Record<string, unknown>[] {
  const rows = new Array<Record<string, unknown>>(count);
  for (let i = 0; i < count; i++) {
    const id = start + i;
    rows[i] = {
      id,
      ts,
      amount: (id % 1000) / 7,
      balance: id * 0.5,
      score: (id % 97) / 97,
      lat: 59.3 + (id % 100) / 1000,
      lon: 18.0 + (id % 100) / 1000,
      count_7d: id % 13,
      count_30d: id % 41,
      category: CATEGORIES[id % CATEGORIES.length],
      note: NOTE,
    };
  }
  return rows;
}

async function openEngineConfig(): Promise<{ engine: EngineConfig; version: string; drop(): Promise<void> }> {
  if (engineKind === 'sqlite') return { engine: { kind: 'sqlite' }, version: 'SQLite', drop: async () => undefined };
  if (!mysqlUrl) throw new Error('--engine mysql needs --mysql-url (or HUMLE_BENCH_MYSQL_URL)');
  const created = await createBenchDatabase(mysqlUrl);
  return { engine: { kind: 'mysql', url: created.url }, version: created.version, drop: created.drop };
}

interface Phase {
  phase: string;
  rows: number;
  seconds: number;
  rowsPerSec: number;
  note: string;
}

async function main(): Promise<void> {
  const root = mkdtempSync(join(values.tmp as string, 'humle-bench-fg-'));
  const { engine, version, drop } = await openEngineConfig();
  const humle = await Humle.open({ dataDir: join(root, 'data'), engine, user: 'bench' });
  const results: Phase[] = [];
  const report = (phase: string, rows: number, seconds: number, note: string) => {
    const r = { phase, rows, seconds: Math.round(seconds * 1000) / 1000, rowsPerSec: Math.round(rows / seconds), note };
    results.push(r);
    console.log(`${phase.padEnd(34)} ${String(rows).padStart(9)} rows ${r.seconds.toFixed(2).padStart(8)} s ${String(r.rowsPerSec).padStart(9)} rows/s`);
  };
  console.log(`feature group ingestion: engine=${engineKind} (${version}) rows=${totalRows} batch=${batchRows}`);
  try {
    const fs = (await humle.createProject('bench')).featureStore();
    const fg = await fs.createFeatureGroup({ name: 'transactions', primaryKey: ['id'], eventTime: 'ts', onlineEnabled: true, features: FEATURES });
    // Warm-up: DuckDB, statement caches.
    await fg.insert(batchOf(-batchRows, batchRows, new Date('2025-12-31T00:00:00Z')));

    const t1 = new Date('2026-01-01T00:00:00Z');
    let start: number;
    if (phases.has('insert')) {
      start = performance.now();
      for (let done = 0; done < totalRows; done += batchRows) await fg.insert(batchOf(done, Math.min(batchRows, totalRows - done), t1));
      report('insert new keys (online+offline)', totalRows, (performance.now() - start) / 1000, 'every row a new entity: online insert, offline append');
    }

    if (phases.has('writers')) {
      // Concurrent writers, each with its own keys: while one prepares its Parquet file (the Parquet writer thread),
      // another's transaction runs on the main thread, so both cores work.
      const t0 = new Date('2025-12-30T00:00:00Z');
      const offset = 10 * totalRows;
      start = performance.now();
      await Promise.all(
        Array.from({ length: writers }, async (_, writer) => {
          for (let done = writer * batchRows; done < totalRows; done += writers * batchRows) {
            await fg.insert(batchOf(offset + done, Math.min(batchRows, totalRows - done), t0));
          }
        }),
      );
      report(`insert new keys, ${writers} writers`, totalRows, (performance.now() - start) / 1000, `${writers} concurrent writers with disjoint keys: online insert, offline append`);
    }

    const t2 = new Date('2026-01-02T00:00:00Z');
    if (phases.has('newer')) {
      start = performance.now();
      for (let done = 0; done < totalRows; done += batchRows) await fg.insert(batchOf(done, Math.min(batchRows, totalRows - done), t2));
      report('newer events (online+offline)', totalRows, (performance.now() - start) / 1000, 'same entities, newer event time: online update, offline append');
    }

    if (phases.has('upsert')) {
      start = performance.now();
      for (let done = 0; done < totalRows; done += batchRows) await fg.insert(batchOf(done, Math.min(batchRows, totalRows - done), t2));
      report('upsert same records (online+offline)', totalRows, (performance.now() - start) / 1000, 'same key and event time: online update, offline copy-on-write rewrite');
    }

    if (phases.has('online')) {
      // The online store alone: the same rows, upserted into a table of the same shape, one transaction per batch.
      const features = FEATURES.map((f) => feature(f.name, f.type, { primary: f.name === 'id', eventTime: f.name === 'ts' }));
      const tableName = 'bench_online_only';
      await humle.fs.engine.createTable(onlineTableDefinition(tableName, features));
      const table = new OnlineTable(humle.fs.engine.dialect, tableName, features);
      const micros = t1.getTime() * 1000;
      const canonical = (from: number, count: number) => batchOf(from, count, t1).map((r) => FEATURES.map((f) => (f.name === 'ts' ? micros : r[f.name])));
      start = performance.now();
      for (let done = 0; done < totalRows; done += batchRows) {
        const rows = canonical(done, Math.min(batchRows, totalRows - done));
        await humle.fs.engine.write((tx) => table.upsert(tx, rows));
      }
      report('online-only upsert', totalRows, (performance.now() - start) / 1000, 'validated rows straight into the online table (no validation, no offline)');
    }
  } finally {
    await humle.close();
    await closeOfflineDuckDB();
    await drop();
    rmSync(root, { recursive: true, force: true });
  }
  emitJson({ json: values.json } as BenchOptions, {
    bench: 'fg-ingest',
    engine: engineKind,
    rows: totalRows,
    batch: batchRows,
    env: environment(undefined),
    results,
  });
}

await main();
