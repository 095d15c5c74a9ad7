import {
  AmbiguousFeatureError,
  FeatureGroupNotFoundError,
  FeatureNotFoundError,
  InvalidFilterError,
  InvalidJoinError,
  InvalidQueryError,
} from '../../errors/featurestore-errors.js';
import type { FeatureGroupRecord } from '../metadata/feature-group-records.js';
import type { Feature } from '../schema/feature.js';
import { formatFeatureType } from '../types/feature-type.js';
import { bothFilters } from './filter.js';
import { filterFeatures, type FeatureRefPlan, type FilterPlan, type JoinPlan, type JoinType, type QueryPlan } from './query-plan.js';

/**
 * A plan checked against the feature groups' current metadata and laid out for SQL: the groups it reads in join
 * order (sources), the joins between them, the result's columns and the one filter. Building a Query resolves its
 * plan at every step, so a bad join or an ambiguous name is refused where it is written; reading resolves it again
 * against fresh metadata.
 *
 * The layout is flat, as Hopsworks flattens a query: the root group is source 0; each join adds its right group as
 * the next source, then the joins of that right query (pre-order). A join's keys come from its left group (the root
 * of the query `join` was called on), but its time is always the root's event time: every feature, however deep
 * its join, is as of the left row's event time.
 */

/**
 * What resolving a query needs to know of a feature group: its identity and schema. The embedded SDK resolves
 * against full metadata records (reads then need their versions); the remote SDK against what the server describes.
 */
export type FeatureGroupSchema = Pick<FeatureGroupRecord, 'id' | 'name' | 'version' | 'features' | 'primaryKey' | 'eventTime'>;

export interface QuerySource<R extends FeatureGroupSchema = FeatureGroupRecord> {
  index: number;
  record: R;
  /** The query whose root this group is (its selection and snapshot). */
  plan: QueryPlan;
  /** Prepended to the names of the selected features in the result. */
  prefix: string;
  /** What the scan reads, in the group's feature order: selected features, join keys, filtered features, the event time. */
  columns: Feature[];
}

export interface QueryJoin {
  left: number;
  right: number;
  leftOn: Feature[];
  rightOn: Feature[];
  type: JoinType;
  /** An as-of join: the root and the right group have event times. */
  pointInTime: boolean;
  ttl: number | null;
  /**
   * Set when a point-in-time join's keys leave part of the right group's primary key out: several right rows can
   * then share keys and event time, and the one with the smallest values of these features is the one that joins.
   */
  tieBreak: Feature[] | null;
}

export interface OutputColumn {
  /** The feature under its result name (prefix applied), with the type and key roles it has in its group. */
  feature: Feature;
  source: number;
  /** Its name in its group. */
  sourceFeature: string;
  /**
   * A key column (HSFS serving key): a primary key feature of its group, or a column a join uses to look up a
   * primary key feature of the right group. Training and batch data leave these out unless asked.
   */
  key: boolean;
  /**
   * A join key that has the same name on both sides is returned once. After a right or full join the left value can
   * be null where the right one is not: the column is then the first non-null of its own value and these.
   */
  coalesce: { source: number; feature: string }[];
}

export interface ResolvedQuery<R extends FeatureGroupSchema = FeatureGroupRecord> {
  sources: QuerySource<R>[];
  joins: QueryJoin[];
  output: OutputColumn[];
  /** Every filter of the query and its joined queries, all of which must hold (as HSFS combines them). */
  filter: FilterPlan | null;
  limit: number | null;
}

export function resolveQuery<R extends FeatureGroupSchema>(plan: QueryPlan, records: ReadonlyMap<number, R>): ResolvedQuery<R> {
  const sources: QuerySource<R>[] = [];
  const joins: QueryJoin[] = [];
  let filter: FilterPlan | null = null;

  const addSource = (p: QueryPlan, prefix: string): QuerySource<R> => {
    const record = records.get(p.featureGroup.id);
    if (record === undefined) {
      throw new FeatureGroupNotFoundError(`feature group ${p.featureGroup.name} version ${p.featureGroup.version} (id ${p.featureGroup.id}) no longer exists`, {
        name: p.featureGroup.name,
        version: p.featureGroup.version,
      });
    }
    requireSchema(record);
    for (const name of p.features) featureOf(record, name);
    filter = bothFilters(filter, p.filter);
    const source: QuerySource<R> = { index: sources.length, record, plan: p, prefix, columns: [] };
    sources.push(source);
    return source;
  };
  const walk = (p: QueryPlan, left: QuerySource<R>): void => {
    for (const join of p.joins) {
      if (join.query.limit !== null) throw new InvalidJoinError('a limit applies to the whole query: set it on the outer query, not on a joined one', {});
      if (join.query.excludeUntil !== null) {
        throw new InvalidJoinError('an incremental read (pullChanges, asOf with excludeUntil) applies to the left feature group: set it on the outer query', {});
      }
      const right = addSource(join.query, join.prefix ?? '');
      joins.push(resolveJoin(join, left, right, sources[0]!.record));
      walk(join.query, right);
    }
  };
  walk(plan, addSource(plan, ''));

  const output = outputColumns(sources, joins);
  if (output.length === 0) throw new InvalidQueryError('the query selects no feature', {});
  const resolved: ResolvedQuery<R> = { sources, joins, output, filter, limit: plan.limit };
  for (const ref of filterFeatures(filter)) filterSource(resolved, ref);
  for (const source of sources) source.columns = columnsRead(resolved, source);
  return resolved;
}

/** The source and feature a filter's reference names: its group must be in the query once. */
export function filterSource<R extends FeatureGroupSchema>(query: ResolvedQuery<R>, ref: FeatureRefPlan): { source: QuerySource<R>; feature: Feature } {
  const matches = query.sources.filter((s) => s.record.id === ref.featureGroupId);
  if (matches.length === 0) {
    throw new InvalidFilterError(`the filter on ${ref.feature} names a feature group (id ${ref.featureGroupId}) that the query does not read`, {
      feature: ref.feature,
      featureGroupId: ref.featureGroupId,
    });
  }
  if (matches.length > 1) {
    throw new AmbiguousFeatureError(`the query reads feature group ${matches[0]!.record.name} twice, so a filter on its feature ${ref.feature} is ambiguous`, {
      column: ref.feature,
      featureGroup: matches[0]!.record.name,
    });
  }
  return { source: matches[0]!, feature: featureOf(matches[0]!.record, ref.feature) };
}

/** A group whose schema is still to be inferred from its first insert cannot be queried yet. */
export function requireSchema(record: FeatureGroupSchema): void {
  if (record.features.length === 0) {
    throw new InvalidQueryError(`feature group ${record.name} has no schema yet: its first insert defines it`, { featureGroup: record.name });
  }
}

export function featureOf(record: FeatureGroupSchema, name: string): Feature {
  requireSchema(record);
  const found = record.features.find((f) => f.name === name);
  if (found === undefined) {
    throw new FeatureNotFoundError(`feature group ${record.name} version ${record.version} has no feature ${name}`, {
      featureGroup: record.name,
      version: record.version,
      feature: name,
    });
  }
  return found;
}

/**
 * The keys of a join: `on` (names both groups have), `leftOn`/`rightOn` pairwise, or by default the right group's
 * primary key features that the left group also has, by name (HSFS: the maximal matching subset of the primary key).
 */
function resolveJoin(join: JoinPlan, left: QuerySource<FeatureGroupSchema>, right: QuerySource<FeatureGroupSchema>, root: FeatureGroupSchema): QueryJoin {
  const l = left.record;
  const r = right.record;
  let leftNames = join.leftOn;
  let rightNames = join.rightOn;
  if (leftNames.length === 0 && rightNames.length === 0) {
    rightNames = r.features.filter((f) => f.primary && l.features.some((g) => g.name === f.name)).map((f) => f.name);
    leftNames = rightNames;
    if (rightNames.length === 0) {
      throw new InvalidJoinError(
        `no common key: ${l.name} has none of the primary key features of ${r.name} (${r.primaryKey.join(', ')}); name the keys with on or leftOn/rightOn`,
        { left: l.name, right: r.name },
      );
    }
  }
  if (leftNames.length !== rightNames.length || leftNames.length === 0) {
    throw new InvalidJoinError(`leftOn and rightOn name ${leftNames.length} and ${rightNames.length} features: give the same number, at least one`, {
      leftOn: leftNames,
      rightOn: rightNames,
    });
  }
  const leftOn = leftNames.map((name) => featureOf(l, name));
  const rightOn = rightNames.map((name) => featureOf(r, name));
  leftOn.forEach((lf, i) => {
    const rf = rightOn[i]!;
    const integers = (kind: string) => kind === 'int' || kind === 'bigint';
    if (formatFeatureType(lf.type) !== formatFeatureType(rf.type) && !(integers(lf.type.kind) && integers(rf.type.kind))) {
      throw new InvalidJoinError(
        `join key ${l.name}.${lf.name} is ${formatFeatureType(lf.type)} but ${r.name}.${rf.name} is ${formatFeatureType(rf.type)}: keys must have the same type`,
        { left: lf.name, right: rf.name },
      );
    }
  });
  const pointInTime = root.eventTime !== null && r.eventTime !== null;
  if (pointInTime && join.type !== 'inner' && join.type !== 'left') {
    // A right or full as-of join would add right rows that no left row, and so no point in time, stands for.
    throw new InvalidJoinError(
      `a point-in-time join (${root.name} and ${r.name} have event times) is inner or left: each left row takes the right row as of its event time; a ${join.type} join would add right rows of no time`,
      { joinType: join.type, left: root.name, right: r.name },
    );
  }
  if (join.ttl !== null && !pointInTime) {
    throw new InvalidJoinError(`a ttl bounds a point-in-time join: ${root.eventTime === null ? root.name : r.name} has no event time`, { ttl: join.ttl });
  }
  const rest = r.features.filter((f) => f.primary && !rightOn.includes(f));
  return { left: left.index, right: right.index, leftOn, rightOn, type: join.type, pointInTime, ttl: join.ttl, tieBreak: pointInTime && rest.length > 0 ? rest : null };
}

function outputColumns(sources: readonly QuerySource<FeatureGroupSchema>[], joins: readonly QueryJoin[]): OutputColumn[] {
  const output: OutputColumn[] = [];
  const byName = new Map<string, OutputColumn>();
  // Which result column holds a source's feature, also for key features folded into the left key's column.
  const holder = new Map<string, OutputColumn>();
  for (const source of sources) {
    const joinedBy = joins.find((j) => j.right === source.index);
    for (const name of source.plan.features) {
      if (joinedBy !== undefined) {
        const k = joinedBy.rightOn.findIndex((f) => f.name === name);
        const leftHolder = k >= 0 && joinedBy.leftOn[k]!.name === name ? holder.get(`${joinedBy.left}:${name}`) : undefined;
        if (leftHolder !== undefined) {
          holder.set(`${source.index}:${name}`, leftHolder);
          if (joinedBy.type === 'right' || joinedBy.type === 'full') leftHolder.coalesce.push({ source: source.index, feature: name });
          continue;
        }
      }
      const outputName = source.prefix + name;
      const clash = byName.get(outputName);
      if (clash !== undefined) {
        throw new AmbiguousFeatureError(
          `column ${outputName} would come from both ${sources[clash.source]!.record.name} and ${source.record.name}: give the join a prefix, or select fewer features`,
          { column: outputName, featureGroups: [sources[clash.source]!.record.name, source.record.name] },
        );
      }
      const feature = featureOf(source.record, name);
      const looksUp = joins.some((j) => j.left === source.index && j.leftOn.some((f, k) => f.name === name && j.rightOn[k]!.primary));
      const column: OutputColumn = { feature: { ...feature, name: outputName }, source: source.index, sourceFeature: name, coalesce: [], key: feature.primary || looksUp };
      output.push(column);
      byName.set(outputName, column);
      holder.set(`${source.index}:${name}`, column);
    }
  }
  return output;
}

function columnsRead(query: ResolvedQuery<FeatureGroupSchema>, source: QuerySource<FeatureGroupSchema>): Feature[] {
  const names = new Set<string>(source.plan.features);
  for (const join of query.joins) {
    if (join.left === source.index) for (const f of join.leftOn) names.add(f.name);
    if (join.right === source.index) {
      for (const f of join.rightOn) names.add(f.name);
      for (const f of join.tieBreak ?? []) names.add(f.name);
    }
  }
  for (const ref of filterFeatures(query.filter)) if (filterSource(query, ref).source === source) names.add(ref.feature);
  if (source.record.eventTime !== null) names.add(source.record.eventTime);
  return source.record.features.filter((f) => names.has(f.name));
}
