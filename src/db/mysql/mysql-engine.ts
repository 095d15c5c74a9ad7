import { createPool, type Pool, type PoolConnection } from 'mysql2/promise';
import type { Engine, EngineInfo, Migration, RunResult, SqlValue, TableSize, Transaction, Work } from '../engine.js';
import { StorageError } from '../../errors/humle-error.js';
import { mysqlDialect } from './mysql-dialect.js';
import { applyMigrations } from '../migrations.js';
import type { TableDefinition } from '../schema.js';

export interface MysqlEngineOptions {
  /** `mysql://user:password@host:port/database` */
  url: string;
  /** `ndbcluster` for RonDB / MySQL NDB Cluster; InnoDB (MySQL, MariaDB) by default. */
  tableEngine?: 'InnoDB' | 'ndbcluster';
  /** Connections in the pool: how many units run at once. */
  poolSize?: number;
  /** How often a unit is retried after a deadlock or lock wait timeout. */
  maxRetries?: number;
}

/** Deadlock, lock wait timeout, and NDB's temporary errors: the database asks the client to run the unit again. */
const RETRIABLE_ERRNOS = new Set([1205, 1213, 1297]);

function isRetriable(error: unknown): boolean {
  const e = error as { errno?: number; sqlState?: string };
  return (e.errno !== undefined && RETRIABLE_ERRNOS.has(e.errno)) || e.sqlState === '40001';
}

/**
 * A table's bytes as the server reports them: DATA_LENGTH (InnoDB: the clustered index, rows and primary key;
 * NDB: the rows in the data nodes) and INDEX_LENGTH (the other indexes). RonDB accounts for its memory exactly per
 * table in ndbinfo (`table_memory_usage`, `memory_per_fragment`); this query is the one every MySQL-protocol server
 * answers.
 */
const TABLE_SIZE_SQL =
  'SELECT COALESCE(DATA_LENGTH, 0) AS data_bytes, COALESCE(INDEX_LENGTH, 0) AS index_bytes FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?';

class MysqlTransaction implements Transaction {
  constructor(private readonly connection: PoolConnection) {}

  async all<T extends object>(sql: string, params: readonly SqlValue[] = []): Promise<T[]> {
    // execute(): a server-side prepared statement, cached per connection by SQL text.
    const [rows] = await this.connection.execute(sql, params as SqlValue[]);
    return rows as T[];
  }

  /** The pool reads integers beyond 2^53 as decimal strings (supportBigNumbers), so every read is exact already. */
  async rows(sql: string, params: readonly SqlValue[] = []): Promise<SqlValue[][]> {
    const [rows] = await this.connection.execute({ sql, rowsAsArray: true }, params as SqlValue[]);
    return rows as SqlValue[][];
  }

  async get<T extends object>(sql: string, params: readonly SqlValue[] = []): Promise<T | undefined> {
    const rows = await this.all<T>(sql, params);
    return rows[0];
  }

  async run(sql: string, params: readonly SqlValue[] = []): Promise<RunResult> {
    const [result] = await this.connection.execute(sql, params as SqlValue[]);
    return { changes: (result as { affectedRows: number }).affectedRows };
  }
}

/** DDL cannot be a prepared statement in every server version, so migrations send it as plain text. */
class DdlTransaction extends MysqlTransaction {
  constructor(private readonly conn: PoolConnection) {
    super(conn);
  }

  override async run(sql: string, params: readonly SqlValue[] = []): Promise<RunResult> {
    if (/^\s*CREATE\s/i.test(sql)) {
      await this.conn.query(sql);
      return { changes: 0 };
    }
    return super.run(sql, params);
  }
}

/**
 * The engine for servers that speak the MySQL protocol: RonDB / MySQL NDB Cluster (tables `ENGINE=ndbcluster`),
 * MySQL and MariaDB (InnoDB). Each unit is one transaction on a pooled connection at READ COMMITTED, the isolation
 * HopsFS runs NDB at, with explicit row locks (`SELECT ... FOR UPDATE`) where a unit reads what it then changes.
 * Group commit happens in the server (InnoDB and NDB batch the log flushes of concurrent commits).
 */
export class MysqlEngine implements Engine {
  readonly dialect;
  readonly info: EngineInfo;
  private readonly tableEngine: 'InnoDB' | 'ndbcluster';
  private readonly pool: Pool;
  private readonly maxRetries: number;

  constructor(options: MysqlEngineOptions) {
    this.tableEngine = options.tableEngine ?? 'InnoDB';
    this.dialect = mysqlDialect(this.tableEngine);
    const url = new URL(options.url);
    this.info = { kind: 'mysql', location: `${url.hostname}:${url.port || 3306}${url.pathname}` };
    this.maxRetries = options.maxRetries ?? 20;
    this.pool = createPool({
      uri: options.url,
      connectionLimit: options.poolSize ?? 16,
      charset: 'utf8mb4',
      supportBigNumbers: true,
      bigNumberStrings: false,
      dateStrings: true,
    });
    this.pool.pool.on('connection', (connection) => {
      connection.query('SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED');
      connection.query("SET SESSION sql_mode = 'STRICT_ALL_TABLES,NO_ZERO_DATE,ERROR_FOR_DIVISION_BY_ZERO'");
    });
  }

  read<T>(work: Work<T>): Promise<T> {
    // At READ COMMITTED a read-only transaction gives no snapshot anyway; autocommit saves two round trips a unit.
    return this.unit(work, undefined);
  }

  write<T>(work: Work<T>): Promise<T> {
    return this.unit(work, 'START TRANSACTION');
  }

  /** Runs `work` on a pooled connection, inside a transaction when `begin` is given, retrying database conflicts. */
  private async unit<T>(work: Work<T>, begin: string | undefined): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      const connection = await this.pool.getConnection();
      try {
        if (begin !== undefined) await connection.query(begin);
        const result = await work(new MysqlTransaction(connection));
        if (begin !== undefined) await connection.query('COMMIT');
        return result;
      } catch (error) {
        if (begin !== undefined) await connection.query('ROLLBACK').catch(() => undefined);
        if (isRetriable(error) && attempt < this.maxRetries) {
          // Back off with jitter so the transactions that collided do not collide again at once.
          await new Promise((r) => setTimeout(r, Math.random() * Math.min(100, 2 ** attempt)));
          continue;
        }
        if (isRetriable(error)) throw new StorageError(`transaction kept conflicting after ${attempt} retries`, { cause: String(error) });
        throw error;
      } finally {
        connection.release();
      }
    }
  }

  async migrate(component: string, migrations: readonly Migration[]): Promise<void> {
    const connection = await this.pool.getConnection();
    try {
      // A named lock serializes migrations across processes; DDL commits implicitly, so no transaction here.
      await connection.query('SELECT GET_LOCK(?, 60)', [`humle_migrate_${component}`]);
      try {
        await applyMigrations(new DdlTransaction(connection), this.dialect, component, migrations);
      } finally {
        await connection.query('SELECT RELEASE_LOCK(?)', [`humle_migrate_${component}`]);
      }
    } finally {
      connection.release();
    }
  }

  async createTable(table: TableDefinition): Promise<void> {
    for (const statement of this.dialect.createTable(table)) await this.pool.query(statement);
  }

  async dropTable(name: string): Promise<void> {
    await this.pool.query(this.dialect.dropTable(name));
  }

  async tableSize(name: string): Promise<TableSize> {
    // InnoDB's sizes are statistics, refreshed in the background only after a tenth of the rows changed: ANALYZE TABLE
    // counts the pages each index has reserved now (sizes are counted; only cardinalities are sampled), so the answer
    // follows inserts, in whole 16 KB pages and extents. NDB fills the columns from the data nodes without it.
    // (ANALYZE of a missing table answers an error row rather than failing.)
    if (this.tableEngine === 'InnoDB') await this.pool.query(`ANALYZE TABLE ${this.dialect.quote(name)}`);
    const row = await this.read((tx) => tx.get<{ data_bytes: number | string; index_bytes: number | string }>(TABLE_SIZE_SQL, [name]));
    return { dataBytes: Number(row?.data_bytes ?? 0), indexBytes: Number(row?.index_bytes ?? 0) };
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
