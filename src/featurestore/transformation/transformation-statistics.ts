import type { DuckDBConnection } from '@duckdb/node-api';
import { quoteIdentifier } from '../offline/duckdb/duckdb-sql-quoting.js';

/** What a transformation function can ask to be computed over the train split, per input feature. */
export type StatisticKind = 'min' | 'max' | 'mean' | 'stddev' | 'quartiles' | 'distinct';
export const STATISTIC_KINDS: readonly StatisticKind[] = ['min', 'max', 'mean', 'stddev', 'quartiles', 'distinct'];

/**
 * A feature's statistics over the train split of a training dataset (JSON, stored with the dataset). Numbers are
 * doubles; null when the split has no non-null value. `stddev` is the population standard deviation and the
 * quartiles interpolate linearly (DuckDB quantile_cont), as scikit-learn's scalers compute them. `distinct` holds
 * the non-null values as text (the form encoders look them up by), sorted in the feature type's order.
 */
export interface FeatureStatisticsValues {
  count: number;
  min?: number | null;
  max?: number | null;
  mean?: number | null;
  stddev?: number | null;
  q1?: number | null;
  median?: number | null;
  q3?: number | null;
  distinct?: string[];
}

/** Statistics by feature name. */
export type TransformationStatistics = Record<string, FeatureStatisticsValues>;

/**
 * Computes the statistics in one aggregate statement over `relation` (SQL of the train rows, its columns named as
 * the features), so a training dataset of any size is summarized in DuckDB and only the results reach JavaScript.
 */
export async function computeTransformationStatistics(
  connection: DuckDBConnection,
  relation: string,
  wanted: ReadonlyMap<string, ReadonlySet<StatisticKind>>,
): Promise<TransformationStatistics> {
  if (wanted.size === 0) return {};
  const select: string[] = [];
  const aliases: { feature: string; kind: StatisticKind | 'count'; alias: string }[] = [];
  let n = 0;
  const add = (feature: string, kind: StatisticKind | 'count', sql: string) => {
    const alias = `s${n++}`;
    aliases.push({ feature, kind, alias });
    select.push(`${sql} AS ${alias}`);
  };
  for (const [feature, kinds] of wanted) {
    const column = quoteIdentifier(feature);
    const number = `CAST(${column} AS DOUBLE)`;
    add(feature, 'count', `count(${column})`);
    if (kinds.has('min')) add(feature, 'min', `min(${number})`);
    if (kinds.has('max')) add(feature, 'max', `max(${number})`);
    if (kinds.has('mean')) add(feature, 'mean', `avg(${number})`);
    if (kinds.has('stddev')) add(feature, 'stddev', `stddev_pop(${number})`);
    if (kinds.has('quartiles')) add(feature, 'quartiles', `quantile_cont(${number}, [0.25, 0.5, 0.75])`);
    // Sorted as the type sorts (numbers numerically), then as text: the form a value is looked up by.
    if (kinds.has('distinct')) add(feature, 'distinct', `list_transform(list_sort(list(DISTINCT ${column}) FILTER (WHERE ${column} IS NOT NULL)), x -> CAST(x AS VARCHAR))`);
  }
  const reader = await connection.runAndReadAll(`SELECT ${select.join(', ')} FROM ${relation}`);
  const row = reader.getRowObjectsJson()[0] as Record<string, unknown>;
  const statistics: TransformationStatistics = {};
  for (const { feature, kind, alias } of aliases) {
    const values = (statistics[feature] ??= { count: 0 });
    const value = row[alias];
    const number = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
    if (kind === 'count') values.count = Number(value);
    else if (kind === 'quartiles') {
      const q = (value ?? null) as unknown[] | null;
      values.q1 = number(q?.[0]);
      values.median = number(q?.[1]);
      values.q3 = number(q?.[2]);
    } else if (kind === 'distinct') values.distinct = ((value ?? []) as unknown[]).map(String);
    else values[kind] = number(value);
  }
  return statistics;
}
