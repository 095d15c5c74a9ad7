// Offline reads of a feature group: a snapshot of N rows (the latest version) and an as-of read 10 commits back, as
// row objects and as Arrow tables.
// The table is built by 10 inserts of N/10 new entities each, then 10 upserts of N/100 rows each (so the as-of read
// 10 commits back is the snapshot right after the load, with all N rows).
//
//   node --max-old-space-size=12000 dist/bench/fg-read.js [--rows 10000000] [--json FILE]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { Humle } from '../src/humle.js';
import { closeOfflineDuckDB } from '../src/featurestore/offline/duckdb/duckdb-instance.js';
import { environment, emitJson, type BenchOptions } from './harness.js';

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '10000000' },
    json: { type: 'string' },
    tmp: { type: 'string', default: process.env.HUMLE_BENCH_TMP ?? tmpdir() },
  },
});
const totalRows = Number(values.rows);
const CATEGORIES = ['food', 'travel', 'fuel', 'retail', 'online'];

/** 11 features, about 100 bytes a row. */
function rowsOf(start: number, count: number, ts: Date, shift: number): Record<string, unknown>[] {
  const rows = new Array<Record<string, unknown>>(count);
  for (let i = 0; i < count; i++) {
    const id = start + i;
    rows[i] = {
      id,
      ts,
      amount: (id % 1000) / 7 + shift,
      balance: id * 0.5,
      score: (id % 97) / 97,
      lat: 59.3 + (id % 100) / 1000,
      lon: 18.0 + (id % 100) / 1000,
      count_7d: id % 13,
      count_30d: id % 41,
      category: CATEGORIES[id % CATEGORIES.length],
      merchant: `m${id % 5000}`,
    };
  }
  return rows;
}

async function main(): Promise<void> {
  const root = mkdtempSync(join(values.tmp as string, 'humle-bench-fg-read-'));
  const humle = await Humle.open({ dataDir: join(root, 'data'), user: 'bench' });
  const results: { phase: string; rows: number; seconds: number; rowsPerSec: number }[] = [];
  const report = (phase: string, rows: number, seconds: number) => {
    const r = { phase, rows, seconds: Math.round(seconds * 1000) / 1000, rowsPerSec: Math.round(rows / seconds) };
    results.push(r);
    console.log(`${phase.padEnd(40)} ${String(rows).padStart(10)} rows ${r.seconds.toFixed(2).padStart(8)} s ${String(r.rowsPerSec).padStart(10)} rows/s`);
  };
  try {
    const fs = (await humle.createProject('bench')).featureStore();
    const fg = await fs.createFeatureGroup({
      name: 'transactions',
      primaryKey: ['id'],
      eventTime: 'ts',
      statisticsConfig: false,
      features: [
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
        { name: 'merchant', type: 'string' },
      ],
    });
    const ts = new Date('2026-01-01T00:00:00Z');
    const load = totalRows / 10;
    let start = performance.now();
    for (let b = 0; b < 10; b++) await fg.insert(rowsOf(b * load, load, ts, 0));
    report('load: 10 inserts of new entities', totalRows, (performance.now() - start) / 1000);
    const loaded = Number(Object.keys(await fg.commitDetails({ limit: 1 }))[0]);
    const upsert = totalRows / 100;
    for (let b = 0; b < 10; b++) await fg.insert(rowsOf(b * load, upsert, ts, 1));
    const latest = Number(Object.keys(await fg.commitDetails({ limit: 1 }))[0]);

    start = performance.now();
    const snapshot = await fg.read({ exactTimestamps: true });
    report(`snapshot read (commit ${latest})`, snapshot.length, (performance.now() - start) / 1000);
    snapshot.length = 0;
    start = performance.now();
    const past = await fg.read({ asOf: loaded, exactTimestamps: true });
    report(`as-of read ${latest - loaded} commits back (commit ${loaded})`, past.length, (performance.now() - start) / 1000);
    past.length = 0;
    start = performance.now();
    const table = await fg.read({ dataframe: 'arrow' });
    report(`snapshot read as Arrow (commit ${latest})`, table.numRows, (performance.now() - start) / 1000);
    start = performance.now();
    const pastTable = await fg.read({ asOf: loaded, dataframe: 'arrow' });
    report(`as-of read as Arrow (commit ${loaded})`, pastTable.numRows, (performance.now() - start) / 1000);
  } finally {
    await humle.close();
    await closeOfflineDuckDB();
    rmSync(root, { recursive: true, force: true });
  }
  emitJson({ json: values.json } as BenchOptions, { bench: 'fg-read', engine: 'sqlite', rows: totalRows, env: environment(undefined), results });
}

await main();
