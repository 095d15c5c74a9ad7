import type { FeatureStoreContext } from '../featurestore-context.js';
import { FeatureGroupRecords } from '../metadata/feature-group-records.js';
import { DataFiles } from '../offline/table/data-files.js';
import { findDamagedGroupFile } from '../offline/table/offline-table-location.js';
import { computeStatistics } from './compute-statistics.js';
import type { FeatureGroupStatistics } from './feature-statistics.js';
import { parseStatisticsConfig, type StatisticsConfig } from './statistics-config.js';
import { StatisticsStore } from './statistics-store.js';

/** Automatic statistics of one feature group start at most this often; commits in between share the next run. */
export const STATISTICS_MIN_INTERVAL_MS = 30_000;

/**
 * Statistics of a feature group's latest commit, computed after the commit and off its path, as Hopsworks runs its
 * statistics job after an insert: an insert returns once its commit is durable, and the statistics follow. They
 * describe the whole snapshot, so their cost grows with the table; to keep bulk ingestion cheap, a group's
 * automatic runs start at most once per STATISTICS_MIN_INTERVAL_MS and describe the newest commit at that time
 * (the commits in between get none). `now` (insert's `wait`) runs at once; close() runs what is pending.
 */
export class StatisticsJobs {
  private readonly running = new Map<number, Promise<void>>();
  private readonly again = new Set<number>();
  private readonly delayed = new Map<number, NodeJS.Timeout>();
  private readonly lastStarted = new Map<number, number>();

  constructor(
    private readonly ctx: FeatureStoreContext,
    private readonly minIntervalMs = STATISTICS_MIN_INTERVAL_MS,
  ) {}

  /**
   * Asks for statistics of the group's newest commit. With `now`, runs (or joins a run) at once and resolves once
   * statistics at least that new are stored; otherwise the run may wait for the interval, and this resolves at once.
   */
  schedule(fgId: number, options: { now?: boolean } = {}): Promise<void> {
    if (!options.now) {
      const since = Date.now() - (this.lastStarted.get(fgId) ?? 0);
      if (since < this.minIntervalMs || this.running.has(fgId)) {
        if (!this.delayed.has(fgId)) {
          const timer = setTimeout(() => void this.startDelayed(fgId), Math.max(0, this.minIntervalMs - since));
          // A pending run does not keep the process alive; close() runs it.
          timer.unref();
          this.delayed.set(fgId, timer);
        }
        return Promise.resolve();
      }
    }
    // A run starting now makes a pending delayed one redundant.
    clearTimeout(this.delayed.get(fgId));
    this.delayed.delete(fgId);
    return this.start(fgId);
  }

  /** Every pending and running job, pending ones started now. */
  async drain(): Promise<void> {
    for (const fgId of [...this.delayed.keys()]) void this.startDelayed(fgId);
    while (this.running.size > 0) await Promise.all(this.running.values());
  }

  private startDelayed(fgId: number): Promise<void> {
    clearTimeout(this.delayed.get(fgId));
    this.delayed.delete(fgId);
    return this.start(fgId);
  }

  private start(fgId: number): Promise<void> {
    const current = this.running.get(fgId);
    if (current !== undefined) {
      this.again.add(fgId);
      // The rerun starts when the current job ends; wait for it too.
      return current.then(() => this.running.get(fgId));
    }
    const job = this.loop(fgId).finally(() => this.running.delete(fgId));
    this.running.set(fgId, job);
    return job;
  }

  private async loop(fgId: number): Promise<void> {
    do {
      this.again.delete(fgId);
      this.lastStarted.set(fgId, Date.now());
      try {
        await computeLatest(this.ctx, fgId, false);
      } catch (error) {
        // The commit stands whatever happens here. A group deleted meanwhile needs no statistics; anything else is
        // worth a warning.
        const exists = await this.ctx.engine.read((tx) => new FeatureGroupRecords(this.ctx.engine.dialect).byId(tx, fgId)).catch(() => undefined);
        if (exists !== undefined) {
          process.emitWarning(`statistics of feature group ${fgId} were not computed: ${(error as Error).message}`, 'HumleStatisticsWarning');
        }
      }
    } while (this.again.has(fgId));
  }
}

/**
 * Computes and stores the statistics of the group's newest commit, over its whole snapshot (DuckDB reading the data
 * files in place). `force` computes them even when the group's statistics config disables them (on demand).
 */
export async function computeLatest(ctx: FeatureStoreContext, fgId: number, force: boolean): Promise<{ commitId: number; statistics: FeatureGroupStatistics } | undefined> {
  const record = await ctx.engine.read((tx) => new FeatureGroupRecords(ctx.engine.dialect).byId(tx, fgId));
  if (record === undefined || record.deltaVersion < 0) return undefined;
  const config: StatisticsConfig = parseStatisticsConfig(record.statisticsConfig, record.features);
  if (!config.enabled && !force) return undefined;
  const files = await ctx.engine.read((tx) => new DataFiles().liveAt(tx, fgId, record.deltaVersion));
  const scanFiles = files.map((f) => ({ localPath: ctx.fs.blockStore.localPath(f.blockId)!, partitionValues: f.partitionValues }));
  const statistics = await computeStatistics(scanFiles, record.features, config).catch(async (error: Error) => {
    // A damaged data file is named by its humle fs path (see findDamagedDataFile); other failures stay as they are.
    throw (await findDamagedGroupFile(ctx, [{ record, files }], error)) ?? error;
  });
  await ctx.engine.write((tx) => new StatisticsStore(ctx.engine.dialect).save(tx, fgId, record.deltaVersion, statistics));
  return { commitId: record.deltaVersion, statistics };
}
