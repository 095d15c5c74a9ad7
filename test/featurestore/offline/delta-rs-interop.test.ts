import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import {
  addFileAction,
  commitInfoAction,
  decodeDeltaPath,
  metadataAction,
  protocolAction,
  removeFileAction,
  type DeltaAction,
  type DeltaAddFile,
} from '../../../src/featurestore/offline/delta/delta-actions.js';
import {
  DELTA_LOG_DIRECTORY,
  deltaCommitPath,
  parseDeltaCommit,
  parseDeltaCommitFileName,
  replayDeltaLog,
  serializeDeltaCommit,
  type DeltaCommit,
  type DeltaSnapshot,
} from '../../../src/featurestore/offline/delta/delta-log.js';
import { mergeOperationMetrics, writeOperationMetrics } from '../../../src/featurestore/offline/delta/delta-operation-metrics.js';
import { columnsFromDeltaSchema } from '../../../src/featurestore/offline/delta/delta-schema.js';
import { writeParquetFile } from '../../../src/featurestore/offline/parquet/parquet-file-writer.js';
import { readParquetFiles } from '../../support/parquet-files.js';
import { closeOfflineDuckDB } from '../../../src/featurestore/offline/duckdb/duckdb-instance.js';
import type { OfflineColumn } from '../../../src/featurestore/offline/offline-column.js';
import { parseFeatureType } from '../../../src/featurestore/types/feature-type.js';
import { deltaRsSkipReason, readAddActionsWithDeltaRs, readHistoryWithDeltaRs, readWithDeltaRs } from '../../support/delta-rs.js';

// Specification (interoperability): the offline tables Humle writes are valid Delta tables for the reference
// reader. A table built with Humle's Parquet writer and Delta log — a create+write, a copy-on-write upsert that
// replaces a file, an append — is read by delta-rs at its latest version and at older versions, row for row the
// same as Humle's own replay + DuckDB read, and delta-rs parses its statistics and history.

const columns: OfflineColumn[] = [
  ['id', 'bigint'],
  ['event_time', 'timestamp'],
  ['amount', 'decimal(38,10)'],
  ['price', 'decimal(9,2)'],
  ['name', 'string'],
  ['score', 'float'],
  ['ratio', 'double'],
  ['day', 'date'],
  ['active', 'boolean'],
  ['payload', 'binary'],
  ['tags', 'array<string>'],
  ['counters', 'array<bigint>'],
  ['weights', 'array<double>'],
  ['small', 'int'],
  ['big', 'bigint'],
  ['far_time', 'timestamp'],
].map(([name, type]) => ({ name: name!, type: parseFeatureType(type!) }));

const BASE_TIME = 1_700_000_000_000_000; // µs

/** A row for key `id`, deterministic per (id, generation): a later generation is an update of the same key. */
function makeRow(id: number, generation: number): unknown[] {
  const g = generation;
  const nullish = (id + g) % 17 === 0; // a sprinkling of nulls in every nullable column
  return [
    id,
    BASE_TIME + id * 1_000_003 + g * 7, // microseconds that are not whole milliseconds
    nullish ? null : `${id % 2 ? '-' : ''}${id * 1_234_567 + g}.${String(id * 31 + g).padStart(10, '0').slice(-10)}`,
    nullish ? null : `${(id * 13 + g) % 100000}.${String((id + g) % 100).padStart(2, '0')}`,
    nullish ? null : `name-${id}-g${g}-ünï🙂`,
    nullish ? null : Math.fround(id / 8 + g),
    nullish ? null : id / 3 + g * 1e-9,
    nullish ? null : `${2000 + (id % 30)}-${String(1 + (id % 12)).padStart(2, '0')}-${String(1 + (id % 28)).padStart(2, '0')}`,
    nullish ? null : (id + g) % 2 === 0,
    nullish ? null : Buffer.from([id & 255, (id >> 8) & 255, g, 0, 255]),
    nullish ? null : id % 5 === 0 ? [] : [`t${id % 3}`, `g${g}`],
    nullish ? null : [id, 2n ** 62n + BigInt(id * 1000 + g), -(2n ** 63n)],
    nullish ? null : [id * 0.5, -g - 0.25],
    nullish ? null : (id * 7919) % 2_147_483_647 - 1_000_000_000,
    nullish ? null : id % 3 === 0 ? 9_007_199_254_740_993n + BigInt(id) : -id,
    // Either end of 0001–9999, where microseconds no longer fit a number: canonical bigints.
    nullish ? null : id % 2 === 0 ? 253_402_300_799_999_999n - BigInt(id * 1_000_001 + g) : -62_135_596_800_000_000n + BigInt(id * 999_999 + g),
  ];
}

interface LocalTable {
  readonly dir: string;
  commit(version: number, actions: DeltaAction[]): void;
  writeFile(rows: unknown[][]): Promise<{ add: DeltaAddFile }>;
}

function localTable(dir: string): LocalTable {
  mkdirSync(join(dir, DELTA_LOG_DIRECTORY), { recursive: true });
  return {
    dir,
    commit(version, actions) {
      // 'wx': a commit file is never overwritten, as Delta requires of writers.
      writeFileSync(join(dir, deltaCommitPath(version)), serializeDeltaCommit(actions), { flag: 'wx' });
    },
    async writeFile(rows) {
      const name = `part-00000-${randomUUID()}-c000.snappy.parquet`;
      const temporary = join(dir, `.${name}.tmp`);
      const { sizeBytes, stats } = await writeParquetFile(temporary, columns, rows);
      renameSync(temporary, join(dir, name));
      return addFileAction({ path: name, size: sizeBytes, modificationTime: Date.now(), stats });
    },
  };
}

/** Humle's own read of a local Delta table: replay the log up to `version`, read the snapshot's files with DuckDB. */
async function readWithHumle(dir: string, version?: number): Promise<{ snapshot: DeltaSnapshot; rows: unknown[][] }> {
  const commits: DeltaCommit[] = readdirSync(join(dir, DELTA_LOG_DIRECTORY))
    .map((name) => ({ name, version: parseDeltaCommitFileName(name) }))
    .filter((f): f is { name: string; version: number } => f.version !== null && (version === undefined || f.version <= version))
    .sort((a, b) => a.version - b.version)
    .map((f) => ({ version: f.version, actions: parseDeltaCommit(readFileSync(join(dir, DELTA_LOG_DIRECTORY, f.name)), f.version) }));
  const snapshot = replayDeltaLog(commits);
  const names = columnsFromDeltaSchema(snapshot.metadata.schemaString).map((c) => c.name);
  const paths = [...snapshot.files.keys()].map((p) => join(dir, decodeDeltaPath(p)));
  const { rows } = await readParquetFiles(paths, { columns: names });
  return { snapshot, rows };
}

const byId = (a: unknown[], b: unknown[]) => Number(a[0]) - Number(b[0]);

describe('delta-rs reads the Delta tables Humle writes', { skip: deltaRsSkipReason }, () => {
  let root: string;
  let table: LocalTable;
  let copy: string;
  const timestamps = [1_700_000_000_000, 1_700_000_100_000, 1_700_000_200_000];
  const versions: unknown[][][] = [];

  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'humle-delta-interop-'));
    table = localTable(join(root, 'table'));

    // Version 0: create the table and write keys 1..1000.
    const initial = Array.from({ length: 1000 }, (_, i) => makeRow(i + 1, 0));
    const first = await table.writeFile(initial);
    table.commit(0, [
      commitInfoAction({ timestamp: timestamps[0]!, operation: 'WRITE', operationParameters: { mode: 'ErrorIfExists', partitionBy: [] }, operationMetrics: writeOperationMetrics({ files: 1, rows: 1000, bytes: first.add.size }), isBlindAppend: true }),
      protocolAction(),
      metadataAction({ columns, name: 'transactions_1', createdTime: timestamps[0]! }),
      first,
    ]);
    versions.push(initial);

    // Version 1: upsert 100 updates (keys 1..100) and 100 inserts (1001..1100): copy-on-write replaces the file.
    const upserts = new Map<number, unknown[]>();
    for (let id = 1; id <= 100; id++) upserts.set(id, makeRow(id, 1));
    for (let id = 1001; id <= 1100; id++) upserts.set(id, makeRow(id, 1));
    const current = (await readParquetFiles([join(table.dir, decodeDeltaPath(first.add.path))])).rows;
    const merged = current.map((row) => upserts.get(Number(row[0])) ?? row);
    const existing = new Set(current.map((row) => Number(row[0])));
    for (const [id, row] of upserts) if (!existing.has(id)) merged.push(row);
    const rewritten = await table.writeFile(merged);
    table.commit(1, [
      commitInfoAction({
        timestamp: timestamps[1]!,
        operation: 'MERGE',
        operationParameters: { predicate: 'target.id = source.id' },
        operationMetrics: mergeOperationMetrics({
          rowsInserted: 100, rowsUpdated: 100, rowsDeleted: 0, sourceRows: 200, outputRows: merged.length,
          filesAdded: 1, filesRemoved: 1, bytesAdded: rewritten.add.size, bytesRemoved: first.add.size,
        }),
        readVersion: 0,
      }),
      removeFileAction(first.add, timestamps[1]!),
      rewritten,
    ]);
    versions.push(merged);

    // Version 2: append keys 2001..2200.
    const appended = Array.from({ length: 200 }, (_, i) => makeRow(2001 + i, 2));
    const third = await table.writeFile(appended);
    table.commit(2, [
      commitInfoAction({ timestamp: timestamps[2]!, operation: 'WRITE', operationParameters: { mode: 'Append' }, operationMetrics: writeOperationMetrics({ files: 1, rows: 200, bytes: third.add.size }), readVersion: 1, isBlindAppend: true }),
      third,
    ]);
    versions.push([...merged, ...appended]);

    // delta-rs reads a copy, as it would a table exported from humle fs: nothing outside the directory counts.
    copy = join(root, 'copy');
    cpSync(table.dir, copy, { recursive: true });
    assert.ok(existsSync(join(copy, '_delta_log', '00000000000000000002.json')));
  });

  after(async () => {
    await closeOfflineDuckDB();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  for (const version of [undefined, 0, 1, 2]) {
    test(`version ${version ?? 'latest'}: delta-rs and Humle read the same rows, and the rows written`, async () => {
      const theirs = await readWithDeltaRs(copy, version === undefined ? {} : { version });
      const ours = await readWithHumle(table.dir, version);
      const expectedVersion = version ?? 2;
      assert.equal(theirs.version, expectedVersion);
      assert.equal(ours.snapshot.version, expectedVersion);
      assert.deepEqual(theirs.columns.map((c) => c.name), columns.map((c) => c.name));

      const written = [...versions[expectedVersion]!].sort(byId);
      const humle = [...ours.rows].sort(byId);
      const deltaRs = [...theirs.rows].sort(byId);
      assert.equal(deltaRs.length, written.length);
      // Row for row, first the key, then every column, so that a failure names the row and the column.
      for (let r = 0; r < written.length; r++) {
        for (let c = 0; c < columns.length; c++) {
          assert.deepEqual(deltaRs[r]![c], humle[r]![c], `row id=${String(written[r]![0])} column ${columns[c]!.name}: delta-rs vs Humle`);
        }
      }
      // The generated decimals have all their scale digits, so what was written is what reads back.
      assert.deepEqual(humle, written);
    });
  }

  test('delta-rs sees Delta types: UTC microsecond timestamps, exact decimals, 64-bit integers, lists', async () => {
    const { columns: arrow } = await readWithDeltaRs(copy);
    const types = Object.fromEntries(arrow.map((c) => [c.name, c.type]));
    assert.equal(types.event_time, 'timestamp[us, tz=UTC]');
    assert.equal(types.far_time, 'timestamp[us, tz=UTC]');
    assert.equal(types.amount, 'decimal128(38, 10)');
    assert.equal(types.price, 'decimal128(9, 2)');
    assert.equal(types.id, 'int64');
    assert.equal(types.small, 'int32');
    assert.equal(types.score, 'float');
    assert.equal(types.day, 'date32[day]');
    assert.match(types.counters!, /^(large_)?list<.*int64>$/);
  });

  test('delta-rs parses the file statistics Humle writes', async () => {
    const { columns: statColumns, rows } = await readAddActionsWithDeltaRs(copy);
    const names = statColumns.map((c) => c.name);
    const value = (row: unknown[], name: string) => row[names.indexOf(name)];
    assert.equal(rows.length, 2);
    const counts = rows.map((r) => Number(value(r, 'num_records'))).sort((a, b) => a - b);
    assert.deepEqual(counts, [200, 1100]);
    const appended = rows.find((r) => Number(value(r, 'num_records')) === 200)!;
    assert.equal(Number(value(appended, 'min.id')), 2001);
    assert.equal(Number(value(appended, 'max.id')), 2200);
    assert.equal(Number(value(appended, 'null_count.name')), versions[2]!.slice(1100).filter((r) => r[4] === null).length);
    const minTime = value(appended, 'min.event_time') as number;
    assert.ok(minTime <= BASE_TIME + 2001 * 1_000_003 + 14 && minTime > BASE_TIME + 2001 * 1_000_003 - 1000, `min.event_time ${minTime}`);
  });

  test('delta-rs reports the history with Humle operations and their row metrics', async () => {
    const history = await readHistoryWithDeltaRs(copy);
    assert.deepEqual(history.map((h) => h.operation), ['WRITE', 'MERGE', 'WRITE']);
    assert.deepEqual(history.map((h) => h.timestamp), [...timestamps].reverse());
    const merge = history[1]!.operationMetrics as Record<string, unknown>;
    assert.equal(String(merge.numTargetRowsUpdated), '100');
    assert.equal(String(merge.numTargetRowsInserted), '100');
  });
});
