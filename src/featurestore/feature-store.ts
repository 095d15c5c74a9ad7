import { FeatureGroupExistsError, FeatureGroupNotFoundError, FeatureViewExistsError, FeatureViewNotFoundError } from '../errors/featurestore-errors.js';
import { DEFAULT_STORAGE_POLICY } from '../fs/content/storage-policy.js';
import { checkFeatureGroupSpec, type FeatureGroupSpec } from './feature-group-spec.js';
import { FeatureGroup } from './feature-group.js';
import type { FeatureStoreContext } from './featurestore-context.js';
import { FeatureView } from './featureview/feature-view.js';
import { FeatureViewRecords, type FeatureViewRecord } from './featureview/feature-view-records.js';
import { checkFeatureViewSpec, definitionOf, sameDefinition, type FeatureViewDefinition, type FeatureViewSpec } from './featureview/feature-view-spec.js';
import { currentRecords } from './query/query-inputs.js';
import type { Query } from './query/query.js';
import type { OfflineColumn } from './offline/offline-column.js';
import { FeatureGroupRecords, type FeatureGroupRecord } from './metadata/feature-group-records.js';
import { offlineTableDirectory } from './offline/table/offline-table-location.js';
import { onlineTableDefinition, onlineTableName } from './online/online-table.js';
import type { ProjectRecord } from './project/project.js';
import { parseStatisticsConfig } from './statistics/statistics-config.js';
import { parseExpectationSuite } from './validation/expectation-suite.js';
import type { FeatureStore as FeatureStoreInterface } from '../sdk/feature-store.js';
import type { TransformationFunctionOptions, UserTransformationFunction } from './transformation/transformation-function.js';
import { viewTransformations } from './transformation/view-transformations.js';

/**
 * Data files of offline tables are single blocks (DuckDB and delta-rs read them in place), so their directories keep
 * every byte in blocks and allow blocks far larger than the files the writer rolls (see offline-table-writer).
 */
export const OFFLINE_DATA_POLICY = { inlineMax: 0, smallMax: 0, blockSize: 2 ** 30 };

/**
 * Delta commit files live in the database (they are small files, read whole at every time-travel lookup of the
 * log), up to the largest small file the policy allows: a commit that rewrites hundreds of files lists them all.
 */
export const DELTA_LOG_POLICY = { ...DEFAULT_STORAGE_POLICY, smallMax: 16 * 1024 * 1024 };

/** A project's feature store (HSFS `FeatureStore`): its feature groups and feature views. */
export class FeatureStore implements FeatureStoreInterface {
  private readonly records: FeatureGroupRecords;
  private readonly views = new FeatureViewRecords();

  constructor(
    private readonly ctx: FeatureStoreContext,
    readonly project: ProjectRecord,
    /**
     * Who the feature groups, views and training datasets it creates are recorded as created by: the user Humle
     * acts as, unless a server acting for its callers names the caller.
     */
    readonly creator: string = ctx.user,
  ) {
    this.records = new FeatureGroupRecords(ctx.engine.dialect);
  }

  get name(): string {
    return `${this.project.name.toLowerCase()}_featurestore`;
  }

  /**
   * Creates a feature group version: its metadata, its offline table directory (a Delta table from the first
   * insert) and, when online-enabled and the schema is given, its online table.
   */
  async createFeatureGroup(spec: FeatureGroupSpec): Promise<FeatureGroup> {
    const checked = checkFeatureGroupSpec(spec);
    const { engine } = this.ctx;
    const version = checked.version ?? (await engine.read((tx) => this.records.latestVersion(tx, this.project.id, checked.name))) + 1;
    if ((await engine.read((tx) => this.records.find(tx, this.project.id, checked.name, version))) !== undefined) {
      throw new FeatureGroupExistsError(`feature group ${checked.name} version ${version} already exists`, { name: checked.name, version });
    }
    const record: FeatureGroupRecord = {
      id: await this.ctx.featureGroupIds.takeOne(),
      projectId: this.project.id,
      name: checked.name,
      version,
      description: checked.description,
      features: checked.features,
      primaryKey: checked.primaryKey,
      eventTime: checked.eventTime,
      partitionKey: checked.partitionKey,
      onlineEnabled: checked.onlineEnabled,
      // Parsed now, so a bad config or expectation is refused before anything exists; without features (schema
      // inferred later) they are checked against the features again at the first insert.
      statisticsConfig: parseStatisticsConfig(spec.statisticsConfig, checked.features.length > 0 ? checked.features : undefined),
      expectations: parseExpectationSuite(spec.expectations, checked.features.length > 0 ? checked.features : undefined),
      creator: this.creator,
      createdAt: Date.now(),
      deltaVersion: -1,
      oldestVersion: 0,
    };
    // Directories and the online table come before the record (DDL commits on its own on MySQL): a crash between
    // leaves an empty directory and table that a new create of the same version reuses.
    const tableDir = this.tableDirectory(checked.name, version);
    await this.ctx.fs.mkdirs(`${tableDir}/_delta_log`);
    await this.ctx.fs.setStoragePolicy(tableDir, OFFLINE_DATA_POLICY);
    await this.ctx.fs.setStoragePolicy(`${tableDir}/_delta_log`, DELTA_LOG_POLICY);
    if (record.onlineEnabled && record.features.length > 0) {
      await engine.createTable(onlineTableDefinition(onlineTableName(this.project.id, record.name, version), record.features));
    }
    try {
      await engine.write(async (tx) => {
        await this.records.insert(tx, record);
        if (record.features.length > 0) await this.records.recordSchema(tx, record.id, -1, record.features, record.createdAt);
      });
    } catch (error) {
      if ((await engine.read((tx) => this.records.find(tx, this.project.id, checked.name, version))) !== undefined) {
        throw new FeatureGroupExistsError(`feature group ${checked.name} version ${version} already exists`, { name: checked.name, version });
      }
      throw error;
    }
    return this.open(record);
  }

  /** A feature group version; the newest version when `version` is omitted. */
  async getFeatureGroup(name: string, version?: number): Promise<FeatureGroup> {
    const record = await this.ctx.engine.read((tx) => this.records.find(tx, this.project.id, name, version));
    if (record === undefined) {
      throw new FeatureGroupNotFoundError(`feature group ${name}${version === undefined ? '' : ` version ${version}`} not found`, { name, version });
    }
    return this.open(record);
  }

  /** The given version (or the newest) if it exists, else a new one from `spec`. */
  async getOrCreateFeatureGroup(spec: FeatureGroupSpec): Promise<FeatureGroup> {
    const found = await this.ctx.engine.read((tx) => this.records.find(tx, this.project.id, spec.name, spec.version));
    if (found !== undefined) return this.open(found);
    try {
      return await this.createFeatureGroup(spec);
    } catch (error) {
      // Another caller created it first: theirs is the one to use.
      if (error instanceof FeatureGroupExistsError) return this.getFeatureGroup(spec.name, spec.version);
      throw error;
    }
  }

  /** Every version of `name`, or every feature group of the project. */
  async getFeatureGroups(name?: string): Promise<FeatureGroup[]> {
    const records = await this.ctx.engine.read((tx) => this.records.list(tx, this.project.id, name));
    return records.map((r) => this.open(r));
  }

  // ---- feature views ------------------------------------------------------------------------------------------------

  /**
   * Creates a feature view version (HSFS `create_feature_view`). A view is immutable: creating a version that exists
   * with the same definition (query, labels, helper columns, transformation functions) returns it, with another
   * definition is refused (FeatureViewExistsError); a changed query is a new version. Without `version`, the next
   * one is created.
   */
  async createFeatureView(spec: FeatureViewSpec): Promise<FeatureView> {
    const { name, version: given, description, definition } = checkFeatureViewSpec(spec);
    viewTransformations(this.ctx.transformationFunctions, definition, spec.query.features);
    const { engine } = this.ctx;
    const version = given ?? (await engine.read((tx) => this.views.latestVersion(tx, this.project.id, name))) + 1;
    const existing = await engine.read((tx) => this.views.find(tx, this.project.id, name, version));
    if (existing !== undefined) return this.sameOrRefused(existing, definition);
    const record: FeatureViewRecord = {
      id: await this.ctx.featureViewIds.takeOne(),
      projectId: this.project.id,
      name,
      version,
      description,
      ...definition,
      creator: this.creator,
      createdAt: Date.now(),
    };
    try {
      await engine.write((tx) => this.views.insert(tx, record));
    } catch (error) {
      // Another caller created the version first: theirs stands, if it is the same view.
      const raced = await engine.read((tx) => this.views.find(tx, this.project.id, name, version));
      if (raced !== undefined) return this.sameOrRefused(raced, definition);
      throw error;
    }
    return this.openView(record);
  }

  /** A feature view version; the newest when `version` is omitted. */
  async getFeatureView(name: string, version?: number): Promise<FeatureView> {
    const record = await this.ctx.engine.read((tx) => this.views.find(tx, this.project.id, name, version));
    if (record === undefined) {
      throw new FeatureViewNotFoundError(`feature view ${name}${version === undefined ? '' : ` version ${version}`} not found`, { name, version });
    }
    return this.openView(record);
  }

  /** Every version of `name`, or every feature view of the project. */
  async getFeatureViews(name?: string): Promise<FeatureView[]> {
    const records = await this.ctx.engine.read((tx) => this.views.list(tx, this.project.id, name));
    return Promise.all(records.map((r) => this.openView(r)));
  }

  /**
   * The view with this definition: with `version`, that version (created if missing, refused if it differs); without,
   * the newest version whose definition is this one, else a new version.
   */
  async getOrCreateFeatureView(spec: FeatureViewSpec): Promise<FeatureView> {
    const { name, version, definition } = checkFeatureViewSpec(spec);
    if (version === undefined) {
      const versions = await this.ctx.engine.read((tx) => this.views.list(tx, this.project.id, name));
      const same = versions.reverse().find((v) => sameDefinition(definitionOf(v), definition));
      if (same !== undefined) return this.openView(same);
    }
    return this.createFeatureView(spec);
  }

  /**
   * Registers a transformation function for views to use by name (HSFS `create_transformation_function`), in this
   * Humle instance: views store the name and version only, so a process registers its functions before it creates,
   * reads or serves a view that uses them (else TransformationFunctionNotFoundError). `fn(values, statistics)` gets
   * one row's input values and, per input, the train-split statistics that `options.statistics` asks for.
   */
  registerTransformationFunction(name: string, fn: UserTransformationFunction, options: TransformationFunctionOptions = {}): void {
    this.ctx.transformationFunctions.register(name, fn, options);
  }

  /** The DuckDB statement that reads `query` (one of this feature store's), its result's columns and failure. */
  queryStatement(query: Query): Promise<{ sql: string; columns: OfflineColumn[]; failure: (error: Error) => Promise<Error> }> {
    return this.ctx.queries.statement(query.toJSON());
  }

  tableDirectory(name: string, version: number): string {
    return offlineTableDirectory(this.project.name, name, version);
  }

  private open(record: FeatureGroupRecord): FeatureGroup {
    return new FeatureGroup(this.ctx, this, record);
  }

  private async openView(record: FeatureViewRecord): Promise<FeatureView> {
    return new FeatureView(this.ctx, this, record, await currentRecords(this.ctx, record.query));
  }

  private sameOrRefused(existing: FeatureViewRecord, definition: FeatureViewDefinition): Promise<FeatureView> {
    if (!sameDefinition(definitionOf(existing), definition)) {
      throw new FeatureViewExistsError(
        `feature view ${existing.name} version ${existing.version} exists with another definition: views are immutable, create a new version`,
        { name: existing.name, version: existing.version },
      );
    }
    return this.openView(existing);
  }
}
