import { FileNotFoundError } from '../../errors/fs-errors.js';
import type { FileSystem } from '../../fs/file-system.js';
import { featureStoreDirectory } from './project-name.js';

/**
 * The system user that owns every project's feature store directory (`/Projects/<p>/<p>_featurestore.db`) and all
 * it holds, as Hopsworks' feature store service owns the Hive databases of its projects. It is not a person: no
 * platform user may take the name (checkUserName refuses it), so no API key ever acts as it. It belongs to humle fs's
 * supergroup, so the feature store writes its tables wherever it must, whatever a member's role says; members read
 * and traverse the directory (project-sandbox.ts makes it read-only to them) and change nothing in it.
 */
export const FEATURE_STORE_USER = 'featurestore';

/**
 * humle fs as the feature store writes it: as its principal, whoever Humle was opened for, so everything it makes is
 * the principal's. An embedded Humle administers its data directory (whoever opens it reaches the database itself),
 * so a Humle opened by another user than the superuser writes its feature stores as well; rights over the API are
 * the platform's (ProjectAccess), and humle fs's views of API callers (Principal.fsView) never write there.
 */
export function featureStoreWriter(fs: FileSystem): FileSystem {
  return fs.as(FEATURE_STORE_USER, [fs.supergroup]);
}

/**
 * Gives a project's feature store directory, made by a version before the principal existed, and everything in it to
 * the principal. A fix-up when the platform opens rather than a schema migration: ownership lives in humle fs's
 * inodes, changed through humle fs (one setOwner per inode), and a project restored from an older backup needs it as
 * much as an upgraded data directory does. Entries go first and the directory itself last, so a fix-up cut short
 * is found again (the directory still has its old owner) and finished at the next open; a directory already the
 * principal's costs one status read. `admin`: humle fs as its superuser.
 */
export async function claimFeatureStoreDirectory(admin: FileSystem, project: string): Promise<boolean> {
  const directory = featureStoreDirectory(project);
  let owner: string;
  try {
    owner = (await admin.getFileStatus(directory)).owner;
  } catch (error) {
    if (error instanceof FileNotFoundError) return false;
    throw error;
  }
  if (owner === FEATURE_STORE_USER) return false;
  await claimEntries(admin, directory);
  await admin.setOwner(directory, FEATURE_STORE_USER);
  return true;
}

async function claimEntries(admin: FileSystem, directory: string): Promise<void> {
  for await (const entry of admin.list(directory)) {
    if (entry.type === 'DIRECTORY') await claimEntries(admin, entry.path);
    if (entry.owner !== FEATURE_STORE_USER) await admin.setOwner(entry.path, FEATURE_STORE_USER);
  }
}
