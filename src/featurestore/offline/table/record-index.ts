import type { Dialect } from '../../../db/dialect.js';
import type { SqlValue, Transaction } from '../../../db/engine.js';

/** Keys per lookup or upsert statement; lookups pad to a power of two so few distinct statements get prepared. */
const KEYS_PER_STATEMENT = 512;

function paddedSize(n: number): number {
  let size = 1;
  while (size < n) size *= 2;
  return Math.min(size, KEYS_PER_STATEMENT);
}

/**
 * The offline table's record index: record key (primary key + event time) → the live data file holding that
 * record. Copy-on-write upserts look keys up here to rewrite only the files that hold them.
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
      const rows = await tx.rows(`SELECT record_key, file_id FROM fg_record_index WHERE fg_id = ? AND record_key IN (${'?, '.repeat(size - 1)}?)`, params);
      for (const [key, file] of rows) found.set(key as string, Number(file));
    }
    return found;
  }

  /**
   * Every indexed key starting with `prefix` (an entity's records: its encoded primary key and a comma). Encoded
   * event times are ASCII below DEL, so the keys of a prefix sort between the prefix and the prefix + DEL.
   */
  async keysWithPrefix(tx: Transaction, fgId: number, prefix: string): Promise<Map<string, number>> {
    const rows = await tx.rows('SELECT record_key, file_id FROM fg_record_index WHERE fg_id = ? AND record_key >= ? AND record_key < ?', [
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

  /** Moves every key of one file to another (a rewritten file keeps its untouched records). */
  async reassignFile(tx: Transaction, fgId: number, fromFileId: number, toFileId: number): Promise<void> {
    await tx.run('UPDATE fg_record_index SET file_id = ? WHERE fg_id = ? AND file_id = ?', [toFileId, fgId, fromFileId]);
  }

  async remove(tx: Transaction, fgId: number, keys: readonly string[]): Promise<void> {
    for (let start = 0; start < keys.length; start += KEYS_PER_STATEMENT) {
      const chunk = keys.slice(start, start + KEYS_PER_STATEMENT);
      await tx.run(`DELETE FROM fg_record_index WHERE fg_id = ? AND record_key IN (${chunk.map(() => '?').join(', ')})`, [fgId, ...chunk]);
    }
  }
}
