import type { Transaction } from '../../db/engine.js';
import { DirectoryNotEmptyError, FileAlreadyExistsError, FileNotFoundError, InvalidOperationError, ParentNotDirectoryError } from '../../errors/fs-errors.js';
import { assertNoLiveLease } from '../content/leases.js';
import { partitionOf, type Inode } from '../inode.js';
import { EXECUTE, WRITE } from '../namespace/permissions.js';
import { formatPath, isSameOrDescendant, parsePath } from '../paths.js';
import { SubtreeOperation } from '../subtree/subtree-operation.js';
import { measureSubtree, type SubtreeUsage } from '../subtree/subtree-walk.js';
import type { OperationContext } from './operation-context.js';
import { removeFile } from './deletion.js';

// Rename: any path to any path, in one transaction, with HDFS rename2 rules.

/**
 * Moves `src` to `dst` atomically, any path to any path, with HDFS rename2 rules: `dst` must not exist unless
 * `overwrite` is set, in which case a file may replace a file and a directory an empty directory. A directory cannot
 * move into its own subtree. Moving a directory between different quota directories counts its usage first under a
 * subtree lock; otherwise a rename is one transaction that changes one row.
 */
export async function rename(ctx: OperationContext, src: string, dst: string, options: { overwrite?: boolean } = {}): Promise<void> {
  const from = parsePath(src);
  const to = parsePath(dst);
  if (from.length === 0) throw new InvalidOperationError('the root directory cannot be renamed', { src });
  if (to.length === 0) throw new FileAlreadyExistsError('the destination / exists', { dst });
  if (isSameOrDescendant(from, to)) {
    if (from.length === to.length) throw new FileAlreadyExistsError(`The source ${src} and destination ${dst} are the same`, { src, dst });
    throw new InvalidOperationError(`Cannot move ${src} into its own subtree ${dst}`, { src, dst });
  }
  const first = await ctx.core.mutate((tx) => renameUnit(ctx, tx, from, to, options, undefined));
  if (first.kind === 'done') {
    await ctx.core.discardBlocks(first.blockIds);
    return;
  }
  // The directory moves between quota directories: count what it holds under a subtree lock, then move it.
  const operation = first.operation;
  operation.startHeartbeat();
  let done: Awaited<ReturnType<typeof renameUnit>>;
  try {
    const dirIds: number[] = [];
    const usage = await measureSubtree(ctx.core, first.root, (dir) => {
      operation.checkNested(dir);
      dirIds.push(dir.id);
    });
    await operation.quiesce(dirIds);
    done = await ctx.core.mutate((tx) => renameUnit(ctx, tx, from, to, options, { operation, usage }));
  } catch (error) {
    // Counting, quiescing or the move itself failed (the move, say, on the destination's quota); the move's unit
    // rolled back with the mark still set, so nothing has moved: release the subtree, or it stays locked.
    await operation.abandon();
    throw error;
  } finally {
    operation.stopHeartbeat();
  }
  if (done.kind === 'done') await ctx.core.discardBlocks(done.blockIds);
}

export async function renameUnit(
  ctx: OperationContext,
  tx: Transaction,
  from: readonly string[],
  to: readonly string[],
  options: { overwrite?: boolean },
  counted: { operation: SubtreeOperation; usage: SubtreeUsage } | undefined,
): Promise<{ kind: 'done'; blockIds: number[] } | { kind: 'count'; operation: SubtreeOperation; root: Inode }> {
  // Before anything the namespace holds decides the answer: what a hidden project holds must not shape an error.
  ctx.checker.checkVisible(from);
  ctx.checker.checkVisible(to);
  const rs = await ctx.core.resolver.resolve(tx, from);
  const rd = await ctx.core.resolver.resolve(tx, to);
  ctx.checker.checkTraverse(rs.ancestors.filter((a) => a.isDir), rs.components);
  const source = rs.requireTarget();
  const srcParent = rs.parent!;
  const dstParent = rd.parent;
  if (dstParent === undefined) {
    const last = rd.last;
    if (!last.isDir) throw new ParentNotDirectoryError(`rename destination parent ${formatPath(to.slice(0, rd.chain.length - 1))} is a file`, { dst: rd.path });
    throw new FileNotFoundError(`rename destination parent ${formatPath(to.slice(0, -1))} not found`, { dst: rd.path });
  }
  if (!dstParent.isDir) throw new ParentNotDirectoryError(`rename destination parent ${formatPath(to.slice(0, -1))} is a file`, { dst: rd.path });
  ctx.checker.checkTraverse(rd.ancestors, rd.components);
  ctx.checker.check(srcParent, WRITE | EXECUTE, rs.components.slice(0, -1));
  ctx.checker.check(dstParent, WRITE | EXECUTE, rd.components.slice(0, -1));
  ctx.checker.checkRemovable(srcParent, source, rs.components);
  const existing = rd.target;
  if (existing !== undefined) {
    if (!options.overwrite) throw new FileAlreadyExistsError(`rename destination ${rd.path} already exists`, { dst: rd.path });
    if (existing.isDir && !source.isDir) throw new InvalidOperationError(`Source ${rs.path} is a file but destination ${rd.path} is a directory`);
    if (!existing.isDir && source.isDir) throw new InvalidOperationError(`Source ${rs.path} is a directory but destination ${rd.path} is a file`);
    ctx.checker.checkRemovable(dstParent, existing, rd.components);
  }
  const toLock = [srcParent, source, dstParent, ...(existing ? [existing] : [])];
  const locked = await ctx.core.lockForWrite(tx, toLock);
  const own = counted?.operation.id;
  await ctx.core.checkSubtreeLocks(tx, [...rs.chain, ...rd.ancestors], own);
  const current = locked.get(source.id)!;
  const replaced = existing && locked.get(existing.id)!;
  if (replaced?.isDir && replaced.children > 0) throw new DirectoryNotEmptyError(`rename destination directory ${rd.path} is not empty`, { dst: rd.path });
  if (replaced && !replaced.isDir) await assertNoLiveLease(ctx.core, tx, replaced, rd.path);

  // Quota directories the entry leaves and enters (common ancestors keep their usage).
  const dstDirs = rd.ancestors;
  const leaving = rs.ancestors.filter((a) => a.hasQuota && !dstDirs.some((d) => d.id === a.id));
  const entering = dstDirs.filter((d) => d.hasQuota && !rs.ancestors.some((a) => a.id === d.id));
  let usage: { names: number; space: number } | undefined;
  if (leaving.length > 0 || entering.length > 0) {
    if (!current.isDir) usage = { names: 1, space: current.size * current.replication };
    else if (current.hasQuota) {
      const q = await ctx.core.quotas.get(tx, current.id);
      usage = { names: q?.nsUsed ?? 1, space: q?.dsUsed ?? 0 };
    } else if (counted) usage = counted.usage;
    else if (current.children === 0) usage = { names: 1, space: 0 };
    else return { kind: 'count', operation: await SubtreeOperation.begin(ctx.core, tx, current, 'rename', rs.path), root: current };
  }

  let blockIds: number[] = [];
  const now = ctx.core.now();
  if (replaced) {
    if (replaced.isDir) {
      await ctx.core.inodes.delete(tx, replaced.id);
      await ctx.core.inodes.adjustChildren(tx, dstParent.id, -1, now);
      await ctx.core.quotas.charge(tx, dstDirs, -1, 0, rd.path);
      ctx.core.resolver.forget(dstParent.id, replaced.name);
    } else {
      blockIds = await removeFile(ctx, tx, replaced, dstDirs, rd.path);
    }
  }
  if (usage) {
    await ctx.core.quotas.charge(tx, entering, usage.names, usage.space, rd.path);
    await ctx.core.quotas.charge(tx, leaving, -usage.names, -usage.space, rs.path);
  }
  const name = to[to.length - 1]!;
  await ctx.core.inodes.move(tx, current.id, partitionOf(dstParent.id, name), dstParent.id, name);
  await ctx.core.inodes.adjustChildren(tx, srcParent.id, -1, now);
  await ctx.core.inodes.adjustChildren(tx, dstParent.id, 1, now);
  if (counted) await counted.operation.finish(tx);
  ctx.core.resolver.forget(srcParent.id, current.name);
  ctx.core.resolver.remember({ ...current, parentId: dstParent.id, name });
  return { kind: 'done', blockIds };
}
