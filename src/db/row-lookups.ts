import type { Engine, SqlValue } from './engine.js';
import { SqliteLookups } from './sqlite/lookups/sqlite-lookups.js';

/**
 * A constant read-only statement for the lookup hot path, prepared once per connection (the object is its identity).
 * Integers come back as numbers: a statement reads 64-bit columns through `Dialect.exactInteger`.
 */
export interface LookupStatement {
  readonly sql: string;
}

/**
 * Single read-only statements outside units of work, for online serving: each is atomic on its own (one statement
 * reads one snapshot), so a unit's BEGIN/COMMIT and its queue would only add cost. Rows come back as positional
 * arrays. An engine that can answer on the calling thread at once returns the rows directly, not a promise.
 */
export interface RowLookups {
  rows(statement: LookupStatement, params: readonly SqlValue[]): SqlValue[][] | Promise<SqlValue[][]>;
  close(): Promise<void>;
}

export interface RowLookupsOptions {
  /** SQLite: worker threads with their own read-only connections that share the lookups with the calling thread. */
  workers: number;
}

/**
 * SQLite: a read-only connection of this thread and `workers` threads with their own, fed a batch per event-loop
 * turn. MySQL: the engine's pool, whose connections already run statements side by side in the server.
 */
export async function openRowLookups(engine: Engine, options: RowLookupsOptions): Promise<RowLookups> {
  if (engine.info.kind === 'sqlite') return SqliteLookups.open(engine.info.location, options.workers);
  return {
    rows: (statement, params) => engine.read((tx) => tx.rows(statement.sql, params)),
    close: async () => undefined,
  };
}
