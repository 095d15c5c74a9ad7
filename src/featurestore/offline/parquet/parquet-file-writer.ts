import { stat } from 'node:fs/promises';
import type { DuckDBConnection } from '@duckdb/node-api';
import { InvalidArgumentError } from '../../../errors/humle-error.js';
import type { FeatureType } from '../../types/feature-type.js';
import { DeltaDecimalStat, type DeltaFileStats, type DeltaStatValue } from '../delta/delta-file-stats.js';
import { appendCanonicalRows, createTemporaryTable } from '../duckdb/duckdb-temporary-table.js';
import { withDuckDBConnection } from '../duckdb/duckdb-instance.js';
import { quoteIdentifier, quoteStringLiteral } from '../duckdb/duckdb-sql-quoting.js';
import { fromDuckDBValueConverter, toDuckDBValueConverter } from '../duckdb/duckdb-values.js';
import type { OfflineColumn } from '../offline-column.js';
import { ParquetFileError } from '../offline-store-errors.js';
import { encodeKey } from '../../records/record-key.js';
import type { RecordKeyColumn } from '../table/partitioning.js';
import { dataFileRelation, typedEmptyRelation } from '../table/data-file-scan.js';

/**
 * Writes canonical rows to one Parquet file with DuckDB: the rows go into a temporary table through the appender,
 * a data chunk (2,048 rows, column by column) at a time, never as SQL text; `COPY ... TO` writes the file; one
 * aggregate query over the same table gives the file's Delta statistics.
 *
 * Compression is Snappy: it decompresses several times faster than ZSTD at the cost of somewhat larger files, and
 * snapshot reads (every file of a table, often) matter more than disk for an offline store; it is also what Spark
 * and delta-rs write by default, so every reader has it.
 *
 * The file appears at `path` as DuckDB writes it: the caller passes a temporary name and makes the file visible
 * (rename, block commit) only once the write returned.
 */

export interface ParquetWriteResult {
  readonly rowCount: number;
  readonly sizeBytes: number;
  /** The file's statistics in Delta's form, for its `add` action. */
  readonly stats: DeltaFileStats;
}

/** Delta statistics cut strings to this many characters, as Spark's writer does (dataSkippingStringPrefixLength). */
const STRING_STATS_PREFIX = 32;

/** 9999-12-31T23:59:59.999Z: the last instant a four-digit ISO year writes. */
const LAST_MILLISECOND_OF_9999 = 253_402_300_799_999n;

let tableCounter = 0;

export async function writeParquetFile(path: string, columns: readonly OfflineColumn[], rows: readonly (readonly unknown[])[]): Promise<ParquetWriteResult> {
  checkColumns(columns);
  const converters = columns.map((c) => toDuckDBValueConverter(c.type));
  return withDuckDBConnection(async (connection) => {
    const table = temporaryTableName();
    await createTemporaryTable(connection, table, columns);
    await appendCanonicalRows(connection, table, columns, converters, rows);
    return writeTableToFile(connection, table, path, columns, rows.length);
  });
}

/** Which rows of a data file a copy-on-write rewrite leaves out: those whose record key is in `keys`. */
export interface RowsToDrop {
  /**
   * The record key's features (primary key, then event time): a column of the file, or a value the same for every
   * row (a partition column, which the file does not store).
   */
  readonly keyColumns: readonly RecordKeyColumn[];
  /** Encoded record keys (see record-key.ts) of the records replaced or deleted. */
  readonly keys: readonly string[];
}

/**
 * Writes a copy of the Parquet file `source` without the rows `drop` names, for a copy-on-write commit. Only the
 * record key columns come out of DuckDB (to match keys exactly as the writer encoded them); the rows themselves go
 * from the old file to the new one inside DuckDB. Returns undefined, and writes nothing, when no row is left.
 */
export async function rewriteParquetFile(path: string, source: string, columns: readonly OfflineColumn[], drop: RowsToDrop): Promise<(ParquetWriteResult & { rowsDropped: number }) | undefined> {
  checkColumns(columns);
  return withDuckDBConnection(async (connection) => {
    const scan = `read_parquet([${quoteStringLiteral(source)}], file_row_number = true)`;
    const dropped = await rowNumbersWithKeys(connection, scan, drop.keyColumns, new Set(drop.keys));
    const droppedTable = temporaryTableName();
    await connection.run(`CREATE TEMPORARY TABLE ${quoteIdentifier(droppedTable)} (n BIGINT)`);
    const appender = await connection.createAppender(droppedTable, 'main', 'temp');
    try {
      for (const n of dropped) {
        appender.appendBigInt(n);
        appender.endRow();
      }
      appender.flushSync();
    } finally {
      appender.closeSync();
    }
    const table = temporaryTableName();
    const kept = `SELECT * EXCLUDE (file_row_number) FROM ${scan} WHERE file_row_number NOT IN (SELECT n FROM ${quoteIdentifier(droppedTable)})`;
    const names = columns.map((c) => quoteIdentifier(c.name)).join(', ');
    const rowCount = await createTableAs(connection, table, `SELECT ${names} FROM (${typedEmptyRelation(columns)} UNION ALL BY NAME ${kept})`, [source]);
    if (rowCount === 0) return undefined;
    return { ...(await writeTableToFile(connection, table, path, columns, rowCount)), rowsDropped: dropped.length };
  });
}

/**
 * Writes the rows of several Parquet files as one (compaction). Files written before a feature was added lack its
 * column and give null for it, as a snapshot read does. The rows never leave DuckDB.
 */
export async function mergeParquetFiles(path: string, sources: readonly string[], columns: readonly OfflineColumn[]): Promise<ParquetWriteResult> {
  checkColumns(columns);
  if (sources.length === 0) throw new InvalidArgumentError('merge at least one file');
  return withDuckDBConnection(async (connection) => {
    const files = sources.map((localPath) => ({ localPath, partitionValues: {} }));
    const table = temporaryTableName();
    const rowCount = await createTableAs(connection, table, `SELECT * FROM ${dataFileRelation(files, columns)}`, sources);
    return writeTableToFile(connection, table, path, columns, rowCount);
  });
}

function temporaryTableName(): string {
  return `humle_parquet_write_${++tableCounter}`;
}

/** The file row numbers (0-based) of the rows of `scan` whose record key is in `keys`. */
async function rowNumbersWithKeys(connection: DuckDBConnection, scan: string, keyColumns: readonly RecordKeyColumn[], keys: ReadonlySet<string>): Promise<bigint[]> {
  const read = keyColumns.flatMap((k) => ('column' in k ? [quoteIdentifier(k.column)] : []));
  const result = await connection.stream(`SELECT ${['file_row_number', ...read].join(', ')} FROM ${scan}`).catch((error: Error) => {
    throw new ParquetFileError(`cannot read the Parquet file: ${error.message}`, {});
  });
  const converters = result.columnTypes().map((type, i) => fromDuckDBValueConverter(type, result.columnNames()[i]!));
  // Where each key value comes from: a column of the result (its position) or a constant.
  let next = 1;
  const sources = keyColumns.map((k) => ('column' in k ? next++ : -1));
  const values = keyColumns.map((k) => ('value' in k ? k.value : null));
  const found: bigint[] = [];
  for (;;) {
    const chunk = await result.fetchChunk();
    if (!chunk || chunk.rowCount === 0) return found;
    const vectors = converters.map((_, c) => chunk.getColumnVector(c));
    for (let r = 0; r < chunk.rowCount; r++) {
      for (let k = 0; k < sources.length; k++) {
        const source = sources[k]!;
        if (source !== -1) values[k] = converters[source]!(vectors[source]!.getItem(r));
      }
      if (keys.has(encodeKey(values))) found.push(vectors[0]!.getItem(r) as bigint);
    }
  }
}

/** Creates a temporary table from a query over Parquet files; returns its row count. */
async function createTableAs(connection: DuckDBConnection, table: string, query: string, sources: readonly string[]): Promise<number> {
  try {
    await connection.run(`CREATE TEMPORARY TABLE ${quoteIdentifier(table)} AS ${query}`);
  } catch (error) {
    throw new ParquetFileError(`cannot read the Parquet files: ${(error as Error).message}`, { paths: [...sources] });
  }
  const counted = await connection.runAndReadAll(`SELECT count(*) FROM ${quoteIdentifier(table)}`);
  return Number(counted.getRows()[0]![0]);
}

/** Writes a temporary table to a Parquet file and gives the file's Delta statistics. */
async function writeTableToFile(connection: DuckDBConnection, table: string, path: string, columns: readonly OfflineColumn[], rowCount: number): Promise<ParquetWriteResult> {
  const stats = await fileStats(connection, table, columns);
  let size: number;
  try {
    await connection.run(`COPY ${quoteIdentifier(table)} TO ${quoteStringLiteral(path)} (FORMAT parquet, COMPRESSION snappy)`);
    size = (await stat(path)).size;
  } catch (error) {
    throw new ParquetFileError(`cannot write the Parquet file ${path}: ${(error as Error).message}`, { path });
  }
  return { rowCount, sizeBytes: size, stats };
}

function checkColumns(columns: readonly OfflineColumn[]): void {
  if (columns.length === 0) throw new InvalidArgumentError('a Parquet file needs at least one column');
  // DuckDB matches identifiers regardless of case, as Delta requires of column names.
  const seen = new Set<string>();
  for (const { name } of columns) {
    if (typeof name !== 'string' || name.length === 0) throw new InvalidArgumentError('a column name must be a non-empty string', { column: name });
    if (seen.has(name.toLowerCase())) throw new InvalidArgumentError(`column names must be unique regardless of case: ${name}`, { column: name });
    seen.add(name.toLowerCase());
  }
}

/** Whether Delta keeps min/max for the type: orderable scalars (Spark's rule); not binary, boolean or arrays. */
function hasMinMax(type: FeatureType): boolean {
  return type.kind !== 'binary' && type.kind !== 'boolean' && type.kind !== 'array';
}

/** Whether Delta keeps a null count for the type: every leaf column, which arrays are not. */
function hasNullCount(type: FeatureType): boolean {
  return type.kind !== 'array';
}

async function fileStats(connection: DuckDBConnection, table: string, columns: readonly OfflineColumn[]): Promise<DeltaFileStats> {
  const expressions = ['count(*)'];
  const reads: { column: OfflineColumn; what: 'min' | 'max' | 'nulls' }[] = [];
  for (const column of columns) {
    const name = quoteIdentifier(column.name);
    if (hasMinMax(column.type)) {
      expressions.push(`min(${name})`, `max(${name})`);
      reads.push({ column, what: 'min' }, { column, what: 'max' });
    }
    if (hasNullCount(column.type)) {
      expressions.push(`count(*) - count(${name})`);
      reads.push({ column, what: 'nulls' });
    }
  }
  const result = await connection.runAndReadAll(`SELECT ${expressions.join(', ')} FROM ${quoteIdentifier(table)}`);
  const types = result.columnTypes();
  const row = result.getRows()[0]!;
  const canonical = row.map((value, i) => fromDuckDBValueConverter(types[i]!, `stats ${i}`)(value));

  const minValues: Record<string, DeltaStatValue> = {};
  const maxValues: Record<string, DeltaStatValue> = {};
  const nullCount: Record<string, number> = {};
  reads.forEach(({ column, what }, i) => {
    const value = canonical[i + 1];
    if (what === 'nulls') {
      nullCount[column.name] = Number(value);
      return;
    }
    if (value === null) return; // every value null: Delta says the bound carries no information, so none is written
    const bound = statBound(column.type, value, what);
    if (bound !== undefined) (what === 'min' ? minValues : maxValues)[column.name] = bound;
  });
  return { numRecords: Number(canonical[0]), minValues, maxValues, nullCount };
}

/**
 * A min or max in the form Delta's stats schema reads. Bounds that must be shortened are shortened outward, so that
 * they stay true bounds: timestamps are kept to milliseconds (Delta's stats precision), the minimum rounded down and
 * the maximum up; a string minimum is cut to its prefix; a bound that cannot be shortened outward is left out.
 */
function statBound(type: FeatureType, value: unknown, what: 'min' | 'max'): DeltaStatValue | undefined {
  switch (type.kind) {
    case 'decimal':
      return new DeltaDecimalStat(value as string);
    case 'timestamp': {
      const micros = BigInt(value as number | bigint);
      const floor = micros / 1000n - (micros % 1000n < 0n ? 1n : 0n);
      const millis = what === 'min' || micros % 1000n === 0n ? floor : floor + 1n;
      // Rounding up the last millisecond of 9999 would need a six-digit year, which stats readers do not parse.
      return millis > LAST_MILLISECOND_OF_9999 ? undefined : new Date(Number(millis)).toISOString();
    }
    case 'string': {
      const characters = Array.from(value as string);
      if (characters.length <= STRING_STATS_PREFIX) return value as string;
      return what === 'min' ? characters.slice(0, STRING_STATS_PREFIX).join('') : undefined;
    }
    default:
      return value as DeltaStatValue;
  }
}
