import type { FileStatus } from '../../fs/file-status.js';
import type { FileSystem } from '../../fs/file-system.js';

/**
 * Visits `root` and, when `recursive`, everything below it, each directory before its entries (as hdfs dfs -R
 * does: a chmod that opens a directory up takes effect before its entries are listed). Directories are read a page
 * at a time through fs.list, so a huge directory is never held in memory.
 */
export async function walkTree(fs: FileSystem, root: FileStatus, recursive: boolean, visit: (status: FileStatus) => Promise<void>): Promise<void> {
  await visit(root);
  if (!recursive || root.type !== 'DIRECTORY') return;
  for await (const entry of fs.list(root.path)) await walkTree(fs, entry, true, visit);
}
