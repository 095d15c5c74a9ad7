import type { Table } from 'apache-arrow';
import type { FeatureData } from '../featurestore/input/read-feature-data.js';
import type { InsertOperation } from '../ingest/feature-group-writer.js';
import type { VacuumResult } from '../featurestore/offline/table/vacuum.js';
import type { PointInTime } from '../featurestore/offline/table/version-resolution.js';
import type { Query } from '../featurestore/query/query.js';
import type { QueryFeature } from '../featurestore/query/query-feature.js';
import type { RowPresentation } from '../featurestore/records/row-presentation.js';
import type { Feature } from '../featurestore/schema/feature.js';
import type { FeatureGroupStatistics } from '../featurestore/statistics/feature-statistics.js';
import type { StatisticsConfig } from '../featurestore/statistics/statistics-config.js';
import type { FeatureType } from '../featurestore/types/feature-type.js';
import type { ExpectationSuite } from '../featurestore/validation/expectation-suite.js';
import type { IngestionResult } from '../featurestore/validation/validation-policy.js';
import type { StoredValidationReport } from '../featurestore/validation/validation-reports.js';

/** What an insert did (HSFS commit details of one commit). */
export interface CommitDetails {
  commitId: number;
  committedOn: Date;
  operation: string;
  rowsInserted: number;
  rowsUpdated: number;
  rowsDeleted: number;
}

export interface ReadOptions extends RowPresentation {
  /** The snapshot as of this commit id or time; the latest by default. */
  asOf?: PointInTime;
}

export interface InsertOptions {
  /** `upsert` (default) replaces records with the same key; `insert` refuses keys that exist (DuplicateRecordError). */
  operation?: InsertOperation;
  /** Return once the commit's statistics are stored (they are computed after the commit, in the background). */
  wait?: boolean;
}

/** Statistics of one commit's snapshot. */
export type CommitStatistics = FeatureGroupStatistics & { commitId: number };

/**
 * A feature group version (HSFS `FeatureGroup`), embedded or on a server: an online table with the latest row per
 * primary key and an offline Delta table with every commit, written together by `insert`. Reads present values as
 * the embedded SDK does (timestamps as Dates or, with `exactTimestamps`, exact microseconds; bigints past 2^53 as
 * bigints; decimals as exact text).
 */
export interface FeatureGroup {
  readonly id: number;
  readonly name: string;
  readonly version: number;
  readonly description: string;
  /** The schema; empty until the first insert when it is inferred from data. */
  readonly features: readonly Feature[];
  readonly primaryKey: readonly string[];
  readonly eventTime: string | null;
  readonly partitionKey: readonly string[];
  readonly onlineEnabled: boolean;
  readonly statisticsConfig: StatisticsConfig;
  readonly expectationSuite: ExpectationSuite;
  readonly creator: string;
  readonly createdAt: Date;
  /** The offline table's directory in humle fs (a Delta table). */
  readonly location: string;
  /** The online table's name in the database; null when the group is offline only. */
  readonly onlineTable: string | null;

  /** A feature with the predicates that build query filters: `fg.feature('amount').gt(10)`. */
  feature(name: string): QueryFeature;
  /** A query of every feature (HSFS `select_all`). */
  selectAll(): Query;
  /** A query of these features, in this order. */
  select(features: readonly string[]): Query;
  /** A query of every feature but these. */
  selectExcept(features: readonly string[]): Query;

  /**
   * Inserts rows (objects, an Arrow table, or a CSV / NDJSON / Parquet file path) as one commit; a bad row anywhere
   * changes nothing (InvalidFeatureDataError naming row, column and reason).
   */
  insert(data: FeatureData, options?: InsertOptions): Promise<CommitDetails>;
  /** Deletes records by key as one commit (HSFS `delete_records`); undefined when no key matched. */
  removeRows(keys: readonly Record<string, unknown>[]): Promise<CommitDetails | undefined>;
  /** Adds nullable features (HSFS `append_features`): existing rows read them as null. */
  appendFeatures(features: { name: string; type: string | FeatureType; description?: string }[]): Promise<void>;
  /** Merges small data files (Delta OPTIMIZE); undefined when there was nothing to merge. */
  compact(): Promise<CommitDetails | undefined>;
  /** Deletes data files only versions older than `retain` milliseconds need (Delta VACUUM; default 7 days). */
  vacuum(options?: { retain?: number }): Promise<VacuumResult>;

  /** The offline table as of a commit (the latest by default): rows as objects, or an apache-arrow Table. */
  read(options: ReadOptions & { dataframe: 'arrow' }): Promise<Table>;
  read(options?: ReadOptions & { dataframe?: 'rows' }): Promise<Record<string, unknown>[]>;
  /** The snapshot at `end`, or with `excludeUntil` what changed after it up to `end` (HSFS `as_of`). */
  asOf(end: PointInTime, options?: RowPresentation & { excludeUntil?: PointInTime }): Promise<Record<string, unknown>[]>;
  /** Changes in the commits after `start` up to and including `end`, with `_change_type` and `_commit_version`. */
  readChanges(start: PointInTime, end: PointInTime, options?: RowPresentation): Promise<Record<string, unknown>[]>;
  /** The newest commits first (HSFS `commit_details`), keyed by commit id. */
  commitDetails(options?: { limit?: number }): Promise<Record<number, Omit<CommitDetails, 'commitId'>>>;

  /** A commit's statistics (the latest commit's by default); undefined when it has none (yet). */
  getStatistics(options?: { asOf?: PointInTime }): Promise<CommitStatistics | undefined>;
  /** Computes the statistics of the latest commit now; undefined before the first commit. */
  computeStatistics(): Promise<CommitStatistics | undefined>;
  /** Validation reports of inserts, newest first (HSFS `get_validation_history`). */
  getValidationHistory(options?: { limit?: number; ingestionResult?: IngestionResult }): Promise<StoredValidationReport[]>;

  /** The online row of one primary key (an object of the key features, or the value of a one-feature key). */
  getOnline(key: unknown, options?: RowPresentation): Promise<Record<string, unknown> | undefined>;
  /** The online rows of many keys, in request order (undefined where missing). */
  getOnlineBatch(keys: readonly unknown[], options?: RowPresentation): Promise<(Record<string, unknown> | undefined)[]>;

  addTag(name: string, value: unknown): Promise<void>;
  getTags(): Promise<Record<string, unknown>>;
  getTag(name: string): Promise<unknown>;
  /** Removes a tag; whether it was set. */
  deleteTag(name: string): Promise<boolean>;

  /** Deletes the version: metadata, offline and online tables (FeatureGroupInUseError while views read it). */
  delete(): Promise<void>;
  toJSON(): Record<string, unknown>;
}

export type { PointInTime };
