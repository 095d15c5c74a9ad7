import { posix } from 'node:path';

/** A user's home directory, where relative paths point (HDFS's /user/<name> working directory). */
export function homeDirectory(user: string): string {
  return `/user/${user}`;
}

/**
 * An argument as an absolute humle fs path. Absolute paths pass through untouched so that humle fs itself judges
 * them (and refuses `..`, `//`, as HDFS does); relative ones resolve against the home directory.
 */
export function toFsPath(arg: string, home: string): string {
  if (arg.startsWith('/')) return arg;
  return posix.resolve(home, arg);
}

export function childPath(dir: string, name: string): string {
  const base = dir.length > 1 && dir.endsWith('/') ? dir.slice(0, -1) : dir;
  return base === '/' ? `/${name}` : `${base}/${name}`;
}

export function baseName(path: string): string {
  return posix.basename(path);
}

export function parentPath(path: string): string {
  return posix.dirname(path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path);
}

/** True when `inner` is `outer` or lies below it (a copy into its own subtree would never end). */
export function isSameOrBelow(outer: string, inner: string): boolean {
  const o = posix.normalize(outer).replace(/\/$/, '');
  const i = posix.normalize(inner).replace(/\/$/, '');
  return i === o || i.startsWith(o === '' ? '/' : o + '/');
}
