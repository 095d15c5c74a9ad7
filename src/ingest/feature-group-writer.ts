import { DuplicateRecordError, FeatureGroupNotFoundError, InvalidFeatureDataError, SchemaIncompatibleError } from '../errors/featurestore-errors.js';
import { InvalidArgumentError } from '../errors/humle-error.js';
import type { FeatureStoreContext } from '../featurestore/featurestore-context.js';
import { readFeatureData, type FeatureData } from '../featurestore/input/read-feature-data.js';
import { RECORD_KEY_MAX } from '../featurestore/metadata/featurestore-schema.js';
import { FeatureGroupRecords, type FeatureGroupRecord } from '../featurestore/metadata/feature-group-records.js';
import { checkPartitionKey } from '../featurestore/offline/table/partitioning.js';
import { CommitConflict, CopyOnWriteCommit, type TableChange } from '../featurestore/offline/table/copy-on-write-commit.js';
import type { CommitRecord } from '../featurestore/offline/table/commit-log.js';
import { RecordIndex } from '../featurestore/offline/table/record-index.js';
import { onlineTableDefinition, onlineTableName } from '../featurestore/online/online-table.js';
import { encodeKey, keyOfRow, recordKeyIndexes } from '../featurestore/records/record-key.js';
import type { Feature } from '../featurestore/schema/feature.js';
import { inferFeatures } from '../featurestore/schema/feature-schema.js';
import { validateRows } from '../featurestore/schema/row-validation.js';
import { coercerFor } from '../featurestore/types/value-coercion.js';
import { parseExpectationSuite } from '../featurestore/validation/expectation-suite.js';
import { validateBatch, type ValidationReport } from '../featurestore/validation/validate-batch.js';
import { ingestionResultOf, validationFailedError } from '../featurestore/validation/validation-policy.js';
import { ValidationReports } from '../featurestore/validation/validation-reports.js';

export type InsertOperation = 'upsert' | 'insert';

/** How often a commit is planned again when another writer committed to the same feature group first. */
const MAX_COMMIT_ATTEMPTS = 20;

/**
 * The embedded write path of a feature group: validates everything first (a bad row anywhere changes nothing),
 * then commits through CopyOnWriteCommit, planning again when a concurrent commit got in first.
 */
export class FeatureGroupWriter {
  private readonly records: FeatureGroupRecords;
  private readonly index: RecordIndex;
  private readonly committer: CopyOnWriteCommit;

  constructor(
    private readonly ctx: FeatureStoreContext,
    tableDir: string,
  ) {
    this.records = new FeatureGroupRecords(ctx.engine.dialect);
    this.index = new RecordIndex(ctx.engine.dialect);
    this.committer = new CopyOnWriteCommit(ctx, tableDir);
  }

  /** Inserts rows as one commit: `upsert` replaces records with the same key, `insert` refuses them. */
  async insert(record: FeatureGroupRecord, data: FeatureData, operation: InsertOperation): Promise<{ commit: CommitRecord; record: FeatureGroupRecord }> {
    let change = await this.prepareRows(record, data, operation);
    if (change.schemaInferred && record.onlineEnabled) {
      // DDL before the transaction: MySQL commits DDL on its own.
      await this.ctx.engine.createTable(onlineTableDefinition(onlineTableName(record.projectId, record.name, record.version), change.features));
    }
    const outcome = await this.commitWithRetries(record, async (current) => {
      if (change.schemaInferred && current.features.length > 0) {
        // A concurrent first insert gave the group its schema: these rows fit only if they inferred the same one.
        if (JSON.stringify(current.features) !== JSON.stringify(change.features)) {
          throw new SchemaIncompatibleError(`feature group ${record.name} got a different schema from a concurrent insert; insert again`, { name: record.name });
        }
        change = { ...change, schemaInferred: false };
      }
      const existing = await this.ctx.engine.read((tx) => this.index.lookup(tx, current.id, change.recordKeys));
      if (operation === 'insert' && existing.size > 0) {
        const key = change.recordKeys.find((k) => existing.has(k))!;
        throw new DuplicateRecordError(`insert refuses records that exist already (use operation 'upsert'): record key ${key}`, { recordKey: key });
      }
      return { change, existing };
    });
    // The plan above always returns a change: only removeRows may find nothing to commit.
    return outcome!;
  }

  /**
   * Deletes records (HSFS `delete_records`): a key with the event time deletes that record; a key of the primary key
   * alone deletes every record of the entity. The online row of a primary key goes when the entity's records all
   * go, or when the record deleted is the one it holds. Keys that match nothing are ignored.
   */
  async removeRows(record: FeatureGroupRecord, keys: readonly Record<string, unknown>[]): Promise<{ commit: CommitRecord; record: FeatureGroupRecord } | undefined> {
    if (!Array.isArray(keys)) throw new InvalidArgumentError('keys must be an array of objects with the primary key features', {});
    if (record.features.length === 0) return undefined;
    const features = record.features;
    const primary = features.filter((f) => f.primary);
    const eventTime = features.find((f) => f.eventTime);
    const coerce = (f: Feature, value: unknown, i: number) => {
      if (value === undefined || value === null) throw InvalidFeatureDataError.at(i, f.name, 'the primary key is missing or null');
      try {
        return coercerFor(f.type, { source: 'js' })(value);
      } catch (reason) {
        throw InvalidFeatureDataError.at(i, f.name, String(reason), value);
      }
    };
    const exact: string[] = [];
    const prefixes: string[] = [];
    const onlineDeletes: TableChange['onlineDeletes'] = [];
    keys.forEach((key, i) => {
      if (typeof key !== 'object' || key === null) throw InvalidFeatureDataError.at(i, null, 'a key must be an object of primary key features');
      const values = primary.map((f) => coerce(f, key[f.name], i));
      if (eventTime !== undefined && key[eventTime.name] !== undefined) {
        const time = coerce(eventTime, key[eventTime.name], i);
        exact.push(encodeKey([...values, time]));
        onlineDeletes.push({ key: values, eventTime: time });
      } else {
        if (eventTime === undefined) exact.push(encodeKey(values));
        else prefixes.push(`${encodeKey(values)},`);
        onlineDeletes.push({ key: values });
      }
    });
    return this.commitWithRetries(record, async (current) => {
      const existing = await this.ctx.engine.read(async (tx) => {
        const found = await this.index.lookup(tx, current.id, exact);
        for (const prefix of prefixes) for (const [k, file] of await this.index.keysWithPrefix(tx, current.id, prefix)) found.set(k, file);
        return found;
      });
      if (existing.size === 0) return undefined;
      const change: TableChange = {
        operation: 'delete',
        features,
        rows: [],
        recordKeys: [],
        deleteKeys: [...existing.keys()],
        onlineDeletes,
        schemaInferred: false,
        sourceRows: keys.length,
        validationReport: undefined,
      };
      return { change, existing };
    });
  }

  /** Plans (with the current metadata) and commits, again from the plan when another commit got in first. */
  private async commitWithRetries(
    record: FeatureGroupRecord,
    plan: (current: FeatureGroupRecord) => Promise<{ change: TableChange; existing: Map<string, number> } | undefined>,
  ): Promise<{ commit: CommitRecord; record: FeatureGroupRecord } | undefined> {
    for (let attempt = 1; ; attempt++) {
      const current = await this.ctx.engine.read((tx) => this.records.byId(tx, record.id));
      if (current === undefined) throw new FeatureGroupNotFoundError(`feature group ${record.name} version ${record.version} was deleted`, { name: record.name });
      const planned = await plan(current);
      if (planned === undefined) return undefined;
      try {
        return await this.committer.run(current, planned.change, planned.existing);
      } catch (error) {
        if (!(error instanceof CommitConflict) || attempt >= MAX_COMMIT_ATTEMPTS) throw error;
      }
    }
  }

  /** Reads and validates every batch before anything is written: a bad row anywhere changes nothing. */
  private async prepareRows(record: FeatureGroupRecord, data: FeatureData, operation: InsertOperation): Promise<TableChange> {
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
        checkPartitionKey(features, record.partitionKey);
      }
      const validated = validateRows(features, batch.rows, { source: batch.source, rowOffset: batch.offset, types: batch.types, lines: batch.lines });
      for (const row of validated.rows) rows.push(row);
      sourceRows += batch.rows.length;
    }
    if (rows.length === 0) throw new InvalidArgumentError('nothing to insert: the data has no rows', {});
    const validationReport = await this.validate(record, features, rows);
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
    return {
      operation,
      features,
      rows: unique,
      recordKeys,
      deleteKeys: [],
      onlineDeletes: [],
      schemaInferred: features !== record.features,
      sourceRows,
      validationReport,
    };
  }

  /**
   * Checks the batch against the group's expectations (before duplicates are resolved, so `unique` sees them). A
   * `strict` group refuses a failing batch, records the report as REJECTED and changes nothing else; otherwise the
   * report is recorded with the commit.
   */
  private async validate(record: FeatureGroupRecord, features: readonly Feature[], rows: readonly unknown[][]): Promise<ValidationReport | undefined> {
    const suite = parseExpectationSuite(record.expectations, features);
    if (!suite.runValidation || suite.expectations.length === 0) return undefined;
    const report = validateBatch(suite.expectations, features, rows);
    if (ingestionResultOf(report, suite.validationIngestionPolicy) === 'REJECTED') {
      await this.ctx.engine.write((tx) => new ValidationReports(this.ctx.engine.dialect).save(tx, record.id, { report, ingestionResult: 'REJECTED', commitId: null }));
      throw validationFailedError(report, record.name);
    }
    return report;
  }
}
