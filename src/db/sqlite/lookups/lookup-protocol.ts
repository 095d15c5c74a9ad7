import type { SqlValue } from '../../engine.js';
import type { SerializedError } from '../../../errors/error-transport.js';

/** A statement a worker has not seen yet travels once, with the first batch that uses it; later ones name its id. */
export interface StatementDefinition {
  id: number;
  sql: string;
}

export interface LookupBatch {
  statements: StatementDefinition[];
  /** Per lookup: statement id, then its parameters. */
  lookups: { statement: number; params: readonly SqlValue[] }[];
}

/** One reply per lookup, in the batch's order. */
export type LookupReply = { ok: true; rows: SqlValue[][] } | { ok: false; error: SerializedError };

export interface LookupWorkerInit {
  /** The SQLite database file, opened read-only. */
  path: string;
}
