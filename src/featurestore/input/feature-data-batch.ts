import type { FeatureType } from '../types/feature-type.js';
import type { ValueSource } from '../types/value-coercion.js';

/** Rows read from one input, ready for validateRows (with `source`) and, for a new feature group, inferFeatures. */
export interface FeatureDataBatch {
  rows: Record<string, unknown>[];
  /** How validateRows must read the values: `js` for JavaScript values, `text` for CSV and NDJSON values. */
  source: ValueSource;
  /** Index of the batch's first row in the whole input: pass it as validateRows' `rowOffset`. */
  offset: number;
  /** For rows read from a text file (CSV, NDJSON): the 1-based line each row starts on, for errors to name. */
  lines?: number[];
  /**
   * The column types the input declares (Arrow and Parquet schemas), for inferFeatures' `types`: they tell int
   * from bigint, float from double, decimals, dates and timestamps, which the JavaScript values alone cannot.
   */
  types?: ReadonlyMap<string, FeatureType>;
}

/** Files are read in batches of at most this many rows, so a large file never sits in memory as objects at once. */
export const FILE_BATCH_ROWS = 50_000;

export interface ReadOptions {
  /** Rows per batch for files and Arrow tables (default 50,000). */
  batchRows?: number;
}
