import type { FeatureGroup } from '../feature-group.js';
import type { FeatureStore } from '../feature-store.js';
import type { FeatureStoreContext } from '../featurestore-context.js';
import { OnlineTable } from '../online/online-table.js';
import { projectQuotaOf, type ProjectQuota } from './project-quota.js';

/** A feature group version's online table. */
export interface OnlineUsage {
  /** Rows in the table (one per primary key), counted exactly. */
  rows: number;
  /** The rows (with the primary key where the engine keeps rows in it) and the other indexes; see Engine.tableSize. */
  dataBytes: number;
  indexBytes: number;
  /** dataBytes + indexBytes. */
  bytes: number;
}

/**
 * A feature group version's offline table: its whole Delta table directory in humle fs, data files and `_delta_log`,
 * every version still on disk (time travel keeps replaced files until a vacuum deletes them).
 */
export interface OfflineUsage {
  directory: string;
  bytes: number;
  files: number;
}

export interface FeatureGroupUsage {
  name: string;
  version: number;
  /** Null for a feature group that is not online-enabled. */
  online: OnlineUsage | null;
  offline: OfflineUsage;
}

/** The project directory in humle fs, everything below it counted (HDFS's content summary). */
export interface ProjectFsUsage {
  directory: string;
  /** Bytes of the files. */
  bytes: number;
  /** Bytes × replication: what the space quota counts. */
  spaceConsumed: number;
  files: number;
  /** Directories, the project directory included. */
  directories: number;
}

/**
 * What a project takes, as RonDB's ndbinfo memory tables let Hopsworks account for each project: online bytes and
 * rows per feature group version, offline bytes and files, the project's humle fs totals and its quotas.
 */
export interface ProjectUsage {
  project: string;
  featureGroups: FeatureGroupUsage[];
  fs: ProjectFsUsage;
  quota: ProjectQuota;
}

async function onlineUsage(ctx: FeatureStoreContext, group: FeatureGroup): Promise<OnlineUsage | null> {
  if (group.onlineTable === null) return null;
  // A group whose schema comes from its first insert gets its online table at that insert.
  if (group.features.length === 0) return { rows: 0, dataBytes: 0, indexBytes: 0, bytes: 0 };
  const table = new OnlineTable(ctx.engine.dialect, group.onlineTable, group.features);
  const rows = await ctx.engine.read((tx) => table.count(tx));
  const { dataBytes, indexBytes } = await ctx.engine.tableSize(group.onlineTable);
  return { rows, dataBytes, indexBytes, bytes: dataBytes + indexBytes };
}

async function offlineUsage(ctx: FeatureStoreContext, group: FeatureGroup): Promise<OfflineUsage> {
  const summary = await ctx.fs.getContentSummary(group.location);
  return { directory: group.location, bytes: summary.length, files: summary.fileCount };
}

/**
 * Measures a project as `ctx`'s user sees it (humle fs checks that it may read every directory it counts). Each
 * figure is read on its own, so figures taken while others write may be a commit apart.
 */
export async function measureProjectUsage(ctx: FeatureStoreContext, featureStore: FeatureStore, directory: string): Promise<ProjectUsage> {
  const featureGroups: FeatureGroupUsage[] = [];
  for (const group of await featureStore.getFeatureGroups()) {
    featureGroups.push({ name: group.name, version: group.version, online: await onlineUsage(ctx, group), offline: await offlineUsage(ctx, group) });
  }
  const summary = await ctx.fs.getContentSummary(directory);
  return {
    project: featureStore.project.name,
    featureGroups,
    fs: { directory, bytes: summary.length, spaceConsumed: summary.spaceConsumed, files: summary.fileCount, directories: summary.directoryCount },
    quota: projectQuotaOf({ ...summary, fileAndDirectoryCount: summary.fileCount + summary.directoryCount }),
  };
}
