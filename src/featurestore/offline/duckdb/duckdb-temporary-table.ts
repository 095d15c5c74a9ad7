import { DuckDBDataChunk, type DuckDBConnection, type DuckDBType, type DuckDBValue } from '@duckdb/node-api';
import { HumleError, InvalidArgumentError } from '../../../errors/humle-error.js';
import type { OfflineColumn } from '../offline-column.js';
import { duckDBColumnType } from './duckdb-column-type.js';
import { quoteIdentifier } from './duckdb-sql-quoting.js';
import type { ToDuckDBValue } from './duckdb-values.js';

/**
 * Canonical rows into DuckDB without SQL text: a temporary table (private to its connection and dropped with it,
 * whatever happens) filled through the appender a data chunk (2,048 rows, column by column) at a time. The Parquet
 * writer stages a file's rows this way; a training-data spine enters its join this way.
 */

const CHUNK_ROWS = 2048;

export async function createTemporaryTable(connection: DuckDBConnection, table: string, columns: readonly OfflineColumn[]): Promise<void> {
  const definitions = columns.map((c) => `${quoteIdentifier(c.name)} ${duckDBColumnType(c.type)}`).join(', ');
  await connection.run(`CREATE TEMPORARY TABLE ${quoteIdentifier(table)} (${definitions})`);
}

/** Appends rows of canonical values in the columns' order; `converters` come from toDuckDBValueConverter per column. */
export async function appendCanonicalRows(
  connection: DuckDBConnection,
  table: string,
  columns: readonly OfflineColumn[],
  converters: readonly ToDuckDBValue[],
  rows: readonly (readonly unknown[])[],
): Promise<void> {
  const appender = await connection.createAppender(table, 'main', 'temp');
  try {
    const types: DuckDBType[] = columns.map((_, i) => appender.columnType(i));
    for (let start = 0; start < rows.length; start += CHUNK_ROWS) {
      const end = Math.min(rows.length, start + CHUNK_ROWS);
      const values: DuckDBValue[][] = columns.map(() => new Array<DuckDBValue>(end - start));
      for (let r = start; r < end; r++) {
        const row = rows[r]!;
        if (!Array.isArray(row) || row.length !== columns.length) {
          throw new InvalidArgumentError(`row ${r} has ${Array.isArray(row) ? row.length : 'no'} values for ${columns.length} columns`, { row: r });
        }
        for (let c = 0; c < columns.length; c++) {
          const value = row[c];
          if (value === null || value === undefined) {
            values[c]![r - start] = null;
            continue;
          }
          try {
            values[c]![r - start] = converters[c]!(value);
          } catch (error) {
            if (!(error instanceof HumleError)) throw error;
            throw new InvalidArgumentError(`row ${r}, column ${columns[c]!.name}: ${error.message}`, { row: r, column: columns[c]!.name });
          }
        }
      }
      const chunk = DuckDBDataChunk.create(types, end - start);
      chunk.setColumns(values);
      appender.appendDataChunk(chunk);
    }
    appender.flushSync();
  } finally {
    appender.closeSync();
  }
}
