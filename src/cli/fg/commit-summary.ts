import type { CommitDetails, FeatureGroup } from '../../featurestore/feature-group.js';

/** One commit as the fg commands print it with --json: the same shape for `insert`, `commits` and `describe`. */
export interface CommitSummary {
  commitId: number;
  /** ISO-8601, UTC. */
  committedOn: string;
  /** `upsert`, `insert`, `delete`, or `ADD COLUMNS`. */
  operation: string;
  rowsInserted: number;
  rowsUpdated: number;
  rowsDeleted: number;
}

export function commitSummary(commit: CommitDetails): CommitSummary {
  return {
    commitId: commit.commitId,
    committedOn: commit.committedOn.toISOString(),
    operation: commit.operation,
    rowsInserted: commit.rowsInserted,
    rowsUpdated: commit.rowsUpdated,
    rowsDeleted: commit.rowsDeleted,
  };
}

/** The newest `limit` commits, newest first. */
export async function commitHistory(fg: FeatureGroup, limit: number): Promise<CommitSummary[]> {
  const details = await fg.commitDetails({ limit });
  // commitDetails is keyed by commit id, and objects list integer keys in ascending order: sort newest first again.
  return Object.entries(details)
    .map(([id, c]) => commitSummary({ commitId: Number(id), ...c }))
    .sort((a, b) => b.commitId - a.commitId);
}

/** `commit 3 (upsert) at 2026-01-01T12:00:00.000Z: 2 rows inserted, 1 updated, 0 deleted`. */
export function commitText(commit: CommitSummary): string {
  return (
    `commit ${commit.commitId} (${commit.operation}) at ${commit.committedOn}: ` +
    `${commit.rowsInserted} rows inserted, ${commit.rowsUpdated} updated, ${commit.rowsDeleted} deleted`
  );
}
