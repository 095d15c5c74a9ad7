import { FileNotFoundError, PermissionDeniedError } from '../../errors/fs-errors.js';
import type { Inode } from '../inode.js';
import { formatPath } from '../paths.js';
import { holdsSandboxRoot, isSandboxRoot, sandboxZone, type Sandboxes, type SandboxZone } from './sandboxes.js';

export const READ = 4;
export const WRITE = 2;
export const EXECUTE = 1;
export const STICKY_BIT = 0o1000;

/** Who an operation runs as. The superuser (the file system's owner, or a member of its supergroup) passes every check. */
export interface UserContext {
  user: string;
  groups: readonly string[];
  /**
   * The caller's sandboxes (Hopsworks' projects, see sandboxes.ts): inside one, rights come from the caller's grant
   * for that sandbox alone, in place of the mode bits, as Hopsworks gives members their role's access through ACLs
   * on the project's datasets; sandboxes without a grant do not exist for the caller. Without it, HDFS's rules.
   */
  sandboxes?: Sandboxes;
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
 * HDFS's permission model (FSPermissionChecker): owner, then group, then other bits; no ACLs, except the sandbox
 * grants of `UserContext.sandboxes`, which take the place of all three classes inside the caller's sandboxes.
 * Every check takes the components of the inode it checks: where an inode lies decides which rule applies, and a
 * refusal names that inode (never another one, nor anything of a sandbox the caller does not see).
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

  private zoneOf(where: readonly string[]): SandboxZone {
    return sandboxZone(this.context.sandboxes, where);
  }

  /**
   * True when the path lies in a sandbox the caller holds no grant for: it does not exist for the caller. This holds
   * for a superuser with sandboxes too (an administrator's API key sees its own projects, as every key does); the
   * superuser's plain view has none and sees everything.
   */
  hides(where: readonly string[]): boolean {
    return this.zoneOf(where).kind === 'hidden';
  }

  /** Refuses a path of a hidden sandbox as missing, exactly as a path that does not exist. */
  checkVisible(where: readonly string[]): void {
    if (this.hides(where)) throw new FileNotFoundError(`File does not exist: ${formatPath(where)}`, { path: formatPath(where) });
  }

  has(inode: Inode, access: number, where: readonly string[]): boolean {
    if (this.isSuperuser) return true;
    const zone = this.zoneOf(where);
    let granted: number;
    if (zone.kind === 'hidden') granted = 0;
    else if (zone.kind === 'granted') granted = zone.readOnly ? zone.grant.access & (READ | EXECUTE) : zone.grant.access;
    else if (inode.owner === this.context.user) granted = (inode.permission >> 6) & 7;
    else if (this.context.groups.includes(inode.group)) granted = (inode.permission >> 3) & 7;
    else granted = inode.permission & 7;
    return (granted & access) === access;
  }

  /** `where`: the components of `inode` itself. */
  check(inode: Inode, access: number, where: readonly string[]): void {
    this.checkVisible(where);
    if (!this.has(inode, access, where)) {
      const path = formatPath(where);
      throw new PermissionDeniedError(
        `Permission denied: user=${this.context.user}, access=${accessName(access)}, inode="${path}":${inode.owner}:${inode.group}:${formatPermission(inode.permission, inode.isDir)}`,
        { user: this.context.user, path, access: accessName(access) },
      );
    }
  }

  /**
   * Every directory above a path must be searchable (x) to reach it. `dirs[i]` is the directory of
   * `components.slice(0, i)` (root first), as in a ResolvedPath's chain.
   */
  checkTraverse(dirs: readonly Inode[], components: readonly string[]): void {
    this.checkVisible(components);
    if (this.isSuperuser) return;
    dirs.forEach((dir, i) => this.check(dir, EXECUTE, components.slice(0, i)));
  }

  /**
   * Owner-only changes (permission, group, times, storage policy). In a sandbox the grant decides: whoever controls
   * it (the project's owner) may on every inode, a grant without write takes them away even from the inode's owner
   * (so a read-only member cannot chmod its way back to writing what it created before its role changed), and
   * nobody but the superuser changes what lies under a read-only entry.
   */
  checkOwner(inode: Inode, where: readonly string[]): void {
    this.checkVisible(where);
    if (this.isSuperuser) return;
    const zone = this.zoneOf(where);
    const mayChange =
      zone.kind === 'granted'
        ? !zone.readOnly && (zone.grant.controlsAll || ((zone.grant.access & WRITE) !== 0 && inode.owner === this.context.user))
        : inode.owner === this.context.user;
    if (!mayChange) {
      const path = formatPath(where);
      throw new PermissionDeniedError(`Permission denied: user=${this.context.user} is not the owner of "${path}"`, { user: this.context.user, path });
    }
  }

  /**
   * A new group for an inode its changer may change (checkOwner): the superuser gives any; in a sandbox, only the
   * sandbox's own group (a group of another sandbox would open the inode to that sandbox's members); elsewhere, one of
   * the caller's groups, as HDFS.
   */
  checkGroupChange(group: string, where: readonly string[]): void {
    if (this.isSuperuser) return;
    const zone = this.zoneOf(where);
    const path = formatPath(where);
    if (zone.kind === 'granted' && group !== zone.grant.group) {
      throw new PermissionDeniedError(`Permission denied: the group of "${path}" can only be ${zone.grant.group}, the group of its project, not ${group}`, {
        user: this.context.user,
        path,
        group,
      });
    }
    if (zone.kind !== 'granted' && !this.context.groups.includes(group)) {
      this.checkSuperuser(`changing the group to ${group}, which ${this.context.user} is not in,`);
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

  /**
   * What removing or replacing an entry takes beyond w on its parent (deletes, renames, overwrites): a read-only
   * entry of a sandbox stays (w on the sandbox is not enough to delete or move its feature store), and with the
   * sticky bit on the parent only the owner of the entry or of the parent, or whoever controls the sandbox, may.
   * `where`: the components of `entry`.
   */
  checkRemovable(parent: Inode, entry: Inode, where: readonly string[]): void {
    this.checkVisible(where);
    if (this.isSuperuser) return;
    const zone = this.zoneOf(where);
    const path = formatPath(where);
    if (zone.kind === 'granted' && zone.readOnly) {
      throw new PermissionDeniedError(`Permission denied: user=${this.context.user} may not remove or replace "${path}": only its service changes it`, {
        user: this.context.user,
        path,
      });
    }
    if ((parent.permission & STICKY_BIT) === 0 || (zone.kind === 'granted' && zone.grant.controlsAll)) return;
    if (entry.owner === this.context.user || parent.owner === this.context.user) return;
    throw new PermissionDeniedError(`Permission denied by sticky bit: user=${this.context.user}, path="${path}"`, { user: this.context.user, path });
  }

  /**
   * Whether the caller sees everything below a directory: not so for the sandboxes' root and the directories above it
   * when some sandboxes are hidden from it (counts kept for the whole subtree, such as a quota's usage, would tell
   * what they hold).
   */
  seesWholeSubtree(where: readonly string[]): boolean {
    return !holdsSandboxRoot(this.context.sandboxes, where);
  }

  /**
   * The number of children the caller sees in a directory: of the sandboxes' root, only those it holds a grant for
   * (how many projects there are is not its to know).
   */
  visibleChildren(dir: Inode, where: readonly string[]): number {
    if (!isSandboxRoot(this.context.sandboxes, where)) return dir.children;
    return Object.keys(this.context.sandboxes!.grants).length;
  }
}
