import { randomUUID } from 'node:crypto';
import type { Transaction } from '../../db/engine.js';
import { SubtreeLockedError } from '../../errors/fs-errors.js';
import type { FsCore } from '../fs-core.js';
import { FileStore, type Inode } from '../inode.js';

export type SubtreeOperationKind = 'delete' | 'rename' | 'quota';

/**
 * HopsFS's subtree operation protocol, for work on a directory too large for one transaction:
 * 1. one transaction marks the subtree root (`subtree_lock`) and records the operation with a heartbeat;
 *    operations on paths inside it now get a retriable SubtreeLockedError;
 * 2. on engines with concurrent writers, every directory of the subtree is locked once (quiesce), so operations
 *    that got in before the mark have finished;
 * 3. the work runs in batched transactions (a delete goes bottom-up, so the namespace is consistent after each);
 * 4. the last transaction removes the mark and the record.
 * A process that dies leaves a record whose heartbeat stops; whoever meets the mark later takes the operation over:
 * a delete is finished (the caller asked for it, and half of it is already gone), a rename or quota change, whose
 * namespace change is a single transaction, is just released.
 */
export class SubtreeOperation {
  private heartbeat: NodeJS.Timeout | undefined;

  private constructor(
    private readonly core: FsCore,
    readonly id: string,
    readonly rootId: number,
  ) {}

  /** Marks `root` inside the caller's unit; the caller has checked that nothing above or at it is marked. */
  static async begin(core: FsCore, tx: Transaction, root: Inode, kind: SubtreeOperationKind, path: string): Promise<SubtreeOperation> {
    const operation = new SubtreeOperation(core, `${kind}-${randomUUID()}`, root.id);
    await tx.run('INSERT INTO fs_subtree_operations (id, root_id, kind, path, heartbeat_at) VALUES (?, ?, ?, ?, ?)', [
      operation.id,
      root.id,
      kind,
      path,
      core.now(),
    ]);
    await core.inodes.setSubtreeLock(tx, root.id, operation.id);
    return operation;
  }

  startHeartbeat(): void {
    this.heartbeat = setInterval(() => {
      void this.core.engine
        .write((tx) => tx.run('UPDATE fs_subtree_operations SET heartbeat_at = ? WHERE id = ?', [this.core.now(), this.id]))
        .catch(() => undefined);
    }, this.core.limits.subtreeHeartbeatMs);
    this.heartbeat.unref();
  }

  stopHeartbeat(): void {
    clearInterval(this.heartbeat);
  }

  /** Removes the mark and the record, inside the caller's unit (the one that completes the work). */
  async finish(tx: Transaction): Promise<void> {
    this.stopHeartbeat();
    await tx.run('UPDATE fs_inodes SET subtree_lock = NULL WHERE id = ? AND subtree_lock = ?', [this.rootId, this.id]);
    await tx.run('DELETE FROM fs_subtree_operations WHERE id = ?', [this.id]);
  }

  /** Gives the subtree back untouched (the operation failed before changing anything). */
  async abandon(): Promise<void> {
    this.stopHeartbeat();
    await this.core.engine.write((tx) => this.finish(tx));
  }

  /** Fails with SubtreeLockedError when another operation holds a directory inside this subtree. */
  checkNested(dir: Inode): void {
    if (dir.subtreeLock !== null && dir.subtreeLock !== this.id) {
      throw new SubtreeLockedError(`a directory inside the subtree is held by another operation; retry`, {
        inodeId: dir.id,
        operationId: dir.subtreeLock,
      });
    }
  }

  /** Step 2: wait out in-flight writers inside the subtree by locking each of its directories once. */
  async quiesce(directoryIds: readonly number[]): Promise<void> {
    if (this.core.serializedWriters) return;
    for (let i = 0; i < directoryIds.length; i += 500) {
      const batch = directoryIds.slice(i, i + 500);
      await this.core.engine.write((tx) => this.core.inodes.lockByIds(tx, batch));
    }
  }

  private async assertStillOwned(tx: Transaction): Promise<void> {
    const row = await tx.get<{ id: string }>(`SELECT id FROM fs_subtree_operations WHERE id = ?${this.core.engine.dialect.forUpdate}`, [this.id]);
    if (row === undefined) throw new SubtreeLockedError(`subtree operation ${this.id} was taken over by another process`, { operationId: this.id });
  }

  /**
   * Step 3 of a delete: removes everything below the root bottom-up, `subtreeBatchSize` rows per transaction,
   * then the root itself. Each transaction charges the quotas above the root for what it removed.
   */
  async deleteAll(root: Inode): Promise<void> {
    const core = this.core;
    const pendingDirs: number[] = [root.id];
    while (pendingDirs.length > 0) {
      const dirId = pendingDirs[pendingDirs.length - 1]!;
      const step = await core.engine.write(async (tx) => {
        await this.assertStillOwned(tx);
        const children = await core.inodes.children(tx, dirId, undefined, core.limits.subtreeBatchSize);
        const dirIds = children.filter((c) => c.isDir).map((c) => c.id);
        const nonEmpty = new Set<number>();
        if (dirIds.length > 0) {
          const rows = await tx.all<{ parent_id: number }>(
            `SELECT DISTINCT parent_id FROM fs_inodes WHERE parent_id IN (${dirIds.map(() => '?').join(',')})`,
            dirIds,
          );
          for (const r of rows) nonEmpty.add(Number(r.parent_id));
        }
        const doomed = children.filter((c) => !nonEmpty.has(c.id));
        const blockIds = await core.contents.blockIdsOf(
          tx,
          doomed.filter((c) => !c.isDir && c.fileStore === FileStore.Blocks).map((c) => c.id),
        );
        if (doomed.length > 0) {
          const ids = doomed.map((c) => c.id);
          await tx.run(`DELETE FROM fs_inodes WHERE id IN (${ids.map(() => '?').join(',')})`, ids);
          await core.inodes.adjustChildren(tx, dirId, -doomed.length, core.now());
          const space = doomed.reduce((sum, c) => sum + (c.isDir ? 0 : c.size * c.replication), 0);
          const quotaDirs = await this.quotaDirsAbove(tx, root);
          await core.quotas.charge(tx, quotaDirs, -doomed.length, -space, '');
        }
        if (children.length === 0 && dirId === root.id) {
          const quotaDirs = await this.quotaDirsAbove(tx, root);
          await core.quotas.charge(tx, quotaDirs, -1, 0, '');
          await core.inodes.delete(tx, root.id);
          await core.inodes.adjustChildren(tx, root.parentId, -1, core.now());
          await this.finish(tx);
        }
        return { blockIds, nonEmpty: [...nonEmpty], exhausted: children.length === 0 };
      });
      await core.discardBlocks(step.blockIds);
      if (step.exhausted) pendingDirs.pop();
      else for (const id of step.nonEmpty) if (!pendingDirs.includes(id)) pendingDirs.push(id);
    }
    core.resolver.forget(root.parentId, root.name);
  }

  private quotaDirsCache: Inode[] | undefined;

  private async quotaDirsAbove(tx: Transaction, root: Inode): Promise<Inode[]> {
    this.quotaDirsCache ??= (await this.core.ancestorsOf(tx, root)).filter((d) => d.hasQuota);
    return this.quotaDirsCache;
  }

  /**
   * Takes over an operation whose process stopped heartbeating: finishes a delete, releases anything else.
   * `lockedInodeId` is where the mark was met, to clear a mark whose record is already gone.
   */
  static async recover(core: FsCore, operationId: string, lockedInodeId: number | undefined): Promise<void> {
    const claimed = await core.engine.write(async (tx) => {
      const row = await tx.get<{ root_id: number; kind: string; heartbeat_at: number }>(
        `SELECT root_id, kind, heartbeat_at FROM fs_subtree_operations WHERE id = ?${core.engine.dialect.forUpdate}`,
        [operationId],
      );
      if (row === undefined) {
        if (lockedInodeId !== undefined) {
          await tx.run('UPDATE fs_inodes SET subtree_lock = NULL WHERE id = ? AND subtree_lock = ?', [lockedInodeId, operationId]);
        }
        return undefined;
      }
      if (core.now() - Number(row.heartbeat_at) <= core.limits.subtreeStaleMs) return undefined; // alive after all
      await tx.run('UPDATE fs_subtree_operations SET heartbeat_at = ? WHERE id = ?', [core.now(), operationId]);
      return { rootId: Number(row.root_id), kind: row.kind as SubtreeOperationKind };
    });
    if (claimed === undefined) return;
    const operation = new SubtreeOperation(core, operationId, claimed.rootId);
    const root = await core.engine.read((tx) => core.inodes.byId(tx, claimed.rootId));
    if (claimed.kind !== 'delete' || root === undefined) {
      await operation.abandon();
      return;
    }
    operation.startHeartbeat();
    try {
      await operation.deleteAll(root);
    } finally {
      operation.stopHeartbeat();
    }
  }

  /** Subtree operations whose heartbeat is older than the stale limit (for fsck). */
  static async listStale(core: FsCore): Promise<{ id: string; rootId: number; kind: string; path: string; heartbeatAt: number }[]> {
    const rows = await core.engine.read((tx) =>
      tx.all<{ id: string; root_id: number; kind: string; path: string; heartbeat_at: number }>(
        'SELECT id, root_id, kind, path, heartbeat_at FROM fs_subtree_operations',
      ),
    );
    return rows
      .filter((r) => core.now() - Number(r.heartbeat_at) > core.limits.subtreeStaleMs)
      .map((r) => ({ id: r.id, rootId: Number(r.root_id), kind: r.kind, path: r.path, heartbeatAt: Number(r.heartbeat_at) }));
  }
}
