import type { Transaction } from '../../db/engine.js';
import type { FilterPlan, QueryPlan } from '../query/query-plan.js';
import type { Feature } from '../schema/feature.js';
import type { TransformationStatistics } from '../transformation/transformation-statistics.js';
import type { SplitPlan } from '../featureview/data-split.js';

export type TrainingDatasetFormat = 'parquet' | 'csv' | 'json';

/** A file of a split: its humle fs path and its one block, which DuckDB reads in place. */
export interface TrainingDatasetFile {
  part: number;
  path: string;
  blockId: number;
  /**
   * The block's length and CRC32C as written, so a failed read can tell a damaged file; absent in datasets made
   * before they were recorded (those are checked for a missing block only).
   */
  length?: number;
  checksum?: number;
}

/** The read a dataset was made by, beyond the pinned query: what the caller gave. */
export interface TrainingDatasetReadOptions {
  /** Event time window in microseconds (JSON: as text, bigints allowed). */
  startTime: string | null;
  endTime: string | null;
  extraFilter: FilterPlan | null;
  primaryKey: boolean;
  eventTime: boolean;
  trainingHelperColumns: boolean;
}

/** A materialized training dataset version as the metadata database holds it. */
export interface TrainingDatasetRecord {
  featureViewId: number;
  version: number;
  description: string;
  format: TrainingDatasetFormat;
  /** Its directory in humle fs. */
  location: string;
  /** The view's query pinned to the commits read. */
  query: QueryPlan;
  readOptions: TrainingDatasetReadOptions;
  split: SplitPlan;
  /** The files' columns: features, labels, then columns kept only as inputs of on-demand features and transformations. */
  columns: { features: Feature[]; labels: Feature[]; inputs: Feature[] };
  /** Feature group id → the Delta version (commit id) read; -1 for a group without commits. */
  commits: Record<string, number>;
  statistics: TransformationStatistics;
  /** Rows per part, in SplitPlan order. */
  rowCounts: number[];
  files: TrainingDatasetFile[];
  creator: string;
  createdAt: number;
}

const COLUMNS = 'fv_id, version, description, data_format, location, query, read_options, split, columns, commits, statistics, row_counts, files, creator, created_at';

interface Row {
  fv_id: number;
  version: number;
  description: string;
  data_format: string;
  location: string;
  query: string;
  read_options: string;
  split: string;
  columns: string;
  commits: string;
  statistics: string;
  row_counts: string;
  files: string;
  creator: string;
  created_at: number;
}

function fromRow(row: Row): TrainingDatasetRecord {
  return {
    featureViewId: Number(row.fv_id),
    version: Number(row.version),
    description: row.description,
    format: row.data_format as TrainingDatasetFormat,
    location: row.location,
    query: JSON.parse(row.query) as QueryPlan,
    readOptions: JSON.parse(row.read_options) as TrainingDatasetReadOptions,
    split: JSON.parse(row.split) as SplitPlan,
    columns: JSON.parse(row.columns) as TrainingDatasetRecord['columns'],
    commits: JSON.parse(row.commits) as Record<string, number>,
    statistics: JSON.parse(row.statistics) as TransformationStatistics,
    rowCounts: JSON.parse(row.row_counts) as number[],
    files: JSON.parse(row.files) as TrainingDatasetFile[],
    creator: row.creator,
    createdAt: Number(row.created_at),
  };
}

/** The SQL for `fv_training_datasets`. */
export class TrainingDatasetRecords {
  async insert(tx: Transaction, r: TrainingDatasetRecord): Promise<void> {
    await tx.run(`INSERT INTO fv_training_datasets (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, [
      r.featureViewId,
      r.version,
      r.description,
      r.format,
      r.location,
      JSON.stringify(r.query),
      JSON.stringify(r.readOptions),
      // Time ranges of a split may be bigint microseconds: kept as text, read back by timeOption as it takes text.
      JSON.stringify(r.split, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)),
      JSON.stringify(r.columns),
      JSON.stringify(r.commits),
      JSON.stringify(r.statistics),
      JSON.stringify(r.rowCounts),
      JSON.stringify(r.files),
      r.creator,
      r.createdAt,
    ]);
  }

  async find(tx: Transaction, featureViewId: number, version: number): Promise<TrainingDatasetRecord | undefined> {
    const row = await tx.get<Row>(`SELECT ${COLUMNS} FROM fv_training_datasets WHERE fv_id = ? AND version = ?`, [featureViewId, version]);
    return row === undefined ? undefined : fromRow(row);
  }

  /** The newest version, or undefined when the view has none. */
  async newest(tx: Transaction, featureViewId: number): Promise<TrainingDatasetRecord | undefined> {
    const row = await tx.get<Row>(`SELECT ${COLUMNS} FROM fv_training_datasets WHERE fv_id = ? ORDER BY version DESC LIMIT 1`, [featureViewId]);
    return row === undefined ? undefined : fromRow(row);
  }

  async list(tx: Transaction, featureViewId: number): Promise<TrainingDatasetRecord[]> {
    return (await tx.all<Row>(`SELECT ${COLUMNS} FROM fv_training_datasets WHERE fv_id = ? ORDER BY version`, [featureViewId])).map(fromRow);
  }

  async latestVersion(tx: Transaction, featureViewId: number): Promise<number> {
    const row = await tx.get<{ v: number | null }>('SELECT MAX(version) AS v FROM fv_training_datasets WHERE fv_id = ?', [featureViewId]);
    return row?.v === null || row?.v === undefined ? 0 : Number(row.v);
  }

  async delete(tx: Transaction, featureViewId: number, version: number): Promise<boolean> {
    return (await tx.run('DELETE FROM fv_training_datasets WHERE fv_id = ? AND version = ?', [featureViewId, version])).changes > 0;
  }
}
