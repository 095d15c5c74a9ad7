import type { Dialect } from './dialect.js';
import type { TableDefinition } from './schema.js';

/** Values that cross the driver boundary. Integers are JS numbers (ids stay below 2^53); feature values beyond 2^53 are bigints. */
export type SqlValue = null | number | bigint | string | Buffer;

export interface RunResult {
  /** Rows inserted, updated or deleted by the statement. */
  changes: number;
}

/**
 * One unit of work's view of the database. Statements are prepared once per engine connection and cached by SQL
 * text, so callers pass constant SQL with `?` placeholders and never splice values into it.
 */
export interface Transaction {
  all<T extends object>(sql: string, params?: readonly SqlValue[]): Promise<T[]>;
  /**
   * Rows as positional arrays in select-list order: no per-row object, for hot paths that read many columns.
   * `exactIntegers`: integers beyond 2^53 come back exact, as bigints (or as decimal strings, by driver), not rounded.
   */
  rows(sql: string, params?: readonly SqlValue[], options?: { exactIntegers?: boolean }): Promise<SqlValue[][]>;
  get<T extends object>(sql: string, params?: readonly SqlValue[]): Promise<T | undefined>;
  run(sql: string, params?: readonly SqlValue[]): Promise<RunResult>;
}

export type Work<T> = (tx: Transaction) => Promise<T>;

export interface Migration {
  version: number;
  name: string;
  tables: TableDefinition[];
  /**
   * Data changes run after the tables are created, in the same unit. On MySQL a crash can cut a migration short
   * after its DDL (which commits on its own), and the migration then runs again: these must be safe to repeat.
   */
  statements?: string[];
}

/**
 * What a table takes in the database, in bytes: `dataBytes` the rows (with the primary key where the engine keeps the
 * rows in it, as InnoDB's clustered index), `indexBytes` every other index.
 */
export interface TableSize {
  dataBytes: number;
  indexBytes: number;
}

export interface EngineInfo {
  kind: 'sqlite' | 'mysql';
  /** Where the data lives: a file path, or host/database for a server. */
  location: string;
}

/**
 * The transactional metadata database behind Humle (HopsFS's DAL plays this role over NDB).
 *
 * `write` units are atomic and isolated; an engine may group several concurrent units into one database
 * transaction (group commit: one durable commit for many small operations), each unit inside its own savepoint so a
 * failing unit rolls back alone. A unit may be run again from the start when the database reports a retriable
 * conflict (deadlock, lock wait timeout), so units must not have side effects outside the database.
 */
export interface Engine {
  readonly dialect: Dialect;
  readonly info: EngineInfo;
  /**
   * A read-only unit. SQLite runs it on one snapshot; the MySQL engine runs it statement by statement at READ
   * COMMITTED, as HopsFS reads NDB, so a unit whose rows must agree (an inode and its chunks) checks that they do.
   */
  read<T>(work: Work<T>): Promise<T>;
  /** An atomic read-write unit of work. */
  write<T>(work: Work<T>): Promise<T>;
  /** Brings the schema to the newest migration of `component`; each migration applies once, in version order. */
  migrate(component: string, migrations: readonly Migration[]): Promise<void>;
  /**
   * Creates a table made at run time (an online feature table), if it does not exist. Not part of any unit: MySQL
   * commits DDL on its own, so callers create the table first and record it in a unit after.
   */
  createTable(table: TableDefinition): Promise<void>;
  dropTable(name: string): Promise<void>;
  /**
   * The bytes a table takes (zero for a table that does not exist), as the engine itself accounts for them: pages on
   * SQLite, InnoDB's page statistics or NDB's memory on MySQL servers. Not part of any unit (MySQL refreshes the
   * statistics with a statement that commits on its own).
   */
  tableSize(name: string): Promise<TableSize>;
  close(): Promise<void>;
}
