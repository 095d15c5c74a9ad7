import type { Transaction } from '../../../db/engine.js';

/** One commit of a feature group (HSFS commit details); its id is the Delta version it made. */
export interface CommitRecord {
  commitId: number;
  committedOn: number;
  operation: string;
  rowsInserted: number;
  rowsUpdated: number;
  rowsDeleted: number;
}

/** The SQL for `fg_commits`. */
export class CommitLog {
  async add(tx: Transaction, fgId: number, commit: CommitRecord): Promise<void> {
    await tx.run(
      'INSERT INTO fg_commits (fg_id, version, committed_on, operation, rows_inserted, rows_updated, rows_deleted) VALUES (?, ?, ?, ?, ?, ?, ?)',
      [fgId, commit.commitId, commit.committedOn, commit.operation, commit.rowsInserted, commit.rowsUpdated, commit.rowsDeleted],
    );
  }

  /** Newest first. */
  async list(tx: Transaction, fgId: number, limit: number): Promise<CommitRecord[]> {
    const rows = await tx.rows(
      'SELECT version, committed_on, operation, rows_inserted, rows_updated, rows_deleted FROM fg_commits WHERE fg_id = ? ORDER BY version DESC LIMIT ?',
      [fgId, limit],
    );
    return rows.map((r) => ({
      commitId: Number(r[0]),
      committedOn: Number(r[1]),
      operation: r[2] as string,
      rowsInserted: Number(r[3]),
      rowsUpdated: Number(r[4]),
      rowsDeleted: Number(r[5]),
    }));
  }

  async exists(tx: Transaction, fgId: number, version: number): Promise<boolean> {
    return (await tx.get('SELECT version FROM fg_commits WHERE fg_id = ? AND version = ?', [fgId, version])) !== undefined;
  }

  /** The newest version committed at or before `timeMs`, or undefined when the table had no commit yet. */
  async versionAt(tx: Transaction, fgId: number, timeMs: number): Promise<number | undefined> {
    const row = await tx.get<{ v: number | null }>('SELECT MAX(version) AS v FROM fg_commits WHERE fg_id = ? AND committed_on <= ?', [fgId, timeMs]);
    return row?.v === null || row?.v === undefined ? undefined : Number(row.v);
  }
}
