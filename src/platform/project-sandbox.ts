import type { FileSystem } from '../fs/file-system.js';
import type { UserContext } from '../fs/namespace/permissions.js';
import { parsePath } from '../fs/paths.js';
import { projectDirectory } from '../featurestore/project/project-name.js';
import { fsAccessOf } from './project-role.js';
import type { Membership } from './project-members.js';

/**
 * How a project is a sandbox in humle fs, as in Hopsworks: /Projects/<name> belongs to the project's owner and to a
 * group named after the project, mode 0770, so nobody outside the group even traverses it; new entries inherit the
 * group (HDFS's BSD rule). Members hold the group with their role's access as a group grant (UserContext.groupAccess),
 * so data owners may write anything of the project and data scientists only read it, whatever the mode bits.
 */
export const PROJECT_DIRECTORY_MODE = 0o770;

const PROJECTS_ROOT = '/Projects';

/** The humle fs group of a project: its name, as Hopsworks names the project's HDFS group. */
export function projectGroup(project: string): string {
  return project;
}

/** Gives an existing or new project directory its owner, group and mode; safe to repeat. */
export async function prepareProjectDirectory(admin: FileSystem, project: string, owner: string): Promise<void> {
  const dir = projectDirectory(project);
  // /Projects itself stays traversable by everyone: mkdirs would give an implied parent the project's mode.
  await admin.mkdirs(PROJECTS_ROOT, { permission: 0o755 });
  await admin.mkdirs(dir, { permission: PROJECT_DIRECTORY_MODE });
  await admin.setOwner(dir, owner, projectGroup(project));
  await admin.setPermission(dir, PROJECT_DIRECTORY_MODE);
}

/** The project a humle fs path lies in (`/Projects/<name>` or below it); undefined for other paths and /Projects itself. */
export function projectOfPath(path: string): string | undefined {
  const components = parsePath(path);
  return components.length >= 2 && components[0] === 'Projects' ? components[1] : undefined;
}

/** Who a user is in humle fs: the groups of its projects, each with its role's access. */
export function fsIdentityOf(user: string, memberships: readonly Membership[]): UserContext {
  const groupAccess: Record<string, number> = {};
  for (const m of memberships) groupAccess[projectGroup(m.project)] = fsAccessOf(m.role);
  return { user, groups: Object.keys(groupAccess), groupAccess };
}
