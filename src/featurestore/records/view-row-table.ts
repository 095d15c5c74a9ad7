import type { Table } from 'apache-arrow';
import type { OfflineColumn } from '../offline/offline-column.js';
import { arrowRowTable, type RowTable } from './row-table.js';

/**
 * A feature view read (training data, batch data, a training dataset's rows) as one table, the form it takes over
 * REST: the feature columns, then the label columns, row by row; when split, a first column `_split` names each
 * row's part, the parts one after another. The label columns are named apart (on the wire, in the
 * LABEL_COLUMNS_HEADER): a label's transformation can rename it (`label_encoder_returned`).
 */

/** The column that names each row's part when a read is split (`train`, `validation`, `test`); no feature starts with `_`. */
export const SPLIT_COLUMN: OfflineColumn = { name: '_split', type: { kind: 'string' } };

/** The response header that names a view read's label columns, comma-separated (empty: no labels). */
export const LABEL_COLUMNS_HEADER = 'humle-label-columns';

/** One part of a read: its name when the read is split, its features, its labels (null without labels). */
export interface ViewPart<T> {
  part?: string;
  features: T;
  labels: T | null;
}

export interface ViewRowTable extends RowTable {
  /** The names of the label columns, in order. */
  labels: string[];
}

/** The parts of a read as one table; parts are concatenated in the order given. */
export async function viewRowTable(parts: readonly ViewPart<Table>[]): Promise<ViewRowTable> {
  const out: Record<string, unknown>[] = [];
  let columns: OfflineColumn[] = [];
  let labels: string[] = [];
  for (const { part, features, labels: labelTable } of parts) {
    const x = await arrowRowTable(features);
    const y = labelTable === null ? undefined : await arrowRowTable(labelTable);
    columns = [...(part === undefined ? [] : [SPLIT_COLUMN]), ...x.columns, ...(y?.columns ?? [])];
    labels = (y?.columns ?? []).map((c) => c.name);
    x.rows.forEach((row, i) => out.push({ ...(part === undefined ? {} : { [SPLIT_COLUMN.name]: part }), ...row, ...y?.rows[i] }));
  }
  return { columns, rows: out, labels };
}

/**
 * The other way: a table of a view read split back into its parts (by `_split`, in the order `parts` names them;
 * one unnamed part when the table has no split column), each with its feature and label columns.
 */
export function viewParts(table: RowTable, labels: readonly string[], parts: readonly string[]): ViewPart<RowTable>[] {
  const split = table.columns[0]?.name === SPLIT_COLUMN.name;
  const data = split ? table.columns.slice(1) : table.columns;
  const featureColumns = data.filter((c) => !labels.includes(c.name));
  const labelColumns = data.filter((c) => labels.includes(c.name));
  const names = split ? parts : [undefined];
  return names.map((part) => {
    const rows = part === undefined ? table.rows : table.rows.filter((row) => row[SPLIT_COLUMN.name] === part);
    return {
      ...(part === undefined ? {} : { part }),
      features: { columns: featureColumns, rows },
      labels: labels.length === 0 ? null : { columns: labelColumns, rows },
    };
  });
}
