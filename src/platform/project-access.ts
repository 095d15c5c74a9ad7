import { AccessDeniedError } from '../errors/platform-errors.js';
import type { ProjectQuota } from '../featurestore/project/project-quota.js';
import type { ProjectRecord } from '../featurestore/project/project.js';
import type { Platform, ProjectView } from './platform.js';
import type { ProjectMember } from './project-members.js';
import { mayInFeatureStore, mayManageMembers, maySetQuota, type FeatureStoreAction } from './project-role.js';
import type { Principal } from './principal.js';

/**
 * The platform as one caller may use it: every project call first finds the project among the caller's own (so a
 * project it is not in answers exactly as one that does not exist), then checks its key's scope and its role.
 */
export class ProjectAccess {
  constructor(private readonly platform: Platform) {}

  listProjects(caller: Principal): Promise<ProjectView[]> {
    return this.platform.listProjects(caller.user);
  }

  /** The caller becomes the owner. */
  createProject(caller: Principal, name: string): Promise<ProjectRecord> {
    caller.requireScope('project:admin');
    return this.platform.createProject(name, caller.user);
  }

  project(caller: Principal, name: string): Promise<ProjectView> {
    return this.platform.projectOf(caller.user, name);
  }

  /** Sets the project's quotas: its owner, with a key that has project:admin (see maySetQuota). */
  async setQuota(caller: Principal, name: string, setting: unknown): Promise<ProjectQuota> {
    const project = await this.project(caller, name);
    caller.requireScope('project:admin');
    if (!maySetQuota(project.role)) {
      throw new AccessDeniedError(`a ${project.role} of ${name} cannot set its quotas: its owner does`, { project: name, role: project.role });
    }
    return this.platform.setProjectQuota(project, setting);
  }

  async listMembers(caller: Principal, name: string): Promise<ProjectMember[]> {
    return this.platform.listMembers(await this.project(caller, name));
  }

  async addMember(caller: Principal, name: string, user: string, role: unknown): Promise<void> {
    await this.platform.addMember(await this.managed(caller, name), user, role);
  }

  async setMemberRole(caller: Principal, name: string, user: string, role: unknown): Promise<void> {
    await this.platform.setMemberRole(await this.managed(caller, name), user, role);
  }

  async removeMember(caller: Principal, name: string, user: string): Promise<void> {
    await this.platform.removeMember(await this.managed(caller, name), user);
  }

  /**
   * A project whose feature store the caller may use for `action`: a member (else ProjectNotFoundError), with a key
   * that has featurestore:read for reads and featurestore:write for anything else, and a role that allows it.
   */
  async featureStoreProject(caller: Principal, name: string, action: FeatureStoreAction): Promise<ProjectView> {
    const project = await this.project(caller, name);
    caller.requireScope(action === 'read' ? 'featurestore:read' : 'featurestore:write');
    if (!mayInFeatureStore(project.role, action)) {
      throw new AccessDeniedError(`a ${project.role} of ${name} cannot write to its feature groups or delete its feature views and training datasets`, {
        project: name,
        role: project.role,
      });
    }
    return project;
  }

  /** A project whose members the caller may change: its key has project:admin and its role is owner or data owner. */
  private async managed(caller: Principal, name: string): Promise<ProjectView> {
    const project = await this.project(caller, name);
    caller.requireScope('project:admin');
    if (!mayManageMembers(project.role)) {
      throw new AccessDeniedError(`a ${project.role} of ${name} cannot change its members`, { project: name, role: project.role });
    }
    return project;
  }
}
