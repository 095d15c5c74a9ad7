import type { Engine, Transaction } from '../db/engine.js';
import { InvalidArgumentError } from '../errors/humle-error.js';
import { AuthenticationError, MemberNotFoundError } from '../errors/platform-errors.js';
import { ProjectNotFoundError } from '../errors/project-errors.js';
import type { FileSystem } from '../fs/file-system.js';
import { checkProjectName } from '../featurestore/project/project-name.js';
import type { ProjectRegistry } from '../featurestore/project/project-registry.js';
import type { ProjectRecord } from '../featurestore/project/project.js';
import { setProjectQuota, type ProjectQuota } from '../featurestore/project/project-quota.js';
import { claimFeatureStoreDirectory } from '../featurestore/project/feature-store-principal.js';
import { readAccessGeneration } from './access-generation.js';
import { API_KEY_SCOPES, type ApiKeyScope } from './api-key-scopes.js';
import { ApiKeyRegistry } from './api-keys.js';
import { platformMigrations } from './platform-schema.js';
import { Principal } from './principal.js';
import { ProjectMembers, type ProjectMember } from './project-members.js';
import { checkAssignableRole, type ProjectRole } from './project-role.js';
import { prepareProjectDirectory } from './project-sandbox.js';
import { checkUserName } from './user-name.js';
import { UserRegistry } from './users.js';

/** A project as one of its members sees it. */
export interface ProjectView extends ProjectRecord {
  role: ProjectRole;
}

/**
 * Users, API keys and project membership, and what they mean in humle fs. Methods here act as the administrator;
 * ProjectAccess puts a caller's rights in front of them.
 */
export class Platform {
  readonly users: UserRegistry;
  readonly apiKeys: ApiKeyRegistry;
  readonly members: ProjectMembers;

  private constructor(
    private readonly engine: Engine,
    /** humle fs as its superuser: project directories change owner and group, which only the superuser may do. */
    private readonly admin: FileSystem,
    private readonly projects: ProjectRegistry,
  ) {
    this.users = new UserRegistry(engine);
    this.apiKeys = new ApiKeyRegistry(engine, this.users);
    this.members = new ProjectMembers(engine);
  }

  /**
   * Migrates the platform's tables (after the feature store's: members reference projects), adopts orphans and gives
   * feature store directories made by older versions to the feature store's principal (claimFeatureStoreDirectory).
   */
  static async open(engine: Engine, fs: FileSystem, projects: ProjectRegistry): Promise<Platform> {
    await engine.migrate('platform', platformMigrations);
    const platform = new Platform(engine, fs.asSuperuser(), projects);
    await platform.adoptProjectsWithoutMembers();
    for (const project of await projects.list()) await claimFeatureStoreDirectory(platform.admin, project.name);
    return platform;
  }

  /**
   * A project row without members was made before the platform existed, or by a create cut short between its steps:
   * its recorded owner becomes its owner member, and its directory gets the sandbox's owner, group and mode.
   */
  private async adoptProjectsWithoutMembers(): Promise<void> {
    const orphans = await this.engine.read((tx) =>
      tx.all<{ id: number; name: string; owner: string }>(
        'SELECT p.id, p.name, p.owner FROM hm_projects p LEFT JOIN hm_project_members m ON m.project_id = p.id WHERE m.project_id IS NULL',
      ),
    );
    for (const orphan of orphans) await this.makeOwner({ id: Number(orphan.id), name: orphan.name }, orphan.owner);
  }

  private async makeOwner(project: { id: number; name: string }, owner: string): Promise<void> {
    await prepareProjectDirectory(this.admin, project.name, owner);
    await this.engine.write(async (tx) => {
      await this.users.ensureIn(tx, owner);
      if ((await this.members.roleOfIn(tx, project.id, owner)) === undefined) await this.members.addIn(tx, project.id, project.name, owner, 'owner');
    });
  }

  /**
   * Creates a project owned by `owner` (made a user if it is not one). The directory is prepared first, so the
   * feature store's directory inside it inherits the project's group; a crash between the steps leaves a project
   * without members, adopted at the next open.
   */
  async createProject(name: string, owner: string): Promise<ProjectRecord> {
    checkProjectName(name);
    checkUserName(owner);
    // The project's group is its name: a project named as the supergroup would make its members superusers.
    if (name === this.admin.supergroup) throw new InvalidArgumentError(`${name} is a reserved name`, { name });
    if ((await this.projects.find(name)) === undefined) await prepareProjectDirectory(this.admin, name, owner);
    const record = await this.projects.create(name, owner);
    await this.makeOwner(record, owner);
    return record;
  }

  async listProjects(user: string): Promise<ProjectView[]> {
    const memberships = await this.engine.read((tx) => this.members.membershipsOfIn(tx, user));
    const views: ProjectView[] = [];
    for (const m of memberships) {
      const record = await this.projects.find(m.project);
      if (record !== undefined) views.push({ ...record, role: m.role });
    }
    return views;
  }

  /** A project as `user` sees it; ProjectNotFoundError alike for a project that does not exist and one it is not in. */
  async projectOf(user: string, name: string): Promise<ProjectView> {
    checkProjectName(name);
    const record = await this.projects.find(name);
    const role = record === undefined ? undefined : await this.engine.read((tx) => this.members.roleOfIn(tx, record.id, user));
    if (record === undefined || role === undefined) throw new ProjectNotFoundError(`project ${name} not found`, { project: name });
    return { ...record, role };
  }

  /** An existing project, for the administrator. */
  project(name: string): Promise<ProjectRecord> {
    return this.projects.get(name);
  }

  listMembers(project: ProjectRecord): Promise<ProjectMember[]> {
    return this.members.list(project.id);
  }

  /** Adds an existing user (UserNotFoundError otherwise) to the project. */
  async addMember(project: ProjectRecord, user: string, role: unknown): Promise<void> {
    checkUserName(user);
    const checked = checkAssignableRole(role);
    await this.engine.write(async (tx) => {
      await this.users.requireIn(tx, user);
      await this.members.addIn(tx, project.id, project.name, user, checked);
    });
  }

  async setMemberRole(project: ProjectRecord, user: string, role: unknown): Promise<void> {
    checkUserName(user);
    const checked = checkAssignableRole(role);
    await this.engine.write(async (tx) => {
      await this.refuseOwnerChange(tx, project, user);
      await this.members.setRoleIn(tx, project.id, project.name, user, checked);
    });
  }

  async removeMember(project: ProjectRecord, user: string): Promise<void> {
    checkUserName(user);
    await this.engine.write(async (tx) => {
      await this.refuseOwnerChange(tx, project, user);
      await this.members.removeIn(tx, project.id, project.name, user);
    });
  }

  /**
   * Bumped by every change of keys or memberships that can take access away or give it back, through any process
   * on this database: callers cached before it changed are stale (access-generation.ts, caller-cache.ts).
   */
  accessGeneration(): Promise<number> {
    return readAccessGeneration(this.engine);
  }

  /** Sets or removes the quotas of the project's directory (see ProjectQuotaSetting); returns the quotas now. */
  setProjectQuota(project: ProjectRecord, setting: unknown): Promise<ProjectQuota> {
    return setProjectQuota(this.admin, project.name, setting);
  }

  private async refuseOwnerChange(tx: Transaction, project: ProjectRecord, user: string): Promise<void> {
    const role = await this.members.roleOfIn(tx, project.id, user);
    if (role === undefined) throw new MemberNotFoundError(`${user} is not a member of ${project.name}`, { project: project.name, user });
    if (role === 'owner') throw new InvalidArgumentError(`${user} owns ${project.name}: the owner's membership cannot change`, { project: project.name, user });
  }

  /** The caller a presented API key stands for: one read of the key and the user's memberships. */
  async authenticate(key: string): Promise<Principal> {
    const found = await this.engine.read(async (tx) => {
      const info = await this.apiKeys.verifyIn(tx, key);
      return info === undefined ? undefined : { info, memberships: await this.members.membershipsOfIn(tx, info.user) };
    });
    if (found === undefined) throw new AuthenticationError('invalid API key');
    return new Principal(found.info.user, new Set(found.info.scopes), found.memberships, found.info.name);
  }

  /** A caller trusted by name (WebHDFS `user.name` on a server started --insecure): every scope, its own roles. */
  async trustedPrincipal(user: string): Promise<Principal> {
    checkUserName(user);
    const memberships = await this.engine.read((tx) => this.members.membershipsOfIn(tx, user));
    return new Principal(user, new Set<ApiKeyScope>(API_KEY_SCOPES), memberships, undefined);
  }
}
