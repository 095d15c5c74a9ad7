import type { Table } from 'apache-arrow';
import { InvalidArgumentError } from '../errors/humle-error.js';
import { requestedSplit, splitPlan, type SplitKind, type SplitPlan } from '../featurestore/featureview/data-split.js';
import type { FeatureViewRecord, TransformationFunctionSpec } from '../featurestore/featureview/feature-view-records.js';
import type { FeatureViewDefinition } from '../featurestore/featureview/feature-view-spec.js';
import { featureViewFeatures } from '../featurestore/featureview/view-columns.js';
import type { ViewReadOptions } from '../featurestore/featureview/view-read.js';
import { readFeatureData, type FeatureData } from '../featurestore/input/read-feature-data.js';
import { checked } from '../featurestore/query/filter.js';
import { describeFilter, type QueryJson } from '../featurestore/query/query-description.js';
import type { Query } from '../featurestore/query/query.js';
import type { RowPresentation } from '../featurestore/records/row-presentation.js';
import { arrowRowTable, presentTable, tableToArrow, type RowTable } from '../featurestore/records/row-table.js';
import { LABEL_COLUMNS_HEADER, viewParts, type ViewPart } from '../featurestore/records/view-row-table.js';
import type { ServingOptions } from '../featurestore/serving/init-serving.js';
import type {
  FeatureVectorOptions,
  FeatureVectorsOptions,
  VectorOf,
  VectorReadOptions,
  VectorReturnType,
  VectorWithStatus,
} from '../featurestore/serving/vector-server.js';
import { checkDatasetSplit, type CreateTrainingDataOptions, type TrainingDatasetInfo } from '../featurestore/trainingdataset/training-datasets.js';
import type { OnDemandFeatureSpec } from '../featurestore/transformation/on-demand-feature.js';
import { formatTimestamp } from '../featurestore/types/calendar.js';
import { canonicalInt64 } from '../featurestore/types/value-coercion.js';
import type { FeatureGroup } from '../sdk/feature-group.js';
import type {
  BatchDataOptions,
  FeatureView,
  FeatureViewFeature,
  Rows,
  TrainingData,
  TrainingDataOptions,
  TrainingDatasetReadOptions,
  TrainTestSplitOptions,
  TrainValidationTestSplitOptions,
} from '../sdk/feature-view.js';
import type { RemoteContext } from './remote-context.js';
import { inBatches } from './request-batches.js';
import { segment } from './rest-client.js';
import { columnsOfJson, jsonValuesFor, presentJsonValues, timeParam, type JsonColumn } from './wire-values.js';

/** A feature view version as the server describes it: its record, with the query described and times in ISO-8601. */
export interface FeatureViewJson extends Omit<FeatureViewRecord, 'projectId' | 'query' | 'createdAt'> {
  query: QueryJson;
  createdAt: string;
}

type TrainingDatasetJson = Omit<TrainingDatasetInfo, 'createdAt' | 'split'> & { createdAt: string; split: SplitPlan };

/** The server's limit on entries per vector request. */
const ENTRIES_PER_REQUEST = 10_000;

const TWO_PARTS = ['train', 'test'];
const THREE_PARTS = ['train', 'validation', 'test'];

/**
 * A feature view version on a server. Its query is built back from the server's description with the project's
 * feature groups, so it is the query the embedded view has; reads go to the server as options in JSON (times in
 * ISO-8601 with microseconds, filters as predicate trees, spines as rows), come back as Arrow IPC and are presented
 * as the embedded SDK presents them. Split options are checked here (and a seed chosen) as the embedded SDK does.
 */
export class RemoteFeatureView implements FeatureView {
  private readonly path: string;
  /** The training dataset whose statistics served vectors are transformed with (initServing); the newest when unset. */
  private servingDataset: number | undefined;

  constructor(
    private readonly ctx: RemoteContext,
    project: string,
    private readonly json: FeatureViewJson,
    readonly query: Query,
    /** The groups the query reads, its left group first: what a spine's values are typed by. */
    private readonly groups: readonly FeatureGroup[],
  ) {
    this.path = `/projects/${segment(project)}/featureviews/${segment(json.name)}/${json.version}`;
  }

  get id(): number {
    return this.json.id;
  }
  get name(): string {
    return this.json.name;
  }
  get version(): number {
    return this.json.version;
  }
  get description(): string {
    return this.json.description;
  }
  get labels(): readonly string[] {
    return this.json.labels;
  }
  get transformationFunctions(): readonly TransformationFunctionSpec[] {
    return this.json.transformationFunctions;
  }
  get onDemandFeatures(): readonly OnDemandFeatureSpec[] {
    return this.json.onDemandFeatures;
  }
  get inferenceHelperColumns(): readonly string[] {
    return this.json.inferenceHelperColumns;
  }
  get trainingHelperColumns(): readonly string[] {
    return this.json.trainingHelperColumns;
  }
  get creator(): string {
    return this.json.creator;
  }
  get createdAt(): Date {
    return new Date(this.json.createdAt);
  }
  get features(): FeatureViewFeature[] {
    return featureViewFeatures(this.query, this.json);
  }
  /** What makes the view what it is: equal definitions are the same view (see sameDefinition). */
  get definition(): FeatureViewDefinition {
    const { labels, transformationFunctions, onDemandFeatures, inferenceHelperColumns, trainingHelperColumns } = this.json;
    return { query: this.query.plan, labels, transformationFunctions, onDemandFeatures, inferenceHelperColumns, trainingHelperColumns };
  }

  // ---- training and batch data --------------------------------------------------------------------------------------

  async trainingData(options: TrainingDataOptions & { dataframe: 'arrow' }): Promise<TrainingData<Table>>;
  async trainingData(options?: TrainingDataOptions & { dataframe?: 'rows' }): Promise<TrainingData<Rows>>;
  async trainingData(options: TrainingDataOptions = {}): Promise<TrainingData<Rows | Table>> {
    const [all] = await this.readParts('trainingdata', { ...(await this.readBody(options)), trainingHelperColumns: options.trainingHelperColumns }, []);
    return present(all!, options);
  }

  async trainTestSplit(options: TrainTestSplitOptions & { dataframe: 'arrow' }): Promise<{ train: TrainingData<Table>; test: TrainingData<Table> }>;
  async trainTestSplit(options: TrainTestSplitOptions & { dataframe?: 'rows' }): Promise<{ train: TrainingData<Rows>; test: TrainingData<Rows> }>;
  async trainTestSplit(options: TrainTestSplitOptions): Promise<{ train: TrainingData<Rows | Table>; test: TrainingData<Rows | Table> }> {
    const split = splitBody(splitPlan(options as Parameters<typeof splitPlan>[0], false));
    const [train, test] = await this.readParts('trainingdata', { ...(await this.readBody(options)), trainingHelperColumns: options.trainingHelperColumns, ...split }, TWO_PARTS);
    return { train: present(train!, options), test: present(test!, options) };
  }

  async trainValidationTestSplit(
    options: TrainValidationTestSplitOptions & { dataframe: 'arrow' },
  ): Promise<{ train: TrainingData<Table>; validation: TrainingData<Table>; test: TrainingData<Table> }>;
  async trainValidationTestSplit(
    options: TrainValidationTestSplitOptions & { dataframe?: 'rows' },
  ): Promise<{ train: TrainingData<Rows>; validation: TrainingData<Rows>; test: TrainingData<Rows> }>;
  async trainValidationTestSplit(
    options: TrainValidationTestSplitOptions,
  ): Promise<{ train: TrainingData<Rows | Table>; validation: TrainingData<Rows | Table>; test: TrainingData<Rows | Table> }> {
    const split = splitBody(splitPlan(options as Parameters<typeof splitPlan>[0], true));
    const body = { ...(await this.readBody(options)), trainingHelperColumns: options.trainingHelperColumns, ...split };
    const [train, validation, test] = await this.readParts('trainingdata', body, THREE_PARTS);
    return { train: present(train!, options), validation: present(validation!, options), test: present(test!, options) };
  }

  async getBatchData(options: BatchDataOptions & { dataframe: 'arrow' }): Promise<Table>;
  async getBatchData(options?: BatchDataOptions & { dataframe?: 'rows' }): Promise<Rows>;
  async getBatchData(options: BatchDataOptions = {}): Promise<Rows | Table> {
    const body = { ...(await this.readBody(options)), inferenceHelperColumns: options.inferenceHelperColumns, trainingDatasetVersion: options.trainingDatasetVersion };
    const [all] = await this.readParts('batchdata', body, []);
    return present(all!, options).features;
  }

  // ---- training datasets --------------------------------------------------------------------------------------------

  async createTrainingData(options: CreateTrainingDataOptions = {}): Promise<TrainingDatasetInfo> {
    if (typeof options !== 'object' || options === null) throw new InvalidArgumentError('options must be an object', {});
    const kind = requestedSplit(options);
    const { format, description, trainingHelperColumns } = options;
    const body = {
      ...(await this.readBody(options)),
      ...(kind === 'none' ? {} : splitBody(splitPlan(options, kind === 'trainValidationTest'))),
      trainingHelperColumns,
      format,
      description,
    };
    return datasetOf(await this.ctx.client.json<TrainingDatasetJson>('POST', `${this.path}/trainingdatasets`, { json: body }));
  }

  async getTrainingData(version: number, options: TrainingDatasetReadOptions & { dataframe: 'arrow' }): Promise<TrainingData<Table>>;
  async getTrainingData(version: number, options?: TrainingDatasetReadOptions & { dataframe?: 'rows' }): Promise<TrainingData<Rows>>;
  async getTrainingData(version: number, options: TrainingDatasetReadOptions = {}): Promise<TrainingData<Rows | Table>> {
    const [all] = await this.datasetParts(version, 'none');
    return present(all!, options);
  }

  async getTrainTestSplit(version: number, options: TrainingDatasetReadOptions = {}): Promise<{ train: TrainingData<Rows | Table>; test: TrainingData<Rows | Table> }> {
    const [train, test] = await this.datasetParts(version, 'trainTest');
    return { train: present(train!, options), test: present(test!, options) };
  }

  async getTrainValidationTestSplit(
    version: number,
    options: TrainingDatasetReadOptions = {},
  ): Promise<{ train: TrainingData<Rows | Table>; validation: TrainingData<Rows | Table>; test: TrainingData<Rows | Table> }> {
    const [train, validation, test] = await this.datasetParts(version, 'trainValidationTest');
    return { train: present(train!, options), validation: present(validation!, options), test: present(test!, options) };
  }

  async getTrainingDatasets(): Promise<TrainingDatasetInfo[]> {
    return (await this.ctx.client.json<{ items: TrainingDatasetJson[] }>('GET', `${this.path}/trainingdatasets`)).items.map(datasetOf);
  }

  async deleteTrainingDataset(version: number): Promise<void> {
    await this.ctx.client.json('DELETE', `${this.path}/trainingdatasets/${segment(version)}`);
  }

  // ---- serving ------------------------------------------------------------------------------------------------------

  /** Prepares serving on the server (so a view that cannot serve fails here) and keeps the dataset for later reads. */
  async initServing(options: ServingOptions = {}): Promise<void> {
    await this.ctx.client.json('POST', `${this.path}/serving`, { json: { trainingDatasetVersion: options.trainingDatasetVersion } });
    this.servingDataset = options.trainingDatasetVersion;
  }

  async getFeatureVector<R extends VectorReturnType = 'list'>(entry: Record<string, unknown>, options: FeatureVectorOptions<R> = {}): Promise<VectorOf<R>> {
    return (await this.getFeatureVectorWithStatus(entry, options)).vector;
  }

  async getFeatureVectors<R extends VectorReturnType = 'list'>(entries: readonly Record<string, unknown>[], options: FeatureVectorsOptions<R> = {}): Promise<VectorOf<R>[]> {
    return (await this.getFeatureVectorsWithStatus(entries, options)).map((v) => v.vector);
  }

  async getFeatureVectorWithStatus<R extends VectorReturnType = 'list'>(entry: Record<string, unknown>, options: FeatureVectorOptions<R> = {}): Promise<VectorWithStatus<R>> {
    const { passedFeatures, ...rest } = options;
    return (await this.getFeatureVectorsWithStatus<R>([entry], { ...rest, ...(passedFeatures === undefined ? {} : { passedFeatures: [passedFeatures] }) }))[0]!;
  }

  async getFeatureVectorsWithStatus<R extends VectorReturnType = 'list'>(
    entries: readonly Record<string, unknown>[],
    options: FeatureVectorsOptions<R> = {},
  ): Promise<VectorWithStatus<R>[]> {
    if (!Array.isArray(entries)) throw new InvalidArgumentError('entries must be an array of objects of serving keys', {});
    const { passedFeatures, returnType, allowMissing } = options;
    if (passedFeatures !== undefined && (!Array.isArray(passedFeatures) || passedFeatures.length !== entries.length)) {
      throw new InvalidArgumentError('passedFeatures of a batch is an array with one object (or undefined) per entry', { entries: entries.length });
    }
    return inBatches(entries, ENTRIES_PER_REQUEST, 'entry', async (batch, offset) => {
      const body = {
        entries: batch,
        passedFeatures: passedFeatures?.slice(offset, offset + batch.length).map((p) => p ?? null),
        returnType: returnType ?? 'list',
        allowMissing,
        trainingDatasetVersion: this.servingDataset,
      };
      const answer = await this.ctx.client.json<{ features: JsonColumn[]; vectors: { vector: unknown; status: VectorWithStatus['status'] }[] }>('POST', `${this.path}/vectors`, { json: body });
      const columns = columnsOfJson(answer.features);
      return answer.vectors.map(({ vector, status }) => ({ vector: vectorOf<R>(columns, vector, options), status }));
    });
  }

  async getInferenceHelper<R extends VectorReturnType = 'object'>(entry: Record<string, unknown>, options: VectorReadOptions<R> = {}): Promise<VectorOf<R>> {
    return (await this.getInferenceHelpers<R>([entry], options))[0]!;
  }

  async getInferenceHelpers<R extends VectorReturnType = 'object'>(entries: readonly Record<string, unknown>[], options: VectorReadOptions<R> = {}): Promise<VectorOf<R>[]> {
    if (!Array.isArray(entries)) throw new InvalidArgumentError('entries must be an array of objects of serving keys', {});
    const presented = { ...options, returnType: options.returnType ?? 'object' } as VectorReadOptions<R>;
    return inBatches(entries, ENTRIES_PER_REQUEST, 'entry', async (batch) => {
      const body = { entries: batch, returnType: presented.returnType };
      const answer = await this.ctx.client.json<{ features: JsonColumn[]; helpers: unknown[] }>('POST', `${this.path}/helpers`, { json: body });
      const columns = columnsOfJson(answer.features);
      return answer.helpers.map((helper) => vectorOf<R>(columns, helper, presented));
    });
  }

  async delete(): Promise<void> {
    await this.ctx.client.json('DELETE', this.path);
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
      query: this.query.plan,
      creator: this.creator,
      createdAt: this.createdAt.toISOString(),
    };
  }

  // ---- internals ----------------------------------------------------------------------------------------------------

  /**
   * The read options every view read takes, as JSON: times with microseconds, the extra filter described on the
   * view's groups, a spine as rows (values the left group types go in their canonical form; rows read from text, a
   * CSV or NDJSON file, go as the text was, for the server to read as the embedded SDK reads text).
   */
  private async readBody(options: ViewReadOptions): Promise<Record<string, unknown>> {
    if (options.dataframe !== undefined && options.dataframe !== 'rows' && options.dataframe !== 'arrow') {
      throw new InvalidArgumentError("dataframe must be 'rows' or 'arrow'", { dataframe: options.dataframe });
    }
    return {
      startTime: timeParam(options.startTime, 'startTime'),
      endTime: timeParam(options.endTime, 'endTime'),
      extraFilter: options.extraFilter === undefined ? undefined : describeFilter(checked(options.extraFilter), this.query.plan),
      primaryKey: options.primaryKey,
      eventTime: options.eventTime,
      spine: options.spine === undefined ? undefined : await this.spineRows(options.spine),
    };
  }

  private async spineRows(spine: FeatureData): Promise<Record<string, unknown>[]> {
    const left = this.groups[0]!.features;
    const rows: Record<string, unknown>[] = [];
    for await (const batch of readFeatureData(spine)) {
      for (const row of batch.rows) rows.push(batch.source === 'text' ? row : jsonValuesFor(left, row));
    }
    return rows;
  }

  /** A read of the view split back into its parts (one when unsplit), with its label columns as the server named them. */
  private async readParts(read: 'trainingdata' | 'batchdata', body: Record<string, unknown>, parts: readonly string[]): Promise<ViewPart<RowTable>[]> {
    const { table, headers } = await this.ctx.client.table('POST', `${this.path}/${read}`, { json: body });
    return viewParts(await arrowRowTable(table), labelsOf(headers), parts);
  }

  private async datasetParts(version: number, split: SplitKind): Promise<ViewPart<RowTable>[]> {
    const dataset = datasetOf(await this.ctx.client.json<TrainingDatasetJson>('GET', `${this.path}/trainingdatasets/${segment(version)}`));
    checkDatasetSplit(dataset, split);
    const { table, headers } = await this.ctx.client.table('GET', `${this.path}/trainingdatasets/${segment(version)}/rows`);
    return viewParts(await arrowRowTable(table), labelsOf(headers), dataset.splits.map((s) => s.name));
  }
}

function labelsOf(headers: Headers): string[] {
  return (headers.get(LABEL_COLUMNS_HEADER) ?? '').split(',').filter((name) => name !== '');
}

/** A part of a read as the caller asked for it: rows presented as the embedded SDK presents them, or Arrow tables. */
function present(part: ViewPart<RowTable>, options: RowPresentation & { dataframe?: 'rows' | 'arrow' }): TrainingData<Rows | Table> {
  const as = (table: RowTable) => (options.dataframe === 'arrow' ? tableToArrow(table) : presentTable(table, options));
  return { features: as(part.features), labels: part.labels === null ? null : as(part.labels) };
}

/** A checked split as the server's split options (a random split with its seed, so both sides split alike). */
function splitBody(split: SplitPlan): Record<string, unknown> {
  if (split.kind === 'none') return {};
  if (split.kind === 'random') return { testSize: split.test, validationSize: split.validation > 0 ? split.validation : undefined, seed: split.seed };
  const bound = (value: number | bigint | null | undefined) => (value === null || value === undefined ? undefined : formatTimestamp(value));
  const [train, validation, test] = split.ranges;
  return {
    trainStart: bound(train?.start),
    trainEnd: bound(train?.end),
    validationStart: bound(validation?.start),
    validationEnd: bound(validation?.end),
    testStart: bound(test?.start),
    testEnd: bound(test?.end),
  };
}

/** A vector (or helpers) of a JSON answer, as a list or an object like the embedded SDK's. */
function vectorOf<R extends VectorReturnType>(columns: ReturnType<typeof columnsOfJson>, vector: unknown, options: VectorReadOptions<R>): VectorOf<R> {
  const values = Array.isArray(vector) ? vector : columns.map((c) => (vector as Record<string, unknown>)[c.name]);
  const row = presentJsonValues(columns, values, options);
  return (Array.isArray(vector) ? columns.map((c) => row[c.name]) : row) as VectorOf<R>;
}

/** A training dataset as the server describes it, with its times as the embedded SDK holds them. */
function datasetOf(json: TrainingDatasetJson): TrainingDatasetInfo {
  const micros = (value: number | bigint | string | null) => (typeof value === 'string' ? canonicalInt64(BigInt(value)) : value);
  const split: SplitPlan =
    json.split.kind === 'time' ? { kind: 'time', ranges: json.split.ranges.map((r) => (r === null ? null : { start: micros(r.start), end: micros(r.end) })) } : json.split;
  return { ...json, split, createdAt: new Date(json.createdAt) };
}
