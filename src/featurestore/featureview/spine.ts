import type { DuckDBConnection } from '@duckdb/node-api';
import { appendCanonicalRows, createTemporaryTable } from '../offline/duckdb/duckdb-temporary-table.js';
import { toDuckDBValueConverter } from '../offline/duckdb/duckdb-values.js';
import { readFeatureData, type FeatureData } from '../input/read-feature-data.js';
import type { Feature } from '../schema/feature.js';
import { validateRows } from '../schema/row-validation.js';

/**
 * A spine (Feast's entity dataframe, Hopsworks' spine group): rows the caller gives that replace the view's left
 * feature group and drive its joins, typically entity keys with the times to read features at, and labels. They
 * enter DuckDB as a temporary table of the left group's columns the query reads (selected features, join keys, the
 * event time), coerced and checked as an insert is: a missing key or event time, or a value of the wrong type,
 * throws InvalidFeatureDataError naming the row and column. Other columns of the spine are ignored; a selected
 * feature the spine lacks reads as null.
 */
export async function loadSpine(connection: DuckDBConnection, table: string, features: readonly Feature[], spine: FeatureData): Promise<void> {
  await createTemporaryTable(connection, table, features);
  const converters = features.map((f) => toDuckDBValueConverter(f.type));
  for await (const batch of readFeatureData(spine)) {
    const { rows } = validateRows(features, batch.rows, { source: batch.source, allowNewColumns: true, rowOffset: batch.offset });
    await appendCanonicalRows(connection, table, features, converters, rows);
  }
}
