import type { ProjectRecord } from '../featurestore/project/project.js';
import type { ProjectQuota, ProjectQuotaSetting } from '../featurestore/project/project-quota.js';
import type { ProjectUsage } from '../featurestore/project/project-usage.js';
import type { AssignableRole, ProjectRole } from '../platform/project-role.js';
import type { FeatureStore } from './feature-store.js';

export interface ProjectMember {
  user: string;
  role: ProjectRole;
  addedAt: Date;
}

/**
 * A Hopsworks-style project (embedded or on a server): a sandbox with its humle fs directory, one feature store, and
 * members with roles (owner, data owner, data scientist).
 */
export interface Project {
  readonly id: number;
  readonly name: string;
  readonly owner: string;
  readonly createdAt: Date;
  /** The project's directory in humle fs. */
  readonly directory: string;
  /** The project's feature store (HSFS: `project.get_feature_store()`). */
  featureStore(): FeatureStore;
  /** The members and their roles, by user name. */
  members(): Promise<ProjectMember[]>;
  /**
   * Adds a user as a data owner or data scientist. Embedded, a new user is created (the administrator makes users on
   * first use); a server takes only existing users (UserNotFoundError) and callers who own or data-own the project.
   */
  addMember(user: string, role: AssignableRole): Promise<void>;
  /** Changes a member's role (never the owner's). */
  setMemberRole(user: string, role: AssignableRole): Promise<void>;
  /** Removes a member (never the owner). */
  removeMember(user: string): Promise<void>;
  /**
   * What the project takes: per feature group version its online rows and bytes and its offline table's bytes and
   * files, the project directory's totals in humle fs, and its quotas with their use.
   */
  usage(): Promise<ProjectUsage>;
  /**
   * Sets or removes (null) the project directory's space and files quotas (the owner, or humle fs's superuser);
   * returns the quotas now. Writes beyond a quota fail with the fs quota errors and change nothing.
   */
  setQuota(setting: ProjectQuotaSetting): Promise<ProjectQuota>;
  toJSON(): ProjectRecord;
}
