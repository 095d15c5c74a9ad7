import { rm } from 'node:fs/promises';
import { HumleError } from '../../../errors/humle-error.js';
import type { FeatureStoreContext } from '../../featurestore-context.js';
import { FeatureGroupRecords, type FeatureGroupRecord } from '../../metadata/feature-group-records.js';
import { commitInfoAction, addFileAction, removeFileAction, type DeltaAction } from '../delta/delta-actions.js';
import { deltaCommitPath, serializeDeltaCommit } from '../delta/delta-log.js';
import { CommitLog, type CommitRecord } from './commit-log.js';
import { CommitConflict } from './copy-on-write-commit.js';
import { DataFileWriter, type WrittenFile } from './data-file-writer.js';
import { DataFiles, type DataFile } from './data-files.js';
import { RecordIndex } from './record-index.js';
import { PartitionLayout } from './partitioning.js';

/**
 * Rows of a compacted file. Copy-on-write rewrites a whole file to change one of its records, so the target is a
 * balance: large enough that a snapshot is not thousands of files, small enough that an upsert touching a file
 * rewrites a bounded amount (an unbounded target made upserts after compaction rewrite a million rows per batch).
 */
export const COMPACTED_FILE_ROWS = 131_072;
/** A file with fewer rows than this is "small": compaction merges small files into files of the target size. */
export const SMALL_FILE_ROWS = COMPACTED_FILE_ROWS / 4;
/** Inserts compact the table by themselves once it has this many small live files. */
export const AUTO_COMPACT_SMALL_FILES = 64;

/**
 * Merges the small data files of the latest version into fewer large ones (Delta's OPTIMIZE): the same rows, so the
 * commit adds and removes files with `dataChange: false`; readers of any version see the same data. Every earlier
 * version keeps its files until vacuum. Returns undefined when there was nothing to merge.
 */
export async function compactTable(ctx: FeatureStoreContext, tableDir: string, record: FeatureGroupRecord): Promise<CommitRecord | undefined> {
  const records = new FeatureGroupRecords(ctx.engine.dialect);
  const index = new RecordIndex(ctx.engine.dialect);
  const files = new DataFiles();
  const commits = new CommitLog();
  const writer = new DataFileWriter(ctx, tableDir);

  const base = record.deltaVersion;
  if (base < 0) return undefined;
  const live = await ctx.engine.read((tx) => files.liveAt(tx, record.id, base));
  // Bins of whole files of one partition, so that each old file's records move to exactly one new file (one index
  // update per file) in the same partition.
  const bins: DataFile[][] = [];
  for (const files of smallFilesByPartition(live)) {
    let bin: DataFile[] = [];
    let rows = 0;
    for (const file of files) {
      if (bin.length > 0 && rows + file.rowCount > COMPACTED_FILE_ROWS) {
        bins.push(bin);
        bin = [];
        rows = 0;
      }
      bin.push(file);
      rows += file.rowCount;
    }
    if (bin.length > 0) bins.push(bin);
  }
  const merging = bins.filter((b) => b.length > 1);
  if (merging.length === 0) return undefined;

  const columns = new PartitionLayout(record.features, record.partitionKey).fileColumns;
  const staged: string[] = [];
  const created: { from: DataFile[]; to: WrittenFile }[] = [];
  try {
    for (const group of merging) {
      created.push({ from: group, to: await writer.merge(columns, group, staged) });
    }
    const now = Date.now();
    const actions: DeltaAction[] = [];
    for (const c of created) actions.push({ add: c.to.add });
    for (const c of created) {
      for (const old of c.from) {
        actions.push(removeFileAction(addFileAction({ path: old.path, size: old.sizeBytes, modificationTime: 0 }).add, now, { dataChange: false }));
      }
    }
    const removedCount = created.reduce((n, c) => n + c.from.length, 0);
    actions.push(
      commitInfoAction({
        timestamp: now,
        operation: 'OPTIMIZE',
        operationParameters: { predicate: [], zOrderBy: [] },
        operationMetrics: {
          numAddedFiles: created.length,
          numRemovedFiles: removedCount,
          numAddedBytes: created.reduce((n, c) => n + c.to.file.sizeBytes, 0),
          numRemovedBytes: created.reduce((n, c) => n + c.from.reduce((m, f) => m + f.sizeBytes, 0), 0),
        },
        readVersion: base,
        isBlindAppend: false,
      }),
    );
    return await ctx.fs.transaction({ files: created.length + 1 }, async (ftx) => {
      const locked = await records.byId(ftx.tx, record.id, true);
      if (locked === undefined) throw new CommitConflict();
      // Commits since the plan conflict only if they changed the schema or rewrote a file being merged (an upsert or
      // delete of its records); appends of new files commute with a compaction, as in Delta.
      if (JSON.stringify(locked.features) !== JSON.stringify(record.features)) throw new CommitConflict();
      if (locked.deltaVersion !== base) {
        const merged = created.flatMap((c) => c.from.map((f) => f.id));
        const current = await files.byIds(ftx.tx, record.id, merged);
        if (current.length !== merged.length || current.some((f) => f.removedVersion !== null)) throw new CommitConflict();
      }
      const version = locked.deltaVersion + 1;
      const commit: CommitRecord = { commitId: version, committedOn: now, operation: 'compact', rowsInserted: 0, rowsUpdated: 0, rowsDeleted: 0 };
      for (const c of created) {
        await ftx.createFileFromBlocks(`${tableDir}/${c.to.file.path}`, [c.to.block]);
        await files.add(ftx.tx, record.id, { ...c.to.file, addedVersion: version });
        for (const old of c.from) {
          await files.markRemoved(ftx.tx, record.id, old.id, version);
          await index.moveFile(ftx.tx, record.id, old.id, c.to.file.id);
        }
      }
      await ftx.writeFile(`${tableDir}/${deltaCommitPath(version)}`, serializeDeltaCommit(actions));
      await commits.add(ftx.tx, record.id, commit);
      await records.setDeltaVersion(ftx.tx, record.id, version);
      return commit;
    });
  } catch (error) {
    await Promise.all(staged.map((path) => rm(path, { force: true })));
    if (error instanceof CommitConflict || error instanceof HumleError) {
      await ctx.fs.blockStore.delete(created.map((c) => c.to.block.blockId)).catch(() => undefined);
    }
    throw error;
  }
}

/** How many small files of the latest version compaction could merge: what decides automatic compaction. */
export async function countSmallFiles(ctx: FeatureStoreContext, record: FeatureGroupRecord): Promise<number> {
  if (record.deltaVersion < 0) return 0;
  const live = await ctx.engine.read((tx) => new DataFiles().liveAt(tx, record.id, record.deltaVersion));
  // Compaction merges within a partition: a partition's only small file has nothing to merge with.
  return smallFilesByPartition(live)
    .filter((files) => files.length > 1)
    .reduce((n, files) => n + files.length, 0);
}

/** The small files among `files`, grouped by partition (compaction never merges across partitions). */
function smallFilesByPartition(files: readonly DataFile[]): DataFile[][] {
  const byPartition = new Map<string, DataFile[]>();
  for (const file of files) {
    if (file.rowCount >= SMALL_FILE_ROWS) continue;
    const partition = JSON.stringify(file.partitionValues);
    const group = byPartition.get(partition);
    if (group === undefined) byPartition.set(partition, [file]);
    else group.push(file);
  }
  return [...byPartition.values()];
}
