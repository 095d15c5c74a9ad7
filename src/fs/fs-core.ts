import { randomUUID } from 'node:crypto';
import type { Engine, Transaction, Work } from '../db/engine.js';
import { SubtreeLockedError } from '../errors/fs-errors.js';
import { PathChangedError } from './namespace/path-changed-error.js';
import type { BlockStore } from './blocks/block-store.js';
import { ContentStore } from './content/content-store.js';
import type { StoragePolicy } from './content/storage-policy.js';
import { ROOT_PARENT_ID, type Inode } from './inode.js';
import { IdAllocator } from './namespace/id-allocator.js';
import { InodeHintCache } from './namespace/inode-hint-cache.js';
import { InodeStore } from './namespace/inode-store.js';
import { PathResolver } from './namespace/path-resolver.js';
import { QuotaStore } from './namespace/quota-store.js';

export interface FsLimits {
  /** A writer that has not renewed its lease for this long can be recovered by others (HDFS soft limit: 60 s). */
  leaseSoftLimitMs: number;
  /** A subtree operation whose heartbeat is older than this is taken over (its process is presumed dead). */
  subtreeStaleMs: number;
  subtreeHeartbeatMs: number;
  /** Rows deleted per transaction by a large recursive delete. */
  subtreeBatchSize: number;
  /** Recursive deletes of at most this many descendants run as one transaction. */
  smallSubtreeLimit: number;
  /** How long an operation retries while its path is inside a live subtree operation. */
  subtreeWaitMs: number;
}

export const DEFAULT_LIMITS: FsLimits = {
  leaseSoftLimitMs: 60_000,
  subtreeStaleMs: 30_000,
  subtreeHeartbeatMs: 5_000,
  subtreeBatchSize: 1_000,
  smallSubtreeLimit: 1_000,
  subtreeWaitMs: 5_000,
};

export { PathChangedError } from './namespace/path-changed-error.js';

/** Everything the file system's operations share, whichever user they run as. */
export class FsCore {
  readonly inodes: InodeStore;
  readonly quotas: QuotaStore;
  readonly contents: ContentStore;
  readonly resolver: PathResolver;
  readonly inodeIds: IdAllocator;
  readonly blockIds: IdAllocator;
  /** Names this process in lease and subtree-operation rows. */
  readonly clientName = `humle-${process.pid}-${randomUUID().slice(0, 8)}`;
  /** True when the engine runs one writer at a time, so rows read in a unit are already current and locked. */
  readonly serializedWriters: boolean;
  superuser = '';

  constructor(
    readonly engine: Engine,
    readonly blocks: BlockStore,
    readonly policy: StoragePolicy,
    readonly umask: number,
    readonly supergroup: string,
    readonly limits: FsLimits,
    /** Finishes or releases a subtree operation whose process died; set by the subtree module. */
    private readonly recoverSubtree: (core: FsCore, operationId: string, lockedInodeId: number | undefined) => Promise<void>,
  ) {
    this.inodes = new InodeStore(engine.dialect);
    this.quotas = new QuotaStore(engine.dialect);
    this.contents = new ContentStore(engine.dialect);
    this.resolver = new PathResolver(this.inodes, new InodeHintCache());
    this.inodeIds = new IdAllocator(engine, 'inode', 2);
    this.blockIds = new IdAllocator(engine, 'block', 1);
    this.serializedWriters = engine.dialect.forUpdate === '';
  }

  now(): number {
    return Date.now();
  }

  /**
   * Runs a write unit, retrying while its path is inside a live subtree operation (HopsFS's retriable
   * "subtree locked") and taking over operations whose process died.
   */
  async mutate<T>(work: Work<T>): Promise<T> {
    const deadline = this.now() + this.limits.subtreeWaitMs;
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.engine.write(work);
      } catch (error) {
        if (error instanceof PathChangedError && attempt < 50) continue;
        if (!(error instanceof SubtreeLockedError)) throw error;
        const operationId = String(error.details.operationId ?? '');
        if (await this.isSubtreeOperationStale(operationId)) {
          await this.recoverSubtree(this, operationId, error.details.inodeId as number | undefined);
          continue;
        }
        if (this.now() >= deadline) throw error;
        await new Promise((r) => setTimeout(r, Math.min(200, 5 * 2 ** Math.min(attempt, 6))));
      }
    }
  }

  /** Runs a read unit, again from the start when the rows it read turned out to disagree (see PathChangedError). */
  async query<T>(work: Work<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.engine.read(work);
      } catch (error) {
        if (!(error instanceof PathChangedError) || attempt >= 50) throw error;
      }
    }
  }

  async isSubtreeOperationStale(operationId: string): Promise<boolean> {
    const row = await this.engine.read((tx) =>
      tx.get<{ heartbeat_at: number }>('SELECT heartbeat_at FROM fs_subtree_operations WHERE id = ?', [operationId]),
    );
    // A lock with no operation row is itself a leftover; a row without a fresh heartbeat belongs to a dead process.
    return row === undefined || this.now() - Number(row.heartbeat_at) > this.limits.subtreeStaleMs;
  }

  /**
   * Write-locks the inodes a unit is about to change and returns their current rows. On engines with concurrent
   * writers the rows are re-read `FOR UPDATE` and checked against what path resolution saw; a row that moved makes
   * the unit start again.
   */
  async lockForWrite(tx: Transaction, inodes: readonly Inode[]): Promise<Map<number, Inode>> {
    if (this.serializedWriters) return new Map(inodes.map((i) => [i.id, i]));
    const locked = await this.inodes.lockByIds(tx, inodes.map((i) => i.id));
    for (const seen of inodes) {
      const now = locked.get(seen.id);
      if (now === undefined || now.parentId !== seen.parentId || now.name !== seen.name) throw new PathChangedError();
    }
    return locked;
  }

  /**
   * Refuses to work inside a subtree that another operation holds. Called after `lockForWrite`: on engines with
   * concurrent writers the flags are re-read, so an operation that locked a row before a subtree operation marked its
   * root is seen by that operation's quiesce step, and one that locks after sees the mark.
   */
  async checkSubtreeLocks(tx: Transaction, inodes: readonly Inode[], ownOperation?: string): Promise<void> {
    let flagged: { id: number; lock: string | null }[];
    if (this.serializedWriters) {
      flagged = inodes.map((i) => ({ id: i.id, lock: i.subtreeLock }));
    } else {
      const ids = inodes.map((i) => i.id);
      const rows = await tx.all<{ id: number; subtree_lock: string | null }>(
        `SELECT id, subtree_lock FROM fs_inodes WHERE id IN (${ids.map(() => '?').join(',')})`,
        ids,
      );
      flagged = rows.map((r) => ({ id: Number(r.id), lock: r.subtree_lock }));
    }
    for (const { id, lock } of flagged) {
      if (lock !== null && lock !== ownOperation) {
        throw new SubtreeLockedError(`inode ${id} is part of a subtree that another operation is changing; retry`, {
          inodeId: id,
          operationId: lock,
        });
      }
    }
  }

  /**
   * The directories above `inode` (root first), read by walking parent ids upwards; used where an operation holds an
   * inode by id rather than by path (a writer closing its file) and must still charge the quotas above it.
   */
  async ancestorsOf(tx: Transaction, inode: Inode): Promise<Inode[]> {
    const ancestors: Inode[] = [];
    let parentId = inode.parentId;
    while (parentId !== ROOT_PARENT_ID) {
      const parent = await this.inodes.byId(tx, parentId);
      if (parent === undefined) break;
      ancestors.push(parent);
      parentId = parent.parentId;
    }
    return ancestors.reverse();
  }

  /** Removes block files once the transaction that dropped their references has committed; leftovers are fsck's. */
  async discardBlocks(blockIds: readonly number[]): Promise<void> {
    if (blockIds.length > 0) await this.blocks.delete(blockIds).catch(() => undefined);
  }
}
