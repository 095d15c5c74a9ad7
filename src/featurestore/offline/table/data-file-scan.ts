import type { DuckDBConnection } from '@duckdb/node-api';
import type { Feature } from '../../schema/feature.js';
import { duckDBColumnType } from '../duckdb/duckdb-column-type.js';
import { quoteIdentifier, quoteStringLiteral } from '../duckdb/duckdb-sql-quoting.js';
import { ParquetFileError } from '../offline-store-errors.js';
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
 * Delta readers read a table: columns matched by name (a feature added after a file was written is null in it) and
 * partition columns from each file's partition values, joined on the file each row came from. DuckDB scans the
 * files in place (the blocks) and prunes the columns a query does not use.
 */
export async function dataFileRelation(connection: DuckDBConnection, files: readonly ScanFile[], features: readonly Feature[]): Promise<string> {
  if (files.length === 0) {
    return `(SELECT ${features.map((f) => `CAST(NULL AS ${duckDBColumnType(f.type)}) AS ${quoteIdentifier(f.name)}`).join(', ')} WHERE false)`;
  }
  const types = new Map(features.map((f) => [f.name, f.type]));
  // The partition columns this relation selects (a scan for some features may need none).
  const partitionColumns = Object.keys(files[0]!.partitionValues).filter((c) => types.has(c));
  const paths = files.map((f) => f.localPath);
  const partitioned = partitionColumns.length > 0;
  const scan = `read_parquet([${paths.map(quoteStringLiteral).join(', ')}], union_by_name = true${partitioned ? `, filename = '${SOURCE_FILE}'` : ''})`;
  let present: Set<string>;
  try {
    const described = await connection.runAndReadAll(`DESCRIBE SELECT * FROM ${scan}`);
    present = new Set(described.getRows().map((row) => String(row[0])));
  } catch (error) {
    throw new ParquetFileError(`cannot read the data files: ${(error as Error).message}`, { paths });
  }
  const select = features.map((f) => {
    const name = quoteIdentifier(f.name);
    if (partitionColumns.includes(f.name)) return `p.${name}`;
    return present.has(f.name) ? `s.${name}` : `CAST(NULL AS ${duckDBColumnType(f.type)}) AS ${name}`;
  });
  if (!partitioned) return `(SELECT ${select.join(', ')} FROM ${scan} s)`;
  const rows = files.map(
    (file) => `(${[quoteStringLiteral(file.localPath), ...partitionColumns.map((c) => partitionValueSql(types.get(c)!, file.partitionValues[c] ?? null))].join(', ')})`,
  );
  const partitionTable = `(VALUES ${rows.join(', ')}) p(${[SOURCE_FILE, ...partitionColumns].map(quoteIdentifier).join(', ')})`;
  return `(SELECT ${select.join(', ')} FROM ${scan} s JOIN ${partitionTable} ON s.${SOURCE_FILE} = p.${SOURCE_FILE})`;
}
