import { InvalidOperationError, IsDirectoryError } from '../../errors/fs-errors.js';
import { InvalidArgumentError } from '../../errors/humle-error.js';
import type { BlockRef } from '../content/content-store.js';
import { assertNoLiveLease } from '../content/leases.js';
import { effectiveStoragePolicy } from '../content/storage-policy.js';
import { FileStore } from '../inode.js';
import { WRITE } from '../namespace/permissions.js';
import { formatPath, parsePath } from '../paths.js';
import { resolveExisting, checkNonNegativeInteger, type OperationContext } from './operation-context.js';
import { readFile } from './file-reading.js';

// HDFS truncate.

/** Cuts a file to `newLength` bytes (HDFS truncate). Returns true: the new length is in effect when it returns. */
export async function truncate(ctx: OperationContext, path: string, newLength: number): Promise<boolean> {
  const components = parsePath(path);
  checkNonNegativeInteger('newLength', newLength);
  for (let attempt = 0; attempt < 10; attempt++) {
    const snapshot = await ctx.core.engine.read(async (tx) => {
      const { r, target } = await resolveExisting(ctx, tx, components);
      if (target.isDir) throw new IsDirectoryError(`${r.path} is a directory`, { path: r.path });
      ctx.checker.check(target, WRITE, r.components);
      if (newLength > target.size) {
        throw new InvalidArgumentError(`Cannot truncate ${r.path} to a larger file size: ${newLength} > ${target.size}`, { path: r.path, newLength });
      }
      const policy = await effectiveStoragePolicy(tx, r.ancestors, ctx.core.policy);
      const blocks = target.fileStore === FileStore.Blocks ? await ctx.core.contents.blocks(tx, target.id) : [];
      return { target, policy, blocks };
    });
    const { target, policy, blocks } = snapshot;
    if (newLength === target.size) return true;
    // Bytes that must be rewritten outside the transaction: a partial last block, or block bytes moving into the database.
    let keptBlocks = blocks;
    let tail: BlockRef | undefined;
    let dbBytes: Buffer | undefined;
    if (target.fileStore === FileStore.Blocks) {
      if (newLength <= policy.smallMax) {
        dbBytes = await readFile(ctx, formatPath(components), { length: newLength });
        keptBlocks = [];
      } else {
        keptBlocks = [];
        let offset = 0;
        for (const b of blocks) {
          if (offset + b.length <= newLength) keptBlocks.push(b);
          else {
            if (offset < newLength) {
              const part = await readFile(ctx, formatPath(components), { offset, length: newLength - offset });
              const blockId = await ctx.core.blockIds.takeOne();
              const sink = await ctx.core.blocks.create(blockId);
              await sink.write(part);
              tail = { blockId, ...(await sink.commit()) };
            }
            break;
          }
          offset += b.length;
        }
      }
    }
    const applied = await ctx.core.mutate(async (tx) => {
      const { r, target: now } = await resolveExisting(ctx, tx, components);
      const file = (await ctx.core.lockForWrite(tx, [now])).get(now.id)!;
      await ctx.core.checkSubtreeLocks(tx, r.chain);
      if (file.id !== target.id || file.size !== target.size || file.mtime !== target.mtime || file.fileStore !== target.fileStore) return undefined;
      await assertNoLiveLease(ctx.core, tx, file, r.path);
      const mtime = ctx.core.now();
      let dropped: number[] = [];
      if (file.fileStore === FileStore.Blocks) {
        const keep = new Set(keptBlocks.map((b) => b.blockId));
        dropped = blocks.filter((b) => !keep.has(b.blockId)).map((b) => b.blockId);
        await ctx.core.contents.deleteBlocks(tx, file.id);
        if (dbBytes !== undefined) {
          const content = await ctx.core.contents.writeDb(tx, file.id, dbBytes, policy);
          await ctx.core.inodes.setContent(tx, file.id, { size: newLength, ...content, mtime });
        } else {
          await ctx.core.contents.addBlocks(tx, file.id, 0, tail ? [...keptBlocks, tail] : keptBlocks);
          await ctx.core.inodes.setContent(tx, file.id, { size: newLength, fileStore: FileStore.Blocks, inlineData: null, mtime });
        }
      } else {
        const data = (await ctx.core.contents.readDb(tx, file)).subarray(0, newLength);
        await ctx.core.contents.deleteDb(tx, file.id);
        const content = await ctx.core.contents.writeDb(tx, file.id, Buffer.from(data), policy);
        await ctx.core.inodes.setContent(tx, file.id, { size: newLength, ...content, mtime });
      }
      await ctx.core.quotas.charge(tx, r.ancestors, 0, (newLength - file.size) * file.replication, r.path);
      return dropped;
    });
    if (applied === undefined) {
      if (tail) await ctx.core.discardBlocks([tail.blockId]);
      continue; // the file changed while its new last block was written: start again
    }
    await ctx.core.discardBlocks(applied);
    return true;
  }
  throw new InvalidOperationError(`${path} kept changing during truncate`, { path });
}
