import type { FileSystem } from '../fs/file-system.js';
import type { UserContext } from '../fs/namespace/permissions.js';
import type { SandboxGrant } from '../fs/namespace/sandboxes.js';
import { parsePath } from '../fs/paths.js';
import { featureStoreDirectory, projectDirectory } from '../featurestore/project/project-name.js';
import { controlsProjectFiles, fsAccessOf } from './project-role.js';
import type { Membership } from './project-members.js';

/**
 * How a project is a sandbox in humle fs, as in Hopsworks: /Projects/<name> belongs to the project's owner and to a
 * group named after the project, mode 0770, so nobody outside the group even traverses it; new entries inherit the
 * group (HDFS's BSD rule). What a member may do inside follows from its membership and role in that project alone,
 * as read when its request is authenticated (UserContext.sandboxes, from fsIdentityOf): never from the group or mode
 * bits of an inode, so a demoted member loses write at once wherever it wrote before, and no member can lock the
 * project's owner out or open a directory to another project by giving it that project's group.
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

/**
 * What a member may do in its project's directory: its role's access on everything (data owners and the owner rwx,
 * data scientists r-x), the owner in control of everything (chmod, chgrp, deletes whoever made the entry), the
 * project's group the only one an entry may get, and the feature store's directory read-only to every member: the
 * feature store alone writes it (see FEATURE_STORE_USER).
 */
export function projectGrant(membership: Membership): SandboxGrant {
  const featureStoreEntry = parsePath(featureStoreDirectory(membership.project)).at(-1)!;
  return {
    access: fsAccessOf(membership.role),
    controlsAll: controlsProjectFiles(membership.role),
    group: projectGroup(membership.project),
    readOnlyEntries: [featureStoreEntry],
  };
}

/**
 * Who a user is in humle fs: the groups of its projects (for the mode bits outside /Projects) and a sandbox grant
 * for each of its projects; the projects it is not in do not exist for it.
 */
export function fsIdentityOf(user: string, memberships: readonly Membership[]): UserContext {
  const grants: Record<string, SandboxGrant> = {};
  for (const m of memberships) grants[m.project] = projectGrant(m);
  return { user, groups: memberships.map((m) => projectGroup(m.project)), sandboxes: { root: parsePath(PROJECTS_ROOT), grants } };
}
