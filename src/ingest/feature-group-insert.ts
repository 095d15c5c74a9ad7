import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { DuplicateRecordError, FeatureGroupNotFoundError, InvalidFeatureDataError, SchemaIncompatibleError } from '../errors/featurestore-errors.js';
import { HumleError, InvalidArgumentError } from '../errors/humle-error.js';
import type { BlockRef } from '../fs/content/content-store.js';
import type { FsTransaction } from '../fs/fs-transaction.js';
import type { FeatureStoreContext } from '../featurestore/featurestore-context.js';
import { readFeatureData, type FeatureData } from '../featurestore/input/read-feature-data.js';
import { FeatureGroupRecords, type FeatureGroupRecord } from '../featurestore/metadata/feature-group-records.js';
import { addFileAction, commitInfoAction, metadataAction, protocolAction, removeFileAction, type DeltaAction, type DeltaAddFile } from '../featurestore/offline/delta/delta-actions.js';
import { deltaCommitPath, serializeDeltaCommit } from '../featurestore/offline/delta/delta-log.js';
import { mergeOperationMetrics } from '../featurestore/offline/delta/delta-operation-metrics.js';
import { readParquetFiles } from '../featurestore/offline/parquet/parquet-file-reader.js';
import { writeParquetFile } from '../featurestore/offline/parquet/parquet-file-writer.js';
import { CommitLog, type CommitRecord } from '../featurestore/offline/table/commit-log.js';
import { DataFiles, type DataFile } from '../featurestore/offline/table/data-files.js';
import { RecordIndex } from '../featurestore/offline/table/record-index.js';
import { OnlineTable, onlineTableDefinition, onlineTableName } from '../featurestore/online/online-table.js';
import { keyOfRow, recordKeyIndexes } from '../featurestore/records/record-key.js';
import type { Feature } from '../featurestore/schema/feature.js';
import { inferFeatures } from '../featurestore/schema/feature-schema.js';
import { validateRows } from '../featurestore/schema/row-validation.js';
import { RECORD_KEY_MAX } from '../featurestore/metadata/featurestore-schema.js';

export type InsertOperation = 'upsert' | 'insert';

/** Rows per data file: a file stays one block and a rewrite touches a bounded amount of data. */
const MAX_ROWS_PER_FILE = 1_000_000;
/** How often a commit is retried when another writer committed to the same feature group first. */
const MAX_COMMIT_ATTEMPTS = 20;

/** Another writer committed a version between this commit's plan and its transaction: plan again. */
class CommitConflict extends Error {}

/** A data file written for a commit: its row, its block, and its Delta `add` action. */
interface WrittenFile {
  file: DataFile;
  block: BlockRef;
  add: DeltaAddFile;
}

/** The rows of one insert, validated: canonical values in feature order, one row per record key. */
interface PreparedRows {
  features: Feature[];
  /** True when this insert is the first into a group created without features: it defines the schema. */
  schemaInferred: boolean;
  rows: unknown[][];
  recordKeys: string[];
  sourceRows: number;
}

/**
 * The embedded write path of a feature group (DESIGN: "Data flow of an insert"): validate the whole input first,
 * write the new Parquet data files to blocks, then one database transaction publishes everything: the files, the
 * Delta commit file, the record index, the online rows (only where newer) and the commit row.
 */
export class FeatureGroupInsert {
  private readonly records: FeatureGroupRecords;
  private readonly index: RecordIndex;
  private readonly files = new DataFiles();
  private readonly commits = new CommitLog();

  constructor(
    private readonly ctx: FeatureStoreContext,
    /** The table's directory in humle fs. */
    private readonly tableDir: string,
  ) {
    this.records = new FeatureGroupRecords(ctx.engine.dialect);
    this.index = new RecordIndex(ctx.engine.dialect);
  }

  async run(record: FeatureGroupRecord, data: FeatureData, operation: InsertOperation): Promise<{ commit: CommitRecord; record: FeatureGroupRecord }> {
    let prepared = await this.prepare(record, data);
    if (prepared.schemaInferred) await this.prepareOnlineTable(record, prepared);
    for (let attempt = 1; ; attempt++) {
      const current = await this.ctx.engine.read((tx) => this.records.byId(tx, record.id));
      if (current === undefined) throw new FeatureGroupNotFoundError(`feature group ${record.name} version ${record.version} was deleted`, { name: record.name });
      if (prepared.schemaInferred && current.features.length > 0) {
        // A concurrent first insert gave the group its schema: these rows fit only if they inferred the same one.
        if (JSON.stringify(current.features) !== JSON.stringify(prepared.features)) {
          throw new SchemaIncompatibleError(`feature group ${record.name} got a different schema from a concurrent insert; insert again`, { name: record.name });
        }
        prepared = { ...prepared, schemaInferred: false };
      }
      try {
        return await this.commit(current, prepared, operation);
      } catch (error) {
        if (!(error instanceof CommitConflict) || attempt >= MAX_COMMIT_ATTEMPTS) throw error;
      }
    }
  }

  /** Reads and validates every batch before anything is written: a bad row anywhere changes nothing. */
  private async prepare(record: FeatureGroupRecord, data: FeatureData): Promise<PreparedRows> {
    let features = record.features;
    const rows: unknown[][] = [];
    let sourceRows = 0;
    for await (const batch of readFeatureData(data)) {
      // The first insert into a group created without features defines its schema; after that, a column the schema
      // lacks is refused (as HSFS does): features are added deliberately, with appendFeatures.
      if (features.length === 0) {
        features = inferFeatures(batch.rows, {
          source: batch.source,
          types: batch.types,
          primaryKey: record.primaryKey,
          eventTime: record.eventTime,
          partitionKey: record.partitionKey,
        });
      }
      const validated = validateRows(features, batch.rows, { source: batch.source, rowOffset: batch.offset });
      for (const row of validated.rows) rows.push(row);
      sourceRows += batch.rows.length;
    }
    if (rows.length === 0) throw new InvalidArgumentError('nothing to insert: the data has no rows', {});
    const keyIndexes = recordKeyIndexes(features);
    // Duplicates within the insert: the later row wins, as a later commit would.
    const byKey = new Map<string, number>();
    const keys: string[] = new Array(rows.length);
    for (let i = 0; i < rows.length; i++) {
      const key = keyOfRow(rows[i]!, keyIndexes);
      if (key.length > RECORD_KEY_MAX) {
        throw InvalidFeatureDataError.at(i, null, `the primary key and event time take ${key.length} characters encoded; at most ${RECORD_KEY_MAX} are allowed`);
      }
      keys[i] = key;
      byKey.set(key, i);
    }
    let unique = rows;
    let recordKeys = keys;
    if (byKey.size < rows.length) {
      const kept = [...byKey.values()].sort((a, b) => a - b);
      unique = kept.map((i) => rows[i]!);
      recordKeys = kept.map((i) => keys[i]!);
    }
    return { features, schemaInferred: features !== record.features, rows: unique, recordKeys, sourceRows };
  }

  /** DDL before the transaction (MySQL commits DDL on its own): the online table of an inferred schema. */
  private async prepareOnlineTable(record: FeatureGroupRecord, prepared: PreparedRows): Promise<void> {
    if (!record.onlineEnabled) return;
    await this.ctx.engine.createTable(onlineTableDefinition(onlineTableName(record.projectId, record.name, record.version), prepared.features));
  }

  private async commit(record: FeatureGroupRecord, prepared: PreparedRows, operation: InsertOperation): Promise<{ commit: CommitRecord; record: FeatureGroupRecord }> {
    const base = record.deltaVersion;
    const version = base + 1;
    const existing = await this.ctx.engine.read((tx) => this.index.lookup(tx, record.id, prepared.recordKeys));
    if (operation === 'insert' && existing.size > 0) {
      const key = prepared.recordKeys.find((k) => existing.has(k))!;
      throw new DuplicateRecordError(`insert refuses records that exist already (use operation 'upsert'): record key ${key}`, { recordKey: key });
    }
    const touchedFileIds = [...new Set(existing.values())];
    const touched = await this.ctx.engine.read((tx) => this.files.byIds(tx, record.id, touchedFileIds));
    // A file the index points at but that is gone was rewritten by a commit after `base`: plan again.
    if (touched.length !== touchedFileIds.length || touched.some((f) => f.removedVersion !== null)) throw new CommitConflict();

    const columns = prepared.features.map((f) => ({ name: f.name, type: f.type }));
    const staged: string[] = [];
    const created: WrittenFile[] = [];
    try {
      // New and updated records go to new files; each touched file is rewritten without the records replaced.
      const batchFiles: { file: WrittenFile; keys: string[] }[] = [];
      for (let start = 0; start < prepared.rows.length; start += MAX_ROWS_PER_FILE) {
        const file = await this.writeDataFile(columns, prepared.rows.slice(start, start + MAX_ROWS_PER_FILE), version, staged);
        created.push(file);
        batchFiles.push({ file, keys: prepared.recordKeys.slice(start, start + MAX_ROWS_PER_FILE) });
      }
      const replaced = new Set(prepared.recordKeys);
      const keyIndexes = recordKeyIndexes(prepared.features);
      const rewrites: { from: DataFile; to: WrittenFile | undefined }[] = [];
      for (const from of touched) {
        const { rows } = await readParquetFiles([this.ctx.fs.blockStore.localPath(from.blockId)!], { columns: columns.map((c) => c.name) });
        const kept = rows.filter((row) => !replaced.has(keyOfRow(row, keyIndexes)));
        const to = kept.length === 0 ? undefined : await this.writeDataFile(columns, kept, version, staged);
        if (to !== undefined) created.push(to);
        rewrites.push({ from, to });
      }

      const now = Date.now();
      const rowsUpdated = existing.size;
      const rowsInserted = prepared.rows.length - rowsUpdated;
      const actions: DeltaAction[] = [];
      if (base === -1) actions.push(protocolAction());
      if (base === -1) {
        actions.push(
          metadataAction({
            columns,
            name: `${record.name}_${record.version}`,
            description: record.description,
            partitionColumns: record.partitionKey,
            createdTime: record.createdAt,
          }),
        );
      }
      for (const file of created) actions.push({ add: file.add });
      for (const r of rewrites) actions.push(removeFileAction(addFileAction({ path: r.from.path, size: r.from.sizeBytes, modificationTime: 0 }).add, now));
      actions.push(
        commitInfoAction({
          timestamp: now,
          operation: base === -1 ? 'WRITE' : 'MERGE',
          operationParameters: { mode: operation === 'insert' ? 'Append' : 'Upsert' },
          operationMetrics: mergeOperationMetrics({
            rowsInserted,
            rowsUpdated,
            rowsDeleted: 0,
            sourceRows: prepared.sourceRows,
            outputRows: created.reduce((n, f) => n + f.file.rowCount, 0),
            filesAdded: created.length,
            filesRemoved: rewrites.length,
            bytesAdded: created.reduce((n, f) => n + f.file.sizeBytes, 0),
            bytesRemoved: rewrites.reduce((n, r) => n + r.from.sizeBytes, 0),
          }),
          ...(base === -1 ? {} : { readVersion: base }),
        }),
      );
      const commit: CommitRecord = { commitId: version, committedOn: now, operation, rowsInserted, rowsUpdated, rowsDeleted: 0 };
      const online = record.onlineEnabled
        ? new OnlineTable(this.ctx.engine.dialect, onlineTableName(record.projectId, record.name, record.version), prepared.features)
        : undefined;
      const onlineRows = online === undefined ? [] : latestPerPrimaryKey(prepared.features, prepared.rows);

      await this.ctx.fs.transaction({ files: created.length + 1 }, async (ftx: FsTransaction) => {
        const tx = ftx.tx;
        const locked = await this.records.byId(tx, record.id, true);
        if (locked === undefined || locked.deltaVersion !== base) throw new CommitConflict();
        for (const f of created) {
          await ftx.createFileFromBlocks(`${this.tableDir}/${f.file.path}`, [f.block]);
          await this.files.add(tx, record.id, f.file);
        }
        // Order matters: a rewritten file's surviving keys move first, then the batch's keys point at its files.
        for (const r of rewrites) {
          await this.files.markRemoved(tx, record.id, r.from.id, version);
          if (r.to !== undefined) await this.index.reassignFile(tx, record.id, r.from.id, r.to.file.id);
        }
        for (const b of batchFiles) await this.index.assign(tx, record.id, b.keys, b.file.file.id);
        await ftx.writeFile(`${this.tableDir}/${deltaCommitPath(version)}`, serializeDeltaCommit(actions));
        if (online !== undefined) await online.upsert(tx, onlineRows);
        await this.commits.add(tx, record.id, commit);
        await this.records.setDeltaVersion(tx, record.id, version);
        if (prepared.schemaInferred) {
          // Another first insert may have inferred a different schema meanwhile: the version check above ruled it out.
          await this.records.setFeatures(tx, record.id, prepared.features);
          await this.records.recordSchema(tx, record.id, version, prepared.features, now);
        }
      });
      return { commit, record: { ...record, features: prepared.features, deltaVersion: version } };
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

  private async writeDataFile(
    columns: { name: string; type: Feature['type'] }[],
    rows: readonly (readonly unknown[])[],
    version: number,
    staged: string[],
  ): Promise<WrittenFile> {
    const stagingPath = this.ctx.fs.stagingPath();
    staged.push(stagingPath);
    const result = await writeParquetFile(stagingPath, columns, rows);
    const block = await this.ctx.fs.importBlock(stagingPath);
    const path = `part-${String(version).padStart(5, '0')}-${randomUUID()}-c000.snappy.parquet`;
    const file: DataFile = {
      id: await this.ctx.dataFileIds.takeOne(),
      path,
      blockId: block.blockId,
      sizeBytes: block.length,
      rowCount: result.rowCount,
      addedVersion: version,
      removedVersion: null,
    };
    // The staged file is a block now; nothing is left at its staging path to clean up.
    staged.splice(staged.indexOf(stagingPath), 1);
    const add = addFileAction({ path, size: block.length, modificationTime: Date.now(), stats: result.stats }).add;
    return { file, block, add };
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
