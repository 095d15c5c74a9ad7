import type { CommitSummary } from '../../featurestore/records/commit-summary.js';

/** `commit 3 (upsert) at 2026-01-01T12:00:00.000Z: 2 rows inserted, 1 updated, 0 deleted`. */
export function commitText(commit: CommitSummary): string {
  return (
    `commit ${commit.commitId} (${commit.operation}) at ${commit.committedOn}: ` +
    `${commit.rowsInserted} rows inserted, ${commit.rowsUpdated} updated, ${commit.rowsDeleted} deleted`
  );
}
