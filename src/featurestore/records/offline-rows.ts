import type { FeatureGroup, PointInTime } from '../../sdk/feature-group.js';
import type { OfflineColumn } from '../offline/offline-column.js';
import type { Feature } from '../schema/feature.js';
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

/** Rows that stream: their features, then batches of rows as objects. */
export interface SortedRowStream {
  features: readonly Feature[];
  batches: AsyncGenerator<Record<string, unknown>[]>;
}

/** A feature group that streams its offline rows sorted (the embedded one). */
interface SortedRowSource {
  readonly features: readonly Feature[];
  streamSorted(options: { asOf?: PointInTime; orderBy: readonly string[]; limit?: number; exactTimestamps: true }): Promise<SortedRowStream>;
}

/**
 * The rows and columns orderedSnapshot and columnsOfRows give, as a stream: DuckDB sorts by record key, and the
 * rows come a chunk at a time. The first batch is read before this returns, as the columns depend on it (and a
 * damaged file fails here, before an answer has begun).
 */
export async function streamOrderedSnapshot(fg: SortedRowSource, asOf: PointInTime | undefined, limit?: number): Promise<{ columns: OfflineColumn[]; batches: AsyncGenerator<Record<string, unknown>[]> }> {
  const { batches } = await fg.streamSorted({ asOf, orderBy: recordKeyNames(fg.features), limit, exactTimestamps: true });
  let first = await batches.next();
  while (first.done !== true && first.value.length === 0) first = await batches.next();
  const columns = columnsOfRows(fg.features, first.done === true ? [] : first.value);
  async function* all(): AsyncGenerator<Record<string, unknown>[]> {
    if (first.done === true) return;
    yield first.value;
    yield* batches;
  }
  return { columns, batches: all() };
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

/**
 * The columns of rows read from a feature group: its features, less those the rows lack (a snapshot older than an
 * appended feature has none of it). Without rows, every feature.
 */
export function columnsOfRows(features: readonly Feature[], rows: readonly Readonly<Record<string, unknown>>[]): OfflineColumn[] {
  const first = rows[0];
  return features.filter((f) => first === undefined || f.name in first).map((f) => ({ name: f.name, type: f.type }));
}
