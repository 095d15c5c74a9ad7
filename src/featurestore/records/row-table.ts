import type { Table } from 'apache-arrow';
import { toArrowTable } from './arrow-table.js';
import { presentRow, type RowPresentation } from './row-presentation.js';
import { FILE_BATCH_ROWS, type FeatureDataBatch } from '../input/feature-data-batch.js';
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
  const { columns, batches } = await arrowRowBatches(table, FILE_BATCH_ROWS);
  const rows: Record<string, unknown>[] = [];
  for await (const batch of batches) for (const row of batch) rows.push(row);
  return { columns, rows };
}

/**
 * The same, `batchRows` rows at a time, converted as they are taken (a server's answer streams them). A table
 * without rows has no columns here either, as the rows carry the types.
 */
export async function arrowRowBatches(table: Table, batchRows: number): Promise<{ columns: OfflineColumn[]; batches: AsyncGenerator<Record<string, unknown>[]> }> {
  const source = readArrowRows(table, batchRows);
  const first = await source.next();
  if (first.done === true) return { columns: [], batches: source as AsyncGenerator<never> };
  const columns: OfflineColumn[] = table.schema.fields.map((field) => ({ name: field.name, type: first.value.types!.get(field.name)! }));
  const coercers = columns.map((c) => coercerFor(c.type, { source: 'js' }));
  async function* canonical(): AsyncGenerator<Record<string, unknown>[]> {
    for (let next: IteratorResult<FeatureDataBatch> = first; next.done !== true; next = await source.next()) {
      const rows = next.value.rows as Record<string, unknown>[];
      for (const row of rows) {
        for (let c = 0; c < columns.length; c++) row[columns[c]!.name] = coercers[c]!(row[columns[c]!.name]);
      }
      yield rows;
    }
  }
  return { columns, batches: canonical() };
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
