import { FeatureGroupInUseError, FeatureGroupNotFoundError } from '../errors/featurestore-errors.js';
import { FeatureViewRecords } from './featureview/feature-view-records.js';
import { InvalidArgumentError } from '../errors/humle-error.js';
import { FeatureGroupWriter } from '../ingest/feature-group-writer.js';
import type { FeatureStore } from './feature-store.js';
import type { FeatureStoreContext } from './featurestore-context.js';
import type { FeatureData } from './input/read-feature-data.js';
import { FeatureGroupRecords, type FeatureGroupRecord } from './metadata/feature-group-records.js';
import { ChangeReader, type ChangeRow } from './offline/table/change-reader.js';
import { CommitLog } from './offline/table/commit-log.js';
import { SnapshotReader, type ReadStatement } from './offline/table/snapshot-reader.js';
import { OnlineTable, onlineTableName } from './online/online-table.js';
import { presentRow, type RowPresentation } from './records/row-presentation.js';
import { toArrowTable } from './records/arrow-table.js';
import type { Table } from 'apache-arrow';
import type { Feature } from './schema/feature.js';
import { Query } from './query/query.js';
import { QueryFeature } from './query/query-feature.js';
import type { FeatureGroupRef } from './query/query-plan.js';
import { featureOf } from './query/resolved-query.js';
import { coercerFor } from './types/value-coercion.js';
import type { FeatureType } from './types/feature-type.js';
import { appendFeatures } from './offline/table/append-features.js';
import { AUTO_COMPACT_SMALL_FILES, compactTable, countSmallFiles } from './offline/table/compaction.js';
import { CommitConflict } from './offline/table/copy-on-write-commit.js';
import { vacuumTable, type VacuumResult } from './offline/table/vacuum.js';
import { isBeforeFirstCommit, resolveVersion, type PointInTime } from './offline/table/version-resolution.js';
import type { CommitDetails, CommitStatistics, FeatureGroup as FeatureGroupInterface, InsertOptions, ReadOptions } from '../sdk/feature-group.js';
import type { StatisticsConfig } from './statistics/statistics-config.js';
import type { ExpectationSuite } from './validation/expectation-suite.js';
import { computeLatest } from './statistics/statistics-jobs.js';
import { StatisticsStore } from './statistics/statistics-store.js';
import type { IngestionResult } from './validation/validation-policy.js';
import { ValidationReports, type StoredValidationReport } from './validation/validation-reports.js';

/**
 * A feature group version (HSFS `FeatureGroup`): an online table with the latest row per primary key and an offline
 * Delta table with every commit, written together by `insert`.
 */
export class FeatureGroup implements FeatureGroupInterface {
  private readonly records: FeatureGroupRecords;
  private readonly commits = new CommitLog();

  constructor(
    private readonly ctx: FeatureStoreContext,
    readonly featureStore: FeatureStore,
    private record: FeatureGroupRecord,
  ) {
    this.records = new FeatureGroupRecords(ctx.engine.dialect);
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
  /** The schema; empty until the first insert when it is inferred from data. */
  get features(): readonly Feature[] {
    return this.record.features;
  }
  get primaryKey(): readonly string[] {
    return this.record.primaryKey;
  }
  get eventTime(): string | null {
    return this.record.eventTime;
  }
  get partitionKey(): readonly string[] {
    return this.record.partitionKey;
  }
  get onlineEnabled(): boolean {
    return this.record.onlineEnabled;
  }
  /** What statistics each commit computes (HSFS `statistics_config`), as parsed when the group was created. */
  get statisticsConfig(): StatisticsConfig {
    return this.record.statisticsConfig as StatisticsConfig;
  }
  /** The expectations inserts are validated against, and the ingestion policy. */
  get expectationSuite(): ExpectationSuite {
    return this.record.expectations as ExpectationSuite;
  }
  get creator(): string {
    return this.record.creator;
  }
  get createdAt(): Date {
    return new Date(this.record.createdAt);
  }
  /** The offline table's directory in humle fs (a Delta table). */
  get location(): string {
    return this.featureStore.tableDirectory(this.record.name, this.record.version);
  }
  /** The online table's name in the database; null when the group is offline only. */
  get onlineTable(): string | null {
    return this.record.onlineEnabled ? this.onlineTableName() : null;
  }

  /** A feature (its schema fields) with the predicates that build query filters: `fg.feature('amount').gt(10)`. */
  feature(name: string): QueryFeature {
    return new QueryFeature(featureOf(this.record, name), this.ref);
  }

  // ---- queries ------------------------------------------------------------------------------------------------------

  /** A query of every feature (HSFS `select_all`), to read, filter, join or define a feature view with. */
  selectAll(): Query {
    return Query.selectAll(this.ctx.queries, this.record);
  }

  /** A query of these features, in this order. */
  select(features: readonly string[]): Query {
    return Query.select(this.ctx.queries, this.record, features);
  }

  /** A query of every feature but these. */
  selectExcept(features: readonly string[]): Query {
    return Query.selectExcept(this.ctx.queries, this.record, features);
  }

  private get ref(): FeatureGroupRef {
    return { id: this.record.id, name: this.record.name, version: this.record.version };
  }

  // ---- writes -----------------------------------------------------------------------------------------------------

  /**
   * Inserts rows (objects, an Arrow table, or a CSV / NDJSON / Parquet file path) as one commit. `upsert` (the
   * default) replaces records with the same key; `insert` refuses keys that exist. Everything is validated first:
   * a bad row anywhere changes nothing.
   */
  async insert(data: FeatureData, options: InsertOptions = {}): Promise<CommitDetails> {
    const operation = options.operation ?? 'upsert';
    if (operation !== 'upsert' && operation !== 'insert') throw new InvalidArgumentError("operation must be 'upsert' or 'insert'", { operation });
    const { commit, record } = await new FeatureGroupWriter(this.ctx, this.location).insert(this.record, data, operation);
    this.record = record;
    if ((await countSmallFiles(this.ctx, this.record)) >= AUTO_COMPACT_SMALL_FILES) {
      // The insert has committed: a compaction that fails leaves the small files for the next one, and says why.
      await this.compact().catch((error: unknown) => process.emitWarning(`compaction of ${this.name} failed: ${(error as Error).message}`, 'HumleCompactionWarning'));
    }
    // Statistics follow the commit in the background (HSFS's statistics job); `wait` returns once they are stored.
    const statistics = this.ctx.statisticsJobs.schedule(this.record.id, { now: options.wait === true });
    if (options.wait) await statistics;
    return { ...commit, committedOn: new Date(commit.committedOn) };
  }

  /**
   * Deletes records (HSFS `delete_records`) as one commit: a key object with the event time deletes that record, one
   * with the primary key alone every record of the entity; the online row goes with them. Undefined when no key
   * matched a record (nothing is committed).
   */
  async removeRows(keys: readonly Record<string, unknown>[]): Promise<CommitDetails | undefined> {
    await this.refresh();
    const result = await new FeatureGroupWriter(this.ctx, this.location).removeRows(this.record, keys);
    if (result === undefined) return undefined;
    this.record = result.record;
    return { ...result.commit, committedOn: new Date(result.commit.committedOn) };
  }

  /**
   * Adds nullable features (HSFS `append_features`): existing rows read them as null. A type change or a new key
   * cannot be followed by existing data and needs a new version (SchemaIncompatibleError).
   */
  async appendFeatures(features: { name: string; type: string | FeatureType; description?: string }[]): Promise<void> {
    await this.refresh();
    this.record = await appendFeatures(this.ctx, this.location, this.record, features);
  }

  /**
   * Merges the latest version's small data files (Delta OPTIMIZE; a commit that changes no data). Inserts do it by
   * themselves once small files pile up. Returns the commit, or undefined when there was nothing to merge.
   */
  async compact(): Promise<CommitDetails | undefined> {
    for (let attempt = 1; ; attempt++) {
      await this.refresh();
      try {
        const commit = await compactTable(this.ctx, this.location, this.record);
        await this.refresh();
        return commit === undefined ? undefined : { ...commit, committedOn: new Date(commit.committedOn) };
      } catch (error) {
        // A commit landed while the files were merged: merge again from the new version.
        if (!(error instanceof CommitConflict) || attempt >= 5) throw error;
      }
    }
  }

  /**
   * Deletes data files that only versions older than `retain` milliseconds need (Delta VACUUM; default 7 days, as
   * Delta's). Time travel within the window keeps working; older versions become unreadable.
   */
  async vacuum(options: { retain?: number } = {}): Promise<VacuumResult> {
    const retain = options.retain ?? 7 * 24 * 3600 * 1000;
    if (typeof retain !== 'number' || !Number.isFinite(retain) || retain < 0) throw new InvalidArgumentError('retain must be a non-negative number of milliseconds', { retain });
    await this.refresh();
    const result = await vacuumTable(this.ctx, this.location, this.record, retain);
    await this.refresh();
    return result;
  }

  // ---- offline reads ------------------------------------------------------------------------------------------------

  /**
   * The offline table as of a commit (the latest by default): rows as objects, or with `dataframe: 'arrow'` an
   * apache-arrow Table (exact microsecond timestamps, Int64, Date32, lists; decimals as exact text).
   */
  async read(options: ReadOptions & { dataframe: 'arrow' }): Promise<Table>;
  async read(options?: ReadOptions & { dataframe?: 'rows' }): Promise<Record<string, unknown>[]>;
  async read(options: ReadOptions & { dataframe?: 'rows' | 'arrow' } = {}): Promise<Record<string, unknown>[] | Table> {
    if (options.dataframe !== undefined && options.dataframe !== 'rows' && options.dataframe !== 'arrow') {
      throw new InvalidArgumentError("dataframe must be 'rows' or 'arrow'", { dataframe: options.dataframe });
    }
    await this.refresh();
    const version = await this.resolve(options.asOf);
    if (options.dataframe === 'arrow') return version === undefined ? toArrowTable(this.record.features, []) : new SnapshotReader(this.ctx, this.record).readTable(version);
    if (version === undefined) return [];
    return new SnapshotReader(this.ctx, this.record).read(version, (features, row) => presentRow(features, row, options));
  }

  /**
   * The statement that reads the offline table as of a commit (the latest by default) sorted by `orderBy` (feature
   * names), the first `limit` rows when given, and the features of its result (see SnapshotReader.sortedStatement);
   * no statement when there is nothing to read. For answers too large to hold, read elsewhere (the server's).
   */
  async sortedReadStatement(options: { asOf?: PointInTime; orderBy: readonly string[]; limit?: number }): Promise<{ features: readonly Feature[]; statement: ReadStatement | null }> {
    await this.refresh();
    const version = await this.resolve(options.asOf);
    if (version === undefined) return { features: this.record.features, statement: null };
    return new SnapshotReader(this.ctx, this.record).sortedStatement(version, options.orderBy, options.limit);
  }

  /**
   * What changed after `excludeUntil` up to `end` (HSFS `as_of(end, exclude_until=...)`): rows with their change
   * kind (`_change_type`: insert, update_preimage, update_postimage, delete) and the commit that made them.
   */
  async asOf(end: PointInTime, options: RowPresentation & { excludeUntil?: PointInTime } = {}): Promise<Record<string, unknown>[]> {
    if (options.excludeUntil === undefined) return this.read({ ...options, asOf: end });
    return this.readChanges(options.excludeUntil, end, options);
  }

  /** Changes in the commits after `start` up to and including `end`. */
  async readChanges(start: PointInTime, end: PointInTime, options: RowPresentation = {}): Promise<Record<string, unknown>[]> {
    const range = await this.changeRange(start, end);
    if (range === undefined) return [];
    const { features, changes } = await new ChangeReader(this.ctx, this.record).read(range.after, range.upTo);
    return changes.map((change: ChangeRow) => ({
      ...presentRow(features, change.row, options),
      _change_type: change.kind,
      _commit_version: change.commitVersion,
    }));
  }

  /**
   * What readChanges reads, as a statement sorted by `orderBy` within each commit (see ChangeReader.statement), with
   * the features of its result; no statement when nothing changed. For answers too large to hold (the server's).
   */
  async changesStatement(start: PointInTime, end: PointInTime, orderBy: readonly string[]): Promise<{ features: readonly Feature[]; statement: ReadStatement | null }> {
    const range = await this.changeRange(start, end);
    if (range === undefined) return { features: this.record.features, statement: null };
    return new ChangeReader(this.ctx, this.record).statement(range.after, range.upTo, orderBy);
  }

  /** The versions of the changes after `start` up to and including `end`; undefined when there are none. */
  private async changeRange(start: PointInTime, end: PointInTime): Promise<{ after: number; upTo: number } | undefined> {
    await this.refresh();
    // A start time before the first commit means "from the beginning": every commit up to `end` is a change.
    const after = typeof start !== 'number' && (await isBeforeFirstCommit(this.ctx, this.record, start)) ? -1 : ((await this.resolve(start)) ?? -1);
    const upTo = await this.resolve(end);
    return upTo === undefined || upTo <= after ? undefined : { after, upTo };
  }

  /** The newest commits first (HSFS `commit_details`), keyed by commit id. */
  async commitDetails(options: { limit?: number } = {}): Promise<Record<number, Omit<CommitDetails, 'commitId'>>> {
    const limit = options.limit ?? 1000;
    if (!Number.isInteger(limit) || limit < 1) throw new InvalidArgumentError('limit must be a positive integer', { limit });
    const commits = await this.ctx.engine.read((tx) => this.commits.list(tx, this.record.id, limit));
    const details: Record<number, Omit<CommitDetails, 'commitId'>> = {};
    for (const c of commits) {
      details[c.commitId] = { committedOn: new Date(c.committedOn), operation: c.operation, rowsInserted: c.rowsInserted, rowsUpdated: c.rowsUpdated, rowsDeleted: c.rowsDeleted };
    }
    return details;
  }

  // ---- statistics and validation ----------------------------------------------------------------------------------

  /**
   * The statistics of a commit's snapshot (HSFS `get_statistics`): the latest commit's by default. Undefined when
   * that commit has none (statistics disabled, or still being computed: `insert(data, { wait: true })` waits).
   */
  async getStatistics(options: { asOf?: PointInTime } = {}): Promise<CommitStatistics | undefined> {
    await this.refresh();
    const version = await this.resolve(options.asOf);
    if (version === undefined) return undefined;
    const stored = await this.ctx.engine.read((tx) => new StatisticsStore(this.ctx.engine.dialect).get(tx, this.record.id, version));
    return stored === undefined ? undefined : { ...stored.statistics, commitId: stored.commitId };
  }

  /** Computes the statistics of the latest commit now, whatever the statistics config says, and stores them. */
  async computeStatistics(): Promise<CommitStatistics | undefined> {
    const computed = await computeLatest(this.ctx, this.record.id, true);
    return computed === undefined ? undefined : { ...computed.statistics, commitId: computed.commitId };
  }

  /** Validation reports of inserts, newest first (HSFS `get_validation_history`). */
  async getValidationHistory(options: { limit?: number; ingestionResult?: IngestionResult } = {}): Promise<StoredValidationReport[]> {
    return this.ctx.engine.read((tx) => new ValidationReports(this.ctx.engine.dialect).list(tx, this.record.id, options));
  }

  // ---- online reads -------------------------------------------------------------------------------------------------

  /** The online row of one primary key (an object of the key features, or the value of a one-feature key). */
  async getOnline(key: unknown, options: RowPresentation = {}): Promise<Record<string, unknown> | undefined> {
    return (await this.getOnlineBatch([key], options))[0];
  }

  /** The online rows of many keys, in request order (undefined where missing): one lookup statement per batch. */
  async getOnlineBatch(keys: readonly unknown[], options: RowPresentation = {}): Promise<(Record<string, unknown> | undefined)[]> {
    if (!this.record.onlineEnabled) throw new InvalidArgumentError(`feature group ${this.name} is not online-enabled`, { featureGroup: this.name });
    if (!Array.isArray(keys)) throw new InvalidArgumentError('keys must be an array', {});
    await this.refresh();
    if (this.record.features.length === 0) return keys.map(() => undefined);
    const keyFeatures = this.record.features.filter((f) => f.primary);
    const coercers = keyFeatures.map((f) => coercerFor(f.type, { source: 'js' }));
    const canonical = keys.map((key, i) => {
      const values = keyFeatures.length === 1 && (typeof key !== 'object' || key === null || key instanceof Date) ? [key] : keyFeatures.map((f) => (key as Record<string, unknown>)[f.name]);
      return values.map((value, c) => {
        const name = keyFeatures[c]!.name;
        if (value === undefined || value === null) throw new InvalidArgumentError(`key ${i}: primary key feature ${name} is missing`, { key: i, feature: name });
        try {
          return coercers[c]!(value);
        } catch (reason) {
          throw new InvalidArgumentError(`key ${i}, feature ${name}: ${String(reason)}`, { key: i, feature: name });
        }
      });
    });
    const table = new OnlineTable(this.ctx.engine.dialect, this.onlineTableName(), this.record.features);
    const rows = await this.ctx.engine.read((tx) => table.getMany(tx, canonical));
    return rows.map((row) => (row === undefined ? undefined : presentRow(this.record.features, row, options)));
  }

  // ---- metadata -----------------------------------------------------------------------------------------------------

  async addTag(name: string, value: unknown): Promise<void> {
    if (typeof name !== 'string' || !/^[A-Za-z0-9_.-]{1,63}$/.test(name)) {
      throw new InvalidArgumentError('a tag name has 1 to 63 letters, digits, _ . or -', { name });
    }
    if (value === undefined) throw new InvalidArgumentError('a tag needs a JSON value', { name });
    await this.ctx.engine.write((tx) => this.records.setTag(tx, this.record.id, name, value));
  }

  async getTags(): Promise<Record<string, unknown>> {
    return this.ctx.engine.read((tx) => this.records.tags(tx, this.record.id));
  }

  async getTag(name: string): Promise<unknown> {
    return (await this.getTags())[name];
  }

  async deleteTag(name: string): Promise<boolean> {
    return this.ctx.engine.write((tx) => this.records.deleteTag(tx, this.record.id, name));
  }

  /** The features as of each commit that changed them (schema evolution history), oldest first. */
  async schemaHistory(): Promise<{ commitId: number | null; features: Feature[]; changedAt: Date }[]> {
    const history = await this.ctx.engine.read((tx) => this.records.schemaHistory(tx, this.record.id));
    return history.map((h) => ({ commitId: h.version < 0 ? null : h.version, features: h.features, changedAt: new Date(h.changedAt) }));
  }

  /**
   * Deletes the feature group version: metadata, offline table (its directory in humle fs) and online table. A group
   * that feature views read is refused with FeatureGroupInUseError naming them, as Hopsworks refuses: delete the
   * views first.
   */
  async delete(): Promise<void> {
    // Metadata first: from then on nobody finds the group; the rest is storage only it referenced.
    await this.ctx.engine.write(async (tx) => {
      const views = await new FeatureViewRecords().readersOf(tx, this.record.id);
      if (views.length > 0) {
        throw new FeatureGroupInUseError(`feature group ${this.name} version ${this.version} is read by feature views ${views.join(', ')}: delete them first`, {
          name: this.name,
          version: this.version,
          featureViews: views,
        });
      }
      await this.records.delete(tx, this.record.id);
    });
    await this.ctx.fs.delete(this.location, { recursive: true });
    if (this.record.onlineEnabled) await this.ctx.engine.dropTable(this.onlineTableName());
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

  private onlineTableName(): string {
    return onlineTableName(this.record.projectId, this.record.name, this.record.version);
  }

  private resolve(point: PointInTime | undefined): Promise<number | undefined> {
    return resolveVersion(this.ctx, this.record, point);
  }

  /** Re-reads the metadata: another writer (or process) may have committed or evolved the schema. */
  private async refresh(): Promise<void> {
    const current = await this.ctx.engine.read((tx) => this.records.byId(tx, this.record.id));
    if (current === undefined) throw new FeatureGroupNotFoundError(`feature group ${this.name} version ${this.version} was deleted`, { name: this.name });
    this.record = current;
  }
}
