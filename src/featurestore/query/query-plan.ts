import { InvalidQueryError } from '../../errors/featurestore-errors.js';
import type { PointInTime } from '../offline/table/version-resolution.js';
import type { JsonValue } from '../types/json-safe-value.js';

/**
 * A query as data: what a feature view stores (JSON in the metadata database) and what a Query builder holds.
 * Feature groups are referenced by id, so a stored plan survives renames of nothing and reopening Humle; names and
 * versions ride along for messages. Filter values are in their JSON-safe form (toJsonSafeValue), revived with the
 * feature's type when the query runs.
 */

export type JoinType = 'inner' | 'left' | 'right' | 'full';
export const JOIN_TYPES: readonly JoinType[] = ['inner', 'left', 'right', 'full'];

export type ComparisonOperator = 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge';

export interface FeatureGroupRef {
  id: number;
  name: string;
  version: number;
}

/** A feature of one feature group of the query. */
export interface FeatureRefPlan {
  featureGroupId: number;
  feature: string;
}

export type FilterPlan =
  | { op: ComparisonOperator; feature: FeatureRefPlan; value: JsonValue }
  | { op: 'in'; feature: FeatureRefPlan; values: JsonValue[] }
  | { op: 'like'; feature: FeatureRefPlan; pattern: string }
  | { op: 'isNull' | 'isNotNull'; feature: FeatureRefPlan }
  | { op: 'and' | 'or'; operands: FilterPlan[] };

/** A commit id of the group, or a wall-clock time (epoch milliseconds) meaning the newest commit at or before it. */
export type PointPlan = { commit: number } | { time: number };

export interface QueryPlan {
  featureGroup: FeatureGroupRef;
  /** The selected features, in output order. */
  features: string[];
  /** The snapshot read: the latest when null. */
  asOf: PointPlan | null;
  /** Read only the records that commits after this point (up to `asOf`) wrote; the query's left group only. */
  excludeUntil: PointPlan | null;
  joins: JoinPlan[];
  filter: FilterPlan | null;
  limit: number | null;
}

export interface JoinPlan {
  query: QueryPlan;
  /** Key features of the left group (the root of the query `join` was called on), pairwise with `rightOn`. */
  leftOn: string[];
  rightOn: string[];
  type: JoinType;
  /** Prepended to the names of the right group's selected features. */
  prefix: string | null;
  /** Point-in-time joins only: a right row older than the left row's event time minus this many milliseconds is no match. */
  ttl: number | null;
}

/** Every feature group id a plan reads, each once, in the order they first appear. */
export function featureGroupIdsOf(plan: QueryPlan): number[] {
  const ids: number[] = [];
  const visit = (p: QueryPlan): void => {
    if (!ids.includes(p.featureGroup.id)) ids.push(p.featureGroup.id);
    for (const join of p.joins) visit(join.query);
  };
  visit(plan);
  return ids;
}

/** The features a filter names, in order. */
export function filterFeatures(filter: FilterPlan | null): FeatureRefPlan[] {
  if (filter === null) return [];
  if ('operands' in filter) return filter.operands.flatMap(filterFeatures);
  return [filter.feature];
}

export function pointOf(point: PointPlan | null): PointInTime | undefined {
  if (point === null) return undefined;
  return 'commit' in point ? point.commit : new Date(point.time);
}

/** A point in time as a plan holds it: a commit id, or a wall-clock time in epoch milliseconds. */
export function pointPlan(point: PointInTime, what: string): PointPlan {
  if (typeof point === 'number') {
    if (!Number.isSafeInteger(point) || point < 0) throw new InvalidQueryError(`${what}: a commit id is a non-negative integer`, { commitId: point });
    return { commit: point };
  }
  const time = point instanceof Date ? point.getTime() : typeof point === 'string' ? Date.parse(point) : Number.NaN;
  if (Number.isNaN(time)) throw new InvalidQueryError(`${what}: not a commit id, Date or time string: ${String(point)}`, { point: String(point) });
  return { time };
}
