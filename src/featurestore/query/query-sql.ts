import { InvalidFilterError } from '../../errors/featurestore-errors.js';
import { duckDBLiteral } from '../offline/duckdb/duckdb-literals.js';
import { quoteIdentifier, quoteStringLiteral } from '../offline/duckdb/duckdb-sql-quoting.js';
import { dataFileRelation, type ScanFile } from '../offline/table/data-file-scan.js';
import type { Feature } from '../schema/feature.js';
import type { JsonValue } from '../types/json-safe-value.js';
import { coercerFor } from '../types/value-coercion.js';
import type { FilterPlan } from './query-plan.js';
import { filterSource, type OutputColumn, type QueryJoin, type ResolvedQuery } from './resolved-query.js';

/** Where a source's rows come from. */
export type SourceRows =
  /** The data files live at the version read (none before the first commit). */
  | { kind: 'snapshot'; files: readonly ScanFile[] }
  /** Records that commits in a range wrote: files added in it and live at its end, less the rows of files it removed. */
  | { kind: 'changes'; added: readonly ScanFile[]; removed: readonly ScanFile[] }
  /** A temporary table of the connection (a spine) with the source's columns. */
  | { kind: 'table'; name: string };

const COMPARISON_SQL = { eq: '=', ne: '<>', lt: '<', le: '<=', gt: '>', ge: '>=' } as const;

/**
 * The DuckDB SQL of a resolved query, as named CTEs that `toSql()` shows as they run:
 *
 * - `s<i>`: a scan of source i: its data files read in place as dataFileRelation does (a feature none of the files
 *   has yet reads as a typed null; partition columns come from the files' partition values); DuckDB still reads
 *   only the columns used. Columns are renamed
 *   `i:name`, unique across sources, and the event time is added as `i:__et`, microseconds since the epoch whatever
 *   its type (timestamp; date at 00:00 UTC; bigint epoch milliseconds), so groups with different event time types
 *   join as of one clock.
 * - `j<k>`: the k-th join applied to the previous step. A point-in-time join is DuckDB's
 *   `ASOF [LEFT] JOIN ... ON keys AND "0:__et" >= "<right>:__et"`: per left row, the right row with equal
 *   keys and the greatest event time at or before the root's event time. A ttl then drops (inner) or nulls (left) a
 *   match older than the root's event time minus the ttl, inside the step, so later joins keyed on it see no match.
 *
 * Identifiers go through quoteIdentifier and values through duckDBLiteral / quoteStringLiteral: nothing a user
 * wrote reaches the SQL text unquoted.
 */
export class QuerySql {
  constructor(
    private readonly query: ResolvedQuery,
    private readonly rows: readonly SourceRows[],
  ) {}

  /** The WITH clause: every scan and join step. */
  withClause(): string {
    const ctes = this.query.sources.map((_, i) => `${quoteIdentifier(`s${i}`)} AS (${this.scan(i)})`);
    this.query.joins.forEach((join, k) => ctes.push(`${quoteIdentifier(`j${k + 1}`)} AS (${this.joinStep(join, k + 1)})`));
    return `WITH ${ctes.join(',\n')}`;
  }

  /** The relation that holds every joined row: the last step. */
  get relation(): string {
    const joins = this.query.joins.length;
    return quoteIdentifier(joins === 0 ? 's0' : `j${joins}`);
  }

  column(source: number, feature: string): string {
    return quoteIdentifier(`${source}:${feature}`);
  }

  /** A source's event time in microseconds since the epoch (BIGINT). */
  eventTime(source: number): string {
    return quoteIdentifier(`${source}:__et`);
  }

  /** A result column's value. */
  outputExpression(column: OutputColumn): string {
    const own = this.column(column.source, column.sourceFeature);
    if (column.coalesce.length === 0) return own;
    return `COALESCE(${[own, ...column.coalesce.map((c) => this.column(c.source, c.feature))].join(', ')})`;
  }

  /** The WHERE condition of the query's filters and `extra` conditions (Humle-built SQL), or '' when there is none. */
  where(extra: readonly string[] = []): string {
    const conditions = [...(this.query.filter === null ? [] : [this.filter(this.query.filter)]), ...extra];
    return conditions.length === 0 ? '' : ` WHERE ${conditions.join(' AND ')}`;
  }

  /** The whole query as `query.read()` runs it. */
  select(): string {
    const columns = this.query.output.map((c) => `${this.outputExpression(c)} AS ${quoteIdentifier(c.feature.name)}`).join(', ');
    const limit = this.query.limit === null ? '' : ` LIMIT ${this.query.limit}`;
    return `${this.withClause()}\nSELECT ${columns} FROM ${this.relation}${this.where()}${limit}`;
  }

  filter(plan: FilterPlan): string {
    if ('operands' in plan) return `(${plan.operands.map((p) => this.filter(p)).join(plan.op === 'and' ? ' AND ' : ' OR ')})`;
    const { source, feature } = filterSource(this.query, plan.feature);
    const column = this.column(source.index, feature.name);
    switch (plan.op) {
      case 'isNull':
        return `${column} IS NULL`;
      case 'isNotNull':
        return `${column} IS NOT NULL`;
      case 'like':
        return `${column} LIKE ${quoteStringLiteral(plan.pattern)} ESCAPE '\\'`;
      case 'in':
        return `${column} IN (${plan.values.map((v) => literal(feature, v)).join(', ')})`;
      default:
        return `${column} ${COMPARISON_SQL[plan.op]} ${literal(feature, plan.value)}`;
    }
  }

  private scan(i: number): string {
    const source = this.query.sources[i]!;
    const rows = this.rows[i]!;
    const select = source.columns.map((f) => `${quoteIdentifier(f.name)} AS ${this.column(i, f.name)}`);
    const eventTime = source.record.features.find((f) => f.eventTime);
    if (eventTime !== undefined) select.push(`${eventTimeMicros(eventTime)} AS ${this.eventTime(i)}`);
    const from = rows.kind === 'table' ? quoteIdentifier(rows.name) : `(${this.records(source.record.features, rows)})`;
    const join = this.query.joins.find((j) => j.right === i);
    // Rows that tie on the join keys and event time would make the as-of match arbitrary: keep one, chosen by key.
    const qualify =
      join?.tieBreak && eventTime !== undefined
        ? ` QUALIFY row_number() OVER (PARTITION BY ${[...join.rightOn.map((f) => quoteIdentifier(f.name)), eventTimeMicros(eventTime)].join(', ')} ORDER BY ${join.tieBreak.map((f) => quoteIdentifier(f.name)).join(', ')}) = 1`
        : '';
    return `SELECT ${select.join(', ')} FROM ${from}${qualify}`;
  }

  private records(features: readonly Feature[], rows: Exclude<SourceRows, { kind: 'table' }>): string {
    if (rows.kind === 'snapshot') return filesOf(features, rows.files);
    const all = features.map((f) => quoteIdentifier(f.name)).join(', ');
    // Copy-on-write rewrites carry unchanged records into new files: a record equal to its old self is no change.
    return `SELECT ${all} FROM (${filesOf(features, rows.added)}) EXCEPT ALL SELECT ${all} FROM (${filesOf(features, rows.removed)})`;
  }

  private joinStep(join: QueryJoin, step: number): string {
    const previous = quoteIdentifier(step === 1 ? 's0' : `j${step - 1}`);
    const right = quoteIdentifier(`s${join.right}`);
    const conditions = join.leftOn.map((f, k) => `${this.column(join.left, f.name)} = ${this.column(join.right, join.rightOn[k]!.name)}`);
    if (join.pointInTime) conditions.push(`${this.eventTime(0)} >= ${this.eventTime(join.right)}`);
    const keyword = { inner: 'JOIN', left: 'LEFT JOIN', right: 'RIGHT JOIN', full: 'FULL JOIN' }[join.type];
    const from = `${previous} ${join.pointInTime ? `ASOF ${keyword}` : keyword} ${right} ON ${conditions.join(' AND ')}`;
    if (join.ttl === null) return `SELECT * FROM ${from}`;
    const fresh = `${this.eventTime(join.right)} >= ${this.eventTime(0)} - ${BigInt(join.ttl) * 1000n}`;
    if (join.type === 'inner') return `SELECT * FROM ${from} WHERE ${fresh}`;
    const source = this.query.sources[join.right]!;
    const rightColumns = [...source.columns.map((f) => this.column(join.right, f.name)), ...(source.record.eventTime === null ? [] : [this.eventTime(join.right)])];
    return `SELECT ${previous}.*, ${rightColumns.map((c) => `CASE WHEN ${fresh} THEN ${right}.${c} END AS ${c}`).join(', ')} FROM ${from}`;
  }
}

/** The records of some data files over the group's whole schema (see dataFileRelation). */
function filesOf(features: readonly Feature[], files: readonly ScanFile[]): string {
  return `SELECT * FROM ${dataFileRelation(files, features)}`;
}

/** An event time column as microseconds since the epoch. */
function eventTimeMicros(feature: Feature): string {
  const column = quoteIdentifier(feature.name);
  switch (feature.type.kind) {
    case 'timestamp':
      return `epoch_us(${column})`;
    case 'date':
      return `date_diff('day', DATE '1970-01-01', ${column}) * 86400000000`;
    default:
      // bigint event times are epoch milliseconds, as Hopsworks reads them.
      return `CAST(${column} AS BIGINT) * 1000`;
  }
}

/** A filter value of a plan (JSON-safe form) as the literal of its feature's type. */
function literal(feature: Feature, value: JsonValue): string {
  try {
    return duckDBLiteral(feature.type, coercerFor(feature.type, { source: 'text' })(value));
  } catch (reason) {
    if (typeof reason !== 'string') throw reason;
    throw new InvalidFilterError(`the filter value for ${feature.name} is not a ${feature.type.kind}: ${reason}`, { feature: feature.name });
  }
}
