import type { Transaction } from '../../../db/engine.js';

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
}

const COLUMNS = 'id, path, block_id, size_bytes, row_count, added_version, removed_version';

function fromRow(r: unknown[]): DataFile {
  return {
    id: Number(r[0]),
    path: r[1] as string,
    blockId: Number(r[2]),
    sizeBytes: Number(r[3]),
    rowCount: Number(r[4]),
    addedVersion: Number(r[5]),
    removedVersion: r[6] === null ? null : Number(r[6]),
  };
}

/** The SQL for `fg_data_files`: which files make up which version of an offline table. */
export class DataFiles {
  async add(tx: Transaction, fgId: number, file: DataFile): Promise<void> {
    await tx.run(
      'INSERT INTO fg_data_files (id, fg_id, path, block_id, size_bytes, row_count, added_version, removed_version) VALUES (?, ?, ?, ?, ?, ?, ?, NULL)',
      [file.id, fgId, file.path, file.blockId, file.sizeBytes, file.rowCount, file.addedVersion],
    );
  }

  async markRemoved(tx: Transaction, fgId: number, fileId: number, version: number): Promise<void> {
    await tx.run('UPDATE fg_data_files SET removed_version = ? WHERE fg_id = ? AND id = ?', [version, fgId, fileId]);
  }

  /** The files of the table as of `version`. */
  async liveAt(tx: Transaction, fgId: number, version: number): Promise<DataFile[]> {
    const rows = await tx.rows(
      `SELECT ${COLUMNS} FROM fg_data_files WHERE fg_id = ? AND added_version <= ? AND (removed_version IS NULL OR removed_version > ?) ORDER BY id`,
      [fgId, version, version],
    );
    return rows.map(fromRow);
  }

  async byIds(tx: Transaction, fgId: number, ids: readonly number[]): Promise<DataFile[]> {
    if (ids.length === 0) return [];
    const rows = await tx.rows(`SELECT ${COLUMNS} FROM fg_data_files WHERE fg_id = ? AND id IN (${ids.map(() => '?').join(', ')})`, [fgId, ...ids]);
    return rows.map(fromRow);
  }

  /** Files removed at or before `version`: versions before their removal are all that needs them. */
  async removedUpTo(tx: Transaction, fgId: number, version: number): Promise<DataFile[]> {
    const rows = await tx.rows(`SELECT ${COLUMNS} FROM fg_data_files WHERE fg_id = ? AND removed_version IS NOT NULL AND removed_version <= ? ORDER BY id`, [
      fgId,
      version,
    ]);
    return rows.map(fromRow);
  }

  async forget(tx: Transaction, fgId: number, fileId: number): Promise<void> {
    await tx.run('DELETE FROM fg_data_files WHERE fg_id = ? AND id = ?', [fgId, fileId]);
  }

  /** Files added after `after` up to `upTo`, and files removed in that range: what changed between two versions. */
  async changedBetween(tx: Transaction, fgId: number, after: number, upTo: number): Promise<{ added: DataFile[]; removed: DataFile[] }> {
    const added = await tx.rows(`SELECT ${COLUMNS} FROM fg_data_files WHERE fg_id = ? AND added_version > ? AND added_version <= ? ORDER BY id`, [fgId, after, upTo]);
    const removed = await tx.rows(
      `SELECT ${COLUMNS} FROM fg_data_files WHERE fg_id = ? AND removed_version > ? AND removed_version <= ? ORDER BY id`,
      [fgId, after, upTo],
    );
    return { added: added.map(fromRow), removed: removed.map(fromRow) };
  }
}
