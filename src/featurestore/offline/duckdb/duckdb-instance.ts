import { tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { threadId } from 'node:worker_threads';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { InvalidArgumentError } from '../../../errors/humle-error.js';

/**
 * The process's one DuckDB, in memory, created on first use. One instance shares its buffer pool and thread pool
 * among all offline reads and writes (DuckDB sizes both to the machine); each operation takes its own connection,
 * so temporary tables and transactions never meet.
 */

let instance: Promise<DuckDBInstance> | null = null;

export function offlineDuckDB(): Promise<DuckDBInstance> {
  if (!instance) {
    const creating = DuckDBInstance.create(':memory:', offlineDuckDBSettings());
    // A failed start is not cached: the next call tries again.
    creating.catch(() => {
      if (instance === creating) instance = null;
    });
    instance = creating;
  }
  return instance;
}

/**
 * Where DuckDB spills what does not fit in memory (large sorts and joins of training data): the OS temporary
 * directory, one per thread's instance — DuckDB's default for an in-memory database is `.tmp` in the working
 * directory. Its memory limit: see duckDBMemoryLimit.
 */
function offlineDuckDBSettings(): Record<string, string> {
  return { temp_directory: join(tmpdir(), `humle-duckdb-${process.pid}-${threadId}`), memory_limit: duckDBMemoryLimit() };
}

/**
 * The share of the machine's memory each instance may use unless HUMLE_DUCKDB_MEMORY_LIMIT says otherwise. A process
 * has up to three (the main thread's, the Parquet writer thread's and a server's answer worker's), each with DuckDB's
 * own default of 80 % they could together take more than the machine has; a quarter each stays within 80 % together.
 */
const DEFAULT_MEMORY_SHARE = 0.25;

/** An amount of memory as DuckDB's memory_limit takes it: a number and a unit (4GB, 512MiB, 1.5 GB). */
const MEMORY_AMOUNT = /^\d+(\.\d+)?\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)$/i;

/** Each instance's memory limit: HUMLE_DUCKDB_MEMORY_LIMIT ('4GB') when set, else DEFAULT_MEMORY_SHARE of RAM. */
function duckDBMemoryLimit(): string {
  const given = process.env.HUMLE_DUCKDB_MEMORY_LIMIT?.trim();
  if (given === undefined || given === '') return `${Math.floor((totalmem() * DEFAULT_MEMORY_SHARE) / 2 ** 20)}MiB`;
  if (!MEMORY_AMOUNT.test(given)) {
    throw new InvalidArgumentError(`HUMLE_DUCKDB_MEMORY_LIMIT must be an amount of memory such as 4GB or 512MiB, not ${JSON.stringify(given)}`, { HUMLE_DUCKDB_MEMORY_LIMIT: given });
  }
  return given;
}

let profiledConnections = 0;

/** Runs `work` on a fresh connection of the process's DuckDB and closes the connection after it. */
export async function withDuckDBConnection<T>(work: (connection: DuckDBConnection) => Promise<T>): Promise<T> {
  const connection = await openConnection();
  try {
    return await work(connection);
  } finally {
    connection.closeSync();
  }
}

/**
 * Yields what `work` yields on a fresh connection, which stays open while the caller takes the values (a result
 * streamed to a client) and closes when the caller is done or stops early.
 */
export async function* streamWithDuckDBConnection<T>(work: (connection: DuckDBConnection) => AsyncGenerator<T>): AsyncGenerator<T> {
  const connection = await openConnection();
  try {
    yield* work(connection);
  } finally {
    connection.closeSync();
  }
}

async function openConnection(): Promise<DuckDBConnection> {
  const connection = await (await offlineDuckDB()).connect();
  // Diagnostics: DuckDB's JSON profile (operators, their times and rows) of each connection's last statement.
  const profiles = process.env.HUMLE_DUCKDB_PROFILE;
  if (profiles !== undefined && profiles !== '') {
    const file = join(profiles, `${process.pid}-${threadId}-${++profiledConnections}.json`);
    try {
      await connection.run(`SET enable_profiling = 'json'; SET profiling_output = '${file.replaceAll("'", "''")}'`);
    } catch (error) {
      connection.closeSync();
      throw error;
    }
  }
  return connection;
}

/**
 * Closes the process's DuckDB (tests, shutdown). Call it when no read or write is running; a later use creates a
 * new instance.
 */
export async function closeOfflineDuckDB(): Promise<void> {
  const current = instance;
  instance = null;
  if (!current) return;
  try {
    (await current).closeSync();
  } catch {
    // It never started; there is nothing to close.
  }
}
