import type { DuckDBConnection, DuckDBResultReader } from '@duckdb/node-api';
import { withDuckDBConnection } from '../offline/duckdb/duckdb-instance.js';
import { quoteIdentifier, quoteStringLiteral } from '../offline/duckdb/duckdb-sql-quoting.js';
import { fromDuckDBValueConverter } from '../offline/duckdb/duckdb-values.js';
import { ParquetFileError } from '../offline/offline-store-errors.js';
import { dataFileRelation, type ScanFile } from '../offline/table/data-file-scan.js';
import type { Feature } from '../schema/feature.js';
import { formatFeatureType, type FeatureType } from '../types/feature-type.js';
import { toJsonSafeValue, type JsonValue } from '../types/json-safe-value.js';
import {
  HISTOGRAM_BUCKETS,
  TOP_VALUE_MAX_CHARS,
  TOP_VALUES_LIMIT,
  type FeatureGroupStatistics,
  type FeatureStatistics,
  type HistogramBucket,
} from './feature-statistics.js';
import { DEFAULT_STATISTICS_CONFIG, featuresToDescribe, type StatisticsConfig } from './statistics-config.js';

/**
 * Computes a feature group's statistics over its data files with DuckDB. Every query runs in DuckDB's vectorized,
 * parallel engine on the Parquet files in place and returns a few rows; nothing is read row by row in JavaScript:
 * 1. one aggregate query for all features: counts, nulls, approximate distinct counts, min/max/mean/stddev, string
 *    lengths, correlations;
 * 2. one GROUPING SETS query for all histograms: a grouping per numeric feature on its bucket number, whose bounds
 *    come from query 1 (at most 20 groups each);
 * 3. per string or boolean feature (and per feature with exactUniqueness), a GROUP BY of its values: top values
 *    cut to 10 by DuckDB's top-N, uniqueness aggregated over the groups. Parquet is columnar, so each of these
 *    reads only its own column; one query per feature avoids the sort a combined query needs across features.
 * `config.enabled` is the caller's decision (statistics on demand ignore it); the other fields apply.
 */
export async function computeStatistics(
  files: readonly ScanFile[],
  features: readonly Feature[],
  config: StatisticsConfig = DEFAULT_STATISTICS_CONFIG,
): Promise<FeatureGroupStatistics> {
  const described = featuresToDescribe(config, features);
  const computedAt = Date.now();
  if (files.length === 0) {
    return { computedAt, rowCount: 0, config, features: described.map((f) => emptyStatistics(f, config, described)) };
  }
  const parquetPaths = files.map((f) => f.localPath);
  return withDuckDBConnection(async (connection) => {
    // Features by name, partition columns from the files' partition values; a feature appended after every one of
    // these files was written is in none of them and reads as null, as Delta readers do. With no feature to
    // describe, the row count alone is read.
    const source =
      described.length > 0 ? dataFileRelation(files, described) : `read_parquet([${parquetPaths.map(quoteStringLiteral).join(', ')}], union_by_name = true)`;
    const aggregates = aggregateQuery(described, config);
    const first = await run(connection, `SELECT ${aggregates.expressions.join(', ')} FROM ${source}`, parquetPaths);
    const values = canonicalRow(first);
    const rowCount = Number(values[0]);
    const statistics = described.map((f) => baseStatistics(f, rowCount, config));
    aggregates.readers.forEach((read, i) => read(statistics, values[i + 1]));

    if (config.histograms) await computeHistograms(connection, described, statistics, source, parquetPaths);
    for (let i = 0; i < described.length; i++) {
      await computeValueFrequencies(connection, described[i]!, statistics[i]!, source, config.exactUniqueness, parquetPaths);
    }
    return { computedAt, rowCount, config, features: statistics };
  });
}

async function run(connection: DuckDBConnection, sql: string, paths: readonly string[]): Promise<DuckDBResultReader> {
  try {
    return await connection.runAndReadAll(sql);
  } catch (error) {
    // The SQL is built here from feature names and types that are already valid: a failure is the files' (missing,
    // unreadable, not Parquet, a column of another type).
    throw new ParquetFileError(`cannot compute statistics over the Parquet files: ${(error as Error).message}`, { paths: [...paths] });
  }
}

function canonicalRow(result: DuckDBResultReader): unknown[] {
  const types = result.columnTypes();
  const row = result.getRows()[0]!;
  return row.map((value, i) => fromDuckDBValueConverter(types[i]!, `statistic ${i}`)(value));
}

// ---- types ---------------------------------------------------------------------------------------------------------

function isNumeric(type: FeatureType): boolean {
  const kind = type.kind;
  return kind === 'int' || kind === 'bigint' || kind === 'float' || kind === 'double' || kind === 'decimal';
}

function hasMinMax(type: FeatureType): boolean {
  return isNumeric(type) || type.kind === 'date' || type.kind === 'timestamp';
}

function hasTopValues(type: FeatureType): boolean {
  return type.kind === 'string' || type.kind === 'boolean';
}

// ---- query 1: aggregates -------------------------------------------------------------------------------------------

/** Stores one aggregate's canonical value into the statistics of its feature. */
type AggregateReader = (statistics: FeatureStatistics[], value: unknown) => void;

function aggregateQuery(described: readonly Feature[], config: StatisticsConfig): { expressions: string[]; readers: AggregateReader[] } {
  const expressions = ['count(*)'];
  const readers: AggregateReader[] = [];
  const add = (sql: string, read: AggregateReader) => {
    expressions.push(sql);
    readers.push(read);
  };
  described.forEach((f, i) => {
    const column = quoteIdentifier(f.name);
    add(`count(${column})`, (s, v) => {
      const stats = s[i]!;
      stats.nonNullCount = Number(v);
      stats.nullCount = stats.count - stats.nonNullCount;
      stats.completeness = stats.count === 0 ? null : stats.nonNullCount / stats.count;
    });
    // count() is read first, so the estimate can be capped: HyperLogLog may overshoot the true count a little.
    add(`approx_count_distinct(${column})`, (s, v) => {
      s[i]!.approxDistinct = Math.min(Number(v), s[i]!.nonNullCount);
    });
    if (hasMinMax(f.type)) {
      // Timestamps as epoch microseconds: exact, where a TIMESTAMPTZ value would pass through a JS number.
      const bound = (fn: string) => (f.type.kind === 'timestamp' ? `epoch_us(${fn}(${column}))` : `${fn}(${column})`);
      add(bound('min'), (s, v) => {
        s[i]!.min = toJsonSafeValue(f.type, v);
      });
      add(bound('max'), (s, v) => {
        s[i]!.max = toJsonSafeValue(f.type, v);
      });
    }
    if (isNumeric(f.type)) {
      add(`avg(CAST(${column} AS DOUBLE))`, (s, v) => {
        s[i]!.mean = finiteOrNull(v);
      });
      add(`stddev_pop(CAST(${column} AS DOUBLE))`, (s, v) => {
        s[i]!.stddev = finiteOrNull(v);
      });
    }
    if (f.type.kind === 'string') {
      add(`min(length(${column}))`, (s, v) => {
        s[i]!.minLength = v === null ? null : Number(v);
      });
      add(`max(length(${column}))`, (s, v) => {
        s[i]!.maxLength = v === null ? null : Number(v);
      });
    }
  });
  if (config.correlations) {
    described.forEach((a, i) => {
      if (!isNumeric(a.type)) return;
      described.forEach((b, j) => {
        if (j <= i || !isNumeric(b.type)) return;
        add(`corr(CAST(${quoteIdentifier(a.name)} AS DOUBLE), CAST(${quoteIdentifier(b.name)} AS DOUBLE))`, (s, v) => {
          const r = finiteOrNull(v);
          (s[i]!.correlations ??= {})[b.name] = r;
          (s[j]!.correlations ??= {})[a.name] = r;
        });
      });
    });
  }
  return { expressions, readers };
}

function finiteOrNull(value: unknown): number | null {
  const n = value === null ? NaN : Number(value);
  return Number.isFinite(n) ? n : null;
}

function baseStatistics(f: Feature, rowCount: number, config: StatisticsConfig): FeatureStatistics {
  const stats: FeatureStatistics = {
    feature: f.name,
    type: formatFeatureType(f.type),
    count: rowCount,
    nullCount: rowCount,
    nonNullCount: 0,
    completeness: rowCount === 0 ? null : 0,
    approxDistinct: 0,
  };
  if (config.correlations && isNumeric(f.type)) stats.correlations = {};
  return stats;
}

/** The statistics of a feature of an empty table: every type-dependent statistic present, and null or empty. */
function emptyStatistics(f: Feature, config: StatisticsConfig, described: readonly Feature[]): FeatureStatistics {
  const stats = baseStatistics(f, 0, config);
  if (hasMinMax(f.type)) Object.assign(stats, { min: null, max: null });
  if (isNumeric(f.type)) {
    Object.assign(stats, { mean: null, stddev: null });
    if (config.histograms) stats.histogram = [];
    if (config.correlations) for (const other of described) if (other !== f && isNumeric(other.type)) stats.correlations![other.name] = null;
  }
  if (f.type.kind === 'string') Object.assign(stats, { minLength: null, maxLength: null });
  if (hasTopValues(f.type)) stats.topValues = [];
  if (config.exactUniqueness) Object.assign(stats, { distinct: 0, distinctness: null, uniqueness: null, entropy: null });
  return stats;
}

// ---- query 2: histograms ------------------------------------------------------------------------------------------

interface HistogramPlan {
  /** Index of the feature in the described features. */
  feature: number;
  low: number;
  high: number;
  width: number;
}

async function computeHistograms(
  connection: DuckDBConnection,
  described: readonly Feature[],
  statistics: FeatureStatistics[],
  source: string,
  paths: readonly string[],
): Promise<void> {
  const plans: HistogramPlan[] = [];
  described.forEach((f, i) => {
    if (!isNumeric(f.type)) return;
    const stats = statistics[i]!;
    stats.histogram = [];
    const low = Number(stats.min);
    const high = Number(stats.max);
    if (stats.nonNullCount === 0 || !Number.isFinite(low) || !Number.isFinite(high)) return;
    // One distinct value: one bucket holding it, rather than 20 buckets of width 0.
    if (low === high) stats.histogram = [{ lowerBound: low, upperBound: high, count: stats.nonNullCount }];
    else plans.push({ feature: i, low, high, width: bucketWidth(low, high) });
  });
  if (plans.length === 0) return;

  const keys = plans.map((_, p) => `_k${p}`);
  const keyed = plans.map((plan, p) => `${bucketExpression(quoteIdentifier(described[plan.feature]!.name), plan)} AS ${keys[p]}`);
  const setId = `CASE ${keys.map((k, p) => `WHEN GROUPING(${k}) = 0 THEN ${p}`).join(' ')} END`;
  const sql =
    `SELECT ${setId}, ${keys.join(', ')}, count(*) FROM (SELECT ${keyed.join(', ')} FROM ${source}) ` +
    `GROUP BY GROUPING SETS (${keys.map((k) => `(${k})`).join(', ')})`;
  const result = await run(connection, sql, paths);
  const buckets = plans.map(bucketsOf);
  for (const row of result.getRows()) {
    const p = Number(row[0]);
    const bucket = row[1 + p];
    // A null bucket is the feature's null values (in this grouping, not another one's): not part of the histogram.
    if (bucket === null) continue;
    const b = Math.min(HISTOGRAM_BUCKETS - 1, Math.max(0, Number(bucket)));
    buckets[p]![b]!.count += Number(row[1 + plans.length]);
  }
  plans.forEach((plan, p) => {
    statistics[plan.feature]!.histogram = buckets[p]!;
  });
}

function bucketWidth(low: number, high: number): number {
  const width = (high - low) / HISTOGRAM_BUCKETS;
  // A range wider than the largest double (from -1e308 to 1e308) is measured in halves.
  return Number.isFinite(width) ? width : (high / 2 - low / 2) / (HISTOGRAM_BUCKETS / 2);
}

/**
 * The bucket of a value: floor((x - low) / width), null for null. The maximum gives HISTOGRAM_BUCKETS, and double
 * rounding may put a value a hair outside: the reader clamps those into the first or last bucket (in SQL, LEAST and
 * GREATEST would also turn null into a bucket, as they skip nulls).
 */
function bucketExpression(column: string, { low, high, width }: HistogramPlan): string {
  const x = `CAST(${column} AS DOUBLE)`;
  const offset = Number.isFinite(high - low) ? `(${x} - ${doubleLiteral(low)})` : `(${x} / 2 - ${doubleLiteral(low / 2)}) * 2`;
  return `CAST(FLOOR(${offset} / ${doubleLiteral(width)}) AS INTEGER)`;
}

/** A double as SQL that DuckDB reads back to the same double: JavaScript's shortest round-trip text, cast. */
function doubleLiteral(value: number): string {
  return `CAST('${String(value)}' AS DOUBLE)`;
}

function bucketsOf({ low, high, width }: HistogramPlan): HistogramBucket[] {
  const buckets: HistogramBucket[] = [];
  for (let b = 0; b < HISTOGRAM_BUCKETS; b++) {
    buckets.push({ lowerBound: low + b * width, upperBound: b === HISTOGRAM_BUCKETS - 1 ? high : low + (b + 1) * width, count: 0 });
  }
  return buckets;
}

// ---- query 3: value frequencies (top values, exact uniqueness) ----------------------------------------------------

async function computeValueFrequencies(
  connection: DuckDBConnection,
  f: Feature,
  stats: FeatureStatistics,
  files: string,
  exactUniqueness: boolean,
  paths: readonly string[],
): Promise<void> {
  const topValues = hasTopValues(f.type);
  if (topValues) stats.topValues = [];
  if (exactUniqueness) Object.assign(stats, { distinct: 0, distinctness: null, uniqueness: null, entropy: null });
  // Nothing to count in an all-null feature (which may also be a feature none of the files has).
  if ((!topValues && !exactUniqueness) || stats.nonNullCount === 0) return;

  const column = quoteIdentifier(f.name);
  const groups = `SELECT ${column} AS v, count(*) AS n FROM ${files} WHERE ${column} IS NOT NULL GROUP BY ${column}`;
  // Ties are broken by value, so the same data always gives the same top values.
  const top = `ORDER BY n DESC, v LIMIT ${TOP_VALUES_LIMIT}`;
  // Distinct values, values seen once, and Σ n·ln(n) for the entropy: over all groups, before the top-N cut.
  const uniqueness = (over: string) => `count(*)${over}, sum(CASE WHEN n = 1 THEN 1 ELSE 0 END)${over}, sum(n * ln(n))${over}`;
  let sql: string;
  if (!exactUniqueness) sql = `${groups} ${top}`;
  else if (!topValues) sql = `SELECT ${uniqueness('')} FROM (${groups})`;
  else sql = `SELECT v, n, ${uniqueness(' OVER ()')} FROM (${groups}) ${top}`;
  const result = await run(connection, sql, paths);
  const types = result.columnTypes();
  const converters = types.map((type, c) => fromDuckDBValueConverter(type, `${f.name} frequencies ${c}`));
  const rows = result.getRows().map((row) => row.map((value, c) => converters[c]!(value)));

  if (topValues) stats.topValues = rows.map((row) => ({ value: shortened(toJsonSafeValue(f.type, row[0])), count: Number(row[1]) }));
  if (exactUniqueness && rows.length > 0) {
    const [distinct, unique, nLnN] = rows[0]!.slice(topValues ? 2 : 0).map(Number) as [number, number, number];
    const n = stats.nonNullCount;
    stats.distinct = distinct;
    stats.distinctness = distinct / n;
    stats.uniqueness = unique / n;
    // H = -Σ (c/n) ln(c/n) = ln(n) - Σ c ln(c) / n; clamped at 0 where rounding leaves a tiny negative.
    stats.entropy = Math.max(0, Math.log(n) - nLnN / n);
  }
}

function shortened(value: JsonValue): JsonValue {
  if (typeof value !== 'string' || value.length <= TOP_VALUE_MAX_CHARS) return value;
  return `${value.slice(0, TOP_VALUE_MAX_CHARS)}…`;
}
