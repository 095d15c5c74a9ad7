import type { DuckDBConnection } from '@duckdb/node-api';
import type { Table } from 'apache-arrow';
import { InvalidArgumentError } from '../../errors/humle-error.js';
import { InvalidQueryError } from '../../errors/featurestore-errors.js';
import type { FeatureStoreContext } from '../featurestore-context.js';
import type { FeatureData } from '../input/read-feature-data.js';
import { readDuckDBArrowTables } from '../offline/duckdb/duckdb-arrow-result.js';
import { withDuckDBConnection } from '../offline/duckdb/duckdb-instance.js';
import { streamDuckDBRows } from '../offline/duckdb/duckdb-result-rows.js';
import { quoteIdentifier, quoteStringLiteral } from '../offline/duckdb/duckdb-sql-quoting.js';
import type { ReadStatement } from '../offline/table/snapshot-reader.js';
import { SPLIT_COLUMN } from '../records/view-row-table.js';
import { bothFilters, checked, type Filter } from '../query/filter.js';
import { prepareQuery } from '../query/query-inputs.js';
import type { OutputColumn } from '../query/resolved-query.js';
import type { RowPresentation } from '../records/row-presentation.js';
import type { Feature } from '../schema/feature.js';
import { fractionLiteral, rangeCondition, timeOption, TRAIN, type SplitPlan, type TimeLike } from './data-split.js';
import type { FeatureViewRecord } from './feature-view-records.js';
import { loadSpine } from './spine.js';

/** What every read of a view takes (HSFS `training_data`, `get_batch_data`). */
export interface ViewReadOptions extends RowPresentation {
  /** Only left rows whose event time is at or after this (HSFS `start_time`). */
  startTime?: TimeLike;
  /** Only left rows whose event time is before this (HSFS `end_time`). */
  endTime?: TimeLike;
  /** Rows (objects, an Arrow table, or a CSV / NDJSON / Parquet path) that replace the left feature group (see spine.ts). */
  spine?: FeatureData;
  /** A filter added to the view's own (HSFS `extra_filter`). */
  extraFilter?: Filter;
  /** Rows as objects (default) or apache-arrow Tables. */
  dataframe?: 'rows' | 'arrow';
  /**
   * Keep the key columns among the features (default false, as HSFS): the groups' primary keys and the columns that
   * look up a joined group's primary key (HSFS serving keys).
   */
  primaryKey?: boolean;
  /** Keep the feature groups' event time columns among the features (default false, as HSFS). */
  eventTime?: boolean;
}

/**
 * Which result columns a read returns as features, which as labels, which it reads only as inputs of on-demand
 * features and transformations, which not at all.
 */
export type ColumnRole = 'feature' | 'label' | 'input' | null;

/**
 * Takes a read's rows as they stream, each with its part (see data-split.ts): a row holds its feature, label, then
 * input values (and its part after them).
 */
export type ViewRowSink = (row: readonly unknown[], part: number) => void;

/**
 * A read as one DuckDB statement: it selects the columns (features, labels, inputs, in that order) as `c0`, `c1`, …
 * then the row's part as `__part`, in the read's order.
 */
export interface ViewStatement {
  statement: string;
  /** The error a failed run of the statement becomes (a damaged data file, named: see PreparedQuery.failure). */
  failure(error: Error): Promise<Error>;
  /**
   * The same rows unordered, with the columns of the read's order besides, to store in a table first: `order` is
   * the ORDER BY list that reads them back in the read's order.
   */
  materialize: { statement: string; order: string };
  /**
   * The pieces of a statement that selects other expressions of the same rows (of `c0`, `c1`, … and `__part`):
   * `${with} SELECT … FROM ${from} ORDER BY ${order}` reads them in the read's order.
   */
  parts: { with: string; from: string; order: string };
  features: Feature[];
  labels: Feature[];
  inputs: Feature[];
}

const SPINE_TABLE = 'humle_spine';

/**
 * Reads a view's data: the query (with the extra filter, over the spine if one is given) restricted to the time
 * window, its columns chosen by `role`, the rows split by `split`. It stays in DuckDB up to the result: one SQL
 * statement computes the joins, the split (a window over a hash of the seed and the row) and the order (the left
 * event time, then that hash, so the same data comes back in the same order); JavaScript only converts the rows
 * as they stream out.
 */
export async function readView(
  ctx: FeatureStoreContext,
  view: FeatureViewRecord,
  options: ViewReadOptions,
  role: (column: OutputColumn) => ColumnRole,
  split: SplitPlan,
  /**
   * Runs on the read's connection once the statement is known, before the rows stream (statistics of its train
   * part, say), and answers what takes the rows.
   */
  prepare: (connection: DuckDBConnection, read: ViewStatement) => Promise<ViewRowSink>,
): Promise<void> {
  await withDuckDBConnection(async (connection) => {
    const read = await viewStatement(ctx, connection, view, options, role, split);
    const sink = await prepare(connection, read);
    const width = read.features.length + read.labels.length + read.inputs.length;
    for await (const batch of streamDuckDBRows(connection, read.statement, read.failure)) {
      for (const row of batch.rows) sink(row, Number(row[width]));
    }
  });
}

/** A read's parts as Arrow tables: per part, the features and the labels (null when the view has none). */
export interface ViewTables {
  parts: { features: Table; labels: Table | null }[];
}

/**
 * Reads a view's data as readView does, straight into Arrow tables (see duckdb-arrow-result.ts): values go from
 * DuckDB's vectors into Arrow buffers without becoming JavaScript values. For reads whose rows nothing transforms
 * in JavaScript (on-demand features and transformations run on rows); `role` gives no column 'input'.
 */
export async function readViewTables(
  ctx: FeatureStoreContext,
  view: FeatureViewRecord,
  options: ViewReadOptions,
  role: (column: OutputColumn) => ColumnRole,
  split: SplitPlan,
): Promise<ViewTables> {
  return withDuckDBConnection(async (connection) => {
    const read = await viewStatement(ctx, connection, view, options, role, split);
    if (read.inputs.length > 0) throw new Error('readViewTables reads no input columns: they are for transformations on rows');
    const columns = [...read.features, ...read.labels];
    const tables = await readDuckDBArrowTables(connection, read.statement, { features: columns, partColumn: columns.length, parts: 3 }, read.failure);
    const featureNames = read.features.map((f) => f.name);
    const labelNames = read.labels.map((f) => f.name);
    return { parts: tables.map((table) => ({ features: table.select(featureNames), labels: labelNames.length === 0 ? null : table.select(labelNames) })) };
  });
}

/** A read's statement as viewAnswerStatement makes it, and its features and labels (the answer's columns after `_split`). */
export interface ViewAnswerStatement {
  statement: ReadStatement;
  features: Feature[];
  labels: Feature[];
}

/**
 * A read as the server answers it, one statement for a reader elsewhere (the server's answer workers): the feature
 * columns then the label columns by name, after `_split` (the part's name, see view-row-table.ts) when `partNames`
 * are given, the parts one after another in part order (train, validation, test), each in the read's order. DuckDB
 * joins, splits and sorts; nothing of the read runs in JavaScript, so it takes no spine (a table of this
 * connection's) and `role` gives no column 'input' (those are for transformations on rows).
 */
export async function viewAnswerStatement(
  ctx: FeatureStoreContext,
  view: FeatureViewRecord,
  options: ViewReadOptions,
  role: (column: OutputColumn) => ColumnRole,
  split: SplitPlan,
  partNames: readonly string[] | null,
): Promise<ViewAnswerStatement> {
  if (options.spine !== undefined) throw new Error('viewAnswerStatement reads no spine: it is a table of the reading connection');
  const read = await withDuckDBConnection((connection) => viewStatement(ctx, connection, view, options, role, split));
  if (read.inputs.length > 0) throw new Error('viewAnswerStatement reads no input columns: they are for transformations on rows');
  const columns = [...read.features, ...read.labels].map((f, k) => `${quoteIdentifier(`c${k}`)} AS ${quoteIdentifier(f.name)}`);
  const splitName = partNames === null ? [] : [`CASE "__part" ${partNames.map((name, part) => `WHEN ${part} THEN ${quoteStringLiteral(name)}`).join(' ')} END AS ${quoteIdentifier(SPLIT_COLUMN.name)}`];
  const { with: withClause, from, order } = read.parts;
  const sql = `${withClause}\nSELECT ${[...splitName, ...columns].join(', ')} FROM ${from} ORDER BY "__part", ${order}`;
  return { statement: { sql, failure: read.failure }, features: read.features, labels: read.labels };
}

/** The statement of a read on `connection` (which holds the spine's temporary table, when there is one). */
export async function viewStatement(
  ctx: FeatureStoreContext,
  connection: DuckDBConnection,
  view: FeatureViewRecord,
  options: ViewReadOptions,
  role: (column: OutputColumn) => ColumnRole,
  split: SplitPlan,
): Promise<ViewStatement> {
  if (typeof options !== 'object' || options === null) throw new InvalidArgumentError('options must be an object', {});
  if (options.dataframe !== undefined && options.dataframe !== 'rows' && options.dataframe !== 'arrow') {
    throw new InvalidArgumentError("dataframe must be 'rows' or 'arrow'", { dataframe: options.dataframe });
  }
  const plan = options.extraFilter === undefined ? view.query : { ...view.query, filter: bothFilters(view.query.filter, checked(options.extraFilter).plan) };
  const window = { start: timeOption(options.startTime, 'startTime'), end: timeOption(options.endTime, 'endTime') };
  if (window.start !== null && window.end !== null && window.start >= window.end) throw new InvalidArgumentError('startTime must be before endTime', {});

  const spine = options.spine !== undefined;
  const { resolved, sql, failure } = await prepareQuery(ctx, plan, spine ? { rootTable: SPINE_TABLE } : {});
  const root = resolved.sources[0]!.record;
  if (root.eventTime === null && (window.start !== null || window.end !== null || split.kind === 'time')) {
    throw new InvalidArgumentError(`start and end times and time splits select by event time, and ${root.name} has none`, { featureGroup: root.name });
  }
  if (spine) await loadSpine(connection, SPINE_TABLE, resolved.sources[0]!.columns, options.spine!);

  const features = resolved.output.filter((c) => role(c) === 'feature');
  const labels = resolved.output.filter((c) => role(c) === 'label');
  const inputs = resolved.output.filter((c) => role(c) === 'input');
  const columns = [...features, ...labels, ...inputs];
  if (features.length + labels.length === 0) throw new InvalidQueryError('with these options the view returns no column', {});
  const names = columns.map((_, k) => quoteIdentifier(`c${k}`));
  const eventTime = root.eventTime === null ? null : sql.eventTime(0);
  const conditions = eventTime === null ? [] : [rangeCondition(eventTime, window)].filter((c) => c !== 'TRUE');
  const select = [...columns.map((c, k) => `${sql.outputExpression(c)} AS ${names[k]}`), ...(eventTime === null ? [] : [`${eventTime} AS "__et"`])];
  const seed = split.kind === 'random' ? split.seed : 0;
  const ctes = [
    `"humle_rows" AS (SELECT ${select.join(', ')} FROM ${sql.relation}${sql.where(conditions)})`,
    `"humle_hashed" AS (SELECT *, hash(${seed}, ${names.slice(0, features.length + labels.length).join(', ')}) AS "__h" FROM "humle_rows")`,
  ];
  let part = `${TRAIN}`;
  let from = '"humle_hashed"';
  if (split.kind === 'random') {
    ctes.push(`"humle_ranked" AS (SELECT *, row_number() OVER (ORDER BY "__h") AS "__rank", count(*) OVER () AS "__n" FROM "humle_hashed")`);
    const test = `round("__n" * ${fractionLiteral(split.test)})`;
    const validation = `round("__n" * ${fractionLiteral(split.validation)})`;
    part = `CASE WHEN "__rank" <= ${test} THEN 2 WHEN "__rank" <= ${test} + ${validation} THEN 1 ELSE 0 END`;
    from = '"humle_ranked"';
  } else if (split.kind === 'time') {
    const cases = split.ranges.flatMap((range, i) => (range === null ? [] : [`WHEN ${rangeCondition('"__et"', range)} THEN ${i}`]));
    part = `CASE ${cases.join(' ')} END`;
  }
  const order = eventTime === null ? '"__h"' : '"__et", "__h"';
  const parted = `SELECT ${names.join(', ')}, ${part} AS "__part", ${order} FROM ${from}`;
  const withClause = `${sql.withClause()},\n${ctes.join(',\n')}`;
  const head = `${withClause}\nSELECT ${names.join(', ')}, "__part"`;
  const statement = `${head} FROM (${parted}) WHERE "__part" IS NOT NULL ORDER BY ${order}`;
  // The hash is a UBIGINT, which rows do not carry: shifted into the BIGINT range it sorts the same.
  const sortKey = `CAST(CAST("__h" AS HUGEINT) - 9223372036854775808 AS BIGINT) AS "__o"`;
  const materialize = {
    statement: `${head}, ${eventTime === null ? '' : '"__et", '}${sortKey} FROM (${parted}) WHERE "__part" IS NOT NULL`,
    order: eventTime === null ? '"__o"' : '"__et", "__o"',
  };

  const parts = { with: withClause, from: `(${parted}) WHERE "__part" IS NOT NULL`, order };
  return { statement, failure, materialize, parts, features: features.map((c) => c.feature), labels: labels.map((c) => c.feature), inputs: inputs.map((c) => c.feature) };
}
