import { AccessDeniedError } from '../../errors/platform-errors.js';
import type { Platform } from '../../platform/platform.js';
import type { AssignableRole } from '../../platform/project-role.js';
import type { Project as ProjectInterface, ProjectMember } from '../../sdk/project.js';
import { FeatureStore } from '../feature-store.js';
import type { FeatureStoreContext } from '../featurestore-context.js';
import { projectDirectory } from './project-name.js';
import { setProjectQuota, type ProjectQuota, type ProjectQuotaSetting } from './project-quota.js';
import type { ProjectRecord } from './project-record.js';
import { measureProjectUsage, type ProjectUsage } from './project-usage.js';

export type { ProjectRecord } from './project-record.js';

/**
 * A Hopsworks-style project: a sandbox with its own fs directory and one feature store. Its members are managed as
 * the data directory's administrator (see Platform): a user named here is created on first use.
 */
export class Project implements ProjectInterface {
  constructor(
    private readonly ctx: FeatureStoreContext,
    private readonly platform: Platform,
    private readonly record: ProjectRecord,
  ) {}

  get id(): number {
    return this.record.id;
  }

  get name(): string {
    return this.record.name;
  }

  get owner(): string {
    return this.record.owner;
  }

  get createdAt(): Date {
    return new Date(this.record.createdAt);
  }

  /** The project's directory in humle fs. */
  get directory(): string {
    return projectDirectory(this.record.name);
  }

  /**
   * The project's feature store (HSFS: `project.get_feature_store()`). A server acting for a caller gives the
   * caller as `creator`, whom what it creates is recorded as created by (default: the user Humle acts as).
   */
  featureStore(options: { creator?: string } = {}): FeatureStore {
    return new FeatureStore(this.ctx, this.record, options.creator ?? this.ctx.user);
  }

  async members(): Promise<ProjectMember[]> {
    return (await this.platform.listMembers(this.record)).map((m) => ({ ...m, addedAt: new Date(m.addedAt) }));
  }

  async addMember(user: string, role: AssignableRole): Promise<void> {
    await this.platform.users.ensure(user);
    await this.platform.addMember(this.record, user, role);
  }

  setMemberRole(user: string, role: AssignableRole): Promise<void> {
    return this.platform.setMemberRole(this.record, user, role);
  }

  removeMember(user: string): Promise<void> {
    return this.platform.removeMember(this.record, user);
  }

  /**
   * What the project takes: per feature group version its online rows and bytes and its offline table's bytes and
   * files, the project directory's totals in humle fs, and its quotas with their use.
   */
  usage(): Promise<ProjectUsage> {
    return measureProjectUsage(this.ctx, this.featureStore(), this.directory);
  }

  /**
   * Sets or removes (null) the space and files quotas of the project directory; returns the quotas now. Hopsworks
   * leaves quotas to its platform administrator; here that is humle fs's superuser, and the project's owner may set
   * them too (AccessDeniedError for anyone else). Writes beyond a quota fail with the fs quota errors and change nothing.
   */
  async setQuota(setting: ProjectQuotaSetting): Promise<ProjectQuota> {
    if (this.ctx.user !== this.record.owner && !this.ctx.userFs.isSuperuser) {
      throw new AccessDeniedError(`only the owner of ${this.name} or the administrator sets its quotas`, { project: this.name, user: this.ctx.user });
    }
    return setProjectQuota(this.ctx.fs.asSuperuser(), this.name, setting);
  }

  toJSON(): ProjectRecord {
    return { ...this.record };
  }
}
