import { AmbiguousFeatureError, FeatureNotFoundError, InvalidFilterError, InvalidQueryError } from '../../errors/featurestore-errors.js';
import type { FeatureGroup } from '../../sdk/feature-group.js';
import type { FeatureStore } from '../../sdk/feature-store.js';
import type { JsonValue } from '../types/json-safe-value.js';
import type { Filter } from './filter.js';
import type { ComparisonOperator, FeatureGroupRef, FilterPlan, QueryPlan } from './query-plan.js';
import type { JoinOptions, Query } from './query.js';

/**
 * Queries and filters as JSON, the form they take over REST: a feature view's query, a query read remotely, a
 * read's extra filter. It is the plan of query-plan.ts (what a view stores) with feature groups named by name and
 * version instead of by id, so a description read from a view can be posted again and means the same view, and a
 * remote SDK's query means on the server what it means to the builder. Filters are a small predicate tree.
 * Descriptions are built back into queries with a FeatureStore's own builders (embedded on the server, remote in
 * the remote SDK), so every check a builder makes applies to them.
 */

export interface GroupRefJson {
  name: string;
  /** Default: the newest version (when a query is built); always present in a description. */
  version?: number;
}

type FeatureRefJson = { feature: string; featureGroup?: GroupRefJson };
export type FilterJson =
  | (FeatureRefJson & { op: ComparisonOperator; value: JsonValue })
  | (FeatureRefJson & { op: 'in'; values: JsonValue[] })
  | (FeatureRefJson & { op: 'like'; pattern: string })
  | (FeatureRefJson & { op: 'isNull' | 'isNotNull' })
  | { op: 'and' | 'or'; operands: FilterJson[] };

/** A commit id of the group, or a wall-clock time (ISO-8601 text or epoch milliseconds). */
export type PointJson = { commit: number } | { time: string | number };

/** A join as `query.join(other, options)` takes it, with the other query described. */
export interface JoinJson extends JoinOptions {
  query: QueryJson;
}

export interface QueryJson {
  featureGroup: GroupRefJson;
  /** The selected features in order; every feature when neither this nor `except` is given. */
  features?: string[];
  except?: string[];
  /** The group's snapshot read (`query.asOf`): the latest when absent. */
  asOf?: PointJson;
  joins?: JoinJson[];
  filter?: FilterJson;
  /** The outer query only: read just what the commits after this point (up to `asOf`, else now) wrote (`pullChanges`). */
  excludeUntil?: PointJson;
  /** The outer query only: at most this many rows. */
  limit?: number;
}

/** A query built through a feature store's builders from its description, and the feature groups it reads. */
export async function queryOf(fs: Pick<FeatureStore, 'getFeatureGroup'>, description: QueryJson): Promise<{ query: Query; groups: FeatureGroup[] }> {
  const fg = await fs.getFeatureGroup(description.featureGroup.name, description.featureGroup.version);
  if (description.features !== undefined && description.except !== undefined) throw new InvalidQueryError('give features or except, not both', {});
  let query = description.except !== undefined ? fg.selectExcept(description.except) : description.features !== undefined ? fg.select(description.features) : fg.selectAll();
  // Before the joins, asOf sets this group's snapshot alone: each joined query carries its own.
  if (description.asOf !== undefined) {
    query = query.asOf(pointOfJson(description.asOf), description.excludeUntil === undefined ? {} : { excludeUntil: pointOfJson(description.excludeUntil) });
  } else if (description.excludeUntil !== undefined) {
    // HSFS's as_of(exclude_until=...) without a time: the changes up to now.
    query = query.pullChanges(pointOfJson(description.excludeUntil), new Date());
  }
  const groups = [fg];
  for (const join of description.joins ?? []) {
    const right = await queryOf(fs, join.query);
    const { on, leftOn, rightOn, joinType, prefix, ttl } = join;
    query = query.join(right.query, { on, leftOn, rightOn, joinType, prefix, ttl });
    groups.push(...right.groups);
  }
  if (description.filter !== undefined) query = query.filter(filterOf(description.filter, groups));
  if (description.limit !== undefined) query = query.limit(description.limit);
  return { query, groups };
}

/** The feature groups a query plan reads, opened (for the filters of a read of a view). */
export async function groupsOf(fs: Pick<FeatureStore, 'getFeatureGroup'>, refs: readonly FeatureGroupRef[]): Promise<FeatureGroup[]> {
  return Promise.all(refs.map((ref) => fs.getFeatureGroup(ref.name, ref.version)));
}

/** A filter built with the SDK's predicates on the feature groups the filter may name. */
export function filterOf(description: FilterJson, groups: readonly FeatureGroup[]): Filter {
  if ('operands' in description) {
    const and = description.op === 'and';
    const [first, ...rest] = description.operands.map((operand) => filterOf(operand, groups));
    return rest.reduce((all, f) => (and ? all.and(f) : all.or(f)), first!);
  }
  const feature = featureGroupOf(description, groups).feature(description.feature);
  switch (description.op) {
    case 'in':
      return feature.in(description.values);
    case 'like':
      return feature.like(description.pattern);
    case 'isNull':
      return feature.isNull();
    case 'isNotNull':
      return feature.isNotNull();
    default:
      return feature[description.op](description.value);
  }
}

/** The group a filter's feature belongs to: the one named, else the only group of the query with such a feature. */
function featureGroupOf(ref: FeatureRefJson, groups: readonly FeatureGroup[]): FeatureGroup {
  if (ref.featureGroup !== undefined) {
    const named = groups.find((g) => g.name === ref.featureGroup!.name && (ref.featureGroup!.version === undefined || g.version === ref.featureGroup!.version));
    if (named === undefined) throw new InvalidFilterError(`a filter names feature group ${ref.featureGroup.name}, which the query does not read`, { featureGroup: ref.featureGroup.name });
    return named;
  }
  const having = [...new Set(groups.filter((g) => g.features.some((f) => f.name === ref.feature)).map((g) => g.id))];
  if (having.length === 0) throw new FeatureNotFoundError(`no feature group of the query has a feature ${ref.feature}`, { feature: ref.feature });
  if (having.length > 1) throw new AmbiguousFeatureError(`several feature groups of the query have a feature ${ref.feature}: name its featureGroup`, { column: ref.feature });
  return groups.find((g) => g.id === having[0])!;
}

/** The description of a plan: groups by name and version, every selection spelled out. */
export function describeQuery(plan: QueryPlan): QueryJson {
  const groups = groupRefsOf(plan);
  const out = describe(plan, groups);
  if (plan.excludeUntil !== null) out.excludeUntil = { ...plan.excludeUntil };
  if (plan.limit !== null) out.limit = plan.limit;
  return out;
}

/**
 * The description of a filter on groups of `plan` (a read's extra filter on the groups of a view's query); a filter
 * on a group the plan does not read is refused here, as building it on the server would refuse it.
 */
export function describeFilter(filter: Filter, plan: QueryPlan): FilterJson {
  return describeFilterPlan(filter.plan, groupRefsOf(plan));
}

function groupRefsOf(plan: QueryPlan): Map<number, GroupRefJson> {
  const groups = new Map<number, GroupRefJson>();
  const collect = (p: QueryPlan): void => {
    groups.set(p.featureGroup.id, { name: p.featureGroup.name, version: p.featureGroup.version });
    for (const j of p.joins) collect(j.query);
  };
  collect(plan);
  return groups;
}

function describe(plan: QueryPlan, groups: ReadonlyMap<number, GroupRefJson>): QueryJson {
  const out: QueryJson = { featureGroup: { name: plan.featureGroup.name, version: plan.featureGroup.version }, features: [...plan.features] };
  if (plan.asOf !== null) out.asOf = { ...plan.asOf };
  if (plan.joins.length > 0) {
    out.joins = plan.joins.map((j) => ({
      query: describe(j.query, groups),
      // Empty key lists mean "the right group's primary key, by name": the default, left out as a caller would.
      ...(j.leftOn.length > 0 ? { leftOn: [...j.leftOn], rightOn: [...j.rightOn] } : {}),
      joinType: j.type,
      ...(j.prefix === null ? {} : { prefix: j.prefix }),
      ...(j.ttl === null ? {} : { ttl: j.ttl }),
    }));
  }
  if (plan.filter !== null) out.filter = describeFilterPlan(plan.filter, groups);
  return out;
}

function describeFilterPlan(filter: FilterPlan, groups: ReadonlyMap<number, GroupRefJson>): FilterJson {
  if ('operands' in filter) return { op: filter.op, operands: filter.operands.map((f) => describeFilterPlan(f, groups)) };
  const group = groups.get(filter.feature.featureGroupId);
  if (group === undefined) {
    throw new InvalidFilterError(`the filter on ${filter.feature.feature} names a feature group (id ${filter.feature.featureGroupId}) that the query does not read`, {
      feature: filter.feature.feature,
      featureGroupId: filter.feature.featureGroupId,
    });
  }
  const ref = { feature: filter.feature.feature, featureGroup: { ...group } };
  switch (filter.op) {
    case 'in':
      return { op: 'in', ...ref, values: [...filter.values] };
    case 'like':
      return { op: 'like', ...ref, pattern: filter.pattern };
    case 'isNull':
    case 'isNotNull':
      return { op: filter.op, ...ref };
    default:
      return { op: filter.op, ...ref, value: filter.value };
  }
}

/** A point of a description as the builders take it: a commit id, or a Date. */
function pointOfJson(point: PointJson): number | Date {
  if ('commit' in point) return point.commit;
  return typeof point.time === 'number' ? new Date(point.time) : new Date(Date.parse(point.time));
}

