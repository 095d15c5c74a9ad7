import { PermissionDeniedError } from '../../errors/fs-errors.js';
import type { Inode } from '../inode.js';

export const READ = 4;
export const WRITE = 2;
export const EXECUTE = 1;
export const STICKY_BIT = 0o1000;

/** Who an operation runs as. The superuser (the file system's owner, or a member of its supergroup) passes every check. */
export interface UserContext {
  user: string;
  groups: readonly string[];
  /**
   * Access (READ | WRITE | EXECUTE bits) that membership of a group grants on every inode of that group, whatever its
   * mode bits say and whoever owns it: as if each such inode had the HDFS ACL entry `group:<g>:<access>`. Hopsworks
   * gives project members their role's access this way (data owners rwx, data scientists r-x, through default ACLs on
   * the project's datasets); here the role travels with the user instead of being copied onto every inode.
   */
  groupAccess?: Readonly<Record<string, number>>;
}

function accessName(access: number): string {
  return (access & READ ? 'r' : '-') + (access & WRITE ? 'w' : '-') + (access & EXECUTE ? 'x' : '-');
}

export function formatPermission(mode: number, isDir: boolean): string {
  const bits = [6, 3, 0].map((shift) => accessName((mode >> shift) & 7)).join('');
  const sticky = mode & STICKY_BIT ? (bits.endsWith('x') ? bits.slice(0, -1) + 't' : bits.slice(0, -1) + 'T') : bits;
  return (isDir ? 'd' : '-') + sticky;
}

/**
 * HDFS's permission model (FSPermissionChecker): owner, then group, then other bits; no ACLs, except the group grants
 * of `UserContext.groupAccess`, which take the place of all three classes on the inodes of their group.
 */
export class PermissionChecker {
  readonly isSuperuser: boolean;

  constructor(
    readonly context: UserContext,
    superuser: string,
    supergroup: string,
  ) {
    this.isSuperuser = context.user === superuser || context.groups.includes(supergroup);
  }

  has(inode: Inode, access: number): boolean {
    if (this.isSuperuser) return true;
    const mode = inode.permission;
    const grant = this.grantOn(inode);
    let granted: number;
    if (grant !== undefined) granted = grant;
    else if (inode.owner === this.context.user) granted = (mode >> 6) & 7;
    else if (this.context.groups.includes(inode.group)) granted = (mode >> 3) & 7;
    else granted = mode & 7;
    return (granted & access) === access;
  }

  check(inode: Inode, access: number, path: string): void {
    if (!this.has(inode, access)) {
      throw new PermissionDeniedError(
        `Permission denied: user=${this.context.user}, access=${accessName(access)}, inode="${path}":${inode.owner}:${inode.group}:${formatPermission(inode.permission, inode.isDir)}`,
        { user: this.context.user, path, access: accessName(access) },
      );
    }
  }

  /** Every ancestor directory must be searchable (x) to reach a path. */
  checkTraverse(ancestors: readonly Inode[], path: string): void {
    if (this.isSuperuser) return;
    for (const dir of ancestors) this.check(dir, EXECUTE, path);
  }

  /** The access a group grant gives on this inode, if the user holds one for its group. */
  private grantOn(inode: Inode): number | undefined {
    const grants = this.context.groupAccess;
    return grants !== undefined && Object.hasOwn(grants, inode.group) ? grants[inode.group] : undefined;
  }

  /**
   * Owner-only changes (permission, owner, times). A grant without write takes them away even from the owner, so a
   * read-only project member cannot chmod its way back to writing what it created before its role changed.
   */
  checkOwner(inode: Inode, path: string): void {
    const grant = this.grantOn(inode);
    if (!this.isSuperuser && (inode.owner !== this.context.user || (grant !== undefined && (grant & WRITE) === 0))) {
      throw new PermissionDeniedError(`Permission denied: user=${this.context.user} is not the owner of "${path}"`, {
        user: this.context.user,
        path,
      });
    }
  }

  checkSuperuser(operation: string): void {
    if (!this.isSuperuser) {
      throw new PermissionDeniedError(`Permission denied: ${operation} needs the superuser, not ${this.context.user}`, {
        user: this.context.user,
        operation,
      });
    }
  }

  /** With the sticky bit on the parent, only the owner of the entry or of the parent may delete or rename it. */
  checkSticky(parent: Inode, entry: Inode, path: string): void {
    if (this.isSuperuser || (parent.permission & STICKY_BIT) === 0) return;
    if (entry.owner === this.context.user || parent.owner === this.context.user) return;
    throw new PermissionDeniedError(`Permission denied by sticky bit: user=${this.context.user}, path="${path}"`, {
      user: this.context.user,
      path,
    });
  }
}
