import type { Dialect } from '../../../db/dialect.js';
import type { SqlValue, Transaction } from '../../../db/engine.js';

/** Keys per lookup or upsert statement; lookups pad to a power of two so few distinct statements get prepared. */
const KEYS_PER_STATEMENT = 512;

/** Index rows with the file now holding each record. */
const RESOLVED =
  'SELECT r.record_key, COALESCE(s.successor_id, r.file_id) FROM fg_record_index r ' +
  'LEFT JOIN fg_file_successors s ON s.fg_id = r.fg_id AND s.file_id = r.file_id';

function paddedSize(n: number): number {
  let size = 1;
  while (size < n) size *= 2;
  return Math.min(size, KEYS_PER_STATEMENT);
}

/**
 * The offline table's record index: record key (primary key + event time) → the live data file holding that
 * record. Copy-on-write upserts look keys up here to rewrite only the files that hold them.
 *
 * When a file is rewritten (copy-on-write) or merged (compaction), its surviving records move to the new file. Rather
 * than update every one of their index rows (up to a compacted file's 131,072 per file), the move is one row of
 * `fg_file_successors`: old file → the file now holding its records. Lookups resolve a key's file through it. A
 * successor is always a live file: when it is replaced in turn, the rows that named it name its own successor.
 */
export class RecordIndex {
  constructor(private readonly dialect: Dialect) {}

  /** The file of each key that is indexed. */
  async lookup(tx: Transaction, fgId: number, keys: readonly string[]): Promise<Map<string, number>> {
    const found = new Map<string, number>();
    for (let start = 0; start < keys.length; start += KEYS_PER_STATEMENT) {
      const count = Math.min(KEYS_PER_STATEMENT, keys.length - start);
      const size = paddedSize(count);
      const params: SqlValue[] = [fgId];
      for (let i = 0; i < size; i++) params.push(keys[start + Math.min(i, count - 1)]!);
      const rows = await tx.rows(`${RESOLVED} WHERE r.fg_id = ? AND r.record_key IN (${'?, '.repeat(size - 1)}?)`, params);
      for (const [key, file] of rows) found.set(key as string, Number(file));
    }
    return found;
  }

  /**
   * Every indexed key starting with `prefix` (an entity's records: its encoded primary key and a comma). Encoded
   * event times are ASCII below DEL, so the keys of a prefix sort between the prefix and the prefix + DEL.
   */
  async keysWithPrefix(tx: Transaction, fgId: number, prefix: string): Promise<Map<string, number>> {
    const rows = await tx.rows(`${RESOLVED} WHERE r.fg_id = ? AND r.record_key >= ? AND r.record_key < ?`, [
      fgId,
      prefix,
      `${prefix}\u007f`,
    ]);
    return new Map(rows.map(([key, file]) => [key as string, Number(file)]));
  }

  /** Points every key at `fileId` (new keys are added). */
  async assign(tx: Transaction, fgId: number, keys: readonly string[], fileId: number): Promise<void> {
    for (let start = 0; start < keys.length; start += KEYS_PER_STATEMENT) {
      const count = Math.min(KEYS_PER_STATEMENT, keys.length - start);
      // Padding repeats the last key: assigning a key twice to the same file changes nothing.
      const size = paddedSize(count);
      const params: SqlValue[] = [];
      for (let i = 0; i < size; i++) params.push(fgId, keys[start + Math.min(i, count - 1)]!, fileId);
      await tx.run(this.dialect.upsert('fg_record_index', ['fg_id', 'record_key', 'file_id'], ['fg_id', 'record_key'], ['file_id'], size), params);
    }
  }

  /** Moves every record of one file to another (a rewritten file's untouched records, a compacted file's all). */
  async moveFile(tx: Transaction, fgId: number, fromFileId: number, toFileId: number): Promise<void> {
    await tx.run('UPDATE fg_file_successors SET successor_id = ? WHERE fg_id = ? AND successor_id = ?', [toFileId, fgId, fromFileId]);
    await tx.run('INSERT INTO fg_file_successors (fg_id, file_id, successor_id) VALUES (?, ?, ?)', [fgId, fromFileId, toFileId]);
  }

  /**
   * Forgets a removed file (vacuum): index rows that still name it name its successor instead, and its successor
   * rows go.
   */
  async forgetFile(tx: Transaction, fgId: number, fileId: number): Promise<void> {
    const successor = await tx.rows('SELECT successor_id FROM fg_file_successors WHERE fg_id = ? AND file_id = ?', [fgId, fileId]);
    if (successor.length > 0) {
      await tx.run('UPDATE fg_record_index SET file_id = ? WHERE fg_id = ? AND file_id = ?', [Number(successor[0]![0]), fgId, fileId]);
    }
    await tx.run('DELETE FROM fg_file_successors WHERE fg_id = ? AND (file_id = ? OR successor_id = ?)', [fgId, fileId, fileId]);
  }

  async remove(tx: Transaction, fgId: number, keys: readonly string[]): Promise<void> {
    for (let start = 0; start < keys.length; start += KEYS_PER_STATEMENT) {
      const chunk = keys.slice(start, start + KEYS_PER_STATEMENT);
      await tx.run(`DELETE FROM fg_record_index WHERE fg_id = ? AND record_key IN (${chunk.map(() => '?').join(', ')})`, [fgId, ...chunk]);
    }
  }
}
