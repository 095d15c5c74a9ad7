import { InvalidArgumentError } from '../../errors/humle-error.js';
import { TrainingDatasetNotFoundError } from '../../errors/featurestore-errors.js';
import { OFFLINE_DATA_POLICY } from '../feature-store.js';
import type { FeatureStoreContext } from '../featurestore-context.js';
import { PART_NAMES, requestedSplit, splitPlan, timeOption, type RandomSplitOptions, type SplitKind, type SplitPlan, type TimeLike, type TimeSplitOptions } from '../featureview/data-split.js';
import type { FeatureViewRecord } from '../featureview/feature-view-records.js';
import { viewStatement, type ColumnRole, type ViewAnswerStatement, type ViewReadOptions, type ViewRowSink } from '../featureview/view-read.js';
import { withDuckDBConnection } from '../offline/duckdb/duckdb-instance.js';
import { streamDuckDBRows } from '../offline/duckdb/duckdb-result-rows.js';
import { duckDBColumnType } from '../offline/duckdb/duckdb-column-type.js';
import { quoteIdentifier, quoteStringLiteral } from '../offline/duckdb/duckdb-sql-quoting.js';
import { SPLIT_COLUMN } from '../records/view-row-table.js';
import { checked } from '../query/filter.js';
import { currentRecords } from '../query/query-inputs.js';
import type { QueryPlan } from '../query/query-plan.js';
import type { OutputColumn } from '../query/resolved-query.js';
import { computeTransformationStatistics, type TransformationStatistics } from '../transformation/transformation-statistics.js';
import type { ViewTransformations } from '../transformation/view-transformations.js';
import { trainingDatasetReadFailure } from './damaged-training-dataset-files.js';
import { partRelation, removeStaged, writePart, type WrittenPart } from './training-dataset-files.js';
import { TrainingDatasetRecords, type TrainingDatasetFormat, type TrainingDatasetRecord } from './training-dataset-records.js';

const FORMATS: readonly TrainingDatasetFormat[] = ['parquet', 'csv', 'json'];

/** What `fv.createTrainingData` takes (HSFS `create_training_data` / `create_train_test_split` / `create_train_validation_test_split`). */
export interface CreateTrainingDataOptions
  extends Omit<ViewReadOptions, 'spine' | 'dataframe' | 'exactTimestamps'>,
    Partial<RandomSplitOptions>,
    TimeSplitOptions {
  /** Default parquet. */
  format?: TrainingDatasetFormat;
  description?: string;
  validationSize?: number;
  validationStart?: TimeLike;
  validationEnd?: TimeLike;
  /** Also write the training helper columns among the features (default false). */
  trainingHelperColumns?: boolean;
}

/** A training dataset as `fv.getTrainingDatasets()` lists it. */
export interface TrainingDatasetInfo {
  version: number;
  description: string;
  format: TrainingDatasetFormat;
  /** Its directory in humle fs. */
  location: string;
  /** Each part's rows and files (humle fs paths), in train, validation, test order; one part `train` when unsplit. */
  splits: { name: (typeof PART_NAMES)[number]; rowCount: number; files: string[] }[];
  split: SplitPlan;
  /** Feature group name:version → the commit id read (-1: the group had no commit). */
  commits: Record<string, number>;
  /** The columns of the files: features, labels, then input-only columns (on-demand features' and transformations'). */
  columns: { features: string[]; labels: string[]; inputs: string[] };
  statistics: TransformationStatistics;
  creator: string;
  createdAt: Date;
}

/**
 * A view's materialized training datasets (HSFS TrainingDataset): immutable, versioned files in humle fs under
 * `/Projects/<p>/<p>_Training_Datasets/<view>_<viewVersion>_<version>/` (a directory per split, or one named after
 * the dataset when unsplit), recorded with the commits they read, their split, their columns and the statistics of
 * their train split that the view's transformations use. The files hold the untransformed columns — user
 * transformation functions are TypeScript, and a dataset of millions of rows is written by DuckDB without passing
 * through JavaScript — and reading a dataset back applies the transformations with the recorded statistics.
 */
export class TrainingDatasets {
  private readonly records = new TrainingDatasetRecords();

  constructor(
    private readonly ctx: FeatureStoreContext,
    private readonly view: FeatureViewRecord,
    /** The project's training datasets directory. */
    private readonly directory: string,
    /** Who the datasets it creates are recorded as created by (see FeatureStore.creator). */
    private readonly creator: string,
  ) {}

  async create(options: CreateTrainingDataOptions, role: (column: OutputColumn) => ColumnRole, transformations: ViewTransformations): Promise<TrainingDatasetInfo> {
    if (typeof options !== 'object' || options === null) throw new InvalidArgumentError('options must be an object', {});
    const format = options.format ?? 'parquet';
    if (!FORMATS.includes(format)) throw new InvalidArgumentError(`format is one of ${FORMATS.join(', ')}`, { format: String(format) });
    if (options.description !== undefined && typeof options.description !== 'string') throw new InvalidArgumentError('description must be a string', {});
    const split = splitOf(options);
    const pinned = await this.pinnedQuery();
    const version = (await this.ctx.engine.read((tx) => this.records.latestVersion(tx, this.view.id))) + 1;
    const name = `${this.view.name}_${this.view.version}_${version}`;
    const location = `${this.directory}/${name}`;
    const parts = partsOf(split);
    const partDirectory = (part: number) => `${location}/${split.kind === 'none' ? name : PART_NAMES[part]}`;

    const staged: string[] = [];
    const written: WrittenPart[] = [];
    try {
      const { columns, rowCounts, statistics } = await withDuckDBConnection(async (connection) => {
        const read = await viewStatement(this.ctx, connection, { ...this.view, query: pinned.query }, options, role, split);
        // One run of the joins for every part and the statistics; DuckDB spills the table to disk when it must.
        await connection.run(`CREATE TEMPORARY TABLE "humle_td" AS ${read.materialize.statement}`).catch(async (error: Error) => {
          throw await read.failure(error);
        });
        try {
          const all = [...read.features, ...read.labels, ...read.inputs];
          const named = all.map((f, k) => `${quoteIdentifier(`c${k}`)} AS ${quoteIdentifier(f.name)}`).join(', ');
          const counts = (await connection.runAndReadAll('SELECT "__part", count(*) FROM "humle_td" GROUP BY "__part"')).getRowsJS();
          const rowCounts = [0, 0, 0];
          for (const [part, count] of counts) rowCounts[Number(part)] = Number(count);
          const statistics = await computeTransformationStatistics(connection, `(SELECT ${named} FROM "humle_td" WHERE "__part" = 0)`, transformations.statistics);
          for (const part of parts) {
            const select = `SELECT ${named} FROM "humle_td" WHERE "__part" = ${part} ORDER BY ${read.materialize.order}`;
            written.push(await writePart(this.ctx, connection, select, format, part, partDirectory(part), staged));
          }
          return { columns: { features: read.features, labels: read.labels, inputs: read.inputs }, rowCounts, statistics };
        } finally {
          await connection.run('DROP TABLE IF EXISTS "humle_td"');
        }
      });
      await removeStaged(staged);
      await this.ctx.fs.mkdirs(this.directory);
      await this.ctx.fs.setStoragePolicy(this.directory, OFFLINE_DATA_POLICY);
      for (const part of parts) await this.ctx.fs.mkdirs(partDirectory(part));
      const window = (value: TimeLike | undefined, what: string) => {
        const micros = timeOption(value, what);
        return micros === null ? null : String(micros);
      };
      const record: TrainingDatasetRecord = {
        featureViewId: this.view.id,
        version,
        description: options.description ?? '',
        format,
        location,
        query: pinned.query,
        readOptions: {
          startTime: window(options.startTime, 'startTime'),
          endTime: window(options.endTime, 'endTime'),
          extraFilter: options.extraFilter === undefined ? null : checked(options.extraFilter).plan,
          primaryKey: options.primaryKey === true,
          eventTime: options.eventTime === true,
          trainingHelperColumns: options.trainingHelperColumns === true,
        },
        split,
        columns,
        commits: pinned.commits,
        statistics,
        rowCounts,
        files: written.flatMap((w) => w.files.map((f) => ({ part: w.part, path: f.path, blockId: f.block.blockId, length: f.block.length, checksum: f.block.checksum }))),
        creator: this.creator,
        createdAt: Date.now(),
      };
      await this.ctx.fs.transaction({ files: record.files.length }, async (ftx) => {
        for (const w of written) for (const f of w.files) await ftx.createFileFromBlocks(f.path, [f.block]);
        await this.records.insert(ftx.tx, record);
      });
      return this.info(record);
    } catch (error) {
      await removeStaged(staged);
      // The dataset's blocks were in no committed transaction: nothing refers to them.
      await this.ctx.fs.blockStore.delete(written.flatMap((w) => w.files.map((f) => f.block.blockId))).catch(() => undefined);
      throw error;
    }
  }

  async get(version: number): Promise<TrainingDatasetRecord> {
    if (!Number.isSafeInteger(version) || version < 1) throw new InvalidArgumentError('a training dataset version is a positive integer', { version });
    const record = await this.ctx.engine.read((tx) => this.records.find(tx, this.view.id, version));
    if (record === undefined) throw this.notFound(version);
    return record;
  }

  /** The given version, or the newest when it is undefined; TrainingDatasetNotFoundError when there is none. */
  async getOrNewest(version: number | undefined): Promise<TrainingDatasetRecord> {
    if (version !== undefined) return this.get(version);
    const newest = await this.ctx.engine.read((tx) => this.records.newest(tx, this.view.id));
    if (newest === undefined) {
      throw new TrainingDatasetNotFoundError(
        `feature view ${this.view.name} version ${this.view.version} has no training dataset: its transformations take their statistics from one (fv.createTrainingData)`,
        { featureView: this.view.name, version: this.view.version },
      );
    }
    return newest;
  }

  async list(): Promise<TrainingDatasetInfo[]> {
    return (await this.ctx.engine.read((tx) => this.records.list(tx, this.view.id))).map((r) => this.info(r));
  }

  /** The dataset's rows as its files hold them, by part. */
  async read(record: TrainingDatasetRecord, sink: ViewRowSink): Promise<void> {
    const { features, labels, inputs } = record.columns;
    const columns = [...features, ...labels, ...inputs];
    await withDuckDBConnection(async (connection) => {
      for (const part of [0, 1, 2]) {
        const files = record.files.filter((f) => f.part === part);
        const relation = partRelation(this.ctx, record.format, files, columns);
        if (relation === undefined) continue;
        const failure = (error: Error) => trainingDatasetReadFailure(this.ctx.fs.blockStore, files, error);
        for await (const batch of streamDuckDBRows(connection, `SELECT * FROM ${relation}`, failure)) {
          for (const row of batch.rows) sink(row, part);
        }
      }
    });
  }

  /**
   * The dataset's rows as one statement for a reader elsewhere (the server's answer workers), as viewAnswerStatement
   * makes a view read's: `_split` first when the dataset is split, then its features and labels, the parts one after
   * another in part order, each in its files' order (DuckDB keeps the order of a scan and of UNION ALL). Only for a
   * dataset whose rows are answered as stored: one with input columns is transformed on rows (see `read`).
   */
  answerStatement(record: TrainingDatasetRecord): ViewAnswerStatement {
    const { features, labels, inputs } = record.columns;
    if (inputs.length > 0) throw new Error('answerStatement reads no input columns: they are for transformations on rows');
    const columns = [...features, ...labels];
    const split = record.split.kind !== 'none';
    const splitName = (name: string) => (split ? [`${name} AS ${quoteIdentifier(SPLIT_COLUMN.name)}`] : []);
    const selects = partsOf(record.split).flatMap((part) => {
      const relation = partRelation(this.ctx, record.format, record.files.filter((f) => f.part === part), columns);
      return relation === undefined ? [] : [`SELECT ${[...splitName(quoteStringLiteral(PART_NAMES[part]!)), '*'].join(', ')} FROM ${relation}`];
    });
    // A dataset without files (no rows) still answers its typed columns.
    const none = `SELECT ${[...splitName('CAST(NULL AS VARCHAR)'), ...columns.map((c) => `CAST(NULL AS ${duckDBColumnType(c.type)}) AS ${quoteIdentifier(c.name)}`)].join(', ')} WHERE false`;
    const sql = selects.length === 0 ? none : selects.join('\nUNION ALL\n');
    const failure = (error: Error) => trainingDatasetReadFailure(this.ctx.fs.blockStore, record.files, error);
    return { statement: { sql, failure }, features, labels };
  }

  /** Deletes the record, then the files (a crash between leaves files that no record names, to delete by hand). */
  async delete(version: number): Promise<void> {
    const record = await this.get(version);
    const deleted = await this.ctx.engine.write((tx) => this.records.delete(tx, this.view.id, version));
    if (!deleted) throw this.notFound(version);
    await this.ctx.fs.delete(record.location, { recursive: true });
  }

  /** Refuses to read a dataset as split otherwise than it was made (train/test from an unsplit one, say). */
  private notFound(version: number): TrainingDatasetNotFoundError {
    return new TrainingDatasetNotFoundError(`feature view ${this.view.name} version ${this.view.version} has no training dataset version ${version}`, {
      featureView: this.view.name,
      version,
    });
  }

  /** The view's query with every group pinned to the commit it reads now, and those commits. */
  private async pinnedQuery(): Promise<{ query: QueryPlan; commits: Record<string, number> }> {
    const records = await currentRecords(this.ctx, this.view.query);
    const commits: Record<string, number> = {};
    const pin = (plan: QueryPlan): QueryPlan => {
      const version = records.get(plan.featureGroup.id)?.deltaVersion ?? -1;
      commits[`${plan.featureGroup.name}:${plan.featureGroup.version}`] = version;
      return { ...plan, asOf: version < 0 ? null : { commit: version }, joins: plan.joins.map((j) => ({ ...j, query: pin(j.query) })) };
    };
    return { query: pin(this.view.query), commits };
  }

  private info(record: TrainingDatasetRecord): TrainingDatasetInfo {
    const parts = partsOf(record.split);
    return {
      version: record.version,
      description: record.description,
      format: record.format,
      location: record.location,
      splits: parts.map((p) => ({ name: PART_NAMES[p]!, rowCount: record.rowCounts[p] ?? 0, files: record.files.filter((f) => f.part === p).map((f) => f.path) })),
      split: record.split,
      commits: record.commits,
      columns: { features: record.columns.features.map((f) => f.name), labels: record.columns.labels.map((f) => f.name), inputs: record.columns.inputs.map((f) => f.name) },
      statistics: record.statistics,
      creator: record.creator,
      createdAt: new Date(record.createdAt),
    };
  }
}

/** The parts a split makes, by index (train 0, validation 1, test 2). */
/** Refuses to read a training dataset with another split than it was made with. */
export function checkDatasetSplit(dataset: { version: number; split: SplitPlan }, wanted: SplitKind): void {
  const has = dataset.split.kind === 'none' ? 'none' : partsOf(dataset.split).includes(1) ? 'trainValidationTest' : 'trainTest';
  if (has !== wanted) {
    throw new InvalidArgumentError(`training dataset ${dataset.version} is split as ${has}, not ${wanted}`, { version: dataset.version, split: has });
  }
}

function partsOf(split: SplitPlan): number[] {
  if (split.kind === 'none') return [0];
  if (split.kind === 'random') return split.validation > 0 ? [0, 1, 2] : [0, 2];
  return split.ranges.flatMap((r, i) => (r === null ? [] : [i]));
}

function splitOf(options: CreateTrainingDataOptions): SplitPlan {
  const kind = requestedSplit(options);
  return kind === 'none' ? { kind: 'none' } : splitPlan(options, kind === 'trainValidationTest');
}
