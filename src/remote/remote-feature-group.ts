import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { tableToIPC, type Table } from 'apache-arrow';
import { StatisticsNotFoundError } from '../errors/featurestore-errors.js';
import { InvalidArgumentError } from '../errors/humle-error.js';
import { isArrowTable } from '../featurestore/input/arrow-rows.js';
import { featureDataFile, JsonRows, type FeatureData } from '../featurestore/input/read-feature-data.js';
import type { VacuumResult } from '../featurestore/offline/table/vacuum.js';
import { checkPartitionKey } from '../featurestore/offline/table/partitioning.js';
import { Query } from '../featurestore/query/query.js';
import { QueryFeature } from '../featurestore/query/query-feature.js';
import { featureOf, type FeatureGroupSchema } from '../featurestore/query/resolved-query.js';
import { toArrowTable } from '../featurestore/records/arrow-table.js';
import type { RowPresentation } from '../featurestore/records/row-presentation.js';
import { arrowRowTable, presentTable } from '../featurestore/records/row-table.js';
import { inferFeatures } from '../featurestore/schema/feature-schema.js';
import type { CommitSummary } from '../featurestore/records/commit-summary.js';
import type { FeatureGroupSummary } from '../featurestore/records/feature-group-summary.js';
import { fromStored, type Feature } from '../featurestore/schema/feature.js';
import { validateRows } from '../featurestore/schema/row-validation.js';
import type { StatisticsConfig } from '../featurestore/statistics/statistics-config.js';
import { formatFeatureType, type FeatureType } from '../featurestore/types/feature-type.js';
import type { ExpectationSuite } from '../featurestore/validation/expectation-suite.js';
import type { IngestionResult } from '../featurestore/validation/validation-policy.js';
import type { StoredValidationReport } from '../featurestore/validation/validation-reports.js';
import type { CommitDetails, CommitStatistics, FeatureGroup, InsertOptions, PointInTime, ReadOptions } from '../sdk/feature-group.js';
import type { RemoteContext } from './remote-context.js';
import { inBatches } from './request-batches.js';
import { segment } from './rest-client.js';
import { columnsOfJson, jsonValueFor, jsonValuesFor, pointParam, presentJsonValues, type JsonColumn } from './wire-values.js';

/** A feature group version as the server describes it: its summary, and more. */
export interface FeatureGroupJson extends FeatureGroupSummary {
  id: number;
  statisticsConfig: Record<string, unknown>;
  expectations: Record<string, unknown>;
  creator: string;
  createdAt: string;
}

/** The media type of each file of feature data, by extension: the file goes to the server as it is. */
const FILE_MEDIA_TYPES: Readonly<Record<string, string>> = {
  '.csv': 'text/csv',
  '.ndjson': 'application/x-ndjson',
  '.jsonl': 'application/x-ndjson',
  '.parquet': 'application/vnd.apache.parquet',
};
const ARROW_STREAM = 'application/vnd.apache.arrow.stream';

/** The server's limit on keys per online lookup request. */
const KEYS_PER_REQUEST = 10_000;

/** Tag names, as the embedded SDK checks them. */
const TAG_NAME = /^[A-Za-z0-9_.-]{1,63}$/;

/** A table as an Arrow IPC stream body (tableToIPC writes into a buffer of its own). */
function arrowBody(table: Table): { data: BodyInit; contentType: string } {
  return { data: tableToIPC(table, 'stream') as Uint8Array<ArrayBuffer>, contentType: ARROW_STREAM };
}

function commitOf(json: CommitSummary): CommitDetails {
  return { ...json, committedOn: new Date(json.committedOn) };
}

function statisticsOf(json: Omit<CommitStatistics, 'computedAt'> & { computedAt: string }): CommitStatistics {
  return { ...json, computedAt: Date.parse(json.computedAt) };
}

/**
 * A feature group version on a server. Rows go out as Arrow IPC (objects are checked and made canonical here first,
 * with the embedded SDK's own validation, so a bad row fails with the same error before anything is sent), files in
 * their own format, streamed; rows come back as Arrow IPC and are presented as the embedded SDK presents them.
 */
export class RemoteFeatureGroup implements FeatureGroup {
  private readonly path: string;
  /** The features of `json`, converted once per answer the group was read from. */
  private featuresOf: { json: FeatureGroupJson; features: readonly Feature[] } | undefined;

  constructor(
    private readonly ctx: RemoteContext,
    private readonly project: string,
    private json: FeatureGroupJson,
  ) {
    this.path = `/projects/${segment(project)}/featuregroups/${segment(json.name)}/${json.version}`;
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
  get features(): readonly Feature[] {
    if (this.featuresOf?.json !== this.json) this.featuresOf = { json: this.json, features: this.json.features.map(fromStored) };
    return this.featuresOf.features;
  }
  get primaryKey(): readonly string[] {
    return this.json.primaryKey;
  }
  get eventTime(): string | null {
    return this.json.eventTime;
  }
  get partitionKey(): readonly string[] {
    return this.json.partitionKey;
  }
  get onlineEnabled(): boolean {
    return this.json.onlineEnabled;
  }
  get statisticsConfig(): StatisticsConfig {
    return this.json.statisticsConfig as unknown as StatisticsConfig;
  }
  get expectationSuite(): ExpectationSuite {
    return this.json.expectations as unknown as ExpectationSuite;
  }
  get creator(): string {
    return this.json.creator;
  }
  get createdAt(): Date {
    return new Date(this.json.createdAt);
  }
  get location(): string {
    return this.json.location;
  }
  get onlineTable(): string | null {
    return this.json.onlineTable;
  }

  // ---- queries: built here, read on the server ----------------------------------------------------------------------

  feature(name: string): QueryFeature {
    return new QueryFeature(featureOf(this.schema, name), { id: this.id, name: this.name, version: this.version });
  }

  selectAll(): Query {
    return Query.selectAll(this.queries, this.schema);
  }

  select(features: readonly string[]): Query {
    return Query.select(this.queries, this.schema, features);
  }

  selectExcept(features: readonly string[]): Query {
    return Query.selectExcept(this.queries, this.schema, features);
  }

  // ---- writes -------------------------------------------------------------------------------------------------------

  async insert(data: FeatureData, options: InsertOptions = {}): Promise<CommitDetails> {
    const operation = options.operation ?? 'upsert';
    if (operation !== 'upsert' && operation !== 'insert') throw new InvalidArgumentError("operation must be 'upsert' or 'insert'", { operation });
    const query = { operation, waitForStatistics: options.wait === true ? 'true' : undefined };
    const inferred = this.json.features.length === 0;
    const commit = await this.ctx.client.json<CommitSummary>('POST', `${this.path}/rows`, { query, ...(await this.insertBody(data)) });
    // The first insert gave the group its schema: the builders need it.
    if (inferred) this.json = await this.ctx.client.json<FeatureGroupJson>('GET', this.path);
    return commitOf(commit);
  }

  async removeRows(keys: readonly Record<string, unknown>[]): Promise<CommitDetails | undefined> {
    if (!Array.isArray(keys)) throw new InvalidArgumentError('keys must be an array of objects with the primary key features', {});
    if (keys.length === 0) return undefined;
    const features = this.features;
    const answer = await this.ctx.client.json<{ commit: CommitSummary | null }>('POST', `${this.path}/rows/delete`, {
      json: { keys: keys.map((key) => (typeof key === 'object' && key !== null ? jsonValuesFor(features, key) : key)) },
    });
    return answer.commit === null ? undefined : commitOf(answer.commit);
  }

  async appendFeatures(features: { name: string; type: string | FeatureType; description?: string }[]): Promise<void> {
    const body = { features: features.map((f) => ({ name: f.name, type: typeof f.type === 'string' ? f.type : formatFeatureType(f.type), description: f.description })) };
    this.json = await this.ctx.client.json<FeatureGroupJson>('POST', `${this.path}/features`, { json: body });
  }

  async compact(): Promise<CommitDetails | undefined> {
    const { commit } = await this.ctx.client.json<{ commit: CommitSummary | null }>('POST', `${this.path}/compact`);
    return commit === null ? undefined : commitOf(commit);
  }

  async vacuum(options: { retain?: number } = {}): Promise<VacuumResult> {
    const retain = options.retain;
    if (retain !== undefined && (typeof retain !== 'number' || !Number.isFinite(retain) || retain < 0)) {
      throw new InvalidArgumentError('retain must be a non-negative number of milliseconds', { retain });
    }
    return this.ctx.client.json<VacuumResult>('POST', `${this.path}/vacuum`, { json: retain === undefined ? {} : { retainMs: Math.floor(retain) } });
  }

  // ---- offline reads ------------------------------------------------------------------------------------------------

  async read(options: ReadOptions & { dataframe: 'arrow' }): Promise<Table>;
  async read(options?: ReadOptions & { dataframe?: 'rows' }): Promise<Record<string, unknown>[]>;
  async read(options: ReadOptions & { dataframe?: 'rows' | 'arrow' } = {}): Promise<Record<string, unknown>[] | Table> {
    if (options.dataframe !== undefined && options.dataframe !== 'rows' && options.dataframe !== 'arrow') {
      throw new InvalidArgumentError("dataframe must be 'rows' or 'arrow'", { dataframe: options.dataframe });
    }
    const { table } = await this.ctx.client.table('GET', `${this.path}/rows`, { query: { asOf: pointParam(options.asOf) } });
    return options.dataframe === 'arrow' ? table : presentTable(await arrowRowTable(table), options);
  }

  async asOf(end: PointInTime, options: RowPresentation & { excludeUntil?: PointInTime } = {}): Promise<Record<string, unknown>[]> {
    if (options.excludeUntil === undefined) return this.read({ ...options, asOf: end });
    return this.readChanges(options.excludeUntil, end, options);
  }

  async readChanges(start: PointInTime, end: PointInTime, options: RowPresentation = {}): Promise<Record<string, unknown>[]> {
    const query = { from: pointParam(start), to: pointParam(end) };
    const { table } = await this.ctx.client.table('GET', `${this.path}/changes`, { query });
    return presentTable(await arrowRowTable(table), options);
  }

  async commitDetails(options: { limit?: number } = {}): Promise<Record<number, Omit<CommitDetails, 'commitId'>>> {
    const limit = options.limit ?? 1000;
    if (!Number.isInteger(limit) || limit < 1) throw new InvalidArgumentError('limit must be a positive integer', { limit });
    const { items } = await this.ctx.client.json<{ items: CommitSummary[] }>('GET', `${this.path}/commits`, { query: { limit } });
    const details: Record<number, Omit<CommitDetails, 'commitId'>> = {};
    for (const { commitId, ...commit } of items.map(commitOf)) details[commitId] = commit;
    return details;
  }

  // ---- statistics and validation ------------------------------------------------------------------------------------

  async getStatistics(options: { asOf?: PointInTime } = {}): Promise<CommitStatistics | undefined> {
    return this.statistics('GET', { asOf: pointParam(options.asOf) });
  }

  async computeStatistics(): Promise<CommitStatistics | undefined> {
    return this.statistics('POST', {});
  }

  async getValidationHistory(options: { limit?: number; ingestionResult?: IngestionResult } = {}): Promise<StoredValidationReport[]> {
    const { items } = await this.ctx.client.json<{ items: (Omit<StoredValidationReport, 'fgId' | 'validatedAt'> & { validatedAt: string })[] }>(
      'GET',
      `${this.path}/validations`,
      { query: { limit: options.limit, ingestionResult: options.ingestionResult } },
    );
    return items.map((r) => ({ ...r, fgId: this.id, validatedAt: Date.parse(r.validatedAt) }));
  }

  // ---- online reads -------------------------------------------------------------------------------------------------

  async getOnline(key: unknown, options: RowPresentation = {}): Promise<Record<string, unknown> | undefined> {
    return (await this.getOnlineBatch([key], options))[0];
  }

  async getOnlineBatch(keys: readonly unknown[], options: RowPresentation = {}): Promise<(Record<string, unknown> | undefined)[]> {
    if (!this.onlineEnabled) throw new InvalidArgumentError(`feature group ${this.name} is not online-enabled`, { featureGroup: this.name });
    if (!Array.isArray(keys)) throw new InvalidArgumentError('keys must be an array', {});
    const keyFeatures = this.features.filter((f) => f.primary);
    const wire = (key: unknown) =>
      typeof key === 'object' && key !== null && !(key instanceof Date) ? jsonValuesFor(keyFeatures, key as Record<string, unknown>) : keyFeatures.length === 1 ? jsonValueFor(keyFeatures[0]!, key) : key;
    return inBatches(keys, KEYS_PER_REQUEST, 'key', async (batch) => {
      const answer = await this.ctx.client.json<{ columns: JsonColumn[]; rows: (Record<string, unknown> | null)[] }>('POST', `${this.path}/online`, { json: { keys: batch.map(wire) } });
      const columns = columnsOfJson(answer.columns);
      return answer.rows.map((row) => (row === null ? undefined : presentJsonValues(columns, columns.map((c) => row[c.name]), options)));
    });
  }

  // ---- metadata -----------------------------------------------------------------------------------------------------

  async addTag(name: string, value: unknown): Promise<void> {
    if (typeof name !== 'string' || !TAG_NAME.test(name)) throw new InvalidArgumentError('a tag name has 1 to 63 letters, digits, _ . or -', { name });
    if (value === undefined) throw new InvalidArgumentError('a tag needs a JSON value', { name });
    await this.ctx.client.json('PUT', `${this.path}/tags/${segment(name)}`, { json: { value } });
  }

  async getTags(): Promise<Record<string, unknown>> {
    return this.ctx.client.json<Record<string, unknown>>('GET', `${this.path}/tags`);
  }

  async getTag(name: string): Promise<unknown> {
    return (await this.getTags())[name];
  }

  /** Whether the tag was set: the server's delete does not say, so the tags are read first. */
  async deleteTag(name: string): Promise<boolean> {
    if (typeof name !== 'string' || !TAG_NAME.test(name)) return false;
    const existed = Object.hasOwn(await this.getTags(), name);
    await this.ctx.client.json('DELETE', `${this.path}/tags/${segment(name)}`);
    return existed;
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
      primaryKey: this.primaryKey,
      eventTime: this.eventTime,
      partitionKey: this.partitionKey,
      onlineEnabled: this.onlineEnabled,
      location: this.location,
      features: this.features.map((f) => ({ name: f.name, type: f.type, description: f.description, primary: f.primary, eventTime: f.eventTime })),
    };
  }

  // ---- internals ----------------------------------------------------------------------------------------------------

  private get schema(): FeatureGroupSchema {
    return { id: this.id, name: this.name, version: this.version, features: this.features as Feature[], primaryKey: [...this.primaryKey], eventTime: this.eventTime };
  }

  private get queries() {
    return this.ctx.queries(this.project);
  }

  /**
   * The body of an insert: objects checked and made canonical with the group's schema (inferred from them, as the
   * embedded SDK infers it, for the first insert), then sent as Arrow IPC typed by it; an Arrow table as Arrow IPC;
   * parsed JSON rows as JSON; a file as it is, streamed.
   */
  private async insertBody(data: FeatureData): Promise<{ json?: unknown; body?: { data: BodyInit; contentType: string; length?: number } }> {
    if (Array.isArray(data)) {
      const rows = data as Record<string, unknown>[];
      let features = this.features as Feature[];
      if (features.length === 0) {
        features = inferFeatures(rows, { source: 'js', primaryKey: [...this.primaryKey], eventTime: this.eventTime, partitionKey: [...this.partitionKey] });
        checkPartitionKey(features, [...this.partitionKey]);
      }
      const { rows: canonical } = validateRows(features, rows, { source: 'js' });
      if (canonical.length === 0) throw new InvalidArgumentError('nothing to insert: the data has no rows', {});
      return { body: arrowBody(toArrowTable(features, canonical)) };
    }
    if (data instanceof JsonRows) return { json: data.rows };
    if (isArrowTable(data)) return { body: arrowBody(data) };
    if (typeof data === 'string') {
      const contentType = FILE_MEDIA_TYPES[featureDataFile(data)]!;
      const { size } = await stat(data);
      return { body: { data: Readable.toWeb(createReadStream(data)) as ReadableStream, contentType, length: size } };
    }
    throw new InvalidArgumentError('feature data must be an array of objects, JsonRows, an Arrow Table or a path to a .csv, .ndjson, .jsonl or .parquet file', {
      data: data === null ? 'null' : typeof data,
    });
  }

  /** Statistics of a commit, or undefined where the embedded SDK has none (the server says 404 for those). */
  private async statistics(method: 'GET' | 'POST', query: Record<string, string | undefined>): Promise<CommitStatistics | undefined> {
    try {
      return statisticsOf(await this.ctx.client.json(method, `${this.path}/statistics`, { query }));
    } catch (error) {
      if (error instanceof StatisticsNotFoundError) return undefined;
      throw error;
    }
  }
}
