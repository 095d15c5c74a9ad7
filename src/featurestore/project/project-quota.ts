import { InvalidArgumentError } from '../../errors/humle-error.js';
import type { FileSystem } from '../../fs/file-system.js';
import { NO_QUOTA } from '../../fs/namespace/quota-store.js';
import { projectDirectory } from './project-name.js';

/**
 * A change to a project's quotas, which are humle fs's directory quotas on /Projects/<name> (HopsFS quotas, as
 * Hopsworks sets them per project): a number sets a limit, null removes it, a field left out keeps it.
 */
export interface ProjectQuotaSetting {
  /** Bytes × replication allowed below the project directory (HDFS's space quota). */
  space?: number | null;
  /**
   * Names allowed: files and directories below the project directory and the directory itself, which is what HDFS's
   * namespace quota counts.
   */
  files?: number | null;
}

/** A project's quotas (null: no limit) and what counts against them now. */
export interface ProjectQuota {
  space: number | null;
  /** Bytes × replication of every file below the project directory. */
  spaceUsed: number;
  files: number | null;
  /** Files and directories, the project directory included. */
  filesUsed: number;
}

/** What humle fs reports about a directory's quotas (getQuotaUsage; a content summary has the same fields). */
interface DirectoryQuotaUsage {
  quota: number;
  spaceQuota: number;
  spaceConsumed: number;
  fileAndDirectoryCount: number;
}

export function projectQuotaOf(usage: DirectoryQuotaUsage): ProjectQuota {
  return {
    space: usage.spaceQuota === NO_QUOTA ? null : usage.spaceQuota,
    spaceUsed: usage.spaceConsumed,
    files: usage.quota === NO_QUOTA ? null : usage.quota,
    filesUsed: usage.fileAndDirectoryCount,
  };
}

const SETTING_FIELDS = ['space', 'files'] as const;

/** A setting with known fields only, at least one of them, each a non-negative integer or null. */
export function checkQuotaSetting(setting: unknown): ProjectQuotaSetting {
  if (typeof setting !== 'object' || setting === null || Array.isArray(setting)) {
    throw new InvalidArgumentError('a quota setting is an object { space?, files? }', {});
  }
  const unknown = Object.keys(setting).filter((key) => !(SETTING_FIELDS as readonly string[]).includes(key));
  if (unknown.length > 0) throw new InvalidArgumentError(`unknown quota fields: ${unknown.join(', ')} (use space and files)`, { unknown });
  const given = setting as Record<string, unknown>;
  if (SETTING_FIELDS.every((field) => given[field] === undefined)) {
    throw new InvalidArgumentError('give space and/or files: a limit, or null to remove it', {});
  }
  for (const field of SETTING_FIELDS) {
    const value = given[field];
    if (value !== undefined && value !== null && (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0)) {
      throw new InvalidArgumentError(`${field} must be a non-negative integer, or null to remove the limit`, { [field]: value });
    }
  }
  return { space: given.space as number | null | undefined, files: given.files as number | null | undefined };
}

/**
 * Sets the quotas of a project's directory and returns them. `admin` is humle fs as its superuser: HDFS lets only the
 * superuser set quotas, so callers decide who may ask (the project's owner, or the administrator) before calling.
 * Writes that would pass a limit fail from then on with the fs quota errors and change nothing.
 */
export async function setProjectQuota(admin: FileSystem, project: string, setting: unknown): Promise<ProjectQuota> {
  const checked = checkQuotaSetting(setting);
  const directory = projectDirectory(project);
  await admin.setQuota(directory, { namespace: checked.files, space: checked.space });
  return projectQuotaOf(await admin.getQuotaUsage(directory));
}
