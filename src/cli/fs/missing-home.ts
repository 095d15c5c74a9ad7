import { FileNotFoundError } from '../../errors/fs-errors.js';

/**
 * HDFS makes no home directories (an administrator runs `hdfs dfs -mkdir /user/<name>`), and neither does humle fs:
 * a command is a reader's or writer's request, not a place to create directories nobody asked for. But a bare
 * "File does not exist: /user/root" after a first `humle fs ls` says nothing of why, so an error about a path in a
 * home directory that does not exist says what the home directory is and how to make it, or to give an absolute path.
 */
export function explainMissingHome(error: unknown, home: string, homeExists: boolean): unknown {
  if (homeExists || !(error instanceof FileNotFoundError)) return error;
  const path = error.details.path;
  if (typeof path !== 'string' || (path !== home && !path.startsWith(`${home}/`))) return error;
  return new FileNotFoundError(
    `${error.message}: your home directory ${home} does not exist (humle fs ls without a path, and relative paths, ` +
      `point there; as in HDFS it is not made for you): make it with \`humle fs mkdir -p ${home}\` ` +
      `(as the file system's superuser if you may not write in /user), or give an absolute path, e.g. \`humle fs ls /\``,
    { ...error.details, home },
  );
}
