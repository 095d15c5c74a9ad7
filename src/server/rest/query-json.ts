import { Type } from 'typebox';
import type { FastifyInstance } from 'fastify';
import { AmbiguousFeatureError, FeatureNotFoundError, InvalidFilterError, InvalidQueryError } from '../../errors/featurestore-errors.js';
import type { FeatureGroup } from '../../featurestore/feature-group.js';
import type { FeatureStore } from '../../featurestore/feature-store.js';
import type { Filter } from '../../featurestore/query/filter.js';
import type { ComparisonOperator, FeatureGroupRef, FilterPlan, QueryPlan } from '../../featurestore/query/query-plan.js';
import type { JoinOptions, Query } from '../../featurestore/query/query.js';
import type { JsonValue } from '../../featurestore/types/json-safe-value.js';
import { EntityName } from './featurestore-schemas.js';

/**
 * Queries and filters as JSON, the form a feature view's query takes over REST. It is the stored plan of a view
 * (query-plan.ts, what migration 5 keeps) with feature groups named by name and version instead of by id, so a
 * description read from a view can be posted again and means the same view. Filters are a small predicate tree.
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

/** A join as `query.join(other, options)` takes it, with the other query described. */
export interface JoinJson extends JoinOptions {
  query: QueryJson;
}

export interface QueryJson {
  featureGroup: GroupRefJson;
  /** The selected features in order; every feature when neither this nor `except` is given. */
  features?: string[];
  except?: string[];
  joins?: JoinJson[];
  filter?: FilterJson;
}

const GroupRef = Type.Object({ name: EntityName, version: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000 })) }, { additionalProperties: false });
const Names = Type.Array(Type.String(), { minItems: 1 });
const Scalar = Type.Union([Type.Number(), Type.String(), Type.Boolean()], { description: 'in any form an insert takes for the feature’s type (ISO text for times)' });
const featureRef = {
  feature: Type.String({ description: 'a feature’s name in its group (without a join prefix)' }),
  featureGroup: Type.Optional(Type.Object({ name: EntityName, version: Type.Optional(Type.Integer({ minimum: 1 })) }, { additionalProperties: false, description: 'the group of the feature; needed only when several groups of the query have a feature of that name' })),
};

export const FilterSchema = Type.Union(
  [
    Type.Object({ op: Type.Union(['eq', 'ne', 'lt', 'le', 'gt', 'ge'].map((op) => Type.Literal(op))), ...featureRef, value: Scalar }, { additionalProperties: false }),
    Type.Object({ op: Type.Literal('in'), ...featureRef, values: Type.Array(Scalar, { minItems: 1 }) }, { additionalProperties: false }),
    Type.Object({ op: Type.Literal('like'), ...featureRef, pattern: Type.String({ description: 'SQL LIKE: % any characters, _ one' }) }, { additionalProperties: false }),
    Type.Object({ op: Type.Union([Type.Literal('isNull'), Type.Literal('isNotNull')]), ...featureRef }, { additionalProperties: false }),
    Type.Object({ op: Type.Union([Type.Literal('and'), Type.Literal('or')]), operands: Type.Array(Type.Ref('Filter'), { minItems: 1 }) }, { additionalProperties: false }),
  ],
  { $id: 'Filter', description: 'a predicate tree: comparisons of a feature with a value, combined with and / or' },
);

export const QuerySchema = Type.Object(
  {
    featureGroup: GroupRef,
    features: Type.Optional(Type.Array(Type.String(), { description: 'selected features, in order (default: all)' })),
    except: Type.Optional(Type.Array(Type.String(), { description: 'every feature but these' })),
    joins: Type.Optional(
      Type.Array(
        Type.Object(
          {
            query: Type.Ref('Query'),
            on: Type.Optional(Names),
            leftOn: Type.Optional(Names),
            rightOn: Type.Optional(Names),
            joinType: Type.Optional(Type.Union([Type.Literal('inner'), Type.Literal('left'), Type.Literal('right'), Type.Literal('full')])),
            prefix: Type.Optional(Type.String()),
            ttl: Type.Optional(Type.Integer({ minimum: 1, description: 'point-in-time joins: a right row older than the left row’s event time by more than this many milliseconds is no match' })),
          },
          { additionalProperties: false },
        ),
      ),
    ),
    filter: Type.Optional(Type.Ref('Filter')),
  },
  { $id: 'Query', additionalProperties: false, description: 'a selection of one feature group’s features, joined (point in time when both sides have event times) and filtered' },
);

export function addQuerySchemas(app: FastifyInstance): void {
  app.addSchema(FilterSchema);
  app.addSchema(QuerySchema);
}

/** A query built through the SDK from its description, and the feature groups it reads (for its filters). */
export async function queryOf(fs: FeatureStore, description: QueryJson): Promise<{ query: Query; groups: FeatureGroup[] }> {
  const fg = await fs.getFeatureGroup(description.featureGroup.name, description.featureGroup.version);
  if (description.features !== undefined && description.except !== undefined) throw new InvalidQueryError('give features or except, not both', {});
  let query = description.except !== undefined ? fg.selectExcept(description.except) : description.features !== undefined ? fg.select(description.features) : fg.selectAll();
  const groups = [fg];
  for (const join of description.joins ?? []) {
    const right = await queryOf(fs, join.query);
    const { on, leftOn, rightOn, joinType, prefix, ttl } = join;
    query = query.join(right.query, { on, leftOn, rightOn, joinType, prefix, ttl });
    groups.push(...right.groups);
  }
  if (description.filter !== undefined) query = query.filter(filterOf(description.filter, groups));
  return { query, groups };
}

/** The feature groups a query plan reads, opened (for the filters of a read of a view). */
export async function groupsOf(fs: FeatureStore, refs: readonly FeatureGroupRef[]): Promise<FeatureGroup[]> {
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

/** The description of a stored plan: groups by name and version, every selection spelled out. */
export function describeQuery(plan: QueryPlan): QueryJson {
  const groups = new Map<number, GroupRefJson>();
  const collect = (p: QueryPlan): void => {
    groups.set(p.featureGroup.id, { name: p.featureGroup.name, version: p.featureGroup.version });
    for (const j of p.joins) collect(j.query);
  };
  collect(plan);
  return describe(plan, groups);
}

function describe(plan: QueryPlan, groups: ReadonlyMap<number, GroupRefJson>): QueryJson {
  const out: QueryJson = { featureGroup: { name: plan.featureGroup.name, version: plan.featureGroup.version }, features: [...plan.features] };
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
  if (plan.filter !== null) out.filter = describeFilter(plan.filter, groups);
  return out;
}

function describeFilter(filter: FilterPlan, groups: ReadonlyMap<number, GroupRefJson>): FilterJson {
  if ('operands' in filter) return { op: filter.op, operands: filter.operands.map((f) => describeFilter(f, groups)) };
  const ref = { feature: filter.feature.feature, featureGroup: { ...groups.get(filter.feature.featureGroupId)! } };
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
