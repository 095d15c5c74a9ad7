/**
 * A dialect-neutral description of tables, so migrations are written once and each engine renders its own DDL.
 * The column kinds are the few the metadata needs; each dialect maps them (see the README's type table).
 */
export type ColumnKind =
  | { kind: 'int' } // 32-bit signed
  | { kind: 'bigint' } // 64-bit signed
  | { kind: 'name'; length: number } // case-sensitive, byte-ordered text (file names, keys)
  | { kind: 'text'; length: number } // free text up to `length` characters
  | { kind: 'longtext' }
  | { kind: 'bytes'; length: number } // binary up to `length` bytes, stored in the row
  | { kind: 'blob'; length: number } // binary up to `length` bytes, may live off-row
  | { kind: 'chunk' } // one chunk of a chunked binary value, up to the dialect's `maxChunkBytes`
  | { kind: 'float' } // 32-bit IEEE 754 where the engine has it (SQLite keeps 64 bits)
  | { kind: 'double' } // 64-bit IEEE 754
  | { kind: 'decimal'; precision: number; scale: number } // exact; read back as a string
  | { kind: 'date' }; // a calendar date, read back as 'YYYY-MM-DD'

export interface ColumnDefinition {
  name: string;
  type: ColumnKind;
  nullable?: boolean;
  /** A literal default (numbers and short strings only). */
  default?: number | string;
}

export interface ForeignKey {
  columns: string[];
  references: { table: string; columns: string[] };
  onDelete?: 'cascade' | 'restrict';
}

export interface TableDefinition {
  name: string;
  columns: ColumnDefinition[];
  primaryKey: string[];
  unique?: { name: string; columns: string[] }[];
  indexes?: { name: string; columns: string[] }[];
  foreignKeys?: ForeignKey[];
  /**
   * A unique integer column the engine may use as its physical row key (SQLite makes it the rowid, so lookups by it
   * need no secondary index); engines that cluster by the primary key ignore it and keep a unique index on it.
   */
  rowKey?: string;
  /** Columns that choose a row's partition on a partitioned engine (NDB); other engines ignore it. */
  partitionBy?: string[];
}

export const column = {
  int: (name: string, opts: Partial<ColumnDefinition> = {}): ColumnDefinition => ({ name, type: { kind: 'int' }, ...opts }),
  bigint: (name: string, opts: Partial<ColumnDefinition> = {}): ColumnDefinition => ({ name, type: { kind: 'bigint' }, ...opts }),
  name: (name: string, length: number, opts: Partial<ColumnDefinition> = {}): ColumnDefinition => ({ name, type: { kind: 'name', length }, ...opts }),
  text: (name: string, length: number, opts: Partial<ColumnDefinition> = {}): ColumnDefinition => ({ name, type: { kind: 'text', length }, ...opts }),
  longtext: (name: string, opts: Partial<ColumnDefinition> = {}): ColumnDefinition => ({ name, type: { kind: 'longtext' }, ...opts }),
  bytes: (name: string, length: number, opts: Partial<ColumnDefinition> = {}): ColumnDefinition => ({ name, type: { kind: 'bytes', length }, ...opts }),
  blob: (name: string, length: number, opts: Partial<ColumnDefinition> = {}): ColumnDefinition => ({ name, type: { kind: 'blob', length }, ...opts }),
  chunk: (name: string, opts: Partial<ColumnDefinition> = {}): ColumnDefinition => ({ name, type: { kind: 'chunk' }, ...opts }),
  float: (name: string, opts: Partial<ColumnDefinition> = {}): ColumnDefinition => ({ name, type: { kind: 'float' }, ...opts }),
  double: (name: string, opts: Partial<ColumnDefinition> = {}): ColumnDefinition => ({ name, type: { kind: 'double' }, ...opts }),
  decimal: (name: string, precision: number, scale: number, opts: Partial<ColumnDefinition> = {}): ColumnDefinition => ({
    name,
    type: { kind: 'decimal', precision, scale },
    ...opts,
  }),
  date: (name: string, opts: Partial<ColumnDefinition> = {}): ColumnDefinition => ({ name, type: { kind: 'date' }, ...opts }),
};
