import { duckDBColumnType } from '../duckdb/duckdb-column-type.js';
import type { OfflineColumn } from '../offline-column.js';
import { quoteIdentifier, quoteStringLiteral } from '../duckdb/duckdb-sql-quoting.js';
import { partitionValueSql, type PartitionValues } from './partitioning.js';

/** A data file as a scan needs it: where its bytes are on this machine, and its partition values. */
export interface ScanFile {
  readonly localPath: string;
  readonly partitionValues: PartitionValues;
}

/** The name of the column DuckDB adds with each row's file; chosen so that no feature name can equal it by accident. */
const SOURCE_FILE = 'humle_data_file';

/**
 * A DuckDB relation (a parenthesized SELECT) that reads data files as rows of `features`, in their order, the way
 * Delta readers read a table:
 * - columns are matched by name, after an empty relation of every feature's type (`UNION ALL BY NAME`), so a
 *   feature that none of the files has (appended after they were written) reads as a typed null without a look at
 *   the files first;
 * - partition columns come from each file's partition values, joined on the file each row came from.
 * DuckDB scans the files in place (the blocks) and reads only the columns a query uses.
 */
export function dataFileRelation(files: readonly ScanFile[], features: readonly OfflineColumn[]): string {
  const names = features.map((f) => quoteIdentifier(f.name)).join(', ');
  const empty = typedEmptyRelation(features);
  if (files.length === 0) return `(${empty})`;
  const types = new Map(features.map((f) => [f.name, f.type]));
  // The partition columns this relation selects (a scan for some of the features may need none).
  const partitionColumns = Object.keys(files[0]!.partitionValues).filter((c) => types.has(c));
  const paths = `[${files.map((f) => quoteStringLiteral(f.localPath)).join(', ')}]`;
  if (partitionColumns.length === 0) {
    return `(SELECT ${names} FROM (${empty} UNION ALL BY NAME SELECT * FROM read_parquet(${paths}, union_by_name = true)))`;
  }
  const values = files.map(
    (file) => `(${[quoteStringLiteral(file.localPath), ...partitionColumns.map((c) => partitionValueSql(types.get(c)!, file.partitionValues[c] ?? null))].join(', ')})`,
  );
  const partitions = `(VALUES ${values.join(', ')}) p(${[SOURCE_FILE, ...partitionColumns].map(quoteIdentifier).join(', ')})`;
  const scan =
    `SELECT * EXCLUDE (${SOURCE_FILE}) FROM read_parquet(${paths}, union_by_name = true, filename = '${SOURCE_FILE}') ` +
    `JOIN ${partitions} USING (${SOURCE_FILE})`;
  return `(SELECT ${names} FROM (${empty} UNION ALL BY NAME ${scan}))`;
}

/**
 * A SELECT of no rows with every column typed: put before a scan with `UNION ALL BY NAME`, it gives a column that no
 * file has (a feature added after they were written) as a typed null, without looking at the files first.
 */
export function typedEmptyRelation(columns: readonly OfflineColumn[]): string {
  return `SELECT ${columns.map((c) => `CAST(NULL AS ${duckDBColumnType(c.type)}) AS ${quoteIdentifier(c.name)}`).join(', ')} WHERE false`;
}
