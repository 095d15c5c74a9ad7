import type { Table } from 'apache-arrow';
import type {
  BatchDataOptions,
  FeatureView as FeatureViewInterface,
  FeatureViewFeature,
  Rows,
  TrainingData,
  TrainingDataOptions,
  TrainingDatasetReadOptions,
  TrainTestSplitOptions,
  TrainValidationTestSplitOptions,
} from '../../sdk/feature-view.js';
import { FeatureViewNotFoundError } from '../../errors/featurestore-errors.js';
import type { FeatureStore } from '../feature-store.js';
import type { FeatureStoreContext } from '../featurestore-context.js';
import type { FeatureGroupRecord } from '../metadata/feature-group-records.js';
import { Query } from '../query/query.js';
import type { OutputColumn } from '../query/resolved-query.js';
import type { OfflineColumn } from '../offline/offline-column.js';
import { PART_NAMES, splitPlan, TEST, TRAIN, VALIDATION, type SplitKind, type SplitPlan } from './data-split.js';
import { FeatureViewRecords, type FeatureViewRecord, type TransformationFunctionSpec } from './feature-view-records.js';
import { featureViewFeatures } from './view-columns.js';
import { readView, readViewTables, viewAnswerStatement, type ColumnRole, type ViewAnswerStatement, type ViewReadOptions } from './view-read.js';
import { ViewReadParts, type PartsForm } from './view-read-parts.js';
import { HumleError, InvalidArgumentError } from '../../errors/humle-error.js';
import { trainingDatasetsDirectory } from '../project/project-name.js';
import { checkDatasetSplit, TrainingDatasets, type CreateTrainingDataOptions, type TrainingDatasetInfo } from '../trainingdataset/training-datasets.js';
import { FeatureTransformer } from '../transformation/feature-transformer.js';
import type { OnDemandFeatureSpec } from '../transformation/on-demand-feature.js';
import { computeTransformationStatistics, type TransformationStatistics } from '../transformation/transformation-statistics.js';
import { viewTransformations, type ViewTransformations } from '../transformation/view-transformations.js';
import { quoteIdentifier } from '../offline/duckdb/duckdb-sql-quoting.js';
import { initServing, type ServingOptions } from '../serving/init-serving.js';
import type { FeatureVectorOptions, FeatureVectorsOptions, VectorOf, VectorReadOptions, VectorReturnType, VectorServer, VectorWithStatus } from '../serving/vector-server.js';

/** What `fv.transformer` takes. */
export interface TransformerOptions {
  /** The training dataset whose statistics the transformations use; default the newest (needed only when a transformation uses statistics). */
  trainingDatasetVersion?: number;
  /** The columns of the vectors it will take, in order; default the view's columns without labels, in query order. */
  features?: readonly string[];
}

/**
 * A feature view version (HSFS `FeatureView`): a named, immutable query over feature groups with its labels. It
 * gives training data (point-in-time correct, optionally over a spine, split at random or by time) and batch data
 * for scoring, read from the offline store in DuckDB.
 */
export class FeatureView implements FeatureViewInterface {
  /** The view's query over the groups' current metadata. */
  readonly query: Query;
  private serving: Promise<VectorServer> | undefined;

  constructor(
    private readonly ctx: FeatureStoreContext,
    readonly featureStore: FeatureStore,
    private readonly record: FeatureViewRecord,
    records: ReadonlyMap<number, FeatureGroupRecord>,
  ) {
    this.query = new Query(ctx.queries, record.query, records);
  }

  get id(): number {
    return this.record.id;
  }
  get name(): string {
    return this.record.name;
  }
  get version(): number {
    return this.record.version;
  }
  get description(): string {
    return this.record.description;
  }
  get labels(): readonly string[] {
    return this.record.labels;
  }
  get transformationFunctions(): readonly TransformationFunctionSpec[] {
    return this.record.transformationFunctions;
  }
  get onDemandFeatures(): readonly OnDemandFeatureSpec[] {
    return this.record.onDemandFeatures;
  }
  get inferenceHelperColumns(): readonly string[] {
    return this.record.inferenceHelperColumns;
  }
  get trainingHelperColumns(): readonly string[] {
    return this.record.trainingHelperColumns;
  }
  get creator(): string {
    return this.record.creator;
  }
  get createdAt(): Date {
    return new Date(this.record.createdAt);
  }

  /** Every column of the view's query, labels and helper columns included, in order. */
  get features(): FeatureViewFeature[] {
    return featureViewFeatures(this.query, this.record);
  }

  /**
   * Training data in memory (HSFS `training_data`): features and labels of every left row, or spine row, whose event
   * time is in [startTime, endTime), with each joined feature as of that event time. Rows come in event time order.
   */
  async trainingData(options: TrainingDataOptions & { dataframe: 'arrow' }): Promise<TrainingData<Table>>;
  async trainingData(options?: TrainingDataOptions & { dataframe?: 'rows' }): Promise<TrainingData<Rows>>;
  async trainingData(options: TrainingDataOptions = {}): Promise<TrainingData<Rows | Table>> {
    const part = await this.read(options, this.trainingRole(options), { kind: 'none' }, 'fit');
    return part(TRAIN);
  }

  /**
   * Training data split in two (HSFS `train_test_split`): at random with `testSize` (deterministic with a `seed`), or
   * by event time with `trainStart`/`trainEnd`/`testStart`/`testEnd` (start inclusive, end exclusive; an omitted
   * bound is open; ranges must not overlap).
   */
  async trainTestSplit(options: TrainTestSplitOptions & { dataframe: 'arrow' }): Promise<{ train: TrainingData<Table>; test: TrainingData<Table> }>;
  async trainTestSplit(options: TrainTestSplitOptions & { dataframe?: 'rows' }): Promise<{ train: TrainingData<Rows>; test: TrainingData<Rows> }>;
  async trainTestSplit(options: TrainTestSplitOptions): Promise<{ train: TrainingData<Rows | Table>; test: TrainingData<Rows | Table> }> {
    const split = splitPlan(options as Parameters<typeof splitPlan>[0], false);
    const part = await this.read(options, this.trainingRole(options), split, 'fit');
    return { train: part(TRAIN), test: part(TEST) };
  }

  /** Training data split in three (HSFS `train_validation_test_split`): sizes or time ranges, as trainTestSplit. */
  async trainValidationTestSplit(
    options: TrainValidationTestSplitOptions & { dataframe: 'arrow' },
  ): Promise<{ train: TrainingData<Table>; validation: TrainingData<Table>; test: TrainingData<Table> }>;
  async trainValidationTestSplit(
    options: TrainValidationTestSplitOptions & { dataframe?: 'rows' },
  ): Promise<{ train: TrainingData<Rows>; validation: TrainingData<Rows>; test: TrainingData<Rows> }>;
  async trainValidationTestSplit(
    options: TrainValidationTestSplitOptions,
  ): Promise<{ train: TrainingData<Rows | Table>; validation: TrainingData<Rows | Table>; test: TrainingData<Rows | Table> }> {
    const split = splitPlan(options as Parameters<typeof splitPlan>[0], true);
    const part = await this.read(options, this.trainingRole(options), split, 'fit');
    return { train: part(TRAIN), validation: part(VALIDATION), test: part(TEST) };
  }

  /**
   * Features for batch scoring (HSFS `get_batch_data`): the features without labels of the left rows (or spine rows)
   * whose event time is in [startTime, endTime), in event time order.
   */
  async getBatchData(options: BatchDataOptions & { dataframe: 'arrow' }): Promise<Table>;
  async getBatchData(options?: BatchDataOptions & { dataframe?: 'rows' }): Promise<Rows>;
  async getBatchData(options: BatchDataOptions = {}): Promise<Rows | Table> {
    const statistics = await this.statisticsFor(options.trainingDatasetVersion);
    const part = await this.read(options, (c) => this.role(c, options, false, options.inferenceHelperColumns === true), { kind: 'none' }, statistics);
    return part(TRAIN).features;
  }

  /**
   * Training data as the server answers it (see viewAnswerStatement): one statement, `_split` first when `split` is
   * not 'none', for a reader elsewhere (the server's answer workers). Null when the read needs JavaScript (on-demand
   * features and transformations run on rows) or a spine (a table of the reading connection): read it as above.
   */
  async trainingDataStatement(options: TrainingDataOptions, split: SplitKind): Promise<ViewAnswerStatement | null> {
    if (!this.readsInDuckDBOnly(options)) return null;
    const plan: SplitPlan = split === 'none' ? { kind: 'none' } : splitPlan(options as Parameters<typeof splitPlan>[0], split === 'trainValidationTest');
    return viewAnswerStatement(this.ctx, this.record, options, this.trainingRole(options), plan, split === 'none' ? null : PART_NAMES);
  }

  /** Batch data as the server answers it, as trainingDataStatement. */
  async batchDataStatement(options: BatchDataOptions): Promise<ViewAnswerStatement | null> {
    if (!this.readsInDuckDBOnly(options)) return null;
    const role = (c: OutputColumn) => this.role(c, options, false, options.inferenceHelperColumns === true);
    return viewAnswerStatement(this.ctx, this.record, options, role, { kind: 'none' }, null);
  }

  /** Whether a read is DuckDB's alone: no spine, and no function of the view runs on its rows. */
  private readsInDuckDBOnly(options: ViewReadOptions): boolean {
    return options.spine === undefined && !this.transformsRows(this.transformations());
  }

  // ---- transformations and training datasets (see transformation/ and trainingdataset/) ---------------------------

  /**
   * The function that turns a raw feature vector into model input, prepared once: on-demand features computed and
   * appended, model-dependent transformations applied with the statistics of a training dataset's train split —
   * the same code and statistics training data went through. See FeatureTransformer.
   */
  async transformer(options: TransformerOptions = {}): Promise<FeatureTransformer> {
    const view = this.transformations();
    const statistics = view.statistics.size === 0 ? {} : (await this.trainingDatasets().getOrNewest(options.trainingDatasetVersion)).statistics;
    const all = this.query.features;
    const names = options.features ?? all.filter((f) => !this.record.labels.includes(f.name)).map((f) => f.name);
    const columns = names.map((name) => {
      const feature = all.find((f) => f.name === name);
      if (feature === undefined) throw new InvalidArgumentError(`${name} is not a column of feature view ${this.name}`, { column: name });
      return feature;
    });
    return new FeatureTransformer({ columns, onDemand: view.onDemand, transformations: view.transformations, statistics });
  }

  /**
   * Materializes a training dataset (HSFS `create_training_data`, `create_train_test_split`,
   * `create_train_validation_test_split`): files written by DuckDB in `format` under the project's training
   * datasets directory, with the commits read, the split and the train split's transformation statistics recorded.
   * Split options as trainTestSplit / trainValidationTestSplit; none gives one unsplit part.
   */
  async createTrainingData(options: CreateTrainingDataOptions = {}): Promise<TrainingDatasetInfo> {
    return this.trainingDatasets().create(options, this.trainingRole(options), this.transformations());
  }

  /** A training dataset's rows, exactly as created, transformed with its statistics (HSFS `get_training_data`). */
  async getTrainingData(version: number, options: TrainingDatasetReadOptions & { dataframe: 'arrow' }): Promise<TrainingData<Table>>;
  async getTrainingData(version: number, options?: TrainingDatasetReadOptions & { dataframe?: 'rows' }): Promise<TrainingData<Rows>>;
  async getTrainingData(version: number, options: TrainingDatasetReadOptions = {}): Promise<TrainingData<Rows | Table>> {
    return (await this.readTrainingDataset(version, 'none', options)).part(TRAIN);
  }

  /** A training dataset made with a train/test split (HSFS `get_train_test_split`). */
  async getTrainTestSplit(version: number, options: TrainingDatasetReadOptions = {}): Promise<{ train: TrainingData<Rows | Table>; test: TrainingData<Rows | Table> }> {
    const parts = await this.readTrainingDataset(version, 'trainTest', options);
    return { train: parts.part(TRAIN), test: parts.part(TEST) };
  }

  /** A training dataset made with a train/validation/test split (HSFS `get_train_validation_test_split`). */
  async getTrainValidationTestSplit(
    version: number,
    options: TrainingDatasetReadOptions = {},
  ): Promise<{ train: TrainingData<Rows | Table>; validation: TrainingData<Rows | Table>; test: TrainingData<Rows | Table> }> {
    const parts = await this.readTrainingDataset(version, 'trainValidationTest', options);
    return { train: parts.part(TRAIN), validation: parts.part(VALIDATION), test: parts.part(TEST) };
  }

  /**
   * A training dataset's rows as the server answers them (see TrainingDatasets.answerStatement): one statement,
   * `_split` first when the dataset is split, for a reader elsewhere (the server's answer workers). Null when the
   * view transforms the rows (on-demand features, transformations run in JavaScript): read it as above.
   */
  async trainingDatasetStatement(version: number): Promise<ViewAnswerStatement | null> {
    if (this.transformsRows(this.transformations())) return null;
    const datasets = this.trainingDatasets();
    return datasets.answerStatement(await datasets.get(version));
  }

  /** The view's training datasets, by version. */
  async getTrainingDatasets(): Promise<TrainingDatasetInfo[]> {
    return this.trainingDatasets().list();
  }

  /** Deletes a training dataset version: its record and its files. */
  async deleteTrainingDataset(version: number): Promise<void> {
    await this.trainingDatasets().delete(version);
  }


  // ---- serving: feature vectors from the online store (src/featurestore/serving) ------------------------------------

  /** Prepares serving (HSFS `init_serving`); the first vector read does it with no options. */
  async initServing(options: ServingOptions = {}): Promise<void> {
    this.serving = undefined;
    await this.server(options);
  }

  private server(options: ServingOptions = {}): Promise<VectorServer> {
    if (this.serving === undefined) {
      const serving = initServing(this.ctx, this.record, options, (columns) => this.servingTransformer(columns, options.trainingDatasetVersion));
      this.serving = serving;
      // A failed preparation is not kept: the next read tries again.
      serving.catch(() => {
        if (this.serving === serving) this.serving = undefined;
      });
    }
    return this.serving;
  }

  /**
   * The view's prepared vector server (made by `initServing`, or now with no options), for serving layers that read
   * its rows themselves: the RonDB-compatible REST API (src/server/rondb).
   */
  vectorServer(): Promise<VectorServer> {
    return this.server();
  }

  /** The transformer serving applies to vectors of these columns; none when the view has no functions. */
  private async servingTransformer(columns: readonly string[], trainingDatasetVersion: number | undefined): Promise<FeatureTransformer | undefined> {
    const view = this.transformations();
    if (!this.transformsRows(view)) return undefined;
    return this.transformer({ features: columns, ...(trainingDatasetVersion === undefined ? {} : { trainingDatasetVersion }) });
  }

  /**
   * The columns of this view's feature vectors, with their types: `lookedUp` as read from the online store (the
   * names passed features replace), `served` as returned (after transformations and on-demand features).
   */
  async featureVectorColumns(): Promise<{ lookedUp: readonly OfflineColumn[]; served: readonly OfflineColumn[] }> {
    const server = await this.server();
    return { lookedUp: server.lookedUpColumns, served: server.servedColumns };
  }

  /** The feature vector of an entry of serving keys (HSFS `get_feature_vector`): features in the view's order, without labels. */
  async getFeatureVector<R extends VectorReturnType = 'list'>(entry: Record<string, unknown>, options: FeatureVectorOptions<R> = {}): Promise<VectorOf<R>> {
    return (await this.getFeatureVectorWithStatus(entry, options)).vector;
  }

  /** Feature vectors of many entries in their order (HSFS `get_feature_vectors`): one statement per 256 entries. */
  async getFeatureVectors<R extends VectorReturnType = 'list'>(entries: readonly Record<string, unknown>[], options: FeatureVectorsOptions<R> = {}): Promise<VectorOf<R>[]> {
    return (await this.getFeatureVectorsWithStatus(entries, options)).map((v) => v.vector);
  }

  /** As getFeatureVector, with the status: MISSING when a feature group had no row (with allowMissing). */
  async getFeatureVectorWithStatus<R extends VectorReturnType = 'list'>(entry: Record<string, unknown>, options: FeatureVectorOptions<R> = {}): Promise<VectorWithStatus<R>> {
    return (await this.server()).vector<R>(entry, options, options.passedFeatures);
  }

  async getFeatureVectorsWithStatus<R extends VectorReturnType = 'list'>(entries: readonly Record<string, unknown>[], options: FeatureVectorsOptions<R> = {}): Promise<VectorWithStatus<R>[]> {
    return (await this.server()).vectors<R>(entries, options, options.passedFeatures);
  }

  /** The inference helper columns of an entry (HSFS `get_inference_helper`), an object by default. */
  async getInferenceHelper<R extends VectorReturnType = 'object'>(entry: Record<string, unknown>, options: VectorReadOptions<R> = {}): Promise<VectorOf<R>> {
    return (await this.getInferenceHelpers<R>([entry], options))[0]!;
  }

  async getInferenceHelpers<R extends VectorReturnType = 'object'>(entries: readonly Record<string, unknown>[], options: VectorReadOptions<R> = {}): Promise<VectorOf<R>[]> {
    return (await this.server()).helpers<R>(entries, options);
  }

  /** Deletes the view version and its training datasets (records, then files); its feature groups stay. */
  async delete(): Promise<void> {
    const datasets = await this.trainingDatasets().list();
    const deleted = await this.ctx.engine.write((tx) => new FeatureViewRecords().delete(tx, this.record.id));
    if (!deleted) throw new FeatureViewNotFoundError(`feature view ${this.name} version ${this.version} was deleted already`, { name: this.name, version: this.version });
    for (const dataset of datasets) await this.ctx.fs.delete(dataset.location, { recursive: true });
  }

  toJSON(): Record<string, unknown> {
    return {
      id: this.id,
      name: this.name,
      version: this.version,
      description: this.description,
      labels: this.labels,
      inferenceHelperColumns: this.inferenceHelperColumns,
      trainingHelperColumns: this.trainingHelperColumns,
      transformationFunctions: this.transformationFunctions,
      onDemandFeatures: this.onDemandFeatures,
      query: this.record.query,
      creator: this.creator,
      createdAt: this.createdAt.toISOString(),
    };
  }

  private transformations(): ViewTransformations {
    return viewTransformations(this.ctx.transformationFunctions, this.record, this.query.features);
  }

  /** Whether the view has functions that run on rows in JavaScript (on-demand features, transformations). */
  private transformsRows(view: ViewTransformations): boolean {
    return view.onDemand.length > 0 || view.transformations.length > 0;
  }

  private trainingDatasets(): TrainingDatasets {
    return new TrainingDatasets(this.ctx, this.record, trainingDatasetsDirectory(this.featureStore.project.name), this.featureStore.creator);
  }

  private async statisticsFor(trainingDatasetVersion: number | undefined): Promise<TransformationStatistics> {
    if (this.transformations().statistics.size === 0) return {};
    return (await this.trainingDatasets().getOrNewest(trainingDatasetVersion)).statistics;
  }

  private async readTrainingDataset(version: number, split: SplitKind, form: PartsForm): Promise<ViewReadParts> {
    const datasets = this.trainingDatasets();
    const record = await datasets.get(version);
    checkDatasetSplit(record, split);
    const parts = new ViewReadParts(record.columns, this.transformations(), record.statistics, form, this.record.labels.length > 0);
    await datasets.read(record, (row, part) => parts.add(row, part));
    return parts;
  }

  /**
   * A read with on-demand features and transformations applied; 'fit' computes the statistics over the read's own
   * train part in DuckDB (test and validation parts then use the train statistics), as a training dataset does.
   * Returns each part as the caller asked for it. Arrow reads with nothing to compute in JavaScript go from DuckDB
   * to Arrow column by column, never through rows.
   */
  private async read(
    options: ViewReadOptions,
    role: (column: OutputColumn) => ColumnRole,
    split: SplitPlan,
    statistics: TransformationStatistics | 'fit',
  ): Promise<(part: number) => TrainingData<Rows | Table>> {
    const view = this.transformations();
    if (options.dataframe === 'arrow' && !this.transformsRows(view)) {
      const { parts } = await readViewTables(this.ctx, this.record, options, role, split);
      return (part) => parts[part]!;
    }
    const withInputs = (c: OutputColumn): ColumnRole => role(c) ?? (view.inputs.has(c.feature.name) ? 'input' : null);
    let parts: ViewReadParts | undefined;
    await readView(this.ctx, this.record, options, withInputs, split, async (connection, read) => {
      let fitted: TransformationStatistics = statistics === 'fit' ? {} : statistics;
      if (statistics === 'fit' && view.statistics.size > 0) {
        const named = [...read.features, ...read.labels, ...read.inputs].map((f, k) => `${quoteIdentifier(`c${k}`)} AS ${quoteIdentifier(f.name)}`).join(', ');
        fitted = await computeTransformationStatistics(connection, `(SELECT ${named} FROM (${read.statement}) WHERE "__part" = ${TRAIN})`, view.statistics).catch(
          // DuckDB failing on the statement Humle built is the files' fault (a damaged one is named); typed errors stay.
          async (error: Error) => {
            throw error instanceof HumleError ? error : await read.failure(error);
          },
        );
      }
      const filled = new ViewReadParts(read, view, fitted, options, this.record.labels.length > 0);
      parts = filled;
      return (row, part) => filled.add(row, part);
    });
    return (part) => parts!.part(part);
  }

  private trainingRole(options: TrainingDataOptions): (column: OutputColumn) => ColumnRole {
    return (c) => this.role(c, options, true, options.trainingHelperColumns === true);
  }

  /**
   * Labels go apart in training data and are left out of batch data; helper columns of the other kind are always
   * left out, those of this kind on request; key columns (primary keys, and columns that look up a joined group's
   * primary key) and event time columns only on request (HSFS defaults).
   */
  private role(column: OutputColumn, options: ViewReadOptions, training: boolean, helpers: boolean): ColumnRole {
    const name = column.feature.name;
    if (this.record.labels.includes(name)) return training ? 'label' : null;
    const ownHelpers = training ? this.record.trainingHelperColumns : this.record.inferenceHelperColumns;
    const otherHelpers = training ? this.record.inferenceHelperColumns : this.record.trainingHelperColumns;
    if (otherHelpers.includes(name)) return null;
    if (ownHelpers.includes(name)) return helpers ? 'feature' : null;
    if (column.key && options.primaryKey !== true) return null;
    if (column.feature.eventTime && options.eventTime !== true) return null;
    return 'feature';
  }

}
