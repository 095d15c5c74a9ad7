import type { Table } from 'apache-arrow';
import { InvalidJoinError, InvalidQueryError } from '../../errors/featurestore-errors.js';
import { InvalidArgumentError } from '../../errors/humle-error.js';
import type { PointInTime } from '../offline/table/version-resolution.js';
import type { RowPresentation } from '../records/row-presentation.js';
import type { Feature } from '../schema/feature.js';
import { bothFilters, checked, type Filter } from './filter.js';
import { JOIN_TYPES, pointPlan, type FeatureGroupRef, type JoinType, type QueryPlan } from './query-plan.js';
import type { QueryRunner } from './query-runner.js';
import { featureOf, resolveQuery, type FeatureGroupSchema, type ResolvedQuery } from './resolved-query.js';

export interface JoinOptions {
  /** Key features both groups have, by name. */
  on?: string[];
  /** Key features of the left group, pairwise with `rightOn` (give both, or `on`). */
  leftOn?: string[];
  rightOn?: string[];
  /** Default 'left', as HSFS. A point-in-time join (both sides have event times) is inner or left. */
  joinType?: JoinType;
  /** Prepended to the right group's selected feature names, to keep them apart from the left's. */
  prefix?: string;
  /**
   * Point-in-time joins (inner or left): a right row whose event time is more than this many milliseconds before the
   * left row's event time is no match (Feast's ttl), so stale values read as null (left) or drop the row (inner).
   */
  ttl?: number;
}

export interface QueryReadOptions extends RowPresentation {
  /** Rows as objects (default) or an apache-arrow Table, as `fg.read`. */
  dataframe?: 'rows' | 'arrow';
}

const PREFIX = /^[a-z][a-z0-9_]{0,62}$/;

/**
 * A query over feature groups (HSFS `Query`): a selection of one group's features, joined with other queries,
 * filtered, read as of a point in time. Immutable: every method returns a new Query, checked at once against the
 * groups' schemas, so a name clash or a join without a key fails where it is written. `read()` hands the plan to
 * its runner: embedded, DuckDB over the groups' Parquet files in place (see QuerySql); remote, the server.
 */
export class Query {
  private readonly resolved: ResolvedQuery<FeatureGroupSchema>;

  constructor(
    private readonly runner: QueryRunner,
    readonly plan: QueryPlan,
    /** The groups' schemas as the builder saw them: enough to check the plan; reading plans against fresh metadata. */
    private readonly records: ReadonlyMap<number, FeatureGroupSchema>,
  ) {
    this.resolved = resolveQuery(plan, records);
  }

  /** The query of `features` of a feature group (`fg.select`). */
  static select(runner: QueryRunner, record: FeatureGroupSchema, features: readonly string[]): Query {
    if (!Array.isArray(features) || features.some((f) => typeof f !== 'string')) throw new InvalidQueryError('select takes an array of feature names', {});
    const plan: QueryPlan = {
      featureGroup: { id: record.id, name: record.name, version: record.version },
      features: [...new Set(features)],
      asOf: null,
      excludeUntil: null,
      joins: [],
      filter: null,
      limit: null,
    };
    return new Query(runner, plan, new Map([[record.id, record]]));
  }

  /** The query of every feature of a group (`fg.selectAll`). */
  static selectAll(runner: QueryRunner, record: FeatureGroupSchema): Query {
    return Query.select(runner, record, record.features.map((f) => f.name));
  }

  /** The query of every feature of a group but these (`fg.selectExcept`). */
  static selectExcept(runner: QueryRunner, record: FeatureGroupSchema, features: readonly string[]): Query {
    if (!Array.isArray(features)) throw new InvalidArgumentError('selectExcept takes an array of feature names', {});
    for (const name of features) featureOf(record, name);
    return Query.select(runner, record, record.features.filter((f) => !features.includes(f.name)).map((f) => f.name));
  }

  /** The result's columns, in order: names (with prefixes), types and the key roles they have in their groups. */
  get features(): Feature[] {
    return this.resolved.output.map((c) => ({ ...c.feature }));
  }

  /** The result's columns with the feature group each comes from. */
  get columns(): { feature: Feature; featureGroup: FeatureGroupRef }[] {
    return this.resolved.output.map((c) => {
      const { record } = this.resolved.sources[c.source]!;
      return { feature: { ...c.feature }, featureGroup: { id: record.id, name: record.name, version: record.version } };
    });
  }

  /** The feature groups the query reads, each once. */
  get featureGroups(): FeatureGroupRef[] {
    const seen = new Map<number, FeatureGroupRef>();
    for (const s of this.resolved.sources) if (!seen.has(s.record.id)) seen.set(s.record.id, { id: s.record.id, name: s.record.name, version: s.record.version });
    return [...seen.values()];
  }

  /**
   * Joins another query (HSFS `join`). Keys: `on`, or `leftOn`/`rightOn`, or by default the right group's primary
   * key features that the left group has. When the left (root) group and the right group have event times, the join
   * is point in time: each left row gets the right row with equal keys and the latest event time at or before its own.
   */
  join(other: Query, options: JoinOptions = {}): Query {
    if (!(other instanceof Query)) throw new InvalidJoinError('join takes a Query, e.g. fg.select([...])', {});
    if (other.runner !== this.runner) throw new InvalidJoinError('both queries must come from the same Humle instance (remotely: the same project)', {});
    if (typeof options !== 'object' || options === null) throw new InvalidJoinError('join options must be an object', {});
    const names = (value: unknown, what: string): string[] => {
      if (value === undefined) return [];
      if (!Array.isArray(value) || value.length === 0 || value.some((v) => typeof v !== 'string')) {
        throw new InvalidJoinError(`${what} must be a non-empty array of feature names`, { [what]: value });
      }
      return [...(value as string[])];
    };
    const on = names(options.on, 'on');
    let leftOn = names(options.leftOn, 'leftOn');
    let rightOn = names(options.rightOn, 'rightOn');
    if (on.length > 0 && (leftOn.length > 0 || rightOn.length > 0)) throw new InvalidJoinError('give either on or leftOn/rightOn, not both', {});
    if (on.length > 0) leftOn = rightOn = on;
    if (leftOn.length !== rightOn.length) {
      throw new InvalidJoinError(`leftOn and rightOn name ${leftOn.length} and ${rightOn.length} features: give both, pairwise`, { leftOn, rightOn });
    }
    const type = options.joinType ?? 'left';
    if (!JOIN_TYPES.includes(type)) throw new InvalidJoinError(`joinType must be one of ${JOIN_TYPES.join(', ')}`, { joinType: type });
    if (options.prefix !== undefined && (typeof options.prefix !== 'string' || !PREFIX.test(options.prefix))) {
      throw new InvalidJoinError('a prefix has lowercase letters, digits and _, starting with a letter (as feature names)', { prefix: options.prefix });
    }
    if (options.ttl !== undefined && (typeof options.ttl !== 'number' || !Number.isSafeInteger(options.ttl) || options.ttl <= 0)) {
      throw new InvalidJoinError('ttl is a positive whole number of milliseconds', { ttl: options.ttl });
    }
    const plan: QueryPlan = {
      ...this.plan,
      joins: [...this.plan.joins, { query: other.plan, leftOn, rightOn, type, prefix: options.prefix ?? null, ttl: options.ttl ?? null }],
    };
    return new Query(this.runner, plan, new Map([...this.records, ...other.records]));
  }

  /** Keeps the rows where `filter` holds; with several calls (and filters of joined queries), all must hold. */
  filter(filter: Filter): Query {
    return new Query(this.runner, { ...this.plan, filter: bothFilters(this.plan.filter, checked(filter).plan) }, this.records);
  }

  /**
   * Reads every feature group of the query as of `point` (HSFS `as_of`): a time means each group's newest commit at
   * or before it; a commit id names a commit of one group, so it takes a query of one group (set it before joining).
   * With `excludeUntil`, the left group yields only the records that commits after that point wrote (upserted rows
   * as they are at `point`); joined groups are still read whole as of `point`.
   */
  asOf(point: PointInTime, options: { excludeUntil?: PointInTime } = {}): Query {
    if (typeof point === 'number' && this.plan.joins.length > 0) {
      throw new InvalidQueryError('a commit id names a commit of one feature group: give a time for a query over several, or set asOf on each query before joining', {
        commitId: point,
      });
    }
    const end = pointPlan(point, 'asOf');
    const excludeUntil = options.excludeUntil === undefined ? null : pointPlan(options.excludeUntil, 'excludeUntil');
    const everywhere = (plan: QueryPlan): QueryPlan => ({ ...plan, asOf: end, joins: plan.joins.map((j) => ({ ...j, query: everywhere(j.query) })) });
    return new Query(this.runner, { ...everywhere(this.plan), excludeUntil }, this.records);
  }

  /** The records that commits after `start` up to `end` wrote, joined as of `end` (HSFS `pull_changes`). */
  pullChanges(start: PointInTime, end: PointInTime): Query {
    return this.asOf(end, { excludeUntil: start });
  }

  /** At most `n` rows (any `n` of them: a query has no order). */
  limit(n: number): Query {
    if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0) throw new InvalidQueryError('limit is a non-negative integer', { limit: n });
    return new Query(this.runner, { ...this.plan, limit: n }, this.records);
  }

  /** Runs the query: rows as objects (as `fg.read` presents them) or an apache-arrow Table. */
  async read(options: QueryReadOptions & { dataframe: 'arrow' }): Promise<Table>;
  async read(options?: QueryReadOptions & { dataframe?: 'rows' }): Promise<Record<string, unknown>[]>;
  async read(options: QueryReadOptions = {}): Promise<Record<string, unknown>[] | Table> {
    if (options.dataframe !== undefined && options.dataframe !== 'rows' && options.dataframe !== 'arrow') {
      throw new InvalidArgumentError("dataframe must be 'rows' or 'arrow'", { dataframe: options.dataframe });
    }
    return this.runner.read(this.plan, options);
  }

  /** The DuckDB SQL that `read()` runs now (file lists of the versions it would read). */
  async toSql(): Promise<string> {
    return this.runner.toSql(this.plan);
  }

  toJSON(): QueryPlan {
    return this.plan;
  }
}
