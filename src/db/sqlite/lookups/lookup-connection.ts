import Database from 'better-sqlite3';
import type { Statement } from 'better-sqlite3';
import type { SqlValue } from '../../engine.js';

/** Address space each lookup connection maps of the database file (only what the file holds is mapped). */
const MMAP_BYTES = 64 * 2 ** 30;

/**
 * A read-only SQLite connection for lookups, with its raw-array statements prepared once. WAL lets it read beside
 * the engine's writer; every statement reads the latest committed data, on one snapshot of its own.
 */
export class LookupConnection {
  private readonly db: Database.Database;
  private readonly statements = new Map<number, Statement>();

  constructor(path: string) {
    this.db = new Database(path, { readonly: true, fileMustExist: true });
    // Lookups land on random pages of large tables: mapped pages are read in place, with no system call or copy per
    // page, and the OS page cache is shared by every thread's connection instead of each keeping its own.
    this.db.pragma(`mmap_size = ${MMAP_BYTES}`);
    this.db.pragma('cache_size = -65536');
  }

  has(id: number): boolean {
    return this.statements.has(id);
  }

  prepare(id: number, sql: string): void {
    this.statements.set(id, this.db.prepare(sql).raw(true));
  }

  rows(id: number, params: readonly SqlValue[]): SqlValue[][] {
    return this.statements.get(id)!.all(...params) as SqlValue[][];
  }

  close(): void {
    this.db.close();
  }
}
