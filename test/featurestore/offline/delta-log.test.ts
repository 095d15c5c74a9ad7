import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  addFileAction,
  commitInfoAction,
  decodeDeltaPath,
  encodeDeltaPath,
  metadataAction,
  protocolAction,
  removeFileAction,
  transactionAction,
  type DeltaAction,
  type DeltaAddFile,
} from '../../../src/featurestore/offline/delta/delta-actions.js';
import {
  applyDeltaCommits,
  deltaCommitFileName,
  deltaCommitPath,
  deltaCommitTimestamp,
  parseDeltaCommit,
  parseDeltaCommitFileName,
  replayDeltaLog,
  serializeDeltaCommit,
  versionAsOfTimestamp,
  type DeltaCommit,
} from '../../../src/featurestore/offline/delta/delta-log.js';
import { DeltaDecimalStat, parseDeltaFileStats, serializeDeltaFileStats } from '../../../src/featurestore/offline/delta/delta-file-stats.js';
import { mergeOperationMetrics, rowChangesOfCommit, writeOperationMetrics } from '../../../src/featurestore/offline/delta/delta-operation-metrics.js';
import { columnsFromDeltaSchema, deltaSchemaFromColumns } from '../../../src/featurestore/offline/delta/delta-schema.js';
import { DeltaLogCorruptError, DeltaProtocolUnsupportedError, DeltaSchemaUnsupportedError } from '../../../src/featurestore/offline/offline-store-errors.js';
import { InvalidArgumentError } from '../../../src/errors/humle-error.js';
import { parseFeatureType } from '../../../src/featurestore/types/feature-type.js';

// Specification: the Delta transaction log as Humle writes and replays it. Commit files are named by their
// zero-padded version, hold one JSON action per line, and a snapshot is the replay of every commit up to a version.

const columns = [
  { name: 'id', type: parseFeatureType('bigint') },
  { name: 'event_time', type: parseFeatureType('timestamp') },
  { name: 'amount', type: parseFeatureType('decimal(12,2)') },
];

function add(path: string, rows = 10): { add: DeltaAddFile } {
  return addFileAction({ path, size: 1000 + rows, modificationTime: 1_700_000_000_000, stats: { numRecords: rows, minValues: {}, maxValues: {}, nullCount: {} } });
}

function commit(version: number, timestamp: number, ...actions: DeltaAction[]): DeltaCommit {
  return { version, actions: [commitInfoAction({ timestamp, operation: 'WRITE' }), ...actions] };
}

describe('delta log: commit files', () => {
  test('a commit file is named by its version, zero-padded to 20 digits, under _delta_log', () => {
    assert.equal(deltaCommitFileName(0), '00000000000000000000.json');
    assert.equal(deltaCommitFileName(7), '00000000000000000007.json');
    assert.equal(deltaCommitFileName(123_456_789_012), '00000000123456789012.json');
    assert.equal(deltaCommitPath(42), '_delta_log/00000000000000000042.json');
    assert.equal(parseDeltaCommitFileName('00000000000000000042.json'), 42);
    for (const other of ['00000000000000000010.checkpoint.parquet', '_last_checkpoint', '42.json', '00000000000000000042.json.tmp', '00000000000000000001.crc']) {
      assert.equal(parseDeltaCommitFileName(other), null, other);
    }
    assert.throws(() => deltaCommitFileName(-1), InvalidArgumentError);
    assert.throws(() => deltaCommitFileName(1.5), InvalidArgumentError);
  });

  test('a commit serializes to one JSON action per line and parses back to the same actions', () => {
    const actions: DeltaAction[] = [
      commitInfoAction({ timestamp: 1_700_000_000_123, operation: 'WRITE', operationParameters: { mode: 'Append', partitionBy: [] }, operationMetrics: writeOperationMetrics({ files: 1, rows: 10, bytes: 1010 }) }),
      protocolAction(),
      metadataAction({ columns, id: 'b0b1b2b3-0000-4000-8000-000000000000', createdTime: 1_700_000_000_000 }),
      add('part-00000-a.snappy.parquet'),
      transactionAction('ingest-job', 3),
    ];
    const bytes = serializeDeltaCommit(actions);
    const lines = bytes.toString('utf8').split('\n');
    assert.equal(lines.length, actions.length + 1, 'each action on its own line, each line ended');
    assert.equal(lines.at(-1), '');
    for (const line of lines.slice(0, -1)) assert.equal(Object.keys(JSON.parse(line)).length, 1);
    assert.deepEqual(parseDeltaCommit(bytes, 0), JSON.parse(JSON.stringify(actions)));
  });

  test('the builders write the fields Delta requires, with Spark-style string metrics and parameters', () => {
    const [info] = parseDeltaCommit(serializeDeltaCommit([
      commitInfoAction({ timestamp: 5, operation: 'MERGE', operationParameters: { predicate: 'id = id' }, operationMetrics: mergeOperationMetrics({
        rowsInserted: 2, rowsUpdated: 3, rowsDeleted: 0, sourceRows: 5, outputRows: 13, filesAdded: 1, filesRemoved: 1, bytesAdded: 900, bytesRemoved: 800,
      }), readVersion: 4 }),
    ]));
    assert.ok(info && 'commitInfo' in info);
    assert.equal(info.commitInfo.operation, 'MERGE');
    assert.equal(info.commitInfo.readVersion, 4);
    assert.equal(info.commitInfo.engineInfo, 'Humle');
    assert.equal(info.commitInfo.operationMetrics!.numTargetRowsUpdated, '3');
    assert.equal(info.commitInfo.operationMetrics!.numTargetRowsCopied, '8');
    assert.deepEqual(rowChangesOfCommit(info.commitInfo), { rowsInserted: 2, rowsUpdated: 3, rowsDeleted: 0 });
    assert.deepEqual(rowChangesOfCommit({ operation: 'WRITE', operationMetrics: { numOutputRows: 7 } }), { rowsInserted: 7, rowsUpdated: 0, rowsDeleted: 0 });

    const { metaData } = metadataAction({ columns });
    assert.match(metaData.id, /^[0-9a-f-]{36}$/);
    assert.deepEqual(metaData.format, { provider: 'parquet', options: {} });
    assert.deepEqual(metaData.partitionColumns, []);
    assert.deepEqual(metaData.configuration, {});
    assert.deepEqual(protocolAction(), { protocol: { minReaderVersion: 1, minWriterVersion: 2 } });

    const file = add('part-1.parquet').add;
    const { remove } = removeFileAction(file, 99);
    assert.deepEqual(remove, { path: 'part-1.parquet', deletionTimestamp: 99, dataChange: true, extendedFileMetadata: true, partitionValues: {}, size: file.size, stats: file.stats });
  });

  test('file statistics keep 64-bit integers and 38-digit decimals exact', () => {
    const text = serializeDeltaFileStats({
      numRecords: 3,
      minValues: { id: -(2n ** 63n), amount: new DeltaDecimalStat('-99999999999999999999999999.999999999999'), name: 'a"b', day: '2024-02-29' },
      maxValues: { id: 2n ** 63n - 1n, amount: new DeltaDecimalStat('0.10'), name: 'z' },
      nullCount: { id: 0, amount: 1, name: 2 },
    });
    assert.equal(
      text,
      '{"numRecords":3,"minValues":{"id":-9223372036854775808,"amount":-99999999999999999999999999.999999999999,"name":"a\\"b","day":"2024-02-29"},' +
        '"maxValues":{"id":9223372036854775807,"amount":0.10,"name":"z"},"nullCount":{"id":0,"amount":1,"name":2}}',
    );
    const parsed = parseDeltaFileStats(text);
    assert.equal(parsed.numRecords, 3);
    assert.deepEqual(parsed.nullCount, { id: 0, amount: 1, name: 2 });
    assert.throws(() => parseDeltaFileStats('{"minValues":{}}'), DeltaLogCorruptError);
  });

  test('data file paths are relative URI references', () => {
    assert.equal(encodeDeltaPath('part-00000-x.snappy.parquet'), 'part-00000-x.snappy.parquet');
    assert.equal(encodeDeltaPath('date=2024-01-01/part 0#1%.parquet'), 'date=2024-01-01/part%200%231%25.parquet');
    assert.equal(decodeDeltaPath('date=2024-01-01/part%200%231%25.parquet'), 'date=2024-01-01/part 0#1%.parquet');
    assert.throws(() => encodeDeltaPath('/abs/file.parquet'), InvalidArgumentError);
    assert.throws(() => encodeDeltaPath('s3://bucket/file.parquet'), InvalidArgumentError);
  });

  test('parsing skips action kinds a version-1 reader does not use, and refuses what is not a log', () => {
    const text = [
      '{"commitInfo":{"timestamp":1,"operation":"WRITE","someEngineField":{"x":1}}}',
      '{"cdc":{"path":"_change_data/c.parquet","partitionValues":{},"size":1,"dataChange":false}}',
      '',
      '{"add":{"path":"a.parquet","partitionValues":{},"size":1,"modificationTime":1,"dataChange":true,"futureField":true}}',
    ].join('\n');
    const actions = parseDeltaCommit(text, 3);
    assert.equal(actions.length, 2);
    assert.deepEqual((actions[0] as unknown as { commitInfo: Record<string, unknown> }).commitInfo.someEngineField, { x: 1 }, 'unknown fields are kept');
    assert.equal((actions[1] as unknown as { add: Record<string, unknown> }).add.futureField, true);

    for (const bad of ['{"add":', '[1,2]', '{"add":{"path":"a"},"remove":{"path":"b"}}', '{"add":{"path":"a.parquet"}}', '{"protocol":{"minReaderVersion":"1"}}', '{"metaData":{"id":"x"}}']) {
      assert.throws(() => parseDeltaCommit(bad, 3), (e: unknown) => e instanceof DeltaLogCorruptError && e.code === 'DELTA_LOG_CORRUPT' && e.details.version === 3, bad);
    }
  });
});

describe('delta log: replay', () => {
  const v0 = commit(0, 1000, protocolAction(), metadataAction({ columns, id: 'table-1' }), add('a.parquet'), add('b.parquet'));
  const v1 = commit(1, 2000, removeFileAction(add('a.parquet').add, 2000), add('c.parquet', 20), transactionAction('job', 1));
  const v2 = commit(2, 3000, add('d.parquet'), transactionAction('job', 2));
  const v3 = commit(3, 4000, removeFileAction(add('d.parquet').add, 4000), removeFileAction(add('b.parquet').add, 4000), add('b.parquet', 5));

  test('each version is the replay of the commits up to it: adds join, removes leave and stay as tombstones', () => {
    const s0 = replayDeltaLog([v0]);
    assert.equal(s0.version, 0);
    assert.equal(s0.timestamp, 1000);
    assert.deepEqual([...s0.files.keys()].sort(), ['a.parquet', 'b.parquet']);
    assert.deepEqual(s0.protocol, { minReaderVersion: 1, minWriterVersion: 2 });
    assert.equal(s0.metadata.id, 'table-1');
    assert.deepEqual(columnsFromDeltaSchema(s0.metadata.schemaString), columns);
    assert.equal(s0.tombstones.size, 0);

    const s1 = replayDeltaLog([v0, v1]);
    assert.deepEqual([...s1.files.keys()].sort(), ['b.parquet', 'c.parquet']);
    assert.deepEqual([...s1.tombstones.keys()], ['a.parquet']);
    assert.equal(s1.appTransactions.get('job'), 1);
    assert.equal(s1.commitInfo?.timestamp, 2000);

    const s3 = replayDeltaLog([v0, v1, v2, v3]);
    assert.equal(s3.version, 3);
    assert.deepEqual([...s3.files.keys()].sort(), ['b.parquet', 'c.parquet'], 'a file removed and re-added in one commit is live');
    assert.equal(parseDeltaFileStats(s3.files.get('b.parquet')!.stats!).numRecords, 5, 'the newest add of a path wins');
    assert.deepEqual([...s3.tombstones.keys()].sort(), ['a.parquet', 'd.parquet']);
    assert.equal(s3.appTransactions.get('job'), 2);
    assert.equal(s3.metadata.id, 'table-1', 'metadata carries over from the commit that set it');
  });

  test('applying later commits to a snapshot equals replaying the whole log, and leaves the snapshot as it was', () => {
    const s1 = replayDeltaLog([v0, v1]);
    const s3 = applyDeltaCommits(s1, [v2, v3]);
    const full = replayDeltaLog([v0, v1, v2, v3]);
    assert.deepEqual(s3, full);
    assert.deepEqual([...s1.files.keys()].sort(), ['b.parquet', 'c.parquet']);
    assert.equal(applyDeltaCommits(s1, []), s1);
  });

  test('a log with a gap, no start, no metadata or no protocol is refused as corrupt', () => {
    const code = (e: unknown) => e instanceof DeltaLogCorruptError && e.code === 'DELTA_LOG_CORRUPT';
    assert.throws(() => replayDeltaLog([v0, v2]), code);
    assert.throws(() => replayDeltaLog([v1, v2]), code);
    assert.throws(() => replayDeltaLog([]), code);
    assert.throws(() => replayDeltaLog([commit(0, 1, protocolAction(), add('a.parquet'))]), code);
    assert.throws(() => replayDeltaLog([commit(0, 1, metadataAction({ columns }), add('a.parquet'))]), code);
    assert.throws(() => applyDeltaCommits(replayDeltaLog([v0]), [v2]), code);
    assert.throws(() => replayDeltaLog([{ version: 0, actions: [protocolAction(), metadataAction({ columns })] }]), code, 'no commit time at all');
  });

  test('tables that need reader features Humle lacks are refused, not misread', () => {
    const code = (e: unknown) => e instanceof DeltaProtocolUnsupportedError && e.code === 'DELTA_PROTOCOL_UNSUPPORTED';
    const meta = metadataAction({ columns });
    assert.throws(() => replayDeltaLog([commit(0, 1, protocolAction({ minReaderVersion: 2, minWriterVersion: 5 }), meta)]), code);
    assert.throws(() => replayDeltaLog([commit(0, 1, protocolAction({ minReaderVersion: 3, minWriterVersion: 7, readerFeatures: ['deletionVectors'], writerFeatures: ['deletionVectors'] }), meta)]), code);
    const withDv = { add: { ...add('a.parquet').add, deletionVector: { storageType: 'u', pathOrInlineDv: 'x', sizeInBytes: 1, cardinality: 1 } } } as DeltaAction;
    assert.throws(() => replayDeltaLog([commit(0, 1, protocolAction(), meta, withDv)]), code);
    assert.equal(replayDeltaLog([commit(0, 1, protocolAction({ minReaderVersion: 3, minWriterVersion: 7, readerFeatures: [], writerFeatures: ['appendOnly'] }), meta)]).version, 0);
  });

  test('a commit time is its in-commit timestamp, else commitInfo.timestamp, else the file time', () => {
    assert.equal(deltaCommitTimestamp({ version: 0, actions: [{ commitInfo: { timestamp: 5, inCommitTimestamp: 7 } }] }), 7);
    assert.equal(deltaCommitTimestamp({ version: 0, actions: [{ commitInfo: { timestamp: 5 } }], fileModificationTime: 9 }), 5);
    assert.equal(deltaCommitTimestamp({ version: 0, actions: [add('a.parquet')], fileModificationTime: 9 }), 9);
    assert.throws(() => deltaCommitTimestamp({ version: 4, actions: [add('a.parquet')] }), DeltaLogCorruptError);
  });

  test('version as of a time: the latest commit at or before it, null before the first', () => {
    const times = [
      { version: 0, timestamp: 1000 },
      { version: 1, timestamp: 2000 },
      { version: 2, timestamp: 3000 },
    ];
    assert.equal(versionAsOfTimestamp(times, 999), null);
    assert.equal(versionAsOfTimestamp(times, 1000), 0);
    assert.equal(versionAsOfTimestamp(times, 1999), 0);
    assert.equal(versionAsOfTimestamp(times, 2000), 1);
    assert.equal(versionAsOfTimestamp(times, 10_000), 2);
    assert.equal(versionAsOfTimestamp([...times].reverse(), 2500), 1, 'order of the input does not matter');
    // A clock that stepped back: version 2 committed after version 1, so it counts as later than it, never earlier.
    const skewed = [
      { version: 0, timestamp: 1000 },
      { version: 1, timestamp: 5000 },
      { version: 2, timestamp: 4000 },
    ];
    assert.equal(versionAsOfTimestamp(skewed, 4500), 0);
    assert.equal(versionAsOfTimestamp(skewed, 5000), 1);
    assert.equal(versionAsOfTimestamp(skewed, 5001), 2);
    assert.equal(versionAsOfTimestamp([], 5), null);
  });
});

describe('delta log: schema', () => {
  test('every feature type maps to a Delta type and back', () => {
    const all = ['boolean', 'int', 'bigint', 'float', 'double', 'decimal(38,10)', 'decimal(5,0)', 'string', 'binary', 'date', 'timestamp',
      'array<int>', 'array<bigint>', 'array<float>', 'array<double>', 'array<string>'].map((t, i) => ({ name: `c${i}`, type: parseFeatureType(t) }));
    const schema = deltaSchemaFromColumns(all);
    assert.deepEqual(schema.fields.map((f) => f.type), [
      'boolean', 'integer', 'long', 'float', 'double', 'decimal(38,10)', 'decimal(5,0)', 'string', 'binary', 'date', 'timestamp',
      { type: 'array', elementType: 'integer', containsNull: true },
      { type: 'array', elementType: 'long', containsNull: true },
      { type: 'array', elementType: 'float', containsNull: true },
      { type: 'array', elementType: 'double', containsNull: true },
      { type: 'array', elementType: 'string', containsNull: true },
    ]);
    assert.ok(schema.fields.every((f) => f.nullable === true && Object.keys(f.metadata).length === 0));
    assert.deepEqual(columnsFromDeltaSchema(JSON.stringify(schema)), all);
  });

  test('Delta types without a feature type, and names equal but for case, are refused', () => {
    for (const type of ['short', 'byte', 'timestamp_ntz', 'void', { type: 'struct', fields: [] }, { type: 'map', keyType: 'string', valueType: 'string', valueContainsNull: true }, { type: 'array', elementType: 'date', containsNull: true }, 'decimal(39,2)']) {
      const schema = JSON.stringify({ type: 'struct', fields: [{ name: 'x', type, nullable: true, metadata: {} }] });
      assert.throws(() => columnsFromDeltaSchema(schema), (e: unknown) => e instanceof DeltaSchemaUnsupportedError && e.details.column === 'x', JSON.stringify(type));
    }
    assert.throws(() => columnsFromDeltaSchema('not json'), DeltaSchemaUnsupportedError);
    assert.throws(() => deltaSchemaFromColumns([{ name: 'Id', type: { kind: 'int' } }, { name: 'id', type: { kind: 'int' } }]), InvalidArgumentError);
    assert.throws(() => metadataAction({ columns, partitionColumns: ['nope'] }), InvalidArgumentError);
  });
});
