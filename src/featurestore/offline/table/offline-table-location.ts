import { ProjectRegistry } from '../../project/project-registry.js';
import { featureStoreDirectory } from '../../project/project-name.js';
import type { ProjectRegistryContext } from '../../project/project-registry.js';
import type { FeatureGroupRecord } from '../../metadata/feature-group-records.js';

/** The humle fs directory of a feature group version's offline table: `<feature store directory>/<name>_<version>`. */
export function offlineTableDirectory(projectName: string, name: string, version: number): string {
  return `${featureStoreDirectory(projectName)}/${name}_${version}`;
}

/**
 * The offline table directory of a group known only by its record (a failed read names the damaged file by its
 * humle fs path): its project's name is looked up. Undefined if the project is gone meanwhile.
 */
export async function offlineTableDirectoryOf(ctx: ProjectRegistryContext, record: FeatureGroupRecord): Promise<string | undefined> {
  const project = await new ProjectRegistry(ctx).findById(record.projectId);
  return project === undefined ? undefined : offlineTableDirectory(project.name, record.name, record.version);
}
