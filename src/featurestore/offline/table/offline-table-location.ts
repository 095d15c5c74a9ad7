import { ProjectRegistry } from '../../project/project-registry.js';
import { featureStoreDirectory } from '../../project/project-name.js';
import type { ProjectRegistryContext } from '../../project/project-registry.js';
import type { FeatureGroupRecord } from '../../metadata/feature-group-records.js';
import type { DataFileDamagedError } from '../offline-store-errors.js';
import { findDamagedDataFile, type TableDataFiles } from './damaged-data-files.js';
import type { DataFile } from './data-files.js';

/** The humle fs directory of a feature group version's offline table: `<feature store directory>/<name>_<version>`. */
export function offlineTableDirectory(projectName: string, name: string, version: number): string {
  return `${featureStoreDirectory(projectName)}/${name}_${version}`;
}

/**
 * The offline table directory of a group known only by its record (a failed read names the damaged file by its
 * humle fs path): its project's name is looked up. Undefined if the project is gone meanwhile.
 */
async function offlineTableDirectoryOf(ctx: ProjectRegistryContext, record: FeatureGroupRecord): Promise<string | undefined> {
  const project = await new ProjectRegistry(ctx).findById(record.projectId);
  return project === undefined ? undefined : offlineTableDirectory(project.name, record.name, record.version);
}

/**
 * findDamagedDataFile over the data files of groups known by their records, as every read that failed in DuckDB has
 * them (snapshot reads, queries, statistics): their directories are looked up only now, when a read failed.
 */
export async function findDamagedGroupFile(
  ctx: ProjectRegistryContext,
  groups: readonly { record: FeatureGroupRecord; files: readonly DataFile[] }[],
  failure: Error,
): Promise<DataFileDamagedError | undefined> {
  const tables: TableDataFiles[] = [];
  for (const { record, files } of groups) {
    const tableDir = await offlineTableDirectoryOf(ctx, record);
    if (tableDir !== undefined) tables.push({ tableDir, files });
  }
  return findDamagedDataFile(ctx.fs.blockStore, tables, failure);
}
