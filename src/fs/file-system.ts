import { userInfo } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import type { Engine } from '../db/engine.js';
import { openEngine, type EngineConfig } from '../db/open-engine.js';
import { InvalidArgumentError } from '../errors/humle-error.js';
import type { BlockStore } from './blocks/block-store.js';
import { LocalBlockStore } from './blocks/local-block-store.js';
import type { FileWriter } from './content/file-writer.js';
import { DEFAULT_STORAGE_POLICY, validateStoragePolicy, type StoragePolicy } from './content/storage-policy.js';
import type { ContentSummary, FileStatus } from './file-status.js';
import { DEFAULT_LIMITS, FsCore, type FsLimits } from './fs-core.js';
import { fsMigrations } from './fs-schema.js';
import { ROOT_ID, ROOT_PARENT_ID, newInode } from './inode.js';
import { PermissionChecker, type UserContext } from './namespace/permissions.js';
import type { Sandboxes } from './namespace/sandboxes.js';
import { parsePath } from './paths.js';
import { SubtreeOperation } from './subtree/subtree-operation.js';
import { XAttrs, type XAttrSetFlag } from './xattrs.js';
import { ReadWorkerPool } from './read-workers/read-worker-pool.js';
import { FsTransaction } from './fs-transaction.js';
import type { BlockRef } from './content/content-store.js';
import { runFsck, type FsckOptions, type FsckReport } from './fsck.js';
import { changeInode, resolveExisting, type OperationContext } from './operations/operation-context.js';
import type { CreateOptions, DirectoryListing, ListOptions, QuotaSetting } from './operations/options.js';
import { exists, getContentSummary, getFileStatus, listStatus } from './operations/namespace-reads.js';
import { mkdirs } from './operations/directories.js';
import { append, create, recoverLease, writeFile } from './operations/file-creation.js';
import { open, readFile } from './operations/file-reading.js';
import { deletePath } from './operations/deletion.js';
import { rename } from './operations/rename.js';
import { getStoragePolicy, setOwner, setPermission, setReplication, setStoragePolicy, setTimes } from './operations/attributes.js';
import { getQuotaUsage, setQuota } from './operations/quotas.js';
import { truncate } from './operations/truncate.js';
import { concat } from './operations/concat.js';

export type { CreateOptions, DirectoryListing, ListOptions, QuotaSetting } from './operations/options.js';

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

/**
 * humle fs: a hierarchical file system whose namespace lives in a transactional database, as HopsFS keeps HDFS's in
 * NDB. Every operation is one transaction (or, for huge subtrees, a crash-safe sequence of them), so a rename of any
 * path to any path is atomic. Small files live in the database; large ones in blocks.
 *
 * One instance is one user's view; `as(user)` gives another user's view of the same file system.
 */
export class FileSystem {
  private readonly ctx: OperationContext;
  private readonly xattrs: XAttrs;

  private constructor(
    private readonly core: FsCore,
    readonly user: UserContext,
    private readonly ownsCore: boolean,
    /** Worker threads that serve reads, when enabled; the operations below route those reads to them. */
    private readonly readPool: ReadWorkerPool | undefined,
  ) {
    const checker = new PermissionChecker(user, core.superuser, core.supergroup);
    this.ctx = { core, checker, user };
    this.xattrs = new XAttrs(checker);
  }

  /** Opens (and on first use formats) the file system in `dataDir`. */
  static async open(options: FileSystemOptions): Promise<FileSystem> {
    // Options are checked before anything is opened, so a refused call leaves no connection or directory behind.
    const policy = { ...DEFAULT_STORAGE_POLICY, ...options.storagePolicy };
    validateStoragePolicy(policy);
    const givenEngine = options.engine !== undefined && 'write' in options.engine ? options.engine : undefined;
    const readWorkers = options.readWorkers ?? 0;
    if (!Number.isInteger(readWorkers) || readWorkers < 0 || readWorkers > 64) {
      throw new InvalidArgumentError('readWorkers must be an integer in [0, 64]', { readWorkers });
    }
    if (readWorkers > 0 && (givenEngine !== undefined || options.blockStore !== undefined)) {
      throw new InvalidArgumentError('read workers open their own connections: pass engine as a config, and no blockStore instance');
    }
    const engineConfig = givenEngine === undefined ? (options.engine as EngineConfig | undefined) : undefined;
    const engine = givenEngine ?? (await openEngine(options.dataDir, engineConfig));
    try {
      await engine.migrate('fs', fsMigrations);
      let blockStore = options.blockStore;
      if (blockStore === undefined) {
        const local = new LocalBlockStore(join(options.dataDir, 'blocks'));
        await local.init();
        blockStore = local;
      }
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
      const readPool =
        readWorkers === 0
          ? undefined
          : await ReadWorkerPool.start(readWorkers, {
              dataDir: options.dataDir,
              engine: engineConfig,
              storagePolicy: policy,
              umask: core.umask,
              supergroup: core.supergroup,
              limits: core.limits,
            });
      return new FileSystem(core, { user, groups: options.groups ?? [user] }, true, readPool);
    } catch (error) {
      // An engine opened here is closed here: an open MySQL pool would otherwise keep the process alive.
      if (givenEngine === undefined) await engine.close().catch(() => undefined);
      throw error;
    }
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

  /** The same file system seen by another user; `sandboxes`: see UserContext (project members have them). */
  as(user: string, groups: string[] = [user], sandboxes?: Sandboxes): FileSystem {
    return new FileSystem(this.core, sandboxes === undefined ? { user, groups } : { user, groups, sandboxes }, false, this.readPool);
  }

  /** The same file system seen by its superuser (the administrator's view, which passes every permission check). */
  asSuperuser(): FileSystem {
    return this.as(this.core.superuser, [this.core.superuser]);
  }

  get superuser(): string {
    return this.core.superuser;
  }

  /** Whether this view is the superuser's (its user is the superuser or belongs to the supergroup). */
  get isSuperuser(): boolean {
    return this.ctx.checker.isSuperuser;
  }

  /** Members of this group are superusers. */
  get supergroup(): string {
    return this.core.supergroup;
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

  async exists(path: string): Promise<boolean> {
    const offloaded = this.readPool?.tryCall<boolean>(this.user, 'exists', [path]);
    if (offloaded !== undefined) return offloaded;
    return exists(this.ctx, path);
  }

  async getFileStatus(path: string): Promise<FileStatus> {
    const offloaded = this.readPool?.tryCall<FileStatus>(this.user, 'getFileStatus', [path]);
    if (offloaded !== undefined) return offloaded;
    return getFileStatus(this.ctx, path);
  }

  /** One page of a directory in name order (or the file itself, for a file path). */
  async listStatus(path: string, options: ListOptions = {}): Promise<DirectoryListing> {
    const offloaded = this.readPool?.tryCall<DirectoryListing>(this.user, 'listStatus', [path, options]);
    if (offloaded !== undefined) return offloaded;
    return listStatus(this.ctx, path, options);
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

  getContentSummary(path: string): Promise<ContentSummary> {
    return getContentSummary(this.ctx, path);
  }

  /** Quota limits and usage of a directory (HDFS's getQuotaUsage); usage is counted when it has no quota. */
  getQuotaUsage(path: string): Promise<{ fileAndDirectoryCount: number; quota: number; spaceConsumed: number; spaceQuota: number }> {
    return getQuotaUsage(this.ctx, path);
  }

  // ---- directories and files ----------------------------------------------------------------------------------------

  /** Creates the directory and any missing parents (`mkdir -p`); true when it exists afterwards. */
  mkdirs(path: string, options: { permission?: number } = {}): Promise<boolean> {
    return mkdirs(this.ctx, path, options);
  }

  /** Writes a whole file: one transaction when its bytes fit the database tiers, else through a writer. */
  writeFile(path: string, data: Buffer | Uint8Array | string, options: CreateOptions = {}): Promise<FileStatus> {
    return writeFile(this.ctx, path, data, options);
  }

  /** Opens a new file for writing (HDFS create): it exists at once, under construction, with this writer's lease. */
  create(path: string, options: CreateOptions = {}): Promise<FileWriter> {
    return create(this.ctx, path, options);
  }

  /** Opens an existing file to add bytes at its end; a file that outgrows its tier moves to the next on close. */
  append(path: string): Promise<FileWriter> {
    return append(this.ctx, path);
  }

  /** Streams the file's bytes from `offset` (default 0), at most `length` bytes (default: to the end). */
  open(path: string, options: { offset?: number; length?: number } = {}): Promise<Readable> {
    return open(this.ctx, path, options);
  }

  async readFile(path: string, options: { offset?: number; length?: number } = {}): Promise<Buffer> {
    const offloaded = this.readPool?.tryCall<Buffer>(this.user, 'readFile', [path, options]);
    if (offloaded !== undefined) return offloaded;
    return readFile(this.ctx, path, options);
  }

  /** Closes a file whose writer died, once its lease has expired (HDFS recoverLease); true when the file is closed. */
  recoverLease(path: string): Promise<boolean> {
    return recoverLease(this.ctx, path);
  }

  /** Deletes a file or directory; a non-empty directory needs `recursive`. False when the path does not exist. */
  delete(path: string, options: { recursive?: boolean } = {}): Promise<boolean> {
    return deletePath(this.ctx, path, options);
  }

  /** Moves `src` to `dst` atomically, any path to any path, with HDFS rename2 rules for an existing `dst`. */
  rename(src: string, dst: string, options: { overwrite?: boolean } = {}): Promise<void> {
    return rename(this.ctx, src, dst, options);
  }

  /** Cuts a file to `newLength` bytes (HDFS truncate); the new length is in effect when it returns. */
  truncate(path: string, newLength: number): Promise<boolean> {
    return truncate(this.ctx, path, newLength);
  }

  /** Appends the bytes of `sources` to `target`, in order, and deletes the sources (HDFS concat), atomically. */
  concat(target: string, sources: readonly string[]): Promise<void> {
    return concat(this.ctx, target, sources);
  }

  // ---- attributes and quotas ----------------------------------------------------------------------------------------

  setPermission(path: string, permission: number): Promise<void> {
    return setPermission(this.ctx, path, permission);
  }

  /** Only the superuser changes an owner; an owner may change the group to one of their own groups. */
  setOwner(path: string, owner?: string, group?: string): Promise<void> {
    return setOwner(this.ctx, path, owner, group);
  }

  /** Sets modification and access times (ms since the epoch); -1 leaves a time unchanged. */
  setTimes(path: string, mtime: number, atime: number): Promise<void> {
    return setTimes(this.ctx, path, mtime, atime);
  }

  /** Sets the replication recorded for a file (reported to HDFS clients; charged to the space quota). */
  setReplication(path: string, replication: number): Promise<boolean> {
    return setReplication(this.ctx, path, replication);
  }

  /** Sets the storage policy of a directory (inherited below it); `null` returns to the inherited one. */
  setStoragePolicy(path: string, policy: StoragePolicy | null): Promise<void> {
    return setStoragePolicy(this.ctx, path, policy);
  }

  getStoragePolicy(path: string): Promise<StoragePolicy> {
    return getStoragePolicy(this.ctx, path);
  }

  /** Sets a directory's namespace and/or space quota (superuser only, as in HDFS). */
  setQuota(path: string, quota: QuotaSetting): Promise<void> {
    return setQuota(this.ctx, path, quota);
  }

  // ---- extended attributes ------------------------------------------------------------------------------------------

  async setXAttr(path: string, name: string, value: Buffer | string, options: { flag?: XAttrSetFlag } = {}): Promise<void> {
    await changeInode(this.ctx, path, (tx, inode, r) => this.xattrs.set(tx, inode, r.path, name, value, options.flag));
  }

  /** Attributes by full name (`user.x`); all the caller may read when `names` is omitted. */
  async getXAttrs(path: string, names?: readonly string[]): Promise<Record<string, Buffer>> {
    const components = parsePath(path);
    return this.core.engine.read(async (tx) => {
      const { r, target } = await resolveExisting(this.ctx, tx, components);
      return this.xattrs.get(tx, target, r.path, names);
    });
  }

  async listXAttrs(path: string): Promise<string[]> {
    const components = parsePath(path);
    return this.core.engine.read(async (tx) => {
      const { target } = await resolveExisting(this.ctx, tx, components);
      return this.xattrs.list(tx, target);
    });
  }

  async removeXAttr(path: string, name: string): Promise<void> {
    await changeInode(this.ctx, path, (tx, inode, r) => this.xattrs.remove(tx, inode, r.path, name));
  }

  // ---- composing with other tables ---------------------------------------------------------------------------------

  /**
   * Runs `work` as one write unit in which humle fs operations (FsTransaction) and the caller's own statements
   * (`ftx.tx`) commit or roll back together. The unit is rerun from the start on a retriable conflict, so `work`
   * must only touch the database. `files`: at most how many files it creates (their ids are taken beforehand).
   */
  async transaction<T>(options: { files: number }, work: (ftx: FsTransaction) => Promise<T>): Promise<T> {
    const ids = options.files > 0 ? await this.core.inodeIds.take(options.files) : [];
    let discard: readonly number[] = [];
    const result = await this.core.mutate(async (tx) => {
      const ftx = new FsTransaction(this.ctx, tx, [...ids]);
      const value = await work(ftx);
      discard = ftx.blocksToDiscard;
      return value;
    });
    await this.core.discardBlocks(discard);
    return result;
  }

  /** A fresh local path for a file that `importBlock` will adopt (see BlockStore.stagingPath). */
  stagingPath(): string {
    return this.core.blocks.stagingPath();
  }

  /** Makes a staged local file a durable block under a new id; a file made of it comes from `createFileFromBlocks`. */
  async importBlock(path: string): Promise<BlockRef> {
    const blockId = await this.core.blockIds.takeOne();
    const { length, checksum } = await this.core.blocks.importFile(blockId, path);
    return { blockId, length, checksum };
  }

  // ---- maintenance ----------------------------------------------------------------------------------------------------

  /** Checks the namespace against the block store and itself; with `repair`, fixes what it can (superuser only). */
  async fsck(options: FsckOptions = {}): Promise<FsckReport> {
    this.ctx.checker.checkSuperuser('fsck');
    return runFsck(this.core, options);
  }
}
