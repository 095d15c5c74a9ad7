import type { FileSystem } from '../../src/fs/file-system.js';

/**
 * The files below `dir` (itself included among the directories) and their bytes, found by walking humle fs's
 * listings: an independent count to hold content summaries and usage figures against.
 */
export async function listedFiles(fs: FileSystem, dir: string): Promise<{ files: number; bytes: number; directories: number }> {
  const total = { files: 0, bytes: 0, directories: 1 };
  for await (const entry of fs.list(dir)) {
    if (entry.type === 'DIRECTORY') {
      const below = await listedFiles(fs, entry.path);
      total.files += below.files;
      total.bytes += below.bytes;
      total.directories += below.directories;
    } else {
      total.files++;
      total.bytes += entry.length;
    }
  }
  return total;
}
