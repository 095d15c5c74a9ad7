import Database from 'better-sqlite3';
import type { Statement } from 'better-sqlite3';
import type { SqlValue } from '../../engine.js';

/**
 * A read-only SQLite connection for lookups, with its raw-array statements prepared once. WAL lets it read beside
 * the engine's writer; every statement reads the latest committed data, on one snapshot of its own.
 */
export class LookupConnection {
  private readonly db: Database.Database;
  private readonly statements = new Map<number, Statement>();

  constructor(path: string) {
    this.db = new Database(path, { readonly: true, fileMustExist: true });
    this.db.pragma('cache_size = -65536');
  }

  has(id: number): boolean {
    return this.statements.has(id);
  }

  prepare(id: number, sql: string, exactIntegers: boolean): void {
    const statement = this.db.prepare(sql).raw(true);
    if (exactIntegers) statement.safeIntegers(true);
    this.statements.set(id, statement);
  }

  rows(id: number, params: readonly SqlValue[]): SqlValue[][] {
    return this.statements.get(id)!.all(...params) as SqlValue[][];
  }

  close(): void {
    this.db.close();
  }
}
