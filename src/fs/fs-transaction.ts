import type { Transaction } from '../db/engine.js';
import { FileAlreadyExistsError, FileNotFoundError, IsDirectoryError } from '../errors/fs-errors.js';
import { InvalidArgumentError } from '../errors/humle-error.js';
import type { BlockRef } from './content/content-store.js';
import { fileBytes } from './content/file-writer.js';
import { effectiveStoragePolicy } from './content/storage-policy.js';
import { fileStatusOf, type FileStatus } from './file-status.js';
import { FileStore, type Inode } from './inode.js';
import { EXECUTE, WRITE } from './namespace/permissions.js';
import { createDbFile, newFileInode } from './operations/file-creation.js';
import { removeFile } from './operations/deletion.js';
import { resolveExisting, type OperationContext } from './operations/operation-context.js';
import { parsePath } from './paths.js';

/**
 * humle fs operations that run inside a caller's write unit, so that a file appears (or goes) in the same database
 * transaction as the caller's own rows: the feature store publishes a Delta commit file, its data files, the online
 * rows and its indexes atomically. Parents must exist (create them before the transaction); ids come from the pool
 * the transaction was given, because taking ids needs a transaction of its own.
 */
export class FsTransaction {
  private readonly removedBlocks: number[] = [];

  constructor(
    private readonly ctx: OperationContext,
    readonly tx: Transaction,
    private readonly inodeIds: number[],
  ) {}

  /** Blocks of files this transaction deleted or replaced: to be removed from the block store once it commits. */
  get blocksToDiscard(): readonly number[] {
    return this.removedBlocks;
  }

  private takeInodeId(): number {
    const id = this.inodeIds.pop();
    if (id === undefined) throw new InvalidArgumentError('the transaction was given too few inode ids for the files it creates');
    return id;
  }

  /** Creates a file with bytes that fit the database tiers of its directory (FileTooLargeForDatabaseError if not). */
  async writeFile(path: string, data: Buffer | string, options: { overwrite?: boolean } = {}): Promise<FileStatus> {
    const components = parsePath(path);
    const result = await createDbFile(this.ctx, this.tx, components, fileBytes(data), { overwrite: options.overwrite, createParent: false }, [
      this.takeInodeId(),
    ]);
    this.removedBlocks.push(...result.removed.blockIds);
    return result.status;
  }

  /**
   * Creates a file whose bytes are blocks already made durable in the block store (`BlockStore.importFile` or a
   * committed `BlockSink`): from this transaction's commit on, the file owns them. Each block may be at most the
   * directory's block size, so a one-block file is one plain file that other engines can read in place.
   */
  async createFileFromBlocks(path: string, blocks: readonly BlockRef[]): Promise<FileStatus> {
    const components = parsePath(path);
    if (components.length === 0) throw new FileAlreadyExistsError('/ is a directory', { path: '/' });
    this.ctx.checker.checkVisible(components);
    const r = await this.ctx.core.resolver.resolve(this.tx, components);
    const parent = r.parent;
    if (parent === undefined || !parent.isDir) {
      throw new FileNotFoundError(`Parent directory does not exist: ${r.path}`, { path: r.path });
    }
    if (r.target !== undefined) throw new FileAlreadyExistsError(`${r.path} already exists`, { path: r.path });
    const dirs = r.ancestors;
    this.ctx.checker.checkTraverse(dirs.slice(0, -1), r.components);
    this.ctx.checker.check(parent, WRITE | EXECUTE, r.components.slice(0, -1));
    await this.ctx.core.lockForWrite(this.tx, [parent]);
    await this.ctx.core.checkSubtreeLocks(this.tx, dirs);
    const policy = await effectiveStoragePolicy(this.tx, dirs, this.ctx.core.policy);
    const oversized = blocks.find((b) => b.length > policy.blockSize);
    if (oversized !== undefined) {
      throw new InvalidArgumentError(`block ${oversized.blockId} of ${r.path} is longer than the block size ${policy.blockSize}`, {
        path: r.path,
        length: oversized.length,
        blockSize: policy.blockSize,
      });
    }
    const size = blocks.reduce((sum, b) => sum + b.length, 0);
    const inode: Inode = {
      ...newFileInode(this.ctx, this.takeInodeId(), parent, components[components.length - 1]!, {}, policy),
      size,
      fileStore: blocks.length === 0 ? FileStore.Empty : FileStore.Blocks,
    };
    await this.ctx.core.quotas.charge(this.tx, dirs, 1, size * inode.replication, r.path);
    await this.ctx.core.inodes.insert(this.tx, inode);
    await this.ctx.core.contents.addBlocks(this.tx, inode.id, 0, blocks);
    await this.ctx.core.inodes.adjustChildren(this.tx, parent.id, 1, inode.mtime);
    this.ctx.core.resolver.remember(inode);
    return fileStatusOf(inode, r.path);
  }

  /** Deletes a file (not a directory); false when it does not exist. Its blocks go once the transaction commits. */
  async deleteFile(path: string): Promise<boolean> {
    const components = parsePath(path);
    const r = await this.ctx.core.resolver.resolve(this.tx, components);
    this.ctx.checker.checkTraverse(r.ancestors.filter((a) => a.isDir), r.components);
    const target = r.target;
    if (target === undefined) return false;
    if (target.isDir) throw new IsDirectoryError(`${r.path} is a directory`, { path: r.path });
    const parent = r.parent!;
    this.ctx.checker.check(parent, WRITE | EXECUTE, r.components.slice(0, -1));
    this.ctx.checker.checkRemovable(parent, target, r.components);
    const locked = await this.ctx.core.lockForWrite(this.tx, [parent, target]);
    await this.ctx.core.checkSubtreeLocks(this.tx, r.chain);
    this.removedBlocks.push(...(await removeFile(this.ctx, this.tx, locked.get(target.id)!, r.ancestors, r.path)));
    return true;
  }

  /** The status of a path, as the transaction sees it. */
  async getFileStatus(path: string): Promise<FileStatus> {
    const components = parsePath(path);
    const { r, target } = await resolveExisting(this.ctx, this.tx, components);
    return fileStatusOf(target, r.path);
  }
}
