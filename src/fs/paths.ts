import { InvalidPathError } from '../errors/fs-errors.js';

const MAX_NAME_BYTES = 255;
const MAX_PATH_DEPTH = 1000;

/**
 * Splits an absolute humle fs path into its components, refusing what HDFS refuses (DFSUtil.isValidName): relative
 * paths, empty components (`a//b`), `.` and `..`, `:` and NUL in a name, names over 255 bytes. A trailing `/` is
 * allowed. The root is `[]`.
 */
export function parsePath(path: unknown): string[] {
  if (typeof path !== 'string') throw new InvalidPathError(`path must be a string, got ${typeof path}`, { path });
  if (!path.startsWith('/')) throw new InvalidPathError(`path must be absolute: ${JSON.stringify(path)}`, { path });
  const trimmed = path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
  if (trimmed === '/') return [];
  const components = trimmed.slice(1).split('/');
  if (components.length > MAX_PATH_DEPTH) throw new InvalidPathError(`path is deeper than ${MAX_PATH_DEPTH}`, { path });
  for (const name of components) {
    if (name === '') throw new InvalidPathError(`path has an empty component: ${JSON.stringify(path)}`, { path });
    if (name === '.' || name === '..') throw new InvalidPathError(`path may not contain "${name}": ${JSON.stringify(path)}`, { path });
    if (name.includes('\0')) throw new InvalidPathError('path contains a NUL character', { path });
    if (name.includes(':')) throw new InvalidPathError(`path component may not contain ":": ${JSON.stringify(name)}`, { path });
    // A UTF-8 character takes at most 3 bytes per UTF-16 unit, so only long names need counting.
    if (name.length * 3 > MAX_NAME_BYTES && Buffer.byteLength(name, 'utf8') > MAX_NAME_BYTES) {
      throw new InvalidPathError(`path component is longer than ${MAX_NAME_BYTES} bytes`, { path, name: name.slice(0, 32) + '…' });
    }
  }
  return components;
}

export function formatPath(components: readonly string[]): string {
  return '/' + components.join('/');
}

/** True when `inner` is `outer` or lies below it. */
export function isSameOrDescendant(outer: readonly string[], inner: readonly string[]): boolean {
  if (inner.length < outer.length) return false;
  for (let i = 0; i < outer.length; i++) if (outer[i] !== inner[i]) return false;
  return true;
}
