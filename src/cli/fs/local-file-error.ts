import { HumleError } from '../../errors/humle-error.js';
import { errorCodeOf } from '../exit-codes.js';

const MESSAGES: Readonly<Record<string, string>> = {
  ENOENT: 'No such file or directory',
  EACCES: 'Permission denied',
  EPERM: 'Operation not permitted',
  EEXIST: 'File exists',
  ENOTDIR: 'Not a directory',
  EISDIR: 'Is a directory',
  ENOSPC: 'No space left on device',
};

/**
 * A failure on the local side of a transfer (put's source, get's destination). It keeps the errno name as its code,
 * so the exit code table maps a missing local file like a missing humle fs path, and says which file in hdfs's words.
 */
export class LocalFileError extends HumleError {
  readonly code: string;

  constructor(code: string, path: string) {
    super(`${path}: ${MESSAGES[code] ?? code}`, { path, local: true });
    this.code = code;
  }

  /** A Node.js system error from a local file call, as a LocalFileError naming `path`; other errors as they are. */
  static from(error: unknown, path: string): unknown {
    const code = errorCodeOf(error);
    if (code === undefined || !/^E[A-Z]+$/.test(code)) return error;
    return new LocalFileError(code, path);
  }
}
