import type { DuckDBConnection } from '@duckdb/node-api';
import { fromDuckDBValueConverter } from './duckdb-values.js';

export interface DuckDBRows {
  readonly columnNames: readonly string[];
  /** Canonical values (see FeatureType), a row per array, in the result's column order. */
  readonly rows: unknown[][];
}

/**
 * Runs a query and yields its rows as canonical values, one DuckDB chunk (up to 2,048 rows) at a time, so a large
 * result streams through without being held whole; breaking out of the loop ends the query. Converters are chosen
 * once per result column. `failure` turns a DuckDB error (planning opens every file, so a missing one fails there)
 * into the caller's typed error; it may look at the files first (which of them is damaged), so it may be async.
 */
export async function* streamDuckDBRows(connection: DuckDBConnection, sql: string, failure: (error: Error) => Error | Promise<Error>): AsyncGenerator<DuckDBRows> {
  const result = await connection.stream(sql).catch(async (error: Error) => {
    throw await failure(error);
  });
  const columnNames = result.columnNames();
  const converters = result.columnTypes().map((type, i) => fromDuckDBValueConverter(type, columnNames[i]!));
  const width = converters.length;
  for (;;) {
    const chunk = await result.fetchChunk().catch(async (error: Error) => {
      throw await failure(error);
    });
    if (!chunk || chunk.rowCount === 0) return;
    const vectors = converters.map((_, c) => chunk.getColumnVector(c));
    const rows: unknown[][] = new Array(chunk.rowCount);
    for (let r = 0; r < chunk.rowCount; r++) {
      const row = new Array<unknown>(width);
      for (let c = 0; c < width; c++) row[c] = converters[c]!(vectors[c]!.getItem(r));
      rows[r] = row;
    }
    yield { columnNames, rows };
  }
}
