import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';

/**
 * The process's one DuckDB, in memory, created on first use. One instance shares its buffer pool and thread pool
 * among all offline reads and writes (DuckDB sizes both to the machine); each operation takes its own connection,
 * so temporary tables and transactions never meet.
 */

let instance: Promise<DuckDBInstance> | null = null;

export function offlineDuckDB(): Promise<DuckDBInstance> {
  if (!instance) {
    const creating = DuckDBInstance.create(':memory:');
    // A failed start is not cached: the next call tries again.
    creating.catch(() => {
      if (instance === creating) instance = null;
    });
    instance = creating;
  }
  return instance;
}

/** Runs `work` on a fresh connection of the process's DuckDB and closes the connection after it. */
export async function withDuckDBConnection<T>(work: (connection: DuckDBConnection) => Promise<T>): Promise<T> {
  const connection = await (await offlineDuckDB()).connect();
  try {
    return await work(connection);
  } finally {
    connection.closeSync();
  }
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
