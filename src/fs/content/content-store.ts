import type { Dialect } from '../../db/dialect.js';
import type { Transaction } from '../../db/engine.js';
import { FileStore, type Inode } from '../inode.js';
import { PathChangedError } from '../namespace/path-changed-error.js';
import type { StoragePolicy } from './storage-policy.js';

export interface BlockRef {
  blockId: number;
  length: number;
  checksum: number;
}

/** Where a file's bytes were put in the database: the inode columns to set. */
export interface DbContent {
  fileStore: FileStore;
  inlineData: Buffer | null;
}

/** The SQL for file bytes kept in the database (inline and small-file tiers) and for block lists. */
export class ContentStore {
  constructor(private readonly dialect: Dialect) {}

  /** Where `data` goes among the database tiers; Small means rows that `writeSmallChunks` adds once the inode exists. */
  dbContentOf(data: Buffer, policy: StoragePolicy): DbContent {
    if (data.length === 0) return { fileStore: FileStore.Empty, inlineData: null };
    if (data.length <= policy.inlineMax) return { fileStore: FileStore.Inline, inlineData: data };
    return { fileStore: FileStore.Small, inlineData: null };
  }

  /** Stores `data` in the database tier its size calls for; the caller writes the returned columns to the inode. */
  async writeDb(tx: Transaction, inodeId: number, data: Buffer, policy: StoragePolicy): Promise<DbContent> {
    const content = this.dbContentOf(data, policy);
    if (content.fileStore === FileStore.Small) await this.writeSmallChunks(tx, inodeId, data);
    return content;
  }

  async writeSmallChunks(tx: Transaction, inodeId: number, data: Buffer): Promise<void> {
    const chunk = this.dialect.maxChunkBytes;
    for (let offset = 0, index = 0; offset < data.length; offset += chunk, index++) {
      await tx.run('INSERT INTO fs_small_files (inode_id, chunk_index, data) VALUES (?, ?, ?)', [
        inodeId,
        index,
        data.subarray(offset, Math.min(offset + chunk, data.length)),
      ]);
    }
  }

  async readDb(tx: Transaction, inode: Inode): Promise<Buffer> {
    switch (inode.fileStore) {
      case FileStore.Empty:
        return Buffer.alloc(0);
      case FileStore.Inline: {
        if (inode.inlineData !== undefined) return inode.inlineData ?? Buffer.alloc(0);
        const row = await tx.get<{ inline_data: Buffer | null }>('SELECT inline_data FROM fs_inodes WHERE id = ?', [inode.id]);
        return row?.inline_data ?? Buffer.alloc(0);
      }
      case FileStore.Small: {
        const rows = await tx.all<{ data: Buffer }>('SELECT data FROM fs_small_files WHERE inode_id = ? ORDER BY chunk_index', [inode.id]);
        const data = rows.length === 1 ? rows[0]!.data : Buffer.concat(rows.map((r) => r.data));
        // Engines that read statement by statement may see the file change between the inode and its chunks.
        if (data.length !== inode.size) throw new PathChangedError(`file ${inode.id} changed while being read`);
        return data;
      }
      default:
        throw new Error(`inode ${inode.id} keeps its bytes in blocks, not in the database`);
    }
  }

  async deleteDb(tx: Transaction, inodeId: number): Promise<void> {
    await tx.run('DELETE FROM fs_small_files WHERE inode_id = ?', [inodeId]);
  }

  async blocks(tx: Transaction, inodeId: number): Promise<BlockRef[]> {
    const rows = await tx.all<{ block_id: number; length: number; checksum: number }>(
      'SELECT block_id, length, checksum FROM fs_blocks WHERE inode_id = ? ORDER BY block_index',
      [inodeId],
    );
    return rows.map((r) => ({ blockId: Number(r.block_id), length: Number(r.length), checksum: Number(r.checksum) }));
  }

  async addBlocks(tx: Transaction, inodeId: number, firstIndex: number, blocks: readonly BlockRef[]): Promise<void> {
    let index = firstIndex;
    for (const b of blocks) {
      await tx.run('INSERT INTO fs_blocks (inode_id, block_index, block_id, length, checksum) VALUES (?, ?, ?, ?, ?)', [
        inodeId,
        index++,
        b.blockId,
        b.length,
        b.checksum,
      ]);
    }
  }

  async deleteBlocks(tx: Transaction, inodeId: number): Promise<void> {
    await tx.run('DELETE FROM fs_blocks WHERE inode_id = ?', [inodeId]);
  }

  /** Block ids of a file about to be deleted, so their files can be removed once the deletion commits. */
  async blockIdsOf(tx: Transaction, inodeIds: readonly number[]): Promise<number[]> {
    if (inodeIds.length === 0) return [];
    const rows = await tx.all<{ block_id: number }>(
      `SELECT block_id FROM fs_blocks WHERE inode_id IN (${inodeIds.map(() => '?').join(',')})`,
      inodeIds,
    );
    return rows.map((r) => Number(r.block_id));
  }
}
