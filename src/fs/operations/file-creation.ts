import type { Transaction } from '../../db/engine.js';
import { FileAlreadyExistsError, FileNotFoundError, FileTooLargeForDatabaseError, IsDirectoryError } from '../../errors/fs-errors.js';
import { InvalidArgumentError } from '../../errors/humle-error.js';
import { FileWriter, fileBytes } from '../content/file-writer.js';
import { assertNoLiveLease, dropLease, isLeaseLive, takeLease } from '../content/leases.js';
import { effectiveStoragePolicy, type StoragePolicy } from '../content/storage-policy.js';
import { fileStatusOf, type FileStatus } from '../file-status.js';
import { FileStore, newInode, type Inode } from '../inode.js';
import { EXECUTE, WRITE } from '../namespace/permissions.js';
import type { ResolvedPath } from '../namespace/path-resolver.js';
import { formatPath, parsePath } from '../paths.js';
import type { CreateOptions } from './options.js';
import { resolveExisting, checkMode, type OperationContext } from './operation-context.js';
import { getFileStatus } from './namespace-reads.js';
import { createMissingDirs } from './directories.js';
import { removeFile } from './deletion.js';

// Creating files and opening them for writing: create, writeFile, append, lease recovery.

/** What an operation that deletes files leaves to remove from the block store after it commits. */
export interface Removed {
  blockIds: number[];
}

/**
 * Shared by create and writeFile: finds or makes the parent, and removes an existing file when overwriting.
 * Returns the parent chain and the blocks the removed file leaves behind.
 */
export async function prepareCreate(
  ctx: OperationContext,
  tx: Transaction,
  components: readonly string[],
  options: CreateOptions,
  ids: number[],
): Promise<{ r: ResolvedPath; dirs: Inode[]; removed: Removed }> {
  if (components.length === 0) throw new FileAlreadyExistsError('/ is a directory', { path: '/' });
  // Before anything the namespace holds decides the answer: what a hidden project holds must not shape an error.
  ctx.checker.checkVisible(components);
  const r = await ctx.core.resolver.resolve(tx, components);
  const createParent = options.createParent ?? true;
  const parentDepth = components.length - 1;
  if (!createParent && r.chain.length < components.length) {
    throw new FileNotFoundError(`Parent directory does not exist: ${formatPath(components.slice(0, -1))}`, { path: r.path });
  }
  const dirs = await createMissingDirs(ctx, tx, r, parentDepth, 0o777 & ~ctx.core.umask, ids);
  const parent = dirs[parentDepth]!;
  const removed: Removed = { blockIds: [] };
  const existing = r.target;
  if (existing !== undefined) {
    if (existing.isDir) throw new FileAlreadyExistsError(`${r.path} already exists as a directory`, { path: r.path });
    if (!options.overwrite) throw new FileAlreadyExistsError(`${r.path} already exists`, { path: r.path });
    ctx.checker.checkTraverse(dirs, r.components);
    ctx.checker.check(parent, WRITE | EXECUTE, r.components.slice(0, -1));
    // Replacing a file rewrites its contents, so HDFS (FSDirWriteFileOp.startFile) also wants w on the file itself.
    ctx.checker.check(existing, WRITE, r.components);
    ctx.checker.checkRemovable(parent, existing, r.components);
    const locked = await ctx.core.lockForWrite(tx, [parent, existing]);
    await ctx.core.checkSubtreeLocks(tx, dirs);
    const current = locked.get(existing.id)!;
    await assertNoLiveLease(ctx.core, tx, current, r.path);
    removed.blockIds = await removeFile(ctx, tx, current, dirs, r.path);
  } else if (dirs.length === r.chain.length) {
    // The parent existed: check and lock it (createMissingDirs did both when it made the parent).
    ctx.checker.checkTraverse(dirs.slice(0, -1), r.components);
    ctx.checker.check(parent, WRITE | EXECUTE, r.components.slice(0, -1));
    await ctx.core.lockForWrite(tx, [parent]);
    await ctx.core.checkSubtreeLocks(tx, dirs);
  }
  return { r, dirs, removed };
}

export function newFileInode(ctx: OperationContext, id: number, parent: Inode, name: string, options: CreateOptions, policy: StoragePolicy): Inode {
  return newInode(
    {
      id,
      parentId: parent.id,
      name,
      isDir: false,
      permission: options.permission === undefined ? 0o666 & ~ctx.core.umask : checkMode(options.permission),
      owner: ctx.user.user,
      group: parent.group,
      replication: options.replication ?? 1,
      blockSize: options.blockSize ?? policy.blockSize,
    },
    ctx.core.now(),
  );
}

export function checkCreateOptions(options: CreateOptions): void {
  if (options.replication !== undefined && (!Number.isInteger(options.replication) || options.replication < 1 || options.replication > 512)) {
    throw new InvalidArgumentError('replication must be an integer in [1, 512]', { replication: options.replication });
  }
  if (options.blockSize !== undefined && (!Number.isInteger(options.blockSize) || options.blockSize < 1024)) {
    throw new InvalidArgumentError('blockSize must be an integer of at least 1024', { blockSize: options.blockSize });
  }
  if (options.permission !== undefined) checkMode(options.permission);
}

/**
 * Creates a file whose bytes fit the database tiers of its directory's policy, with its bytes, inside the caller's
 * unit; bytes too large for those tiers are a FileTooLargeForDatabaseError, and the unit must then roll back (it may
 * have made parents or removed an overwritten file). `ids`: fresh inode ids, the first for the file and one per
 * missing parent directory.
 */
export async function createDbFile(
  ctx: OperationContext,
  tx: Transaction,
  components: readonly string[],
  bytes: Buffer,
  options: CreateOptions,
  ids: readonly number[],
): Promise<{ removed: Removed; status: FileStatus }> {
  const { r, dirs, removed } = await prepareCreate(ctx, tx, components, options, ids.slice(1));
  const parent = dirs[dirs.length - 1]!;
  const policy = await effectiveStoragePolicy(tx, dirs, ctx.core.policy);
  if (bytes.length > policy.smallMax) {
    throw new FileTooLargeForDatabaseError(`${r.path}: ${bytes.length} bytes do not fit the database tiers (at most ${policy.smallMax} here)`, {
      path: r.path,
      length: bytes.length,
      smallMax: policy.smallMax,
    });
  }
  const content = ctx.core.contents.dbContentOf(bytes, policy);
  const inode: Inode = {
    ...newFileInode(ctx, ids[0]!, parent, components[components.length - 1]!, options, policy),
    size: bytes.length,
    fileStore: content.fileStore,
  };
  await ctx.core.quotas.charge(tx, dirs, 1, bytes.length * inode.replication, r.path);
  await ctx.core.inodes.insert(tx, inode, content.inlineData);
  if (inode.fileStore === FileStore.Small) await ctx.core.contents.writeSmallChunks(tx, inode.id, bytes);
  await ctx.core.inodes.adjustChildren(tx, parent.id, 1, inode.mtime);
  ctx.core.resolver.remember(inode);
  return { removed, status: fileStatusOf(inode, r.path) };
}

/**
 * Writes a whole file. When the bytes fit the database tiers of the directory's storage policy, the file is created
 * with its bytes in one transaction (no lease, one commit); larger files stream to blocks through a writer.
 */
export async function writeFile(ctx: OperationContext, path: string, data: Buffer | Uint8Array | string, options: CreateOptions = {}): Promise<FileStatus> {
  const components = parsePath(path);
  checkCreateOptions(options);
  const bytes = fileBytes(data);
  const ids = await ctx.core.inodeIds.take(components.length + 1);
  let result: { removed: Removed; status: FileStatus } | undefined;
  try {
    result = await ctx.core.mutate((tx) => createDbFile(ctx, tx, components, bytes, options, ids));
  } catch (error) {
    if (!(error instanceof FileTooLargeForDatabaseError)) throw error;
    result = undefined;
  }
  if (result !== undefined) {
    await ctx.core.discardBlocks(result.removed.blockIds);
    return result.status;
  }
  const writer = await create(ctx, path, options);
  try {
    await writer.write(bytes);
  } catch (error) {
    await writer.abort();
    throw error;
  }
  await writer.close();
  return getFileStatus(ctx, path);
}

/** Opens a new file for writing (HDFS create): the file exists at once, under construction, with this writer's lease. */
export async function create(ctx: OperationContext, path: string, options: CreateOptions = {}): Promise<FileWriter> {
  const components = parsePath(path);
  checkCreateOptions(options);
  const ids = await ctx.core.inodeIds.take(components.length + 1);
  const holder = `${ctx.core.clientName}-${ids[0]}`;
  const result = await ctx.core.mutate(async (tx) => {
    const { r, dirs, removed } = await prepareCreate(ctx, tx, components, options, ids.slice(1));
    const parent = dirs[dirs.length - 1]!;
    const policy = await effectiveStoragePolicy(tx, dirs, ctx.core.policy);
    const inode = newFileInode(ctx, ids[0]!, parent, components[components.length - 1]!, options, policy);
    await ctx.core.quotas.charge(tx, dirs, 1, 0, r.path);
    await ctx.core.inodes.insert(tx, inode);
    await takeLease(ctx.core, tx, inode, r.path, holder);
    await ctx.core.inodes.adjustChildren(tx, parent.id, 1, inode.mtime);
    ctx.core.resolver.remember(inode);
    return { removed, inode, policy, path: r.path };
  });
  await ctx.core.discardBlocks(result.removed.blockIds);
  return new FileWriter(ctx.core, {
    inodeId: result.inode.id,
    path: result.path,
    holder,
    policy: result.policy,
    blockSize: result.inode.blockSize,
    replication: result.inode.replication,
    baseSize: 0,
    baseStore: FileStore.Empty,
    baseBlockCount: 0,
  });
}

/** Opens an existing file to add bytes at its end; a file that outgrows its tier moves to the next on close. */
export async function append(ctx: OperationContext, path: string): Promise<FileWriter> {
  const components = parsePath(path);
  const holderId = await ctx.core.inodeIds.takeOne();
  const holder = `${ctx.core.clientName}-a${holderId}`;
  const start = await ctx.core.mutate(async (tx) => {
    const { r, target } = await resolveExisting(ctx, tx, components);
    if (target.isDir) throw new IsDirectoryError(`${r.path} is a directory`, { path: r.path });
    ctx.checker.check(target, WRITE, r.components);
    const locked = await ctx.core.lockForWrite(tx, [target]);
    await ctx.core.checkSubtreeLocks(tx, r.chain);
    const file = locked.get(target.id)!;
    await takeLease(ctx.core, tx, file, r.path, holder);
    const policy = await effectiveStoragePolicy(tx, r.ancestors, ctx.core.policy);
    const blockCount = file.fileStore === FileStore.Blocks ? (await ctx.core.contents.blocks(tx, file.id)).length : 0;
    return { file, policy, blockCount, path: r.path };
  });
  return new FileWriter(ctx.core, {
    inodeId: start.file.id,
    path: start.path,
    holder,
    policy: start.policy,
    blockSize: start.file.blockSize,
    replication: start.file.replication,
    baseSize: start.file.size,
    baseStore: start.file.fileStore,
    baseBlockCount: start.blockCount,
  });
}

/** Closes a file whose writer died, once its lease has expired (HDFS recoverLease); true when the file is closed. */
export async function recoverLease(ctx: OperationContext, path: string): Promise<boolean> {
  const components = parsePath(path);
  return ctx.core.mutate(async (tx) => {
    const { r, target } = await resolveExisting(ctx, tx, components);
    if (target.isDir) throw new IsDirectoryError(`${r.path} is a directory`, { path: r.path });
    ctx.checker.check(target, WRITE, r.components);
    const file = (await ctx.core.lockForWrite(tx, [target])).get(target.id)!;
    if (!file.underConstruction) return true;
    if (await isLeaseLive(ctx.core, tx, file)) return false;
    await dropLease(ctx.core, tx, file.id);
    return true;
  });
}
