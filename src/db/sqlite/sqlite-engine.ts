import Database from 'better-sqlite3';
import type { Statement } from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Engine, EngineInfo, Migration, RunResult, SqlValue, TableSize, Transaction, Work } from '../engine.js';
import type { TableDefinition } from '../schema.js';
import { GroupCommitQueue, type BatchConnection } from '../group-commit-queue.js';
import { sqliteDialect } from './sqlite-dialect.js';
import { applyMigrations } from '../migrations.js';
import { WalSync } from './wal-sync.js';
import { BackgroundCheckpointer } from './background-checkpointer.js';

export interface SqliteEngineOptions {
  /** Database file; created with its directory when missing. */
  path: string;
  /** Most units in one group commit. */
  maxBatch?: number;
  /** How long a statement waits for another process's write lock before failing (ms). */
  busyTimeoutMs?: number;
}

/** A connection with a statement cache: SQL text → prepared statement, prepared on first use. */
class SqliteConnection implements Transaction {
  private readonly statements = new Map<string, Statement>();
  private readonly rawStatements = new Map<string, Statement>();
  private readonly exactStatements = new Map<string, Statement>();

  constructor(readonly db: Database.Database) {}

  prepare(sql: string): Statement {
    let statement = this.statements.get(sql);
    if (statement === undefined) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  async rows(sql: string, params: readonly SqlValue[] = [], options: { exactIntegers?: boolean } = {}): Promise<SqlValue[][]> {
    // Safe-integer statements return every INTEGER as a bigint: only callers that hold 64-bit values ask for that.
    const cache = options.exactIntegers ? this.exactStatements : this.rawStatements;
    let statement = cache.get(sql);
    if (statement === undefined) {
      statement = this.db.prepare(sql).raw(true);
      if (options.exactIntegers) statement.safeIntegers(true);
      cache.set(sql, statement);
    }
    return statement.all(...params) as SqlValue[][];
  }

  async all<T extends object>(sql: string, params: readonly SqlValue[] = []): Promise<T[]> {
    return this.prepare(sql).all(...params) as T[];
  }

  async get<T extends object>(sql: string, params: readonly SqlValue[] = []): Promise<T | undefined> {
    return this.prepare(sql).get(...params) as T | undefined;
  }

  async run(sql: string, params: readonly SqlValue[] = []): Promise<RunResult> {
    return { changes: this.prepare(sql).run(...params).changes };
  }
}

function batchConnection(connection: SqliteConnection, beginSql: string, writer?: { walSync: WalSync; checkpointer: BackgroundCheckpointer }): BatchConnection {
  const begin = connection.db.prepare(beginSql);
  const commit = connection.db.prepare('COMMIT');
  const rollback = connection.db.prepare('ROLLBACK');
  const savepoint = connection.db.prepare('SAVEPOINT unit');
  const release = connection.db.prepare('RELEASE unit');
  const rollbackTo = connection.db.prepare('ROLLBACK TO unit');
  return {
    tx: connection,
    begin: () => begin.run(),
    commit: () => commit.run(),
    rollback: () => {
      if (connection.db.inTransaction) rollback.run();
    },
    savepoint: () => savepoint.run(),
    releaseSavepoint: () => release.run(),
    rollbackToSavepoint: () => rollbackTo.run(),
    ...(writer === undefined ? {} : { sync: () => writer.walSync.sync(), afterCommit: () => writer.checkpointer.afterCommit() }),
  };
}

/**
 * The pages of a table's b-trees, from SQLite's `dbstat` virtual table (compiled into better-sqlite3's SQLite): exact
 * page counts times the page size, overflow pages included, free space inside pages too (it is taken all the same).
 * The table's own b-tree is its data; its indexes (the automatic one of a non-integer primary key among them) are the
 * index bytes. `aggregate = 1` gives one row per b-tree, and the join hands dbstat each name, so only the table's
 * own pages are visited.
 */
const TABLE_SIZE_SQL = `SELECT
  COALESCE(SUM(CASE WHEN m.type = 'table' THEN s.pgsize END), 0) AS data_bytes,
  COALESCE(SUM(CASE WHEN m.type = 'index' THEN s.pgsize END), 0) AS index_bytes
FROM sqlite_schema AS m JOIN dbstat AS s ON s.name = m.name AND s.aggregate = 1
WHERE m.tbl_name = ?`;

function openConnection(path: string, busyTimeoutMs: number): Database.Database {
  const db = new Database(path, { timeout: busyTimeoutMs });
  db.pragma('journal_mode = WAL');
  // NORMAL: COMMIT does not wait for the disk. Durability comes from WalSync, which fdatasyncs the WAL off the event
  // loop before a committed unit is acknowledged: what FULL would give, without blocking the thread on the disk.
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('cache_size = -65536');
  return db;
}

/**
 * The embedded engine: one SQLite database file in WAL mode. One writer connection serves all writes through group
 * commit; a second connection serves reads, which WAL lets proceed beside a running write transaction.
 */
export class SqliteEngine implements Engine {
  readonly dialect = sqliteDialect;
  readonly info: EngineInfo;
  private readonly writer: SqliteConnection;
  private readonly reader: SqliteConnection;
  private readonly writes: GroupCommitQueue;
  private readonly reads: GroupCommitQueue;
  private readonly walSync: WalSync;
  private readonly checkpointer: BackgroundCheckpointer;

  constructor(options: SqliteEngineOptions) {
    mkdirSync(dirname(options.path), { recursive: true });
    const busy = options.busyTimeoutMs ?? 10_000;
    this.writer = new SqliteConnection(openConnection(options.path, busy));
    this.reader = new SqliteConnection(openConnection(options.path, busy));
    this.info = { kind: 'sqlite', location: options.path };
    this.walSync = new WalSync(`${options.path}-wal`);
    this.checkpointer = new BackgroundCheckpointer(this.writer.db, options.path);
    this.writes = new GroupCommitQueue(batchConnection(this.writer, 'BEGIN IMMEDIATE', { walSync: this.walSync, checkpointer: this.checkpointer }), options.maxBatch ?? 256);
    this.reads = new GroupCommitQueue(batchConnection(this.reader, 'BEGIN'), options.maxBatch ?? 256, true);
  }

  read<T>(work: Work<T>): Promise<T> {
    return this.reads.submit(work);
  }

  write<T>(work: Work<T>): Promise<T> {
    const failure = this.walSync.failed;
    if (failure !== undefined) return Promise.reject(failure);
    return this.writes.submit(work);
  }

  async migrate(component: string, migrations: readonly Migration[]): Promise<void> {
    // SQLite DDL is transactional: the whole migration run is one unit, so a crash leaves the old schema intact.
    await this.write((tx) => applyMigrations(tx, this.dialect, component, migrations));
  }

  async createTable(table: TableDefinition): Promise<void> {
    await this.write(async (tx) => {
      for (const statement of this.dialect.createTable(table)) await tx.run(statement);
    });
  }

  async dropTable(name: string): Promise<void> {
    await this.write((tx) => tx.run(this.dialect.dropTable(name)));
  }

  async tableSize(name: string): Promise<TableSize> {
    const row = await this.read((tx) => tx.get<{ data_bytes: number; index_bytes: number }>(TABLE_SIZE_SQL, [name]));
    return { dataBytes: Number(row?.data_bytes ?? 0), indexBytes: Number(row?.index_bytes ?? 0) };
  }

  async close(): Promise<void> {
    // Let queued units finish: a write submitted before close() is acknowledged or rejected, never dropped.
    await this.write(async () => undefined).catch(() => undefined);
    await this.checkpointer.close();
    await this.walSync.close();
    this.writer.db.close();
    this.reader.db.close();
  }
}
