import { InvalidArgumentError } from '../../src/errors/humle-error.js';
import { offlineDuckDB } from '../../src/featurestore/offline/duckdb/duckdb-instance.js';
import { quoteIdentifier, quoteStringLiteral } from '../../src/featurestore/offline/duckdb/duckdb-sql-quoting.js';
import { streamDuckDBRows } from '../../src/featurestore/offline/duckdb/duckdb-result-rows.js';
import { ParquetFileError } from '../../src/featurestore/offline/offline-store-errors.js';

/**
 * Test support: reads local Parquet files (a snapshot's data files, or humle fs blocks read in place: `blk_<id>`, no extension
 * needed) with DuckDB into canonical rows: plain arrays of canonical values, no Arrow in between.
 *
 * Files are unioned by column name, so a file written before a column was added reads that column as null, as
 * Delta asks of readers.
 */

export interface ParquetReadOptions {
  /** The columns to read, in this order; all columns of the files by default. */
  readonly columns?: readonly string[];
  /**
   * A DuckDB SQL condition over the columns (`"event_time" <= 1700000000000000`), pushed down into the Parquet
   * scan. It is SQL text: only Humle's own code builds it, never from user input without quoting.
   */
  readonly where?: string;
}

export interface ParquetRows {
  readonly columnNames: readonly string[];
  readonly rows: unknown[][];
}

/** All rows of the files. */
export async function readParquetFiles(paths: readonly string[], options: ParquetReadOptions = {}): Promise<ParquetRows> {
  const rows: unknown[][] = [];
  let columnNames: readonly string[] = options.columns ?? [];
  for await (const batch of readParquetBatches(paths, options)) {
    columnNames = batch.columnNames;
    for (const row of batch.rows) rows.push(row);
  }
  return { columnNames, rows };
}

/**
 * The rows of the files as DuckDB produces them, a batch (up to 2,048 rows) at a time, so that a large snapshot
 * streams through without being held whole. Breaking out of the loop ends the query.
 */
export async function* readParquetBatches(paths: readonly string[], options: ParquetReadOptions = {}): AsyncGenerator<ParquetRows> {
  if (paths.length === 0) return;
  if (options.columns && options.columns.length === 0) throw new InvalidArgumentError('read at least one column');
  const projection = options.columns ? options.columns.map(quoteIdentifier).join(', ') : '*';
  const files = `[${paths.map(quoteStringLiteral).join(', ')}]`;
  const where = options.where ? ` WHERE ${options.where}` : '';
  const sql = `SELECT ${projection} FROM read_parquet(${files}, union_by_name = true)${where}`;

  const failure = (error: Error) => new ParquetFileError(`cannot read the Parquet files: ${error.message}`, { paths: [...paths] });
  const connection = await (await offlineDuckDB()).connect();
  try {
    yield* streamDuckDBRows(connection, sql, failure);
  } finally {
    connection.closeSync();
  }
}
