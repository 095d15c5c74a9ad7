import { CommitNotFoundError } from '../../../errors/featurestore-errors.js';
import { InvalidArgumentError } from '../../../errors/humle-error.js';
import type { FeatureStoreContext } from '../../featurestore-context.js';
import type { FeatureGroupRecord } from '../../metadata/feature-group-records.js';
import { CommitLog } from './commit-log.js';

/** A point of a feature group's history: a commit id (its Delta version), or a wall-clock time. */
export type PointInTime = number | Date | string;

const commits = new CommitLog();

/**
 * The Delta version a point in time names: a commit id as it is, a time as the newest commit at or before it; the
 * latest version when `point` is undefined (undefined before the first commit). Feature group reads and queries
 * share it, so a commit id or time means the same everywhere.
 */
export async function resolveVersion(ctx: FeatureStoreContext, record: FeatureGroupRecord, point: PointInTime | undefined): Promise<number | undefined> {
  if (point === undefined) return record.deltaVersion < 0 ? undefined : record.deltaVersion;
  if (typeof point === 'number') {
    if (!Number.isSafeInteger(point) || point < 0) throw new InvalidArgumentError('a commit id is a non-negative integer', { commitId: point });
    const exists = await ctx.engine.read((tx) => commits.exists(tx, record.id, point));
    if (!exists) throw new CommitNotFoundError(`feature group ${record.name} has no commit ${point}`, { commitId: point });
    return readable(record, point);
  }
  const time = timeOf(point);
  const version = await ctx.engine.read((tx) => commits.versionAt(tx, record.id, time));
  if (version === undefined) {
    throw new CommitNotFoundError(`feature group ${record.name} had no commit at or before ${new Date(time).toISOString()}`, { time: new Date(time).toISOString() });
  }
  return readable(record, version);
}

/** Whether a time precedes the group's first commit: a change range starting there starts at the beginning. */
export async function isBeforeFirstCommit(ctx: FeatureStoreContext, record: FeatureGroupRecord, point: Date | string): Promise<boolean> {
  const time = point instanceof Date ? point.getTime() : Date.parse(point);
  if (Number.isNaN(time)) return false;
  return (await ctx.engine.read((tx) => commits.versionAt(tx, record.id, time))) === undefined;
}

/** Epoch milliseconds of a wall-clock point (a Date or a parseable time string). */
export function timeOf(point: Date | string): number {
  const time = point instanceof Date ? point.getTime() : Date.parse(point);
  if (typeof point === 'string' && Number.isNaN(time)) throw new InvalidArgumentError(`not a time: ${point}`, { time: point });
  if (Number.isNaN(time)) throw new InvalidArgumentError('not a valid Date', {});
  return time;
}

/** A version whose data files vacuum deleted cannot be read: say so rather than read a partial table. */
function readable(record: FeatureGroupRecord, version: number): number {
  if (version < record.oldestVersion) {
    throw new CommitNotFoundError(`commit ${version} of feature group ${record.name} was vacuumed; the oldest readable commit is ${record.oldestVersion}`, {
      commitId: version,
      oldestVersion: record.oldestVersion,
    });
  }
  return version;
}
