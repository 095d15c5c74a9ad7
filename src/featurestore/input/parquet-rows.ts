import { InvalidArgumentError } from '../../errors/humle-error.js';
import type { FeatureType } from '../types/feature-type.js';
import { microsFromNanos } from '../types/calendar.js';
import type { FeatureDataBatch } from './feature-data-batch.js';

/** How a Parquet column is selected so that DuckDB hands over values the coercers read exactly, and their type. */
interface ParquetColumn {
  name: string;
  type: FeatureType;
  /** The select-list expression: the column itself, or a conversion to an exact primitive form. */
  select: string;
  /** Set when values need one more step in JavaScript (nanosecond timestamps). */
  convert?: (value: unknown) => unknown;
}

/**
 * Rows of a Parquet file, read by DuckDB in its own short-lived in-memory instance (no state shared with anything
 * else, closed when the file is read or reading stops). DuckDB converts values to primitive forms in SQL, which is
 * exact and avoids one wrapper object per value: timestamps to epoch microseconds (bigint), dates and decimals to
 * text, blobs stay bytes. The batches carry the file's column types for inference.
 */
export async function* readParquetRows(path: string, batchRows: number): AsyncGenerator<FeatureDataBatch> {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    let described;
    try {
      described = await connection.runAndReadAll('SELECT * FROM read_parquet($1) LIMIT 0', [path]);
    } catch (error) {
      throw new InvalidArgumentError(`cannot read '${path}' as Parquet: ${(error as Error).message}`, { path });
    }
    const names = described.columnNames();
    const columns = described.columnTypes().map((type, i) => parquetColumn(names[i]!, type.toString()));
    const types = new Map(columns.map((c) => [c.name, c.type]));
    const sql = `SELECT ${columns.map((c) => c.select).join(', ')} FROM read_parquet($1)`;
    const result = await connection.stream(sql, [path]);
    let rows: Record<string, unknown>[] = [];
    let offset = 0;
    for (;;) {
      const chunk = await result.fetchChunk();
      if (chunk === null || chunk.rowCount === 0) break;
      const values = columns.map((_, c) => chunk.getColumnValues(c));
      for (let r = 0; r < chunk.rowCount; r++) {
        const row: Record<string, unknown> = {};
        for (let c = 0; c < columns.length; c++) {
          const column = columns[c]!;
          const value = plainValue(values[c]![r]);
          row[column.name] = column.convert === undefined || value === null ? value : column.convert(value);
        }
        rows.push(row);
        if (rows.length === batchRows) {
          yield { rows, source: 'js', offset, types };
          offset += rows.length;
          rows = [];
        }
      }
    }
    if (rows.length > 0 || offset === 0) yield { rows, source: 'js', offset, types };
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/** A DuckDB value as JavaScript: primitives as they are, blobs as Buffers, lists and arrays as arrays. */
function plainValue(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  const v = value as { bytes?: Uint8Array; items?: unknown[] };
  if (v.bytes instanceof Uint8Array) return Buffer.from(v.bytes.buffer, v.bytes.byteOffset, v.bytes.byteLength);
  if (Array.isArray(v.items)) return v.items.map(plainValue);
  return value;
}

/** DuckDB type text → feature type and the select expression that reads it exactly. */
function parquetColumn(name: string, duckdbType: string): ParquetColumn {
  const quoted = `"${name.replaceAll('"', '""')}"`;
  const column = (type: FeatureType, select = quoted, convert?: (value: unknown) => unknown): ParquetColumn => ({ name, type, select, convert });
  const t = duckdbType.toUpperCase();
  switch (t) {
    case 'BOOLEAN':
      return column({ kind: 'boolean' });
    case 'TINYINT':
    case 'SMALLINT':
    case 'INTEGER':
    case 'UTINYINT':
    case 'USMALLINT':
      return column({ kind: 'int' });
    case 'BIGINT':
    case 'UINTEGER':
    case 'UBIGINT':
    case 'HUGEINT':
      return column({ kind: 'bigint' });
    case 'FLOAT':
      return column({ kind: 'float' });
    case 'DOUBLE':
      return column({ kind: 'double' });
    case 'VARCHAR':
      return column({ kind: 'string' });
    case 'BLOB':
      return column({ kind: 'binary' });
    case 'DATE':
      return column({ kind: 'date' }, `CAST(${quoted} AS VARCHAR)`);
    case 'TIMESTAMP':
    case 'TIMESTAMP_S':
    case 'TIMESTAMP_MS':
    case 'TIMESTAMP WITH TIME ZONE':
      return column({ kind: 'timestamp' }, `epoch_us(${quoted})`);
    case 'TIMESTAMP_NS':
      return column({ kind: 'timestamp' }, `epoch_ns(${quoted})`, (nanos) => microsFromNanos(nanos as bigint));
  }
  const decimal = /^DECIMAL\((\d+),\s*(\d+)\)$/.exec(t);
  if (decimal) return column({ kind: 'decimal', precision: Number(decimal[1]), scale: Number(decimal[2]) }, `CAST(${quoted} AS VARCHAR)`);
  const list = /^(.+)\[\d*\]$/.exec(t);
  if (list) {
    const element = parquetColumn(name, list[1]!).type.kind;
    if (element === 'int' || element === 'bigint' || element === 'float' || element === 'double' || element === 'string') {
      return column({ kind: 'array', element: { kind: element } });
    }
  }
  throw new InvalidArgumentError(`Parquet column '${name}' has type ${duckdbType}, which no feature type holds`, { column: name, parquetType: duckdbType });
}
