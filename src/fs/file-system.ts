import { userInfo } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { Engine, Transaction } from '../db/engine.js';
import { openEngine, type EngineConfig } from '../db/open-engine.js';
import {
  DirectoryNotEmptyError,
  FileAlreadyExistsError,
  FileNotFoundError,
  InvalidOperationError,
  IsDirectoryError,
  ParentNotDirectoryError,
} from '../errors/fs-errors.js';
import { InvalidArgumentError } from '../errors/humle-error.js';
import type { BlockStore } from './blocks/block-store.js';
import { LocalBlockStore } from './blocks/local-block-store.js';
import type { BlockRef } from './content/content-store.js';
import { FileWriter } from './content/file-writer.js';
import { streamBlocks, type FileContent } from './content/file-reader.js';
import { assertNoLiveLease, dropLease, isLeaseLive, takeLease } from './content/leases.js';
import { DEFAULT_STORAGE_POLICY, effectiveStoragePolicy, validateStoragePolicy, type StoragePolicy } from './content/storage-policy.js';
import { fileStatusOf, type ContentSummary, type FileStatus } from './file-status.js';
import { DEFAULT_LIMITS, FsCore, type FsLimits } from './fs-core.js';
import { fsMigrations } from './fs-schema.js';
import { FileStore, ROOT_ID, ROOT_PARENT_ID, newInode, partitionOf, type Inode } from './inode.js';
import { EXECUTE, PermissionChecker, READ, WRITE, type UserContext } from './namespace/permissions.js';
import { NO_QUOTA } from './namespace/quota-store.js';
import type { ResolvedPath } from './namespace/path-resolver.js';
import { formatPath, isSameOrDescendant, parsePath } from './paths.js';
import { SubtreeOperation } from './subtree/subtree-operation.js';
import { measureSubtree, type SubtreeUsage } from './subtree/subtree-walk.js';
import { XAttrs, type XAttrSetFlag } from './xattrs.js';
import { ReadWorkerPool } from './read-workers/read-worker-pool.js';
import { runFsck, type FsckOptions, type FsckReport } from './fsck.js';

export interface FileSystemOptions {
  /** Data directory: the SQLite database and the block directory live here. */
  dataDir: string;
  /** The metadata database; SQLite in the data directory by default. An `Engine` instance is used as given. */
  engine?: EngineConfig | Engine;
  /** Where blocks go; a local directory under the data directory by default. */
  blockStore?: BlockStore;
  /** Who operations run as; the OS user by default. */
  user?: string;
  groups?: string[];
  /** Members of this group are superusers, as HDFS's `dfs.permissions.superusergroup`. */
  supergroup?: string;
  /** The file system-wide storage policy, for directories that set none. */
  storagePolicy?: Partial<StoragePolicy>;
  /** Bits removed from the default permission of new files (0o666) and directories (0o777). */
  umask?: number;
  limits?: Partial<FsLimits>;
  /**
   * Worker threads that serve reads (getFileStatus, listStatus, exists, readFile) beside the thread that writes, each
   * with its own database connections; 0 (the default) reads on the calling thread. Needs `engine` as a config.
   */
  readWorkers?: number;
}

export interface CreateOptions {
  overwrite?: boolean;
  /** Mode bits; default 0o666 & ~umask. */
  permission?: number;
  /** Create missing parent directories (default true, as HDFS's FileSystem.create). */
  createParent?: boolean;
  replication?: number;
  blockSize?: number;
}

export interface ListOptions {
  /** Return entries whose name sorts after this one (paging, like HDFS's startAfter). */
  startAfter?: string;
  limit?: number;
}

export interface DirectoryListing {
  entries: FileStatus[];
  /** True when more entries follow the last one returned. */
  hasMore: boolean;
}

export interface QuotaSetting {
  /** Names allowed below (and including) the directory; null clears, undefined keeps. */
  namespace?: number | null;
  /** Bytes × replication allowed below the directory; null clears, undefined keeps. */
  space?: number | null;
}

/** What an operation that deletes files leaves to remove from the block store after it commits. */
interface Removed {
  blockIds: number[];
}

function checkNonNegativeInteger(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new InvalidArgumentError(`${name} must be a non-negative integer`, { [name]: value });
  }
  return value;
}

function checkMode(value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 0o1777) {
    throw new InvalidArgumentError('permission must be an integer mode in [0, 0o1777]', { permission: value });
  }
  return value;
}

/**
 * humle fs: a hierarchical file system whose namespace lives in a transactional database, as HopsFS keeps HDFS's in
 * NDB. Every operation is one transaction (or, for huge subtrees, a crash-safe sequence of them), so a rename of any
 * path to any path is atomic. Small files live in the database; large ones in blocks.
 *
 * One instance is one user's view; `as(user)` gives another user's view of the same file system.
 */
export class FileSystem {
  private readonly checker: PermissionChecker;
  private readonly xattrs: XAttrs;

  private constructor(
    private readonly core: FsCore,
    readonly user: UserContext,
    private readonly ownsCore: boolean,
    private readonly readPool: ReadWorkerPool | undefined,
  ) {
    this.checker = new PermissionChecker(user, core.superuser, core.supergroup);
    this.xattrs = new XAttrs(this.checker);
  }

  /** Opens (and on first use formats) the file system in `dataDir`. */
  static async open(options: FileSystemOptions): Promise<FileSystem> {
    const engine =
      options.engine !== undefined && 'write' in options.engine ? options.engine : openEngine(options.dataDir, options.engine as EngineConfig | undefined);
    await engine.migrate('fs', fsMigrations);
    let blockStore = options.blockStore;
    if (blockStore === undefined) {
      const local = new LocalBlockStore(join(options.dataDir, 'blocks'));
      await local.init();
      blockStore = local;
    }
    const policy = { ...DEFAULT_STORAGE_POLICY, ...options.storagePolicy };
    validateStoragePolicy(policy);
    const user = options.user ?? userInfo().username;
    const core = new FsCore(
      engine,
      blockStore,
      policy,
      options.umask ?? 0o022,
      options.supergroup ?? 'supergroup',
      { ...DEFAULT_LIMITS, ...options.limits },
      SubtreeOperation.recover,
    );
    core.superuser = await FileSystem.format(core, user);
    const readWorkers = options.readWorkers ?? 0;
    if (!Number.isInteger(readWorkers) || readWorkers < 0 || readWorkers > 64) {
      throw new InvalidArgumentError('readWorkers must be an integer in [0, 64]', { readWorkers });
    }
    let readPool: ReadWorkerPool | undefined;
    if (readWorkers > 0) {
      if ((options.engine !== undefined && 'write' in options.engine) || options.blockStore !== undefined) {
        throw new InvalidArgumentError('read workers open their own connections: pass engine as a config, and no blockStore instance');
      }
      readPool = await ReadWorkerPool.start(readWorkers, {
        dataDir: options.dataDir,
        engine: options.engine as EngineConfig | undefined,
        storagePolicy: policy,
        umask: core.umask,
        supergroup: core.supergroup,
        limits: core.limits,
      });
    }
    return new FileSystem(core, { user, groups: options.groups ?? [user] }, true, readPool);
  }

  /** Creates the root directory, owned by the first user (who is then the superuser, as HDFS's namenode user). */
  private static async format(core: FsCore, user: string): Promise<string> {
    return core.engine.write(async (tx) => {
      const root = await core.inodes.byId(tx, ROOT_ID);
      if (root !== undefined) return root.owner;
      await core.inodes.insert(
        tx,
        newInode({ id: ROOT_ID, parentId: ROOT_PARENT_ID, name: '', isDir: true, permission: 0o755, owner: user, group: core.supergroup }, core.now()),
      );
      return user;
    });
  }

  /** The same file system seen by another user. */
  as(user: string, groups: string[] = [user]): FileSystem {
    return new FileSystem(this.core, { user, groups }, false, this.readPool);
  }

  get superuser(): string {
    return this.core.superuser;
  }

  get engine(): Engine {
    return this.core.engine;
  }

  get blockStore(): BlockStore {
    return this.core.blocks;
  }

  async close(): Promise<void> {
    if (!this.ownsCore) return;
    await this.readPool?.close();
    await this.core.engine.close();
  }

  // ---- reading the namespace ------------------------------------------------------------------------------------

  private resolve(tx: Transaction, components: readonly string[]): Promise<ResolvedPath> {
    return this.core.resolver.resolve(tx, components);
  }

  /**
   * Resolves and checks that the caller may traverse to the path; throws FileNotFound when it does not exist.
   * `withData` loads a tiny file's inline bytes with it.
   */
  private async resolveExisting(tx: Transaction, components: readonly string[], withData = false): Promise<{ r: ResolvedPath; target: Inode }> {
    const r = await this.core.resolver.resolve(tx, components, withData);
    this.checker.checkTraverse(r.ancestors.filter((a) => a.isDir), r.path);
    return { r, target: r.requireTarget() };
  }

  async exists(path: string): Promise<boolean> {
    if (this.readPool) return this.readPool.call(this.user, 'exists', [path]);
    const components = parsePath(path);
    return this.core.engine.read(async (tx) => (await this.resolve(tx, components)).exists);
  }

  async getFileStatus(path: string): Promise<FileStatus> {
    if (this.readPool) return this.readPool.call(this.user, 'getFileStatus', [path]);
    const components = parsePath(path);
    return this.core.engine.read(async (tx) => {
      const { target } = await this.resolveExisting(tx, components);
      return fileStatusOf(target, formatPath(components));
    });
  }

  /** One page of a directory in name order (or the file itself, for a file path). */
  async listStatus(path: string, options: ListOptions = {}): Promise<DirectoryListing> {
    if (this.readPool) return this.readPool.call(this.user, 'listStatus', [path, options]);
    const components = parsePath(path);
    const limit = options.limit === undefined ? 1000 : checkNonNegativeInteger('limit', options.limit);
    if (limit === 0) throw new InvalidArgumentError('limit must be at least 1', { limit });
    return this.core.engine.read(async (tx) => {
      const { r, target } = await this.resolveExisting(tx, components);
      if (!target.isDir) return { entries: [fileStatusOf(target, r.path)], hasMore: false };
      this.checker.check(target, READ | EXECUTE, r.path);
      const page = await this.core.inodes.children(tx, target.id, options.startAfter, limit + 1);
      const base = r.path === '/' ? '' : r.path;
      const entries = page.slice(0, limit).map((c) => fileStatusOf(c, `${base}/${c.name}`));
      return { entries, hasMore: page.length > limit };
    });
  }

  /** Every entry of a directory, paging through it. */
  async *list(path: string, pageSize = 1000): AsyncIterable<FileStatus> {
    let startAfter: string | undefined;
    for (;;) {
      const page = await this.listStatus(path, { startAfter, limit: pageSize });
      yield* page.entries;
      if (!page.hasMore || page.entries.length === 0) return;
      startAfter = page.entries[page.entries.length - 1]!.name;
    }
  }

  async getContentSummary(path: string): Promise<ContentSummary> {
    const components = parsePath(path);
    const { target, quota } = await this.core.engine.read(async (tx) => {
      const { target } = await this.resolveExisting(tx, components);
      const quota = target.hasQuota ? await this.core.quotas.get(tx, target.id) : undefined;
      return { target, quota };
    });
    const where = formatPath(components);
    const usage = await measureSubtree(this.core, target, (dir) => this.checker.check(dir, READ | EXECUTE, where));
    return {
      length: usage.length,
      fileCount: usage.files,
      directoryCount: usage.directories,
      quota: quota?.nsQuota ?? NO_QUOTA,
      spaceConsumed: usage.space,
      spaceQuota: quota?.dsQuota ?? NO_QUOTA,
    };
  }

  /** Quota limits and usage of a directory (HDFS's getQuotaUsage); usage is counted when the directory has no quota. */
  async getQuotaUsage(path: string): Promise<{ fileAndDirectoryCount: number; quota: number; spaceConsumed: number; spaceQuota: number }> {
    const components = parsePath(path);
    const { target, quota } = await this.core.engine.read(async (tx) => {
      const { target } = await this.resolveExisting(tx, components);
      return { target, quota: target.hasQuota ? await this.core.quotas.get(tx, target.id) : undefined };
    });
    if (quota) return { fileAndDirectoryCount: quota.nsUsed, quota: quota.nsQuota, spaceConsumed: quota.dsUsed, spaceQuota: quota.dsQuota };
    const usage = await measureSubtree(this.core, target);
    return { fileAndDirectoryCount: usage.names, quota: NO_QUOTA, spaceConsumed: usage.space, spaceQuota: NO_QUOTA };
  }

  // ---- directories ------------------------------------------------------------------------------------------------

  /**
   * Creates the directory and any missing parents (`mkdir -p`); true when it exists afterwards. `permission` applies
   * to every directory created (default 0o777 & ~umask), with u+wx added to implied parents as HDFS does.
   */
  async mkdirs(path: string, options: { permission?: number } = {}): Promise<boolean> {
    const components = parsePath(path);
    const permission = options.permission === undefined ? 0o777 & ~this.core.umask : checkMode(options.permission);
    const ids = await this.core.inodeIds.take(Math.max(1, components.length));
    return this.core.mutate(async (tx) => {
      const r = await this.resolve(tx, components);
      if (r.exists) {
        if (!r.target!.isDir) throw new FileAlreadyExistsError(`Path is not a directory: ${r.path}`, { path: r.path });
        this.checker.checkTraverse(r.ancestors, r.path);
        return true;
      }
      await this.createMissingDirs(tx, r, r.components.length, permission, ids);
      return true;
    });
  }

  /**
   * Creates the directories of `r.components[..upTo)` that do not exist yet, below the deepest existing one.
   * Returns the directory chain (root first) for components[0..upTo).
   */
  private async createMissingDirs(tx: Transaction, r: ResolvedPath, upTo: number, permission: number, ids: number[]): Promise<Inode[]> {
    const chain = r.chain.slice(0, upTo + 1);
    if (chain.length === upTo + 1) {
      if (!chain[upTo]!.isDir) throw new ParentNotDirectoryError(`Parent path is not a directory: ${formatPath(r.components.slice(0, upTo))}`);
      return chain;
    }
    const deepest = chain[chain.length - 1]!;
    const deepestPath = formatPath(r.components.slice(0, chain.length - 1));
    if (!deepest.isDir) throw new ParentNotDirectoryError(`Parent path is not a directory: ${deepestPath}`, { path: deepestPath });
    this.checker.checkTraverse(chain.slice(0, -1), r.path);
    this.checker.check(deepest, WRITE | EXECUTE, deepestPath);
    const locked = await this.core.lockForWrite(tx, [deepest]);
    await this.core.checkSubtreeLocks(tx, chain);
    const parentNow = locked.get(deepest.id)!;
    const missing = upTo - (chain.length - 1);
    await this.core.quotas.charge(tx, chain, missing, 0, r.path);
    const now = this.core.now();
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
          owner: this.user.user,
          group: parent.group,
          children: i < upTo - 1 ? 1 : 0,
        },
        now,
      );
      await this.core.inodes.insert(tx, dir);
      if (i === firstNew) await this.core.inodes.adjustChildren(tx, parent.id, 1, now);
      this.core.resolver.remember(dir);
      chain.push(dir);
      parent = dir;
    }
    return chain;
  }

  // ---- files --------------------------------------------------------------------------------------------------

  /**
   * Shared by create and writeFile: finds or makes the parent, and removes an existing file when overwriting.
   * Returns the parent chain and the blocks the removed file leaves behind.
   */
  private async prepareCreate(
    tx: Transaction,
    components: readonly string[],
    options: CreateOptions,
    ids: number[],
  ): Promise<{ r: ResolvedPath; dirs: Inode[]; removed: Removed }> {
    if (components.length === 0) throw new FileAlreadyExistsError('/ is a directory', { path: '/' });
    const r = await this.resolve(tx, components);
    const createParent = options.createParent ?? true;
    const parentDepth = components.length - 1;
    if (!createParent && r.chain.length < components.length) {
      throw new FileNotFoundError(`Parent directory does not exist: ${formatPath(components.slice(0, -1))}`, { path: r.path });
    }
    const dirs = await this.createMissingDirs(tx, r, parentDepth, 0o777 & ~this.core.umask, ids);
    const parent = dirs[parentDepth]!;
    const removed: Removed = { blockIds: [] };
    const existing = r.target;
    if (existing !== undefined) {
      if (existing.isDir) throw new FileAlreadyExistsError(`${r.path} already exists as a directory`, { path: r.path });
      if (!options.overwrite) throw new FileAlreadyExistsError(`${r.path} already exists`, { path: r.path });
      this.checker.checkTraverse(dirs, r.path);
      this.checker.check(parent, WRITE | EXECUTE, r.path);
      this.checker.checkSticky(parent, existing, r.path);
      const locked = await this.core.lockForWrite(tx, [parent, existing]);
      await this.core.checkSubtreeLocks(tx, dirs);
      const current = locked.get(existing.id)!;
      await assertNoLiveLease(this.core, tx, current, r.path);
      removed.blockIds = await this.removeFile(tx, current, dirs, r.path);
    } else if (dirs.length === r.chain.length) {
      // The parent existed: check and lock it (createMissingDirs did both when it made the parent).
      this.checker.checkTraverse(dirs.slice(0, -1), r.path);
      this.checker.check(parent, WRITE | EXECUTE, r.path);
      await this.core.lockForWrite(tx, [parent]);
      await this.core.checkSubtreeLocks(tx, dirs);
    }
    return { r, dirs, removed };
  }

  /** Deletes a file's inode (its small-file rows, block rows, xattrs and lease go with it) and charges the quotas. */
  private async removeFile(tx: Transaction, file: Inode, dirs: readonly Inode[], path: string): Promise<number[]> {
    const blockIds = file.fileStore === FileStore.Blocks ? await this.core.contents.blockIdsOf(tx, [file.id]) : [];
    await this.core.inodes.delete(tx, file.id);
    await this.core.inodes.adjustChildren(tx, file.parentId, -1, this.core.now());
    await this.core.quotas.charge(tx, dirs, -1, -file.size * file.replication, path);
    this.core.resolver.forget(file.parentId, file.name);
    return blockIds;
  }

  private newFileInode(id: number, parent: Inode, name: string, options: CreateOptions, policy: StoragePolicy): Inode {
    return newInode(
      {
        id,
        parentId: parent.id,
        name,
        isDir: false,
        permission: options.permission === undefined ? 0o666 & ~this.core.umask : checkMode(options.permission),
        owner: this.user.user,
        group: parent.group,
        replication: options.replication ?? 1,
        blockSize: options.blockSize ?? policy.blockSize,
      },
      this.core.now(),
    );
  }

  private checkCreateOptions(options: CreateOptions): void {
    if (options.replication !== undefined && (!Number.isInteger(options.replication) || options.replication < 1 || options.replication > 512)) {
      throw new InvalidArgumentError('replication must be an integer in [1, 512]', { replication: options.replication });
    }
    if (options.blockSize !== undefined && (!Number.isInteger(options.blockSize) || options.blockSize < 1024)) {
      throw new InvalidArgumentError('blockSize must be an integer of at least 1024', { blockSize: options.blockSize });
    }
    if (options.permission !== undefined) checkMode(options.permission);
  }

  /**
   * Writes a whole file. When the bytes fit the database tiers of the directory's storage policy, the file is created
   * with its bytes in one transaction (no lease, one commit); larger files stream to blocks through a writer.
   */
  async writeFile(path: string, data: Buffer | Uint8Array | string, options: CreateOptions = {}): Promise<FileStatus> {
    const components = parsePath(path);
    this.checkCreateOptions(options);
    const bytes = typeof data === 'string' ? Buffer.from(data) : Buffer.isBuffer(data) ? data : Buffer.from(data);
    const ids = await this.core.inodeIds.take(components.length + 1);
    const result = await this.core.mutate(async (tx) => {
      const { r, dirs, removed } = await this.prepareCreate(tx, components, options, ids.slice(1));
      const parent = dirs[dirs.length - 1]!;
      const policy = await effectiveStoragePolicy(tx, dirs, this.core.policy);
      if (bytes.length > policy.smallMax) return { removed, status: undefined };
      const content = this.core.contents.dbContentOf(bytes, policy);
      const inode: Inode = {
        ...this.newFileInode(ids[0]!, parent, components[components.length - 1]!, options, policy),
        size: bytes.length,
        fileStore: content.fileStore,
      };
      await this.core.quotas.charge(tx, dirs, 1, bytes.length * inode.replication, r.path);
      await this.core.inodes.insert(tx, inode, content.inlineData);
      if (inode.fileStore === FileStore.Small) await this.core.contents.writeSmallChunks(tx, inode.id, bytes);
      await this.core.inodes.adjustChildren(tx, parent.id, 1, inode.mtime);
      this.core.resolver.remember(inode);
      return { removed, status: fileStatusOf(inode, r.path) };
    });
    await this.core.discardBlocks(result.removed.blockIds);
    if (result.status !== undefined) return result.status;
    const writer = await this.create(path, options);
    try {
      await writer.write(bytes);
    } catch (error) {
      await writer.abort();
      throw error;
    }
    await writer.close();
    return this.getFileStatus(path);
  }

  /** Opens a new file for writing (HDFS create): the file exists at once, under construction, with this writer's lease. */
  async create(path: string, options: CreateOptions = {}): Promise<FileWriter> {
    const components = parsePath(path);
    this.checkCreateOptions(options);
    const ids = await this.core.inodeIds.take(components.length + 1);
    const holder = `${this.core.clientName}-${ids[0]}`;
    const result = await this.core.mutate(async (tx) => {
      const { r, dirs, removed } = await this.prepareCreate(tx, components, options, ids.slice(1));
      const parent = dirs[dirs.length - 1]!;
      const policy = await effectiveStoragePolicy(tx, dirs, this.core.policy);
      const inode = this.newFileInode(ids[0]!, parent, components[components.length - 1]!, options, policy);
      await this.core.quotas.charge(tx, dirs, 1, 0, r.path);
      await this.core.inodes.insert(tx, inode);
      await takeLease(this.core, tx, inode, r.path, holder);
      await this.core.inodes.adjustChildren(tx, parent.id, 1, inode.mtime);
      this.core.resolver.remember(inode);
      return { removed, inode, policy, path: r.path };
    });
    await this.core.discardBlocks(result.removed.blockIds);
    return new FileWriter(this.core, {
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
  async append(path: string): Promise<FileWriter> {
    const components = parsePath(path);
    const holderId = await this.core.inodeIds.takeOne();
    const holder = `${this.core.clientName}-a${holderId}`;
    const start = await this.core.mutate(async (tx) => {
      const { r, target } = await this.resolveExisting(tx, components);
      if (target.isDir) throw new IsDirectoryError(`${r.path} is a directory`, { path: r.path });
      this.checker.check(target, WRITE, r.path);
      const locked = await this.core.lockForWrite(tx, [target]);
      await this.core.checkSubtreeLocks(tx, r.chain);
      const file = locked.get(target.id)!;
      await takeLease(this.core, tx, file, r.path, holder);
      const policy = await effectiveStoragePolicy(tx, r.ancestors, this.core.policy);
      const blockCount = file.fileStore === FileStore.Blocks ? (await this.core.contents.blocks(tx, file.id)).length : 0;
      return { file, policy, blockCount, path: r.path };
    });
    return new FileWriter(this.core, {
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

  /** What a read of the file's current version needs: its bytes from the database, or its block list. */
  private async readContent(components: readonly string[]): Promise<{ path: string; content: FileContent }> {
    return this.core.engine.read(async (tx) => {
      const { r, target } = await this.resolveExisting(tx, components, true);
      if (target.isDir) throw new IsDirectoryError(`${r.path} is a directory`, { path: r.path });
      this.checker.check(target, READ, r.path);
      if (target.fileStore === FileStore.Blocks) {
        return { path: r.path, content: { kind: 'blocks', blocks: await this.core.contents.blocks(tx, target.id), size: target.size } };
      }
      return { path: r.path, content: { kind: 'bytes', data: await this.core.contents.readDb(tx, target) } };
    });
  }

  /** Streams the file's bytes from `offset` (default 0), at most `length` bytes (default: to the end). */
  async open(path: string, options: { offset?: number; length?: number } = {}): Promise<Readable> {
    const content = await this.readRange(path, options);
    return Buffer.isBuffer(content) ? Readable.from([content], { objectMode: false }) : content;
  }

  /** The file's bytes (or a range of them) in one buffer. */
  async readFile(path: string, options: { offset?: number; length?: number } = {}): Promise<Buffer> {
    if (this.readPool) return this.readPool.call(this.user, 'readFile', [path, options]);
    const content = await this.readRange(path, options);
    if (Buffer.isBuffer(content)) return content;
    const chunks: Buffer[] = [];
    for await (const chunk of content) chunks.push(chunk as Buffer);
    return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
  }

  /** Bytes kept in the database come back as a buffer (no stream needed); block bytes as a stream. */
  private async readRange(path: string, options: { offset?: number; length?: number }): Promise<Buffer | Readable> {
    const components = parsePath(path);
    const offset = options.offset === undefined ? 0 : checkNonNegativeInteger('offset', options.offset);
    const requested = options.length === undefined ? Infinity : checkNonNegativeInteger('length', options.length);
    const { path: where, content } = await this.readContent(components);
    const size = content.kind === 'bytes' ? content.data.length : content.size;
    const length = Math.min(requested, Math.max(0, size - offset));
    if (content.kind === 'bytes') return offset === 0 && length === size ? content.data : content.data.subarray(offset, offset + length);
    return streamBlocks(this.core.blocks, where, content.blocks, offset, length);
  }

  /** Closes a file whose writer died, once its lease has expired (HDFS recoverLease); true when the file is closed. */
  async recoverLease(path: string): Promise<boolean> {
    const components = parsePath(path);
    return this.core.mutate(async (tx) => {
      const { r, target } = await this.resolveExisting(tx, components);
      if (target.isDir) throw new IsDirectoryError(`${r.path} is a directory`, { path: r.path });
      this.checker.check(target, WRITE, r.path);
      const file = (await this.core.lockForWrite(tx, [target])).get(target.id)!;
      if (!file.underConstruction) return true;
      if (await isLeaseLive(this.core, tx, file)) return false;
      await dropLease(this.core, tx, file.id);
      return true;
    });
  }

  // ---- delete and rename ------------------------------------------------------------------------------------------

  /** Deletes a file or directory; a non-empty directory needs `recursive`. False when the path does not exist. */
  async delete(path: string, options: { recursive?: boolean } = {}): Promise<boolean> {
    const components = parsePath(path);
    if (components.length === 0) throw new InvalidOperationError('the root directory cannot be deleted', { path });
    const outcome = await this.core.mutate(async (tx) => {
      const r = await this.resolve(tx, components);
      this.checker.checkTraverse(r.ancestors.filter((a) => a.isDir), r.path);
      const target = r.target;
      if (target === undefined) return { deleted: false as const, blockIds: [] as number[] };
      const parent = r.parent!;
      this.checker.check(parent, WRITE | EXECUTE, r.path);
      this.checker.checkSticky(parent, target, r.path);
      const locked = await this.core.lockForWrite(tx, [parent, target]);
      await this.core.checkSubtreeLocks(tx, r.chain);
      const current = locked.get(target.id)!;
      const dirs = r.ancestors;
      if (!current.isDir) return { deleted: true as const, blockIds: await this.removeFile(tx, current, dirs, r.path) };
      const descendants = await this.smallSubtree(tx, current, r.path);
      if (descendants === undefined) return { deleted: 'large' as const, r, target: current };
      if (descendants.length > 0 && !options.recursive) {
        throw new DirectoryNotEmptyError(`${r.path} is non empty`, { path: r.path });
      }
      const files = descendants.filter((d) => !d.isDir);
      const blockIds = await this.core.contents.blockIdsOf(tx, files.filter((f) => f.fileStore === FileStore.Blocks).map((f) => f.id));
      const all = [...descendants.map((d) => d.id), current.id];
      for (let i = 0; i < all.length; i += 500) {
        const batch = all.slice(i, i + 500);
        await tx.run(`DELETE FROM fs_inodes WHERE id IN (${batch.map(() => '?').join(',')})`, batch);
      }
      await this.core.inodes.adjustChildren(tx, parent.id, -1, this.core.now());
      const space = files.reduce((sum, f) => sum + f.size * f.replication, 0);
      await this.core.quotas.charge(tx, dirs, -all.length, -space, r.path);
      this.core.resolver.forget(parent.id, current.name);
      return { deleted: true as const, blockIds };
    });
    if (outcome.deleted === 'large') {
      if (!options.recursive) throw new DirectoryNotEmptyError(`${formatPath(components)} is non empty`, { path });
      await this.deleteLarge(components);
      return true;
    }
    await this.core.discardBlocks(outcome.blockIds);
    return outcome.deleted;
  }

  /**
   * The descendants of `dir` when there are at most `smallSubtreeLimit` of them (checking that the caller may delete
   * each directory: HDFS wants rwx on every directory of a deleted subtree), or undefined for a larger subtree.
   */
  private async smallSubtree(tx: Transaction, dir: Inode, path: string): Promise<Inode[] | undefined> {
    if (dir.children === 0) return [];
    const limit = this.core.limits.smallSubtreeLimit;
    const found: Inode[] = [];
    const dirs = [dir];
    for (let next = 0; next < dirs.length; next++) {
      // With concurrent writers, lock each directory before listing it: a create inside it either committed before
      // (and is listed) or waits, then finds its parent gone and fails cleanly.
      const d = next === 0 || this.core.serializedWriters ? dirs[next]! : (await this.core.lockForWrite(tx, [dirs[next]!])).get(dirs[next]!.id)!;
      if (d.subtreeLock !== null) await this.core.checkSubtreeLocks(tx, [d]);
      this.checker.check(d, READ | WRITE | EXECUTE, path);
      const children = await this.core.inodes.children(tx, d.id, undefined, limit + 1 - found.length);
      found.push(...children);
      if (found.length > limit) return undefined;
      for (const c of children) if (c.isDir) dirs.push(c);
    }
    return found;
  }

  /** A recursive delete too large for one transaction: HopsFS's subtree protocol (see SubtreeOperation). */
  private async deleteLarge(components: readonly string[]): Promise<void> {
    const begun = await this.core.mutate(async (tx) => {
      const r = await this.resolve(tx, components);
      this.checker.checkTraverse(r.ancestors, r.path);
      const target = r.requireTarget();
      const parent = r.parent!;
      this.checker.check(parent, WRITE | EXECUTE, r.path);
      this.checker.checkSticky(parent, target, r.path);
      const locked = await this.core.lockForWrite(tx, [parent, target]);
      await this.core.checkSubtreeLocks(tx, r.chain);
      const root = locked.get(target.id)!;
      return { root, operation: await SubtreeOperation.begin(this.core, tx, root, 'delete', r.path) };
    });
    const { root, operation } = begun;
    operation.startHeartbeat();
    try {
      const dirIds: number[] = [];
      const where = formatPath(components);
      try {
        await measureSubtree(this.core, root, (dir) => {
          operation.checkNested(dir);
          this.checker.check(dir, READ | WRITE | EXECUTE, where);
          dirIds.push(dir.id);
        });
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

  /**
   * Moves `src` to `dst` atomically, any path to any path, with HDFS rename2 rules: `dst` must not exist unless
   * `overwrite` is set, in which case a file may replace a file and a directory an empty directory. A directory cannot
   * move into its own subtree. Moving a directory between different quota directories counts its usage first under a
   * subtree lock; otherwise a rename is one transaction that changes one row.
   */
  async rename(src: string, dst: string, options: { overwrite?: boolean } = {}): Promise<void> {
    const from = parsePath(src);
    const to = parsePath(dst);
    if (from.length === 0) throw new InvalidOperationError('the root directory cannot be renamed', { src });
    if (to.length === 0) throw new FileAlreadyExistsError('the destination / exists', { dst });
    if (isSameOrDescendant(from, to)) {
      if (from.length === to.length) throw new FileAlreadyExistsError(`The source ${src} and destination ${dst} are the same`, { src, dst });
      throw new InvalidOperationError(`Cannot move ${src} into its own subtree ${dst}`, { src, dst });
    }
    const first = await this.core.mutate((tx) => this.renameUnit(tx, from, to, options, undefined));
    if (first.kind === 'done') {
      await this.core.discardBlocks(first.blockIds);
      return;
    }
    // The directory moves between quota directories: count what it holds under a subtree lock, then move it.
    const operation = first.operation;
    operation.startHeartbeat();
    try {
      let usage: SubtreeUsage;
      try {
        const dirIds: number[] = [];
        usage = await measureSubtree(this.core, first.root, (dir) => {
          operation.checkNested(dir);
          dirIds.push(dir.id);
        });
        await operation.quiesce(dirIds);
      } catch (error) {
        await operation.abandon();
        throw error;
      }
      const done = await this.core.mutate((tx) => this.renameUnit(tx, from, to, options, { operation, usage }));
      if (done.kind === 'done') await this.core.discardBlocks(done.blockIds);
    } finally {
      operation.stopHeartbeat();
    }
  }

  private async renameUnit(
    tx: Transaction,
    from: readonly string[],
    to: readonly string[],
    options: { overwrite?: boolean },
    counted: { operation: SubtreeOperation; usage: SubtreeUsage } | undefined,
  ): Promise<{ kind: 'done'; blockIds: number[] } | { kind: 'count'; operation: SubtreeOperation; root: Inode }> {
    const rs = await this.resolve(tx, from);
    const rd = await this.resolve(tx, to);
    this.checker.checkTraverse(rs.ancestors.filter((a) => a.isDir), rs.path);
    const source = rs.requireTarget();
    const srcParent = rs.parent!;
    const dstParent = rd.parent;
    if (dstParent === undefined) {
      const last = rd.last;
      if (!last.isDir) throw new ParentNotDirectoryError(`rename destination parent ${formatPath(to.slice(0, rd.chain.length - 1))} is a file`, { dst: rd.path });
      throw new FileNotFoundError(`rename destination parent ${formatPath(to.slice(0, -1))} not found`, { dst: rd.path });
    }
    if (!dstParent.isDir) throw new ParentNotDirectoryError(`rename destination parent ${formatPath(to.slice(0, -1))} is a file`, { dst: rd.path });
    this.checker.checkTraverse(rd.ancestors, rd.path);
    this.checker.check(srcParent, WRITE | EXECUTE, rs.path);
    this.checker.check(dstParent, WRITE | EXECUTE, rd.path);
    this.checker.checkSticky(srcParent, source, rs.path);
    const existing = rd.target;
    if (existing !== undefined) {
      if (!options.overwrite) throw new FileAlreadyExistsError(`rename destination ${rd.path} already exists`, { dst: rd.path });
      if (existing.isDir && !source.isDir) throw new InvalidOperationError(`Source ${rs.path} is a file but destination ${rd.path} is a directory`);
      if (!existing.isDir && source.isDir) throw new InvalidOperationError(`Source ${rs.path} is a directory but destination ${rd.path} is a file`);
      this.checker.checkSticky(dstParent, existing, rd.path);
    }
    const toLock = [srcParent, source, dstParent, ...(existing ? [existing] : [])];
    const locked = await this.core.lockForWrite(tx, toLock);
    const own = counted?.operation.id;
    await this.core.checkSubtreeLocks(tx, [...rs.chain, ...rd.ancestors], own);
    const current = locked.get(source.id)!;
    const replaced = existing && locked.get(existing.id)!;
    if (replaced?.isDir && replaced.children > 0) throw new DirectoryNotEmptyError(`rename destination directory ${rd.path} is not empty`, { dst: rd.path });
    if (replaced && !replaced.isDir) await assertNoLiveLease(this.core, tx, replaced, rd.path);

    // Quota directories the entry leaves and enters (common ancestors keep their usage).
    const dstDirs = rd.ancestors;
    const leaving = rs.ancestors.filter((a) => a.hasQuota && !dstDirs.some((d) => d.id === a.id));
    const entering = dstDirs.filter((d) => d.hasQuota && !rs.ancestors.some((a) => a.id === d.id));
    let usage: { names: number; space: number } | undefined;
    if (leaving.length > 0 || entering.length > 0) {
      if (!current.isDir) usage = { names: 1, space: current.size * current.replication };
      else if (current.hasQuota) {
        const q = await this.core.quotas.get(tx, current.id);
        usage = { names: q?.nsUsed ?? 1, space: q?.dsUsed ?? 0 };
      } else if (counted) usage = counted.usage;
      else if (current.children === 0) usage = { names: 1, space: 0 };
      else return { kind: 'count', operation: await SubtreeOperation.begin(this.core, tx, current, 'rename', rs.path), root: current };
    }

    let blockIds: number[] = [];
    const now = this.core.now();
    if (replaced) {
      if (replaced.isDir) {
        await this.core.inodes.delete(tx, replaced.id);
        await this.core.inodes.adjustChildren(tx, dstParent.id, -1, now);
        await this.core.quotas.charge(tx, dstDirs, -1, 0, rd.path);
        this.core.resolver.forget(dstParent.id, replaced.name);
      } else {
        blockIds = await this.removeFile(tx, replaced, dstDirs, rd.path);
      }
    }
    if (usage) {
      await this.core.quotas.charge(tx, entering, usage.names, usage.space, rd.path);
      await this.core.quotas.charge(tx, leaving, -usage.names, -usage.space, rs.path);
    }
    const name = to[to.length - 1]!;
    await this.core.inodes.move(tx, current.id, partitionOf(dstParent.id, name), dstParent.id, name);
    await this.core.inodes.adjustChildren(tx, srcParent.id, -1, now);
    await this.core.inodes.adjustChildren(tx, dstParent.id, 1, now);
    if (counted) await counted.operation.finish(tx);
    this.core.resolver.forget(srcParent.id, current.name);
    this.core.resolver.remember({ ...current, parentId: dstParent.id, name });
    return { kind: 'done', blockIds };
  }

  // ---- attributes -------------------------------------------------------------------------------------------------

  /** Runs `change` on the path's inode after the traversal check, in one write unit. */
  private async changeInode<T>(path: string, change: (tx: Transaction, inode: Inode, r: ResolvedPath) => Promise<T>): Promise<T> {
    const components = parsePath(path);
    return this.core.mutate(async (tx) => {
      const { r, target } = await this.resolveExisting(tx, components);
      const locked = await this.core.lockForWrite(tx, [target]);
      await this.core.checkSubtreeLocks(tx, r.chain);
      return change(tx, locked.get(target.id)!, r);
    });
  }

  async setPermission(path: string, permission: number): Promise<void> {
    const mode = checkMode(permission);
    await this.changeInode(path, async (tx, inode, r) => {
      this.checker.checkOwner(inode, r.path);
      await this.core.inodes.setPermission(tx, inode.id, mode);
    });
  }

  /** Only the superuser changes an owner; an owner may change the group to one of their own groups. */
  async setOwner(path: string, owner?: string, group?: string): Promise<void> {
    if (owner === undefined && group === undefined) throw new InvalidArgumentError('setOwner needs an owner or a group');
    for (const [name, value] of [['owner', owner], ['group', group]] as const) {
      if (value !== undefined && (typeof value !== 'string' || value === '' || value.length > 255 || /[\0:\s]/.test(value))) {
        throw new InvalidArgumentError(`${name} must be a non-empty name without spaces, ':' or NUL`, { [name]: value });
      }
    }
    await this.changeInode(path, async (tx, inode, r) => {
      this.checker.checkOwner(inode, r.path);
      if (owner !== undefined && owner !== inode.owner) this.checker.checkSuperuser('changing the owner');
      if (group !== undefined && group !== inode.group && !this.checker.isSuperuser && !this.user.groups.includes(group)) {
        this.checker.checkSuperuser(`changing the group to ${group}, which ${this.user.user} is not in,`);
      }
      await this.core.inodes.setOwner(tx, inode.id, owner ?? inode.owner, group ?? inode.group);
      if (inode.id === ROOT_ID && owner !== undefined) this.core.superuser = owner;
    });
  }

  /** Sets modification and access times (ms since the epoch); -1 leaves a time unchanged. */
  async setTimes(path: string, mtime: number, atime: number): Promise<void> {
    for (const [name, value] of [['mtime', mtime], ['atime', atime]] as const) {
      if (!Number.isSafeInteger(value) || value < -1) throw new InvalidArgumentError(`${name} must be -1 or a time in ms`, { [name]: value });
    }
    await this.changeInode(path, async (tx, inode, r) => {
      this.checker.check(inode, WRITE, r.path);
      await this.core.inodes.setTimes(tx, inode.id, mtime === -1 ? inode.mtime : mtime, atime === -1 ? inode.atime : atime);
    });
  }

  /** Sets the replication recorded for a file (reported to HDFS clients; charges the space quota accordingly). */
  async setReplication(path: string, replication: number): Promise<boolean> {
    if (!Number.isInteger(replication) || replication < 1 || replication > 512) {
      throw new InvalidArgumentError('replication must be an integer in [1, 512]', { replication });
    }
    return this.changeInode(path, async (tx, inode, r) => {
      if (inode.isDir) return false;
      this.checker.check(inode, WRITE, r.path);
      await this.core.quotas.charge(tx, r.ancestors, 0, inode.size * (replication - inode.replication), r.path);
      await this.core.inodes.setReplication(tx, inode.id, replication);
      return true;
    });
  }

  /** Sets the storage policy of a directory (inherited below it); `null` returns to the inherited one. */
  async setStoragePolicy(path: string, policy: StoragePolicy | null): Promise<void> {
    if (policy !== null) validateStoragePolicy(policy);
    await this.changeInode(path, async (tx, inode, r) => {
      if (!inode.isDir) throw new InvalidOperationError(`storage policies are set on directories; ${r.path} is a file`, { path: r.path });
      this.checker.checkOwner(inode, r.path);
      if (policy === null) {
        await tx.run('DELETE FROM fs_storage_policies WHERE inode_id = ?', [inode.id]);
        await this.core.inodes.setStoragePolicyFlag(tx, inode.id, 0);
      } else {
        await tx.run(
          this.core.engine.dialect.upsert('fs_storage_policies', ['inode_id', 'inline_max', 'small_max', 'block_size'], ['inode_id'], ['inline_max', 'small_max', 'block_size']),
          [inode.id, policy.inlineMax, policy.smallMax, policy.blockSize],
        );
        await this.core.inodes.setStoragePolicyFlag(tx, inode.id, 1);
      }
    });
  }

  async getStoragePolicy(path: string): Promise<StoragePolicy> {
    const components = parsePath(path);
    return this.core.engine.read(async (tx) => {
      const { r, target } = await this.resolveExisting(tx, components);
      return effectiveStoragePolicy(tx, target.isDir ? r.chain : r.ancestors, this.core.policy);
    });
  }

  // ---- quotas ------------------------------------------------------------------------------------------------------

  /** Sets a directory's namespace and/or space quota (superuser only, as in HDFS). */
  async setQuota(path: string, quota: QuotaSetting): Promise<void> {
    this.checker.checkSuperuser('setQuota');
    for (const [name, value] of [['namespace', quota.namespace], ['space', quota.space]] as const) {
      if (value !== undefined && value !== null && (!Number.isSafeInteger(value) || value < 0)) {
        throw new InvalidArgumentError(`${name} quota must be a non-negative integer, or null to clear it`, { [name]: value });
      }
    }
    const components = parsePath(path);
    const limit = (value: number | null | undefined, old: number) => (value === undefined ? old : value === null ? NO_QUOTA : value);
    const first = await this.core.mutate(async (tx) => {
      const { r, target } = await this.resolveExisting(tx, components);
      if (!target.isDir) throw new InvalidOperationError(`quotas are set on directories; ${r.path} is a file`, { path: r.path });
      const dir = (await this.core.lockForWrite(tx, [target])).get(target.id)!;
      await this.core.checkSubtreeLocks(tx, r.chain);
      const existing = dir.hasQuota ? await this.core.quotas.get(tx, dir.id) : undefined;
      if (existing) {
        await this.applyQuota(tx, dir, limit(quota.namespace, existing.nsQuota), limit(quota.space, existing.dsQuota), existing.nsUsed, existing.dsUsed);
        return undefined;
      }
      if (dir.children === 0) {
        await this.applyQuota(tx, dir, limit(quota.namespace, NO_QUOTA), limit(quota.space, NO_QUOTA), 1, 0);
        return undefined;
      }
      return { dir, operation: await SubtreeOperation.begin(this.core, tx, dir, 'quota', r.path) };
    });
    if (first === undefined) return;
    // A new quota on a populated directory: count its usage while the subtree holds still.
    const { dir, operation } = first;
    operation.startHeartbeat();
    try {
      let usage: SubtreeUsage;
      try {
        const dirIds: number[] = [];
        usage = await measureSubtree(this.core, dir, (d) => {
          operation.checkNested(d);
          dirIds.push(d.id);
        });
        await operation.quiesce(dirIds);
      } catch (error) {
        await operation.abandon();
        throw error;
      }
      await this.core.engine.write(async (tx) => {
        await this.applyQuota(tx, dir, limit(quota.namespace, NO_QUOTA), limit(quota.space, NO_QUOTA), usage.names, usage.space);
        await operation.finish(tx);
      });
    } finally {
      operation.stopHeartbeat();
    }
  }

  private async applyQuota(tx: Transaction, dir: Inode, nsQuota: number, dsQuota: number, nsUsed: number, dsUsed: number): Promise<void> {
    if (nsQuota === NO_QUOTA && dsQuota === NO_QUOTA) {
      await this.core.quotas.remove(tx, dir.id);
      await this.core.inodes.setHasQuota(tx, dir.id, false);
      return;
    }
    await this.core.quotas.set(tx, { inodeId: dir.id, nsQuota, dsQuota, nsUsed, dsUsed });
    await this.core.inodes.setHasQuota(tx, dir.id, true);
  }

  // ---- truncate and concat ------------------------------------------------------------------------------------------

  /** Cuts a file to `newLength` bytes (HDFS truncate). Returns true: the new length is in effect when it returns. */
  async truncate(path: string, newLength: number): Promise<boolean> {
    const components = parsePath(path);
    checkNonNegativeInteger('newLength', newLength);
    for (let attempt = 0; attempt < 10; attempt++) {
      const snapshot = await this.core.engine.read(async (tx) => {
        const { r, target } = await this.resolveExisting(tx, components);
        if (target.isDir) throw new IsDirectoryError(`${r.path} is a directory`, { path: r.path });
        this.checker.check(target, WRITE, r.path);
        if (newLength > target.size) {
          throw new InvalidArgumentError(`Cannot truncate ${r.path} to a larger file size: ${newLength} > ${target.size}`, { path: r.path, newLength });
        }
        const policy = await effectiveStoragePolicy(tx, r.ancestors, this.core.policy);
        const blocks = target.fileStore === FileStore.Blocks ? await this.core.contents.blocks(tx, target.id) : [];
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
          dbBytes = await this.readFile(formatPath(components), { length: newLength });
          keptBlocks = [];
        } else {
          keptBlocks = [];
          let offset = 0;
          for (const b of blocks) {
            if (offset + b.length <= newLength) keptBlocks.push(b);
            else {
              if (offset < newLength) {
                const part = await this.readFile(formatPath(components), { offset, length: newLength - offset });
                const blockId = await this.core.blockIds.takeOne();
                const sink = await this.core.blocks.create(blockId);
                await sink.write(part);
                tail = { blockId, ...(await sink.commit()) };
              }
              break;
            }
            offset += b.length;
          }
        }
      }
      const applied = await this.core.mutate(async (tx) => {
        const { r, target: now } = await this.resolveExisting(tx, components);
        const file = (await this.core.lockForWrite(tx, [now])).get(now.id)!;
        await this.core.checkSubtreeLocks(tx, r.chain);
        if (file.id !== target.id || file.size !== target.size || file.mtime !== target.mtime || file.fileStore !== target.fileStore) return undefined;
        await assertNoLiveLease(this.core, tx, file, r.path);
        const mtime = this.core.now();
        let dropped: number[] = [];
        if (file.fileStore === FileStore.Blocks) {
          const keep = new Set(keptBlocks.map((b) => b.blockId));
          dropped = blocks.filter((b) => !keep.has(b.blockId)).map((b) => b.blockId);
          await this.core.contents.deleteBlocks(tx, file.id);
          if (dbBytes !== undefined) {
            const content = await this.core.contents.writeDb(tx, file.id, dbBytes, policy);
            await this.core.inodes.setContent(tx, file.id, { size: newLength, ...content, mtime });
          } else {
            await this.core.contents.addBlocks(tx, file.id, 0, tail ? [...keptBlocks, tail] : keptBlocks);
            await this.core.inodes.setContent(tx, file.id, { size: newLength, fileStore: FileStore.Blocks, inlineData: null, mtime });
          }
        } else {
          const data = (await this.core.contents.readDb(tx, file)).subarray(0, newLength);
          await this.core.contents.deleteDb(tx, file.id);
          const content = await this.core.contents.writeDb(tx, file.id, Buffer.from(data), policy);
          await this.core.inodes.setContent(tx, file.id, { size: newLength, ...content, mtime });
        }
        await this.core.quotas.charge(tx, r.ancestors, 0, (newLength - file.size) * file.replication, r.path);
        return dropped;
      });
      if (applied === undefined) {
        if (tail) await this.core.discardBlocks([tail.blockId]);
        continue; // the file changed while its new last block was written: start again
      }
      await this.core.discardBlocks(applied);
      return true;
    }
    throw new InvalidOperationError(`${path} kept changing during truncate`, { path });
  }

  /** Appends the bytes of `sources` to `target`, in order, and deletes the sources (HDFS concat), atomically. */
  async concat(target: string, sources: readonly string[]): Promise<void> {
    const targetComponents = parsePath(target);
    if (!Array.isArray(sources) || sources.length === 0) throw new InvalidArgumentError('concat needs at least one source', { sources });
    const sourceComponents = sources.map((s) => parsePath(s));
    const all = [targetComponents, ...sourceComponents].map((c) => formatPath(c));
    if (new Set(all).size !== all.length) throw new InvalidOperationError('concat target and sources must all be different files', { target, sources });
    for (let attempt = 0; attempt < 10; attempt++) {
      const files = await this.core.engine.read(async (tx) => {
        const out: { inode: Inode; path: string; blocks: BlockRef[] }[] = [];
        for (const components of [targetComponents, ...sourceComponents]) {
          const { r, target: inode } = await this.resolveExisting(tx, components);
          if (inode.isDir) throw new IsDirectoryError(`${r.path} is a directory`, { path: r.path });
          if (inode.underConstruction) throw new InvalidOperationError(`${r.path} is being written`, { path: r.path });
          this.checker.check(inode, out.length === 0 ? WRITE : READ, r.path);
          this.checker.check(r.parent!, WRITE | EXECUTE, r.path);
          out.push({ inode, path: r.path, blocks: inode.fileStore === FileStore.Blocks ? await this.core.contents.blocks(tx, inode.id) : [] });
        }
        return out;
      });
      const policy = await this.getStoragePolicy(formatPath(targetComponents.slice(0, -1)));
      const total = files.reduce((sum, f) => sum + f.inode.size, 0);
      const inDb = total <= policy.smallMax;
      // Parts that change tier are rewritten before the transaction; the transaction only relinks.
      const written: number[] = [];
      const newBlocks: BlockRef[] = [];
      let dbBytes: Buffer | undefined;
      if (inDb) {
        dbBytes = Buffer.concat(await Promise.all(files.map((f) => this.readFile(f.path))));
      } else {
        for (const f of files) {
          if (f.inode.fileStore === FileStore.Blocks) newBlocks.push(...f.blocks);
          else if (f.inode.size > 0) {
            const blockId = await this.core.blockIds.takeOne();
            const sink = await this.core.blocks.create(blockId);
            await sink.write(await this.readFile(f.path));
            newBlocks.push({ blockId, ...(await sink.commit()) });
            written.push(blockId);
          }
        }
      }
      const outcome = await this.core.mutate(async (tx) => {
        const current: { inode: Inode; r: ResolvedPath }[] = [];
        for (const components of [targetComponents, ...sourceComponents]) {
          const { r, target: inode } = await this.resolveExisting(tx, components);
          current.push({ inode, r });
        }
        const locked = await this.core.lockForWrite(tx, current.flatMap((c) => [c.inode, c.r.parent!]));
        await this.core.checkSubtreeLocks(tx, current.flatMap((c) => c.r.chain));
        for (let i = 0; i < files.length; i++) {
          const was = files[i]!.inode;
          const now = locked.get(current[i]!.inode.id)!;
          if (now.id !== was.id || now.size !== was.size || now.mtime !== was.mtime || now.underConstruction) return undefined;
        }
        const [head, ...rest] = current;
        const targetInode = locked.get(head!.inode.id)!;
        const mtime = this.core.now();
        const dropped: number[] = [];
        let removedSpace = 0;
        for (const source of rest) {
          const s = locked.get(source.inode.id)!;
          if (inDb) dropped.push(...(await this.core.contents.blockIdsOf(tx, [s.id])));
          await tx.run('DELETE FROM fs_blocks WHERE inode_id = ?', [s.id]); // blocks move to the target, not to the garbage
          await this.core.inodes.delete(tx, s.id);
          await this.core.inodes.adjustChildren(tx, s.parentId, -1, mtime);
          await this.core.quotas.charge(tx, source.r.ancestors, -1, -s.size * s.replication, source.r.path);
          removedSpace += s.size * s.replication;
          this.core.resolver.forget(s.parentId, s.name);
        }
        // In the database tier the target's old blocks go; otherwise they lead the new block list.
        if (inDb) dropped.push(...(await this.core.contents.blockIdsOf(tx, [targetInode.id])));
        await this.core.contents.deleteBlocks(tx, targetInode.id);
        await this.core.contents.deleteDb(tx, targetInode.id);
        if (inDb) {
          const content = await this.core.contents.writeDb(tx, targetInode.id, dbBytes!, policy);
          await this.core.inodes.setContent(tx, targetInode.id, { size: total, ...content, mtime });
        } else {
          await this.core.contents.addBlocks(tx, targetInode.id, 0, newBlocks);
          await this.core.inodes.setContent(tx, targetInode.id, { size: total, fileStore: FileStore.Blocks, inlineData: null, mtime });
        }
        const addedSpace = (total - targetInode.size) * targetInode.replication;
        await this.core.quotas.charge(tx, head!.r.ancestors, 0, addedSpace, head!.r.path);
        return { dropped, removedSpace };
      });
      if (outcome === undefined) {
        await this.core.discardBlocks(written);
        continue;
      }
      await this.core.discardBlocks(outcome.dropped);
      return;
    }
    throw new InvalidOperationError(`concat sources kept changing`, { target });
  }

  // ---- extended attributes ------------------------------------------------------------------------------------------

  async setXAttr(path: string, name: string, value: Buffer | string, options: { flag?: XAttrSetFlag } = {}): Promise<void> {
    await this.changeInode(path, (tx, inode, r) => this.xattrs.set(tx, inode, r.path, name, value, options.flag));
  }

  /** Attributes by full name (`user.x`); all the caller may read when `names` is omitted. */
  async getXAttrs(path: string, names?: readonly string[]): Promise<Record<string, Buffer>> {
    const components = parsePath(path);
    return this.core.engine.read(async (tx) => {
      const { r, target } = await this.resolveExisting(tx, components);
      return this.xattrs.get(tx, target, r.path, names);
    });
  }

  async listXAttrs(path: string): Promise<string[]> {
    const components = parsePath(path);
    return this.core.engine.read(async (tx) => {
      const { r, target } = await this.resolveExisting(tx, components);
      return this.xattrs.list(tx, target, r.path);
    });
  }

  async removeXAttr(path: string, name: string): Promise<void> {
    await this.changeInode(path, (tx, inode, r) => this.xattrs.remove(tx, inode, r.path, name));
  }

  // ---- maintenance ----------------------------------------------------------------------------------------------------

  /** Checks the namespace against the block store and itself; with `repair`, fixes what it can (superuser only). */
  async fsck(options: FsckOptions = {}): Promise<FsckReport> {
    this.checker.checkSuperuser('fsck');
    return runFsck(this.core, options);
  }
}
