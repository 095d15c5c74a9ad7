import type { Transaction } from '../../db/engine.js';
import { FileAlreadyExistsError, ParentNotDirectoryError } from '../../errors/fs-errors.js';
import { newInode, type Inode } from '../inode.js';
import { EXECUTE, WRITE } from '../namespace/permissions.js';
import type { ResolvedPath } from '../namespace/path-resolver.js';
import { formatPath, parsePath } from '../paths.js';
import { checkMode, type OperationContext } from './operation-context.js';

// Directories: mkdirs and the implied parents of creates.

/**
 * Creates the directory and any missing parents (`mkdir -p`); true when it exists afterwards. `permission` applies
 * to every directory created (default 0o777 & ~umask), with u+wx added to implied parents as HDFS does.
 */
export async function mkdirs(ctx: OperationContext, path: string, options: { permission?: number } = {}): Promise<boolean> {
  const components = parsePath(path);
  const permission = options.permission === undefined ? 0o777 & ~ctx.core.umask : checkMode(options.permission);
  const ids = await ctx.core.inodeIds.take(Math.max(1, components.length));
  // Before anything the namespace holds decides the answer: what a hidden project holds must not shape an error.
  ctx.checker.checkVisible(components);
  return ctx.core.mutate(async (tx) => {
    const r = await ctx.core.resolver.resolve(tx, components);
    if (r.exists) {
      if (!r.target!.isDir) throw new FileAlreadyExistsError(`Path is not a directory: ${r.path}`, { path: r.path });
      ctx.checker.checkTraverse(r.ancestors, r.components);
      return true;
    }
    await createMissingDirs(ctx, tx, r, r.components.length, permission, ids);
    return true;
  });
}

/**
 * Creates the directories of `r.components[..upTo)` that do not exist yet, below the deepest existing one.
 * Returns the directory chain (root first) for components[0..upTo).
 */
export async function createMissingDirs(ctx: OperationContext, tx: Transaction, r: ResolvedPath, upTo: number, permission: number, ids: number[]): Promise<Inode[]> {
  const chain = r.chain.slice(0, upTo + 1);
  if (chain.length === upTo + 1) {
    if (!chain[upTo]!.isDir) throw new ParentNotDirectoryError(`Parent path is not a directory: ${formatPath(r.components.slice(0, upTo))}`);
    return chain;
  }
  const deepest = chain[chain.length - 1]!;
  const deepestPath = formatPath(r.components.slice(0, chain.length - 1));
  if (!deepest.isDir) throw new ParentNotDirectoryError(`Parent path is not a directory: ${deepestPath}`, { path: deepestPath });
  ctx.checker.checkTraverse(chain.slice(0, -1), r.components);
  ctx.checker.check(deepest, WRITE | EXECUTE, r.components.slice(0, chain.length - 1));
  const locked = await ctx.core.lockForWrite(tx, [deepest]);
  await ctx.core.checkSubtreeLocks(tx, chain);
  const parentNow = locked.get(deepest.id)!;
  const missing = upTo - (chain.length - 1);
  await ctx.core.quotas.charge(tx, chain, missing, 0, r.path);
  const now = ctx.core.now();
  let parent = parentNow;
  const firstNew = chain.length - 1;
  for (let i = firstNew; i < upTo; i++) {
    const name = r.components[i]!;
    const id = ids.pop();
    if (id === undefined) throw new Error('id reservation too small');
    const implied = i < r.components.length - 1 && i < upTo - 1;
    const dir = newInode(
      {
        id,
        parentId: parent.id,
        name,
        isDir: true,
        permission: implied ? permission | 0o300 : permission,
        owner: ctx.user.user,
        group: parent.group,
        children: i < upTo - 1 ? 1 : 0,
      },
      now,
    );
    await ctx.core.inodes.insert(tx, dir);
    if (i === firstNew) await ctx.core.inodes.adjustChildren(tx, parent.id, 1, now);
    ctx.core.resolver.remember(dir);
    chain.push(dir);
    parent = dir;
  }
  return chain;
}
