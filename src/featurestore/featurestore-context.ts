import type { Engine } from '../db/engine.js';
import { openRowLookups, type RowLookups } from '../db/row-lookups.js';
import type { FileSystem } from '../fs/file-system.js';
import { IdAllocator } from '../fs/namespace/id-allocator.js';
import { featureStoreWriter } from './project/feature-store-principal.js';
import { OfflineQueryRunner } from './query/offline-query-runner.js';
import { StatisticsJobs } from './statistics/statistics-jobs.js';
import { TransformationFunctionRegistry } from './transformation/transformation-registry.js';

/** What every feature store object shares: the one database, humle fs on it, and id ranges for its own rows. */
export class FeatureStoreContext {
  readonly projectIds: IdAllocator;
  readonly featureGroupIds: IdAllocator;
  readonly featureViewIds: IdAllocator;
  readonly dataFileIds: IdAllocator;
  readonly statisticsJobs: StatisticsJobs;
  /** What reads every query of this Humle instance (queries join only queries of the same runner). */
  readonly queries: OfflineQueryRunner;
  /** Built-in and registered transformation functions: registrations last as long as this Humle instance. */
  readonly transformationFunctions = new TransformationFunctionRegistry();
  private lookups: Promise<RowLookups> | undefined;
  /**
   * humle fs as the feature store writes and reads its directories: as its principal, so what it makes is the
   * principal's (see featureStoreWriter); who may ask it for what is decided before (ProjectAccess, over the API).
   */
  readonly fs: FileSystem;

  constructor(
    readonly engine: Engine,
    /** humle fs as the user Humle was opened for. */
    readonly userFs: FileSystem,
    /** Worker threads that share feature vector lookups with this thread (SQLite). */
    private readonly servingWorkers = 1,
  ) {
    this.fs = featureStoreWriter(userFs);
    // The fs id counters are generic named ranges; the feature store takes its own names in the same table.
    this.projectIds = new IdAllocator(engine, 'project', 1, 100);
    this.featureGroupIds = new IdAllocator(engine, 'feature_group', 1, 100);
    this.featureViewIds = new IdAllocator(engine, 'feature_view', 1, 100);
    this.dataFileIds = new IdAllocator(engine, 'data_file', 1, 1000);
    this.statisticsJobs = new StatisticsJobs(this);
    this.queries = new OfflineQueryRunner(this);
  }

  /** The online store's lookups for feature vectors, opened (with their threads) at the first use. */
  rowLookups(): Promise<RowLookups> {
    return (this.lookups ??= openRowLookups(this.engine, { workers: this.servingWorkers }));
  }

  async closeRowLookups(): Promise<void> {
    if (this.lookups !== undefined) await (await this.lookups).close();
  }

  /** The user Humle was opened for. */
  get user(): string {
    return this.userFs.user.user;
  }
}
