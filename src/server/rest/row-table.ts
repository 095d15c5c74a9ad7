import type { Table } from 'apache-arrow';
import { FILE_BATCH_ROWS } from '../../featurestore/input/feature-data-batch.js';
import { readArrowRows } from '../../featurestore/input/arrow-rows.js';
import type { OfflineColumn } from '../../featurestore/offline/offline-column.js';
import { coercerFor } from '../../featurestore/types/value-coercion.js';

/**
 * What a read answers with, whatever the format: named, typed columns and rows of canonical values (see
 * FeatureType: timestamps in microseconds, bigints as numbers or past 2^53 as bigints, decimals as exact text).
 */
export interface RowTable {
  columns: readonly OfflineColumn[];
  rows: readonly Readonly<Record<string, unknown>>[];
}

/**
 * An apache-arrow Table that a feature view read gave, as a table: the feature types come from the Arrow types (a
 * decimal is Utf8 there, so it is a string here) and values are made canonical, as an insert makes them.
 */
export async function arrowRowTable(table: Table): Promise<RowTable> {
  const rows: Record<string, unknown>[] = [];
  let columns: OfflineColumn[] = [];
  for await (const batch of readArrowRows(table, FILE_BATCH_ROWS)) {
    columns = table.schema.fields.map((field) => ({ name: field.name, type: batch.types!.get(field.name)! }));
    const coercers = columns.map((c) => coercerFor(c.type, { source: 'js' }));
    for (const row of batch.rows) {
      for (let c = 0; c < columns.length; c++) row[columns[c]!.name] = coercers[c]!(row[columns[c]!.name]);
      rows.push(row);
    }
  }
  return { columns, rows };
}

/** The column that names each row's part when a read is split (`train`, `validation`, `test`); no feature starts with `_`. */
const SPLIT_COLUMN: OfflineColumn = { name: '_split', type: { kind: 'string' } };

/**
 * A feature view read as one table: the feature columns, then the label columns (training data), row by row; with
 * `part`, the split column first, naming the part every row belongs to. Parts are concatenated in the order given.
 */
export async function viewRowTable(parts: readonly { part?: string; features: Table; labels: Table | null }[]): Promise<RowTable> {
  const out: Record<string, unknown>[] = [];
  let columns: OfflineColumn[] = [];
  for (const { part, features, labels } of parts) {
    const x = await arrowRowTable(features);
    const y = labels === null ? undefined : await arrowRowTable(labels);
    columns = [...(part === undefined ? [] : [SPLIT_COLUMN]), ...x.columns, ...(y?.columns ?? [])];
    x.rows.forEach((row, i) => out.push({ ...(part === undefined ? {} : { [SPLIT_COLUMN.name]: part }), ...row, ...y?.rows[i] }));
  }
  return { columns, rows: out };
}
