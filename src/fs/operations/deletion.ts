import type { Transaction } from '../../db/engine.js';
import { DirectoryNotEmptyError, InvalidOperationError } from '../../errors/fs-errors.js';
import { FileStore, type Inode } from '../inode.js';
import { EXECUTE, READ, WRITE } from '../namespace/permissions.js';
import { formatPath, parsePath } from '../paths.js';
import { SubtreeOperation } from '../subtree/subtree-operation.js';
import { measureSubtree } from '../subtree/subtree-walk.js';
import type { OperationContext } from './operation-context.js';

// Deleting files and directories; large subtrees through the subtree protocol.

/** Deletes a file's inode (its small-file rows, block rows, xattrs and lease go with it) and charges the quotas. */
export async function removeFile(ctx: OperationContext, tx: Transaction, file: Inode, dirs: readonly Inode[], path: string): Promise<number[]> {
  const blockIds = file.fileStore === FileStore.Blocks ? await ctx.core.contents.blockIdsOf(tx, [file.id]) : [];
  await ctx.core.inodes.delete(tx, file.id);
  await ctx.core.inodes.adjustChildren(tx, file.parentId, -1, ctx.core.now());
  await ctx.core.quotas.charge(tx, dirs, -1, -file.size * file.replication, path);
  ctx.core.resolver.forget(file.parentId, file.name);
  return blockIds;
}

/** Deletes a file or directory; a non-empty directory needs `recursive`. False when the path does not exist. */
export async function deletePath(ctx: OperationContext, path: string, options: { recursive?: boolean } = {}): Promise<boolean> {
  const components = parsePath(path);
  if (components.length === 0) throw new InvalidOperationError('the root directory cannot be deleted', { path });
  const outcome = await ctx.core.mutate(async (tx) => {
    const r = await ctx.core.resolver.resolve(tx, components);
    ctx.checker.checkTraverse(r.ancestors.filter((a) => a.isDir), r.components);
    const target = r.target;
    if (target === undefined) return { deleted: false as const, blockIds: [] as number[] };
    const parent = r.parent!;
    ctx.checker.check(parent, WRITE | EXECUTE, r.components.slice(0, -1));
    ctx.checker.checkRemovable(parent, target, r.components);
    const locked = await ctx.core.lockForWrite(tx, [parent, target]);
    await ctx.core.checkSubtreeLocks(tx, r.chain);
    const current = locked.get(target.id)!;
    const dirs = r.ancestors;
    if (!current.isDir) return { deleted: true as const, blockIds: await removeFile(ctx, tx, current, dirs, r.path) };
    const descendants = await smallSubtree(ctx, tx, current, r.components);
    if (descendants === undefined) return { deleted: 'large' as const, r, target: current };
    if (descendants.length > 0 && !options.recursive) {
      throw new DirectoryNotEmptyError(`${r.path} is non empty`, { path: r.path });
    }
    const files = descendants.filter((d) => !d.isDir);
    const blockIds = await ctx.core.contents.blockIdsOf(tx, files.filter((f) => f.fileStore === FileStore.Blocks).map((f) => f.id));
    const all = [...descendants.map((d) => d.id), current.id];
    for (let i = 0; i < all.length; i += 500) {
      const batch = all.slice(i, i + 500);
      await tx.run(`DELETE FROM fs_inodes WHERE id IN (${batch.map(() => '?').join(',')})`, batch);
    }
    await ctx.core.inodes.adjustChildren(tx, parent.id, -1, ctx.core.now());
    const space = files.reduce((sum, f) => sum + f.size * f.replication, 0);
    await ctx.core.quotas.charge(tx, dirs, -all.length, -space, r.path);
    ctx.core.resolver.forget(parent.id, current.name);
    return { deleted: true as const, blockIds };
  });
  if (outcome.deleted === 'large') {
    if (!options.recursive) throw new DirectoryNotEmptyError(`${formatPath(components)} is non empty`, { path });
    await deleteLarge(ctx, components);
    return true;
  }
  await ctx.core.discardBlocks(outcome.blockIds);
  return outcome.deleted;
}

/**
 * A recursive delete needs rwx on every non-empty directory of the subtree. Empty ones are skipped, as HDFS's
 * checkSubAccess with ignoreEmptyDir: removing an empty directory takes only w on its parent, which is itself a
 * non-empty directory of the subtree (checked here) or the subtree root's parent (checked by the caller).
 */
function checkDeletable(ctx: OperationContext, dir: Inode, components: readonly string[]): void {
  if (dir.children > 0) ctx.checker.check(dir, READ | WRITE | EXECUTE, components);
}

/**
 * The descendants of `dir` when there are at most `smallSubtreeLimit` of them (checking that the caller may delete
 * each directory, see checkDeletable), or undefined for a larger subtree.
 */
export async function smallSubtree(ctx: OperationContext, tx: Transaction, dir: Inode, components: readonly string[]): Promise<Inode[] | undefined> {
  if (dir.children === 0) return [];
  const limit = ctx.core.limits.smallSubtreeLimit;
  const found: Inode[] = [];
  const dirs = [dir];
  const dirComponents = [components];
  for (let next = 0; next < dirs.length; next++) {
    // With concurrent writers, lock each directory before listing it: a create inside it either committed before
    // (and is listed) or waits, then finds its parent gone and fails cleanly.
    const d = next === 0 || ctx.core.serializedWriters ? dirs[next]! : (await ctx.core.lockForWrite(tx, [dirs[next]!])).get(dirs[next]!.id)!;
    if (d.subtreeLock !== null) await ctx.core.checkSubtreeLocks(tx, [d]);
    checkDeletable(ctx, d, dirComponents[next]!);
    const children = await ctx.core.inodes.children(tx, d.id, undefined, limit + 1 - found.length);
    found.push(...children);
    if (found.length > limit) return undefined;
    for (const c of children) {
      if (!c.isDir) continue;
      dirs.push(c);
      dirComponents.push([...dirComponents[next]!, c.name]);
    }
  }
  return found;
}

/** A recursive delete too large for one transaction: HopsFS's subtree protocol (see SubtreeOperation). */
export async function deleteLarge(ctx: OperationContext, components: readonly string[]): Promise<void> {
  const begun = await ctx.core.mutate(async (tx) => {
    const r = await ctx.core.resolver.resolve(tx, components);
    ctx.checker.checkTraverse(r.ancestors, r.components);
    const target = r.requireTarget();
    const parent = r.parent!;
    ctx.checker.check(parent, WRITE | EXECUTE, r.components.slice(0, -1));
    ctx.checker.checkRemovable(parent, target, r.components);
    const locked = await ctx.core.lockForWrite(tx, [parent, target]);
    await ctx.core.checkSubtreeLocks(tx, r.chain);
    const root = locked.get(target.id)!;
    return { root, operation: await SubtreeOperation.begin(ctx.core, tx, root, 'delete', r.path) };
  });
  const { root, operation } = begun;
  operation.startHeartbeat();
  try {
    const dirIds: number[] = [];
    try {
      await measureSubtree(
        ctx.core,
        root,
        (dir, dirComponents) => {
          operation.checkNested(dir);
          checkDeletable(ctx, dir, dirComponents);
          dirIds.push(dir.id);
        },
        components,
      );
      await operation.quiesce(dirIds);
    } catch (error) {
      await operation.abandon();
      throw error;
    }
    await operation.deleteAll(root);
  } finally {
    operation.stopHeartbeat();
  }
}
