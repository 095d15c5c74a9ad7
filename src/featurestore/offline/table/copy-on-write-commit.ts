import { rm } from 'node:fs/promises';
import type { Transaction } from '../../../db/engine.js';
import { HumleError } from '../../../errors/humle-error.js';
import type { FeatureStoreContext } from '../../featurestore-context.js';
import { FeatureGroupRecords, type FeatureGroupRecord } from '../../metadata/feature-group-records.js';
import { OnlineTable, onlineTableName } from '../../online/online-table.js';
import { keyOfRow, recordKeyIndexes } from '../../records/record-key.js';
import type { Feature } from '../../schema/feature.js';
import { addFileAction, commitInfoAction, metadataAction, protocolAction, removeFileAction, type DeltaAction } from '../delta/delta-actions.js';
import { deltaCommitPath, serializeDeltaCommit } from '../delta/delta-log.js';
import { deleteOperationMetrics, mergeOperationMetrics } from '../delta/delta-operation-metrics.js';
import { CommitLog, type CommitRecord } from './commit-log.js';
import { DataFiles } from './data-files.js';
import { PartitionLayout, type PartitionValues } from './partitioning.js';
import { DataFileWriter, MAX_ROWS_PER_FILE, type WrittenFile } from './data-file-writer.js';
import { RecordIndex } from './record-index.js';
import type { ValidationReport } from '../../validation/validate-batch.js';
import { ValidationReports } from '../../validation/validation-reports.js';

/** Another writer committed a version between this commit's plan and its transaction: plan again. */
export class CommitConflict extends Error {}

/** One commit's change to a feature group: records to write (new or replacing) and records to delete. */
export interface TableChange {
  operation: 'upsert' | 'insert' | 'delete';
  features: Feature[];
  /** Canonical rows in feature order, one per record key. */
  rows: unknown[][];
  recordKeys: string[];
  /** Record keys to delete (they must exist; the caller found them in the index). */
  deleteKeys: string[];
  /** Online rows to delete: by primary key (canonical values, key order), only if they hold `eventTime` when given. */
  onlineDeletes: { key: unknown[]; eventTime?: unknown }[];
  /** True when the rows define the schema of a group created without features. */
  schemaInferred: boolean;
  sourceRows: number;
  /** The batch's validation report, recorded with the commit. */
  validationReport: ValidationReport | undefined;
}


/**
 * Makes one commit of an offline table, copy-on-write, and of the online table with it (DESIGN: "Data flow of an
 * insert"). Planning and file writing happen outside the database: the record index names the files holding the
 * records replaced or deleted; new records go to new files and each of those files is rewritten without them. Then
 * one transaction publishes everything: the new files, the Delta commit file, the record index, the online rows
 * (only where newer), the commit row and the new version. If another commit that touched the same records (or the
 * schema) landed since the plan, the transaction refuses (CommitConflict) and the caller plans again.
 */
export class CopyOnWriteCommit {
  private readonly records: FeatureGroupRecords;
  private readonly index: RecordIndex;
  private readonly files = new DataFiles();
  private readonly commits = new CommitLog();
  private readonly writer: DataFileWriter;

  constructor(
    private readonly ctx: FeatureStoreContext,
    /** The table's directory in humle fs. */
    private readonly tableDir: string,
  ) {
    this.records = new FeatureGroupRecords(ctx.engine.dialect);
    this.index = new RecordIndex(ctx.engine.dialect);
    this.writer = new DataFileWriter(ctx, tableDir);
  }

  /**
   * `existing`: the index entries (record key → file id) of the change's record keys and delete keys, as of
   * `record.deltaVersion`. Commits made meanwhile by others do not conflict unless they touched the same records
   * (Delta's optimistic concurrency: appends of other keys commute), so concurrent inserts of different keys
   * prepare their files in parallel and only take turns for their transactions.
   */
  async run(record: FeatureGroupRecord, change: TableChange, existing: ReadonlyMap<string, number>): Promise<{ commit: CommitRecord; record: FeatureGroupRecord }> {
    const base = record.deltaVersion;
    const touchedFileIds = [...new Set(existing.values())];
    const touched = await this.ctx.engine.read((tx) => this.files.byIds(tx, record.id, touchedFileIds));
    // A file the index points at but that is gone was rewritten by a commit after `base`: plan again.
    if (touched.length !== touchedFileIds.length || touched.some((f) => f.removedVersion !== null)) throw new CommitConflict();

    const columns = change.features.map((f) => ({ name: f.name, type: f.type }));
    const staged: string[] = [];
    const created: WrittenFile[] = [];
    try {
      // The batch's new files and the rewrites of the files it replaces records in are written at once: the Parquet
      // writer thread's DuckDB works on them in parallel.
      const layout = new PartitionLayout(change.features, record.partitionKey);
      const slices: { partition: { values: PartitionValues; directory: string }; rows: unknown[][]; keys: string[] }[] = [];
      for (const partition of layout.split(change.rows)) {
        for (let start = 0; start < partition.rows.length; start += MAX_ROWS_PER_FILE) {
          const positions = partition.rows.slice(start, start + MAX_ROWS_PER_FILE);
          slices.push({
            partition,
            rows: layout.partitioned ? positions.map((i) => layout.fileRow(change.rows[i]!)) : positions.map((i) => change.rows[i]!),
            keys: positions.map((i) => change.recordKeys[i]!),
          });
        }
      }
      const batchWrites = slices.map(async (slice) => {
        const file = await this.writer.write(layout.fileColumns, slice.rows, slice.partition, staged);
        created.push(file);
        return { file, keys: slice.keys };
      });
      const keyIndexes = recordKeyIndexes(change.features);
      const dropKeys = [...change.recordKeys, ...change.deleteKeys];
      const rewriteWrites = touched.map(async (from) => {
        const drop = { keyColumns: layout.keyColumnsInFile(keyIndexes, from.partitionValues), keys: dropKeys };
        const to = await this.writer.rewrite(layout.fileColumns, from, drop, staged);
        if (to !== undefined) created.push(to);
        return { from, to, kept: from.rowCount - (to?.rowsDropped ?? from.rowCount) };
      });
      await settleAll([...batchWrites, ...rewriteWrites]);
      const batchFiles = await Promise.all(batchWrites);
      const rewrites = await Promise.all(rewriteWrites);

      const now = Date.now();
      const rowsDeleted = change.deleteKeys.filter((k) => existing.has(k)).length;
      const rowsUpdated = change.recordKeys.filter((k) => existing.has(k)).length;
      const rowsInserted = change.rows.length - rowsUpdated;
      const operation = base === -1 ? 'WRITE' : change.operation === 'delete' ? 'DELETE' : 'MERGE';
      const metrics =
        change.operation === 'delete'
          ? deleteOperationMetrics({ rowsDeleted, rowsCopied: rewrites.reduce((n, r) => n + r.kept, 0), filesAdded: created.length, filesRemoved: rewrites.length })
          : mergeOperationMetrics({
              rowsInserted,
              rowsUpdated,
              rowsDeleted,
              sourceRows: change.sourceRows,
              outputRows: created.reduce((n, f) => n + f.file.rowCount, 0),
              filesAdded: created.length,
              filesRemoved: rewrites.length,
              bytesAdded: created.reduce((n, f) => n + f.file.sizeBytes, 0),
              bytesRemoved: rewrites.reduce((n, r) => n + r.from.sizeBytes, 0),
            });
      const actions: DeltaAction[] = [];
      if (base === -1) {
        actions.push(protocolAction());
        actions.push(
          metadataAction({
            columns,
            partitionColumns: record.partitionKey,
            name: `${record.name}_${record.version}`,
            description: record.description,
            createdTime: record.createdAt,
          }),
        );
      }
      for (const file of created) actions.push({ add: file.add });
      for (const r of rewrites) actions.push(removeFileAction(addFileAction({ path: r.from.path, size: r.from.sizeBytes, modificationTime: 0 }).add, now));
      actions.push(
        commitInfoAction({
          timestamp: now,
          operation,
          operationParameters: { mode: change.operation === 'insert' ? 'Append' : change.operation === 'delete' ? 'Delete' : 'Upsert' },
          operationMetrics: metrics,
          ...(base === -1 ? {} : { readVersion: base }),
        }),
      );
      const commitAt = (version: number): CommitRecord => ({ commitId: version, committedOn: now, operation: change.operation, rowsInserted, rowsUpdated, rowsDeleted });
      const online = record.onlineEnabled
        ? new OnlineTable(this.ctx.engine.dialect, onlineTableName(record.projectId, record.name, record.version), change.features)
        : undefined;
      const onlineRows = online === undefined ? [] : latestPerPrimaryKey(change.features, change.rows);

      // Partition directories exist before the transaction that puts files in them (an empty one left by a failed
      // commit is harmless, and the next commit to the partition uses it).
      for (const directory of new Set(slices.map((slice) => slice.partition.directory))) {
        if (directory !== '') await this.ctx.fs.mkdirs(`${this.tableDir}/${directory}`);
      }
      const committed = await this.ctx.fs.transaction({ files: created.length + 1 }, async (ftx) => {
        const tx = ftx.tx;
        const locked = await this.records.byId(tx, record.id, true);
        if (locked === undefined) throw new CommitConflict();
        if (locked.deltaVersion !== base) await this.checkNoConflict(tx, record, locked, change, existing);
        const version = locked.deltaVersion + 1;
        const commit = commitAt(version);
        for (const f of created) {
          await ftx.createFileFromBlocks(`${this.tableDir}/${f.file.path}`, [f.block]);
          await this.files.add(tx, record.id, { ...f.file, addedVersion: version });
        }
        // A rewritten file's surviving records move with one successor row; the batch's keys point at its own files.
        for (const r of rewrites) {
          await this.files.markRemoved(tx, record.id, r.from.id, version);
          if (r.to !== undefined) await this.index.moveFile(tx, record.id, r.from.id, r.to.file.id);
        }
        for (const b of batchFiles) await this.index.assign(tx, record.id, b.keys, b.file.file.id);
        if (change.deleteKeys.length > 0) await this.index.remove(tx, record.id, change.deleteKeys);
        await ftx.writeFile(`${this.tableDir}/${deltaCommitPath(version)}`, serializeDeltaCommit(actions));
        if (online !== undefined) {
          await online.upsert(tx, onlineRows);
          if (change.onlineDeletes.length > 0) await online.delete(tx, change.onlineDeletes);
        }
        await this.commits.add(tx, record.id, commit);
        if (change.validationReport !== undefined) {
          await new ValidationReports(this.ctx.engine.dialect).save(tx, record.id, { report: change.validationReport, ingestionResult: 'INGESTED', commitId: version });
        }
        await this.records.setDeltaVersion(tx, record.id, version);
        if (change.schemaInferred) {
          await this.records.setFeatures(tx, record.id, change.features);
          await this.records.recordSchema(tx, record.id, version, change.features, now);
        }
        return commit;
      });
      return { commit: committed, record: { ...record, features: change.features, deltaVersion: committed.commitId } };
    } catch (error) {
      await Promise.all(staged.map((path) => rm(path, { force: true })));
      // Blocks of a commit that surely did not happen go now. After any other failure the commit may have happened
      // (a connection lost during COMMIT): the blocks stay, and fsck removes them if nothing refers to them.
      if (error instanceof CommitConflict || error instanceof HumleError) {
        await this.ctx.fs.blockStore.delete(created.map((f) => f.block.blockId)).catch(() => undefined);
      }
      throw error;
    }
  }

  /**
   * Another commit landed after this one was planned. It conflicts, and the plan must be made again, if it could
   * change what this commit wrote or read: the table's first commit (protocol and schema), a schema change, or a
   * record of this commit's keys (a key now in another file, or a key added). Otherwise the two commute, as Delta's
   * blind appends do, and this one takes the next version.
   */
  private async checkNoConflict(tx: Transaction, planned: FeatureGroupRecord, locked: FeatureGroupRecord, change: TableChange, existing: ReadonlyMap<string, number>): Promise<void> {
    if (planned.deltaVersion === -1 || change.schemaInferred || JSON.stringify(locked.features) !== JSON.stringify(change.features)) throw new CommitConflict();
    const keys = [...change.recordKeys, ...change.deleteKeys];
    const now = await this.index.lookup(tx, planned.id, keys);
    if (now.size !== existing.size) throw new CommitConflict();
    for (const [key, file] of now) if (existing.get(key) !== file) throw new CommitConflict();
    const touched = await this.files.byIds(tx, planned.id, [...new Set(existing.values())]);
    if (touched.some((f) => f.removedVersion !== null)) throw new CommitConflict();
  }
}

/**
 * The online store keeps one row per primary key: within a batch, the row with the newest event time (the later
 * row on a tie), the same rule the table's upsert-if-newer applies across batches.
 */
function latestPerPrimaryKey(features: readonly Feature[], rows: readonly unknown[][]): unknown[][] {
  const keyIndexes = features.flatMap((f, i) => (f.primary ? [i] : []));
  const eventTime = features.findIndex((f) => f.eventTime);
  const latest = new Map<string, unknown[]>();
  for (const row of rows) {
    const key = keyOfRow(row, keyIndexes);
    const held = latest.get(key);
    if (held === undefined || eventTime === -1 || compareCanonical(row[eventTime], held[eventTime]) >= 0) latest.set(key, row);
  }
  return latest.size === rows.length ? (rows as unknown[][]) : [...latest.values()];
}

/** Orders two canonical event times (numbers or bigints of the same feature, or 'YYYY-MM-DD' strings). */
function compareCanonical(a: unknown, b: unknown): number {
  return a === b ? 0 : (a as number) < (b as number) ? -1 : 1;
}

/**
 * Waits until every promise has settled, then rejects with the first failure if any: the caller's cleanup then sees
 * every file that was written, not only those finished before the first failure.
 */
async function settleAll(promises: readonly Promise<unknown>[]): Promise<void> {
  const failed = (await Promise.allSettled(promises)).find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed !== undefined) throw failed.reason;
}
