import { Table, Utf8, vectorFromArray, type Vector } from 'apache-arrow';
import type { OfflineColumn } from '../offline/offline-column.js';
import type { RowTable } from './row-table.js';

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

/** A view read as one Arrow table, and the names of its label columns. */
export interface ViewTable {
  table: Table;
  labels: string[];
}

/**
 * The parts of a read as one Arrow table, without leaving Arrow (a large read never becomes rows on the server):
 * each part's feature and label columns side by side, after `_split` when the read is split, the parts one after
 * another in the order given. The parts of one read have the same columns.
 */
export function viewTable(parts: readonly ViewPart<Table>[]): ViewTable {
  const tables = parts.map(({ part, features, labels }) => {
    const columns: Record<string, Vector> = {};
    if (part !== undefined) columns[SPLIT_COLUMN.name] = vectorFromArray(new Array<string>(features.numRows).fill(part), new Utf8());
    for (const table of labels === null ? [features] : [features, labels]) {
      for (const field of table.schema.fields) columns[field.name] = table.getChild(field.name)!;
    }
    return new Table(columns);
  });
  const labels = parts[0]?.labels?.schema.fields.map((f) => f.name) ?? [];
  return { table: tables.length === 1 ? tables[0]! : tables[0]!.concat(...tables.slice(1)), labels };
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
