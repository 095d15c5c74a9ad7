import type { Transaction } from '../../db/engine.js';
import { InvalidArgumentError } from '../../errors/humle-error.js';
import { type Inode } from '../inode.js';
import type { ResolvedPath } from '../namespace/path-resolver.js';
import { parsePath } from '../paths.js';

import type { FsCore } from '../fs-core.js';
import type { PermissionChecker, UserContext } from '../namespace/permissions.js';

/** What every operation needs: the shared file system core, the permission checker, and who it runs as. */
export interface OperationContext {
  core: FsCore;
  checker: PermissionChecker;
  user: UserContext;
}

export function checkNonNegativeInteger(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new InvalidArgumentError(`${name} must be a non-negative integer`, { [name]: value });
  }
  return value;
}

export function checkMode(value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 0o1777) {
    throw new InvalidArgumentError('permission must be an integer mode in [0, 0o1777]', { permission: value });
  }
  return value;
}

/**
 * Resolves and checks that the caller may traverse to the path (x on every directory above it that exists), whether
 * or not the path itself exists. `withData` loads a tiny file's inline bytes with it.
 */
export async function resolveTraversable(ctx: OperationContext, tx: Transaction, components: readonly string[], withData = false): Promise<ResolvedPath> {
  const r = await ctx.core.resolver.resolve(tx, components, withData);
  ctx.checker.checkTraverse(r.ancestors.filter((a) => a.isDir), r.components);
  return r;
}

/** As resolveTraversable, and throws FileNotFound when the path does not exist. */
export async function resolveExisting(ctx: OperationContext, tx: Transaction, components: readonly string[], withData = false): Promise<{ r: ResolvedPath; target: Inode }> {
  const r = await resolveTraversable(ctx, tx, components, withData);
  return { r, target: r.requireTarget() };
}

/** Runs `change` on the path's inode after the traversal check, in one write unit. */
export async function changeInode<T>(ctx: OperationContext, path: string, change: (tx: Transaction, inode: Inode, r: ResolvedPath) => Promise<T>): Promise<T> {
  const components = parsePath(path);
  return ctx.core.mutate(async (tx) => {
    const { r, target } = await resolveExisting(ctx, tx, components);
    const locked = await ctx.core.lockForWrite(tx, [target]);
    await ctx.core.checkSubtreeLocks(tx, r.chain);
    return change(tx, locked.get(target.id)!, r);
  });
}
