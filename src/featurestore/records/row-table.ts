import type { Table } from 'apache-arrow';
import { toArrowTable } from './arrow-table.js';
import { presentRow, type RowPresentation } from './row-presentation.js';
import { FILE_BATCH_ROWS } from '../input/feature-data-batch.js';
import { readArrowRows } from '../input/arrow-rows.js';
import type { OfflineColumn } from '../offline/offline-column.js';
import { coercerFor } from '../types/value-coercion.js';

/**
 * What a read answers with, whatever the format: named, typed columns and rows of canonical values (see
 * FeatureType: timestamps in microseconds, bigints as numbers or past 2^53 as bigints, decimals as exact text).
 */
export interface RowTable {
  columns: readonly OfflineColumn[];
  rows: readonly Readonly<Record<string, unknown>>[];
}

/**
 * An apache-arrow Table (of a query or feature view read, or as the server sent it) as a table: the feature types
 * come from the Arrow types (a decimal is Utf8 there, so it is a string here) and values are made canonical, as an
 * insert makes them.
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

/** The rows as the SDK's reads hand them out: objects in column order, timestamps as Dates unless exact. */
export function presentTable(table: RowTable, options: RowPresentation): Record<string, unknown>[] {
  return table.rows.map((row) => presentRow(table.columns, valuesOf(table, row), options));
}

/** The rows as an apache-arrow Table, typed as the SDK's Arrow reads are. */
export function tableToArrow(table: RowTable): Table {
  return toArrowTable(table.columns, table.rows.map((row) => valuesOf(table, row)));
}

function valuesOf(table: RowTable, row: Readonly<Record<string, unknown>>): unknown[] {
  return table.columns.map((c) => row[c.name] ?? null);
}
