import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { threadId } from 'node:worker_threads';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';

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
 * directory. Its memory limit is DuckDB's default (80 % of RAM) unless HUMLE_DUCKDB_MEMORY_LIMIT sets one ('4GB').
 */
function offlineDuckDBSettings(): Record<string, string> {
  const settings: Record<string, string> = { temp_directory: join(tmpdir(), `humle-duckdb-${process.pid}-${threadId}`) };
  const memoryLimit = process.env.HUMLE_DUCKDB_MEMORY_LIMIT;
  if (memoryLimit !== undefined && memoryLimit !== '') settings.memory_limit = memoryLimit;
  return settings;
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
