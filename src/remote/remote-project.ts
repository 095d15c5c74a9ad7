import type { ProjectRecord } from '../featurestore/project/project.js';
import { checkQuotaSetting, type ProjectQuota, type ProjectQuotaSetting } from '../featurestore/project/project-quota.js';
import type { ProjectUsage } from '../featurestore/project/project-usage.js';
import { projectDirectory } from '../featurestore/project/project-name.js';
import { checkAssignableRole, type AssignableRole, type ProjectRole } from '../platform/project-role.js';
import { checkUserName } from '../platform/user-name.js';
import type { Project, ProjectMember } from '../sdk/project.js';
import { RemoteFeatureStore } from './remote-feature-store.js';
import type { RemoteContext } from './remote-context.js';
import { segment } from './rest-client.js';

/** A project as the server describes it to one of its members. */
export interface ProjectJson {
  id: number;
  name: string;
  owner: string;
  createdAt: string;
  role: ProjectRole;
}

/** A project on a server, as the connection's user sees it. */
export class RemoteProject implements Project {
  private readonly path: string;

  constructor(
    private readonly ctx: RemoteContext,
    private readonly json: ProjectJson,
  ) {
    this.path = `/projects/${segment(json.name)}`;
  }

  get id(): number {
    return this.json.id;
  }
  get name(): string {
    return this.json.name;
  }
  get owner(): string {
    return this.json.owner;
  }
  get createdAt(): Date {
    return new Date(this.json.createdAt);
  }
  get directory(): string {
    return projectDirectory(this.json.name);
  }
  /** The connection user's role in the project. */
  get role(): ProjectRole {
    return this.json.role;
  }

  featureStore(): RemoteFeatureStore {
    return new RemoteFeatureStore(this.ctx, this.json.name);
  }

  async members(): Promise<ProjectMember[]> {
    const { items } = await this.ctx.client.json<{ items: { user: string; role: ProjectRole; addedAt: string }[] }>('GET', `${this.path}/members`);
    return items.map((m) => ({ user: m.user, role: m.role, addedAt: new Date(m.addedAt) }));
  }

  async addMember(user: string, role: AssignableRole): Promise<void> {
    checkUserName(user);
    checkAssignableRole(role);
    await this.ctx.client.json('POST', `${this.path}/members`, { json: { user, role } });
  }

  async setMemberRole(user: string, role: AssignableRole): Promise<void> {
    checkUserName(user);
    checkAssignableRole(role);
    await this.ctx.client.json('PUT', `${this.path}/members/${segment(user)}`, { json: { role } });
  }

  async removeMember(user: string): Promise<void> {
    checkUserName(user);
    await this.ctx.client.json('DELETE', `${this.path}/members/${segment(user)}`);
  }

  usage(): Promise<ProjectUsage> {
    return this.ctx.client.json<ProjectUsage>('GET', `${this.path}/usage`);
  }

  async setQuota(setting: ProjectQuotaSetting): Promise<ProjectQuota> {
    return this.ctx.client.json<ProjectQuota>('PUT', `${this.path}/quota`, { json: checkQuotaSetting(setting) });
  }

  toJSON(): ProjectRecord {
    return { id: this.json.id, name: this.json.name, owner: this.json.owner, createdAt: Date.parse(this.json.createdAt) };
  }
}
