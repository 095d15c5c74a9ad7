import type { FileStatus } from '../../fs/file-status.js';
import type { FileSystem } from '../../fs/file-system.js';
import { errorCodeOf } from '../exit-codes.js';

/** The path's status, or undefined when it does not exist (every other failure, such as permission, still throws). */
export async function statusOrUndefined(fs: FileSystem, path: string): Promise<FileStatus | undefined> {
  try {
    return await fs.getFileStatus(path);
  } catch (error) {
    if (errorCodeOf(error) === 'FS_NOT_FOUND') return undefined;
    throw error;
  }
}
