import type { DeltaCommitInfo } from './delta-actions.js';

/**
 * Operation metrics of a commit under the names Spark's Delta writer uses, so that `DESCRIBE HISTORY`, delta-rs's
 * `history()` and Humle's commit details (rows inserted / updated / deleted, as HSFS reports them) read the same
 * numbers. Spark writes every metric as a decimal string; `commitInfoAction` does too.
 */

export interface RowChanges {
  readonly rowsInserted: number;
  readonly rowsUpdated: number;
  readonly rowsDeleted: number;
}

/** Metrics of a 'WRITE' (append or create): every output row is an inserted row. */
export function writeOperationMetrics(written: { files: number; rows: number; bytes: number }): Record<string, number> {
  return { numFiles: written.files, numOutputRows: written.rows, numOutputBytes: written.bytes };
}

/**
 * Metrics of a 'MERGE' (Humle's upsert): rows inserted, updated and deleted in the target, and the files a
 * copy-on-write merge rewrote. `numOutputRows` counts every row of the files it wrote, copied rows included.
 */
export function mergeOperationMetrics(merge: RowChanges & {
  sourceRows: number;
  outputRows: number;
  filesAdded: number;
  filesRemoved: number;
  bytesAdded: number;
  bytesRemoved: number;
}): Record<string, number> {
  return {
    numSourceRows: merge.sourceRows,
    numTargetRowsInserted: merge.rowsInserted,
    numTargetRowsUpdated: merge.rowsUpdated,
    numTargetRowsDeleted: merge.rowsDeleted,
    numTargetRowsCopied: Math.max(0, merge.outputRows - merge.rowsInserted - merge.rowsUpdated),
    numOutputRows: merge.outputRows,
    numTargetFilesAdded: merge.filesAdded,
    numTargetFilesRemoved: merge.filesRemoved,
    numTargetBytesAdded: merge.bytesAdded,
    numTargetBytesRemoved: merge.bytesRemoved,
  };
}

/** Metrics of a 'DELETE' that rewrote files without the deleted rows. */
export function deleteOperationMetrics(deleted: { rowsDeleted: number; rowsCopied: number; filesAdded: number; filesRemoved: number }): Record<string, number> {
  return {
    numDeletedRows: deleted.rowsDeleted,
    numCopiedRows: deleted.rowsCopied,
    numAddedFiles: deleted.filesAdded,
    numRemovedFiles: deleted.filesRemoved,
  };
}

/**
 * The rows a commit inserted, updated and deleted, read from its metrics whatever the operation and whoever wrote
 * it (metrics may be strings, as Spark writes them, or numbers, as delta-rs does). Unknown operations count zero.
 */
export function rowChangesOfCommit(commitInfo: DeltaCommitInfo): RowChanges {
  const metrics = commitInfo.operationMetrics ?? {};
  const metric = (name: string): number => {
    const value = metrics[name];
    const n = typeof value === 'string' ? Number(value) : typeof value === 'number' ? value : 0;
    return Number.isFinite(n) ? n : 0;
  };
  switch (commitInfo.operation) {
    case 'WRITE':
    case 'CREATE TABLE AS SELECT':
    case 'REPLACE TABLE AS SELECT':
    case 'STREAMING UPDATE':
      return { rowsInserted: metric('numOutputRows'), rowsUpdated: 0, rowsDeleted: 0 };
    case 'MERGE':
      return { rowsInserted: metric('numTargetRowsInserted'), rowsUpdated: metric('numTargetRowsUpdated'), rowsDeleted: metric('numTargetRowsDeleted') };
    case 'UPDATE':
      return { rowsInserted: 0, rowsUpdated: metric('numUpdatedRows'), rowsDeleted: 0 };
    case 'DELETE':
      return { rowsInserted: 0, rowsUpdated: 0, rowsDeleted: metric('numDeletedRows') };
    default:
      return { rowsInserted: 0, rowsUpdated: 0, rowsDeleted: 0 };
  }
}
