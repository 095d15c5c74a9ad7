import type { FeatureStoreContext } from './featurestore/featurestore-context.js';
import { checkOfflineTables, type OfflineTablesReport } from './featurestore/offline/table/offline-table-check.js';
import type { FileSystem } from './fs/file-system.js';
import type { FsckOptions, FsckReport } from './fs/fsck.js';

/** humle fs's fsck report, with the feature store's offline tables; `healthy` only when both are. */
export interface HumleFsckReport extends FsckReport {
  featureStore: OfflineTablesReport;
}

/**
 * fsck of a data directory: humle fs's namespace against its block store and itself (FileSystem.fsck, superuser
 * only, so `userFs` is humle fs as the caller; with `repair` it repairs first), then every offline table against what its commits recorded. humle fs knows
 * nothing of the feature store, so the two checks meet here, above both. A damaged data file cannot be repaired
 * from anything Humle keeps: it is reported, never "repaired".
 */
export async function runHumleFsck(ctx: FeatureStoreContext, userFs: FileSystem, options: FsckOptions): Promise<HumleFsckReport> {
  // As the caller: fsck refuses anyone but the superuser, before the tables are read with the superuser's view.
  const namespace = await userFs.fsck(options);
  const featureStore = await checkOfflineTables(ctx, userFs.asSuperuser());
  return { ...namespace, healthy: namespace.healthy && featureStore.corrupt.length === 0, featureStore };
}
