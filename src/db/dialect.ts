import type { ColumnDefinition, TableDefinition } from './schema.js';

/**
 * Everything that differs between the SQL of the engines. Code outside `db/` writes portable SQL (plain SELECT,
 * INSERT, UPDATE, DELETE with `?` placeholders) and asks the dialect for the rest.
 */
export interface Dialect {
  readonly name: 'sqlite' | 'mysql';
  /** DDL statements that create the table and its indexes. */
  createTable(table: TableDefinition): string[];
  dropTable(name: string): string;
  /** `ALTER TABLE` statement adding a nullable column. */
  addColumn(table: string, column: ColumnDefinition): string;
  /** An identifier quoted for use in SQL (user-named columns may be reserved words such as `order`). */
  quote(identifier: string): string;
  /** `INSERT ... ` of `rowCount` rows that updates `updateColumns` when a row with the same key exists. */
  upsert(table: string, columns: readonly string[], keyColumns: readonly string[], updateColumns: readonly string[], rowCount?: number): string;
  /**
   * As `upsert`, but an existing row is replaced only when the new row's `versionColumn` is at least the stored one
   * (the online store's "upsert if newer": an older event never overwrites a newer one; a tie goes to the later write).
   * Every column but the keys is replaced. Column names are quoted by the dialect.
   */
  upsertIfNewer(table: string, columns: readonly string[], keyColumns: readonly string[], versionColumn: string, rowCount: number): string;
  /**
   * A select-list expression that reads a 64-bit integer exactly while rows come back as plain numbers: the value
   * while it is a safe JavaScript integer, its decimal text beyond (asking the driver for bigints everywhere instead
   * costs a BigInt per integer of every row).
   */
  exactInteger(expression: string): string;
  /** Suffix of a SELECT that write-locks the rows it reads until the transaction ends (empty where writers are serialized). */
  readonly forUpdate: string;
  /**
   * Largest value stored in one row of a chunked binary column: 64 KB small files are split into rows of this size
   * where the engine limits row or column size (NDB, InnoDB's BLOB), and kept whole where it does not.
   */
  readonly maxChunkBytes: number;
}
