import { InvalidPathError } from '../../errors/fs-errors.js';
import { parsePath, formatPath } from '../../fs/paths.js';

/** Where WebHDFS is served: `/webhdfs/v1/<path>?op=...`. */
export const WEBHDFS_PREFIX = '/webhdfs/v1';

/**
 * The humle fs path a WebHDFS URL names. Read from the raw request line, not through a URL parser: WHATWG parsing
 * resolves `..` and `%2e%2e` segments away, and a path that says `..` must be refused (400), never quietly resolved.
 */
export function webHdfsPath(rawUrl: string, prefix: string): string {
  const rawPath = rawUrl.split('?', 1)[0]!;
  const rest = rawPath.slice(prefix.length);
  let decoded: string;
  try {
    decoded = decodeURIComponent(rest);
  } catch {
    throw new InvalidPathError(`path is not valid percent-encoding: ${JSON.stringify(rest.slice(0, 200))}`, { path: rest.slice(0, 200) });
  }
  return formatPath(parsePath(decoded === '' ? '/' : decoded));
}

/** The query string of the raw request line. */
export function webHdfsQuery(rawUrl: string): URLSearchParams {
  const at = rawUrl.indexOf('?');
  return new URLSearchParams(at === -1 ? '' : rawUrl.slice(at + 1));
}
