import type { JsonValue } from '../types/json-safe-value.js';
import type { StatisticsConfig } from './statistics-config.js';

/**
 * Descriptive statistics of a feature group's offline data as of one commit (HSFS `Statistics`). Everything is
 * JSON-safe (see toJsonSafeValue): the object is stored as JSON and served over HTTP as it is.
 */
export interface FeatureGroupStatistics {
  /** When the statistics were computed, epoch milliseconds. */
  computedAt: number;
  /** Rows of the table. */
  rowCount: number;
  /** The configuration they were computed with. */
  config: StatisticsConfig;
  /** One entry per described feature, in feature order. */
  features: FeatureStatistics[];
}

/** One equal-width bucket `[lowerBound, upperBound)`; the last bucket includes its upper bound (the maximum). */
export interface HistogramBucket {
  lowerBound: number;
  upperBound: number;
  count: number;
}

export interface TopValue {
  value: JsonValue;
  count: number;
}

/**
 * Statistics of one feature. Which fields are present depends on the type:
 * - every type: count, nullCount, nonNullCount, completeness, approxDistinct
 * - int, bigint, float, double, decimal: min, max, mean, stddev, histogram (when enabled), correlations (when enabled)
 * - date, timestamp: min, max
 * - string: minLength, maxLength, topValues; boolean: topValues
 * - with exactUniqueness: distinct, distinctness, uniqueness, entropy
 * A statistic over no non-null value (min of an all-null column) is null.
 */
export interface FeatureStatistics {
  feature: string;
  /** The feature type in its HSFS text form (`decimal(10,2)`). */
  type: string;
  /** Rows, nulls included. */
  count: number;
  nullCount: number;
  nonNullCount: number;
  /** nonNullCount / count; null for an empty table. */
  completeness: number | null;
  /** HyperLogLog estimate of distinct non-null values (DuckDB approx_count_distinct), capped at nonNullCount. */
  approxDistinct: number;
  /** Exact, in the feature's JSON-safe form: decimals as exact text, bigints past 2^53 as text, dates, ISO timestamps. */
  min?: JsonValue;
  max?: JsonValue;
  mean?: number | null;
  /** Population standard deviation, as Deequ (HSFS's statistics engine) computes it. */
  stddev?: number | null;
  minLength?: number | null;
  maxLength?: number | null;
  histogram?: HistogramBucket[];
  /** The most frequent non-null values, most frequent first (ties by value), at most TOP_VALUES_LIMIT. */
  topValues?: TopValue[];
  distinct?: number;
  /** distinct / nonNullCount. */
  distinctness?: number | null;
  /** Values that occur exactly once / nonNullCount (Deequ's uniqueness). */
  uniqueness?: number | null;
  /** Shannon entropy (natural log) of the value frequencies among non-null values. */
  entropy?: number | null;
  /** Pearson correlation with each other described numeric feature; null where it is undefined (a constant column). */
  correlations?: Record<string, number | null>;
}

export const HISTOGRAM_BUCKETS = 20;
export const TOP_VALUES_LIMIT = 10;
/** Top values longer than this are cut (with a trailing `…`): statistics stay small enough for one metadata row. */
export const TOP_VALUE_MAX_CHARS = 1024;
