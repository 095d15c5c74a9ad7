import type { Transaction } from '../../../db/engine.js';
import type { PartitionValues } from './partitioning.js';

/** A data file of an offline table: a one-block humle fs file, live from `addedVersion` until `removedVersion`. */
export interface DataFile {
  id: number;
  /** Relative to the table directory, as in the Delta log. */
  path: string;
  blockId: number;
  sizeBytes: number;
  rowCount: number;
  addedVersion: number;
  removedVersion: number | null;
  /** The values of the table's partition columns for every row of the file; {} in an unpartitioned table. */
  partitionValues: PartitionValues;
  /** The CRC32C of the file's bytes as written; null for files written before checksums were recorded. */
  checksum: number | null;
}

/**
 * Every query reads a file with its partition values (a row of fg_file_partitions only for partitioned tables) and
 * its checksum (a row of fg_file_checksums for files written since checksums are recorded).
 */
const COLUMNS = 'f.id, f.path, f.block_id, f.size_bytes, f.row_count, f.added_version, f.removed_version, p.partition_values, c.crc32c';
const FROM =
  'fg_data_files f LEFT JOIN fg_file_partitions p ON p.fg_id = f.fg_id AND p.file_id = f.id LEFT JOIN fg_file_checksums c ON c.fg_id = f.fg_id AND c.file_id = f.id';

function fromRow(r: unknown[]): DataFile {
  return {
    id: Number(r[0]),
    path: r[1] as string,
    blockId: Number(r[2]),
    sizeBytes: Number(r[3]),
    rowCount: Number(r[4]),
    addedVersion: Number(r[5]),
    removedVersion: r[6] === null ? null : Number(r[6]),
    partitionValues: r[7] === null ? {} : (JSON.parse(r[7] as string) as PartitionValues),
    checksum: r[8] === null ? null : Number(r[8]),
  };
}

/** The SQL for `fg_data_files`: which files make up which version of an offline table. */
export class DataFiles {
  async add(tx: Transaction, fgId: number, file: DataFile): Promise<void> {
    await tx.run(
      'INSERT INTO fg_data_files (id, fg_id, path, block_id, size_bytes, row_count, added_version, removed_version) VALUES (?, ?, ?, ?, ?, ?, ?, NULL)',
      [file.id, fgId, file.path, file.blockId, file.sizeBytes, file.rowCount, file.addedVersion],
    );
    if (Object.keys(file.partitionValues).length > 0) {
      await tx.run('INSERT INTO fg_file_partitions (fg_id, file_id, partition_values) VALUES (?, ?, ?)', [fgId, file.id, JSON.stringify(file.partitionValues)]);
    }
    if (file.checksum !== null) await tx.run('INSERT INTO fg_file_checksums (fg_id, file_id, crc32c) VALUES (?, ?, ?)', [fgId, file.id, file.checksum]);
  }

  async markRemoved(tx: Transaction, fgId: number, fileId: number, version: number): Promise<void> {
    await tx.run('UPDATE fg_data_files SET removed_version = ? WHERE fg_id = ? AND id = ?', [version, fgId, fileId]);
  }

  /** The files of the table as of `version`. */
  async liveAt(tx: Transaction, fgId: number, version: number): Promise<DataFile[]> {
    const rows = await tx.rows(
      `SELECT ${COLUMNS} FROM ${FROM} WHERE f.fg_id = ? AND f.added_version <= ? AND (f.removed_version IS NULL OR f.removed_version > ?) ORDER BY f.id`,
      [fgId, version, version],
    );
    return rows.map(fromRow);
  }

  async byIds(tx: Transaction, fgId: number, ids: readonly number[]): Promise<DataFile[]> {
    if (ids.length === 0) return [];
    const rows = await tx.rows(`SELECT ${COLUMNS} FROM ${FROM} WHERE f.fg_id = ? AND f.id IN (${ids.map(() => '?').join(', ')})`, [fgId, ...ids]);
    return rows.map(fromRow);
  }

  /** Files removed at or before `version`: versions before their removal are all that needs them. */
  async removedUpTo(tx: Transaction, fgId: number, version: number): Promise<DataFile[]> {
    const rows = await tx.rows(`SELECT ${COLUMNS} FROM ${FROM} WHERE f.fg_id = ? AND f.removed_version IS NOT NULL AND f.removed_version <= ? ORDER BY f.id`, [
      fgId,
      version,
    ]);
    return rows.map(fromRow);
  }

  async forget(tx: Transaction, fgId: number, fileId: number): Promise<void> {
    await tx.run('DELETE FROM fg_file_partitions WHERE fg_id = ? AND file_id = ?', [fgId, fileId]);
    await tx.run('DELETE FROM fg_file_checksums WHERE fg_id = ? AND file_id = ?', [fgId, fileId]);
    await tx.run('DELETE FROM fg_data_files WHERE fg_id = ? AND id = ?', [fgId, fileId]);
  }

  /** Files added after `after` up to `upTo`, and files removed in that range: what changed between two versions. */
  async changedBetween(tx: Transaction, fgId: number, after: number, upTo: number): Promise<{ added: DataFile[]; removed: DataFile[] }> {
    const added = await tx.rows(`SELECT ${COLUMNS} FROM ${FROM} WHERE f.fg_id = ? AND f.added_version > ? AND f.added_version <= ? ORDER BY f.id`, [fgId, after, upTo]);
    const removed = await tx.rows(
      `SELECT ${COLUMNS} FROM ${FROM} WHERE f.fg_id = ? AND f.removed_version > ? AND f.removed_version <= ? ORDER BY f.id`,
      [fgId, after, upTo],
    );
    return { added: added.map(fromRow), removed: removed.map(fromRow) };
  }
}
