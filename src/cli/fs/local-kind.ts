import { stat } from 'node:fs/promises';
import { errorCodeOf } from '../exit-codes.js';
import { LocalFileError } from './local-file-error.js';

/** What a local path is: a file, a directory, or nothing (any other failure is a LocalFileError naming the path). */
export async function localKind(path: string): Promise<'file' | 'directory' | undefined> {
  try {
    return (await stat(path)).isDirectory() ? 'directory' : 'file';
  } catch (error) {
    if (errorCodeOf(error) === 'ENOENT') return undefined;
    throw LocalFileError.from(error, path);
  }
}
