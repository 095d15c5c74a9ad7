import type { CommitDetails, FeatureGroup } from '../../sdk/feature-group.js';

/**
 * One commit as JSON: the shape the fg commands print with --json (`insert`, `commits`, `describe`) and the REST API
 * answers with.
 */
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
