import type { FeatureGroup, PointInTime } from '../../sdk/feature-group.js';
import type { OfflineColumn } from '../offline/offline-column.js';
import type { Feature } from '../schema/feature.js';
import type { ReadStatement } from '../offline/table/snapshot-reader.js';
import { commitHistory } from './commit-summary.js';
import { compareCanonical, recordKeyNames, sortByRecordKey } from './row-order.js';

/**
 * A feature group's offline rows as `humle fg read` / `changes` and the REST API hand them out: canonical values
 * (exact microsecond timestamps), in record key order, so the same data always comes out the same.
 */

/** The columns readChanges adds to each row, with Delta's change data feed names. */
export const CHANGE_COLUMNS: readonly OfflineColumn[] = [
  { name: '_change_type', type: { kind: 'string' } },
  { name: '_commit_version', type: { kind: 'bigint' } },
];

/** The snapshot as of a commit or time (the latest by default), in key order; the first `limit` rows when given. */
export async function orderedSnapshot(fg: FeatureGroup, asOf: PointInTime | undefined, limit?: number): Promise<Record<string, unknown>[]> {
  const rows = sortByRecordKey(await fg.read({ asOf, exactTimestamps: true }), fg.features);
  return limit === undefined ? rows : rows.slice(0, limit);
}

/** A feature group that tells the statement of its sorted snapshot (the embedded one). */
interface SortedReadSource {
  readonly features: readonly Feature[];
  sortedReadStatement(options: { asOf?: PointInTime; orderBy: readonly string[]; limit?: number }): Promise<{ features: readonly Feature[]; statement: ReadStatement | null }>;
}

/**
 * What orderedSnapshot reads, as a statement for a reader elsewhere: DuckDB sorts by record key. Its rows are the
 * result's columns by name (`resultColumns`); `columns` are those columnsOfRows gives when there are rows, every
 * feature when there are none.
 */
export async function orderedSnapshotStatement(
  fg: SortedReadSource,
  asOf: PointInTime | undefined,
  limit?: number,
): Promise<{ statement: ReadStatement | null; resultColumns: OfflineColumn[]; columns: OfflineColumn[]; emptyColumns: OfflineColumn[] }> {
  const { features, statement } = await fg.sortedReadStatement({ asOf, orderBy: recordKeyNames(fg.features), limit });
  const resultColumns = features.map((f) => ({ name: f.name, type: f.type }));
  const emptyColumns = columnsOfRows(fg.features, []);
  return { statement, resultColumns, columns: columnsOfRows(fg.features, [Object.fromEntries(resultColumns.map((c) => [c.name, null]))]), emptyColumns };
}

/**
 * The changes of the commits after `from` up to and including `to` (default: the latest commit), commit by commit,
 * each in key order; the sort is stable, so an update's pre-image stays before its post-image.
 */
export async function orderedChanges(fg: FeatureGroup, from: PointInTime, to?: PointInTime): Promise<Record<string, unknown>[]> {
  const end = to ?? (await commitHistory(fg, 1))[0]?.commitId;
  const changes = end === undefined ? [] : await fg.readChanges(from, end, { exactTimestamps: true });
  return sortByRecordKey(changes, fg.features, (a, b) => compareCanonical(a._commit_version, b._commit_version));
}

/** A feature group that tells the statement of its changes (the embedded one). */
interface ChangesStatementSource {
  readonly features: readonly Feature[];
  changesStatement(start: PointInTime, end: PointInTime, orderBy: readonly string[]): Promise<{ features: readonly Feature[]; statement: ReadStatement | null }>;
}

/**
 * What orderedChanges reads, as a statement for a reader elsewhere: DuckDB finds the changes and sorts them commit
 * by commit, each in record key order. Columns as orderedSnapshotStatement's, with CHANGE_COLUMNS after them.
 */
export async function orderedChangesStatement(
  fg: FeatureGroup & ChangesStatementSource,
  from: PointInTime,
  to?: PointInTime,
): Promise<{ statement: ReadStatement | null; resultColumns: OfflineColumn[]; columns: OfflineColumn[]; emptyColumns: OfflineColumn[] }> {
  const end = to ?? (await commitHistory(fg, 1))[0]?.commitId;
  const { features, statement } = end === undefined ? { features: fg.features, statement: null } : await fg.changesStatement(from, end, recordKeyNames(fg.features));
  const resultColumns = [...features.map((f) => ({ name: f.name, type: f.type })), ...CHANGE_COLUMNS];
  const present = Object.fromEntries(features.map((f) => [f.name, null]));
  return { statement, resultColumns, columns: [...columnsOfRows(fg.features, [present]), ...CHANGE_COLUMNS], emptyColumns: [...columnsOfRows(fg.features, []), ...CHANGE_COLUMNS] };
}

/**
 * The columns of rows read from a feature group: its features, less those the rows lack (a snapshot older than an
 * appended feature has none of it). Without rows, every feature.
 */
export function columnsOfRows(features: readonly Feature[], rows: readonly Readonly<Record<string, unknown>>[]): OfflineColumn[] {
  const first = rows[0];
  return features.filter((f) => first === undefined || f.name in first).map((f) => ({ name: f.name, type: f.type }));
}
