import { InvalidOperationError, IsDirectoryError } from '../../errors/fs-errors.js';
import { InvalidArgumentError } from '../../errors/humle-error.js';
import type { BlockRef } from '../content/content-store.js';
import { FileStore, type Inode } from '../inode.js';
import { EXECUTE, READ, WRITE } from '../namespace/permissions.js';
import type { ResolvedPath } from '../namespace/path-resolver.js';
import { formatPath, parsePath } from '../paths.js';
import { resolveExisting, type OperationContext } from './operation-context.js';
import { readFile } from './file-reading.js';
import { getStoragePolicy } from './attributes.js';

// HDFS concat.

/** Appends the bytes of `sources` to `target`, in order, and deletes the sources (HDFS concat), atomically. */
export async function concat(ctx: OperationContext, target: string, sources: readonly string[]): Promise<void> {
  const targetComponents = parsePath(target);
  if (!Array.isArray(sources) || sources.length === 0) throw new InvalidArgumentError('concat needs at least one source', { sources });
  const sourceComponents = sources.map((s) => parsePath(s));
  const all = [targetComponents, ...sourceComponents].map((c) => formatPath(c));
  if (new Set(all).size !== all.length) throw new InvalidOperationError('concat target and sources must all be different files', { target, sources });
  for (let attempt = 0; attempt < 10; attempt++) {
    const files = await ctx.core.engine.read(async (tx) => {
      const out: { inode: Inode; path: string; blocks: BlockRef[] }[] = [];
      for (const components of [targetComponents, ...sourceComponents]) {
        const { r, target: inode } = await resolveExisting(ctx, tx, components);
        if (inode.isDir) throw new IsDirectoryError(`${r.path} is a directory`, { path: r.path });
        if (inode.underConstruction) throw new InvalidOperationError(`${r.path} is being written`, { path: r.path });
        ctx.checker.check(inode, out.length === 0 ? WRITE : READ, r.components);
        ctx.checker.check(r.parent!, WRITE | EXECUTE, r.components.slice(0, -1));
        out.push({ inode, path: r.path, blocks: inode.fileStore === FileStore.Blocks ? await ctx.core.contents.blocks(tx, inode.id) : [] });
      }
      return out;
    });
    const policy = await getStoragePolicy(ctx, formatPath(targetComponents.slice(0, -1)));
    const total = files.reduce((sum, f) => sum + f.inode.size, 0);
    const inDb = total <= policy.smallMax;
    // Parts that change tier are rewritten before the transaction; the transaction only relinks.
    const written: number[] = [];
    const newBlocks: BlockRef[] = [];
    let dbBytes: Buffer | undefined;
    if (inDb) {
      dbBytes = Buffer.concat(await Promise.all(files.map((f) => readFile(ctx, f.path))));
    } else {
      for (const f of files) {
        if (f.inode.fileStore === FileStore.Blocks) newBlocks.push(...f.blocks);
        else if (f.inode.size > 0) {
          const blockId = await ctx.core.blockIds.takeOne();
          const sink = await ctx.core.blocks.create(blockId);
          await sink.write(await readFile(ctx, f.path));
          newBlocks.push({ blockId, ...(await sink.commit()) });
          written.push(blockId);
        }
      }
    }
    const outcome = await ctx.core.mutate(async (tx) => {
      const current: { inode: Inode; r: ResolvedPath }[] = [];
      for (const components of [targetComponents, ...sourceComponents]) {
        const { r, target: inode } = await resolveExisting(ctx, tx, components);
        current.push({ inode, r });
      }
      const locked = await ctx.core.lockForWrite(tx, current.flatMap((c) => [c.inode, c.r.parent!]));
      await ctx.core.checkSubtreeLocks(tx, current.flatMap((c) => c.r.chain));
      for (let i = 0; i < files.length; i++) {
        const was = files[i]!.inode;
        const now = locked.get(current[i]!.inode.id)!;
        if (now.id !== was.id || now.size !== was.size || now.mtime !== was.mtime || now.underConstruction) return undefined;
      }
      const [head, ...rest] = current;
      const targetInode = locked.get(head!.inode.id)!;
      const mtime = ctx.core.now();
      const dropped: number[] = [];
      let removedSpace = 0;
      for (const source of rest) {
        const s = locked.get(source.inode.id)!;
        if (inDb) dropped.push(...(await ctx.core.contents.blockIdsOf(tx, [s.id])));
        await tx.run('DELETE FROM fs_blocks WHERE inode_id = ?', [s.id]); // blocks move to the target, not to the garbage
        await ctx.core.inodes.delete(tx, s.id);
        await ctx.core.inodes.adjustChildren(tx, s.parentId, -1, mtime);
        await ctx.core.quotas.charge(tx, source.r.ancestors, -1, -s.size * s.replication, source.r.path);
        removedSpace += s.size * s.replication;
        ctx.core.resolver.forget(s.parentId, s.name);
      }
      // In the database tier the target's old blocks go; otherwise they lead the new block list.
      if (inDb) dropped.push(...(await ctx.core.contents.blockIdsOf(tx, [targetInode.id])));
      await ctx.core.contents.deleteBlocks(tx, targetInode.id);
      await ctx.core.contents.deleteDb(tx, targetInode.id);
      if (inDb) {
        const content = await ctx.core.contents.writeDb(tx, targetInode.id, dbBytes!, policy);
        await ctx.core.inodes.setContent(tx, targetInode.id, { size: total, ...content, mtime });
      } else {
        await ctx.core.contents.addBlocks(tx, targetInode.id, 0, newBlocks);
        await ctx.core.inodes.setContent(tx, targetInode.id, { size: total, fileStore: FileStore.Blocks, inlineData: null, mtime });
      }
      const addedSpace = (total - targetInode.size) * targetInode.replication;
      await ctx.core.quotas.charge(tx, head!.r.ancestors, 0, addedSpace, head!.r.path);
      return { dropped, removedSpace };
    });
    if (outcome === undefined) {
      await ctx.core.discardBlocks(written);
      continue;
    }
    await ctx.core.discardBlocks(outcome.dropped);
    return;
  }
  throw new InvalidOperationError(`concat sources kept changing`, { target });
}
