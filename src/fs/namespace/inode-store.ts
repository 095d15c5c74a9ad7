import type { Dialect } from '../../db/dialect.js';
import type { Transaction } from '../../db/engine.js';
import { PathChangedError } from './path-changed-error.js';
import { INODE_COLUMNS, inodeFromRow, type Inode } from '../inode.js';

function isDuplicateKey(error: unknown): boolean {
  const e = error as { code?: string; errno?: number };
  return e.errno === 1062 || e.code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || e.code === 'SQLITE_CONSTRAINT_UNIQUE';
}

function placeholders(count: number): string {
  return count === 1 ? '?' : '?' + ',?'.repeat(count - 1);
}

/** The SQL for `fs_inodes`: portable statements, plus the dialect's row locks. */
export class InodeStore {
  constructor(private readonly dialect: Dialect) {}

  async byId(tx: Transaction, id: number): Promise<Inode | undefined> {
    const rows = await tx.rows(`SELECT ${INODE_COLUMNS} FROM fs_inodes WHERE id = ?`, [id]);
    return rows.length === 0 ? undefined : inodeFromRow(rows[0]!);
  }

  /** Inodes by id; `withData` adds the inline bytes of tiny files (null for everything else). */
  async byIds(tx: Transaction, ids: readonly number[], withData = false): Promise<Inode[]> {
    const columns = withData ? `${INODE_COLUMNS}, inline_data` : INODE_COLUMNS;
    const rows = await tx.rows(`SELECT ${columns} FROM fs_inodes WHERE id IN (${placeholders(ids.length)})`, ids);
    return rows.map(inodeFromRow);
  }

  /** Re-reads the rows under a write lock, in id order so that concurrent lockers cannot deadlock each other. */
  async lockByIds(tx: Transaction, ids: readonly number[]): Promise<Map<number, Inode>> {
    const sorted = [...new Set(ids)].sort((a, b) => a - b);
    const rows = await tx.rows(
      `SELECT ${INODE_COLUMNS} FROM fs_inodes WHERE id IN (${placeholders(sorted.length)}) ORDER BY id${this.dialect.forUpdate}`,
      sorted,
    );
    return new Map(rows.map((r) => [Number(r[0]), inodeFromRow(r)]));
  }

  async child(tx: Transaction, partitionId: number, parentId: number, name: string, withData = false): Promise<Inode | undefined> {
    const columns = withData ? `${INODE_COLUMNS}, inline_data` : INODE_COLUMNS;
    const rows = await tx.rows(`SELECT ${columns} FROM fs_inodes WHERE partition_id = ? AND parent_id = ? AND name = ?`, [
      partitionId,
      parentId,
      name,
    ]);
    return rows.length === 0 ? undefined : inodeFromRow(rows[0]!);
  }

  /** One page of a directory, in name order, after `startAfter`. */
  async children(tx: Transaction, parentId: number, startAfter: string | undefined, limit: number): Promise<Inode[]> {
    const rows =
      startAfter === undefined
        ? await tx.rows(`SELECT ${INODE_COLUMNS} FROM fs_inodes WHERE parent_id = ? ORDER BY name LIMIT ?`, [parentId, limit])
        : await tx.rows(`SELECT ${INODE_COLUMNS} FROM fs_inodes WHERE parent_id = ? AND name > ? ORDER BY name LIMIT ?`, [
            parentId,
            startAfter,
            limit,
          ]);
    return rows.map(inodeFromRow);
  }

  async countChildren(tx: Transaction, parentId: number): Promise<number> {
    const row = await tx.get<{ n: number }>('SELECT COUNT(*) AS n FROM fs_inodes WHERE parent_id = ?', [parentId]);
    return Number(row?.n ?? 0);
  }

  /** Inserts a new inode; a concurrent insert of the same name (seen only by engines with parallel writers) reruns the unit. */
  async insert(tx: Transaction, inode: Inode, inlineData: Buffer | null = null): Promise<void> {
    try {
      await this.insertRow(tx, inode, inlineData);
    } catch (error) {
      if (isDuplicateKey(error)) throw new PathChangedError(`${inode.name} appeared in directory ${inode.parentId} concurrently`);
      throw error;
    }
  }

  private async insertRow(tx: Transaction, inode: Inode, inlineData: Buffer | null): Promise<void> {
    await tx.run(
      `INSERT INTO fs_inodes (${INODE_COLUMNS}, inline_data) VALUES (${placeholders(21)})`,
      [
        inode.id,
        inode.partitionId,
        inode.parentId,
        inode.name,
        inode.isDir ? 1 : 0,
        inode.permission,
        inode.owner,
        inode.group,
        inode.mtime,
        inode.atime,
        inode.size,
        inode.replication,
        inode.blockSize,
        inode.storagePolicy,
        inode.children,
        inode.underConstruction ? 1 : 0,
        inode.leaseHolder,
        inode.fileStore,
        inode.subtreeLock,
        inode.hasQuota ? 1 : 0,
        inlineData,
      ],
    );
  }

  async delete(tx: Transaction, id: number): Promise<void> {
    await tx.run('DELETE FROM fs_inodes WHERE id = ?', [id]);
  }

  /** A directory gained or lost entries: keep its child count and modification time current. */
  async adjustChildren(tx: Transaction, dirId: number, delta: number, mtime: number): Promise<void> {
    await tx.run('UPDATE fs_inodes SET children = children + ?, mtime = ? WHERE id = ?', [delta, mtime, dirId]);
  }

  /** Gives the inode a new parent and name; a name taken concurrently reruns the unit, as for `insert`. */
  async move(tx: Transaction, id: number, partitionId: number, parentId: number, name: string): Promise<void> {
    try {
      await tx.run('UPDATE fs_inodes SET partition_id = ?, parent_id = ?, name = ? WHERE id = ?', [partitionId, parentId, name, id]);
    } catch (error) {
      if (isDuplicateKey(error)) throw new PathChangedError(`${name} appeared in directory ${parentId} concurrently`);
      throw error;
    }
  }

  /** Replaces a file's content description after its bytes were written to their tier. */
  async setContent(
    tx: Transaction,
    id: number,
    content: { size: number; fileStore: number; inlineData: Buffer | null; mtime: number },
  ): Promise<void> {
    await tx.run(
      'UPDATE fs_inodes SET size = ?, file_store = ?, inline_data = ?, mtime = ?, under_construction = 0, lease_holder = NULL WHERE id = ?',
      [content.size, content.fileStore, content.inlineData, content.mtime, id],
    );
  }

  async setUnderConstruction(tx: Transaction, id: number, holder: string | null): Promise<void> {
    await tx.run('UPDATE fs_inodes SET under_construction = ?, lease_holder = ? WHERE id = ?', [holder === null ? 0 : 1, holder, id]);
  }

  async setPermission(tx: Transaction, id: number, permission: number): Promise<void> {
    await tx.run('UPDATE fs_inodes SET permission = ? WHERE id = ?', [permission, id]);
  }

  async setOwner(tx: Transaction, id: number, owner: string, group: string): Promise<void> {
    await tx.run('UPDATE fs_inodes SET owner = ?, grp = ? WHERE id = ?', [owner, group, id]);
  }

  async setTimes(tx: Transaction, id: number, mtime: number, atime: number): Promise<void> {
    await tx.run('UPDATE fs_inodes SET mtime = ?, atime = ? WHERE id = ?', [mtime, atime, id]);
  }

  async setSubtreeLock(tx: Transaction, id: number, lock: string | null): Promise<void> {
    await tx.run('UPDATE fs_inodes SET subtree_lock = ? WHERE id = ?', [lock, id]);
  }

  async setHasQuota(tx: Transaction, id: number, hasQuota: boolean): Promise<void> {
    await tx.run('UPDATE fs_inodes SET has_quota = ? WHERE id = ?', [hasQuota ? 1 : 0, id]);
  }

  async setStoragePolicyFlag(tx: Transaction, id: number, policy: number): Promise<void> {
    await tx.run('UPDATE fs_inodes SET storage_policy = ? WHERE id = ?', [policy, id]);
  }

  async setReplication(tx: Transaction, id: number, replication: number): Promise<void> {
    await tx.run('UPDATE fs_inodes SET replication = ? WHERE id = ?', [replication, id]);
  }
}
