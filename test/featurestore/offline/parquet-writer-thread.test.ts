import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parquetWriterThread } from '../../../src/featurestore/offline/parquet/parquet-writer-thread.js';
import { readParquetFiles } from '../../support/parquet-files.js';
import { closeOfflineDuckDB } from '../../../src/featurestore/offline/duckdb/duckdb-instance.js';
import { DeltaDecimalStat } from '../../../src/featurestore/offline/delta/delta-file-stats.js';
import { parseFeatureType } from '../../../src/featurestore/types/feature-type.js';
import type { OfflineColumn } from '../../../src/featurestore/offline/offline-column.js';
import { InvalidArgumentError } from '../../../src/errors/humle-error.js';
import { ParquetFileError } from '../../../src/featurestore/offline/offline-store-errors.js';
import { encodeKey } from '../../../src/featurestore/records/record-key.js';

// Specification: the Parquet writer thread writes, rewrites (copy-on-write, without named records) and merges
// (compaction) data files; what it returns and throws is what the same functions give on the calling thread.

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'humle-parquet-thread-'));
});
after(async () => {
  await parquetWriterThread.close();
  await closeOfflineDuckDB();
  rmSync(dir, { recursive: true, force: true });
});

const col = (name: string, type: string): OfflineColumn => ({ name, type: parseFeatureType(type) });
const columns = [col('id', 'bigint'), col('ts', 'timestamp'), col('price', 'decimal(10,2)'), col('name', 'string'), col('blob', 'binary')];
const rows = [
  [1, 10, '1.50', 'a', Buffer.from([1])],
  [2, 10, '2.25', 'b', null],
  [2, 20, '-3.00', 'c', Buffer.from([2, 3])],
  [3, 30, null, null, Buffer.alloc(0)],
];

describe('parquet writer thread', () => {
  test('writes a file whose rows and statistics (decimals exact) are those written', async () => {
    const path = join(dir, 'write.parquet');
    const result = await parquetWriterThread.write(path, columns, rows);
    assert.equal(result.rowCount, 4);
    assert.deepEqual(result.stats.minValues.price, new DeltaDecimalStat('-3.00'));
    assert.ok(result.stats.maxValues.price instanceof DeltaDecimalStat, 'decimal bounds cross the thread as DeltaDecimalStat');
    assert.deepEqual((await readParquetFiles([path])).rows, rows);
  });

  test('a rewrite leaves out exactly the records named, matched by primary key and event time', async () => {
    const source = join(dir, 'source.parquet');
    await parquetWriterThread.write(source, columns, rows);
    const target = join(dir, 'rewritten.parquet');
    const result = await parquetWriterThread.rewrite(target, source, columns, { keyColumns: [{ column: 'id' }, { column: 'ts' }], keys: [encodeKey([2, 10]), encodeKey([3, 30]), encodeKey([9, 9])] });
    assert.equal(result!.rowCount, 2);
    assert.equal(result!.rowsDropped, 2);
    assert.deepEqual((await readParquetFiles([target])).rows, [rows[0], rows[2]]);

    const none = join(dir, 'nothing-left.parquet');
    const dropAll = rows.map((r) => encodeKey([r[0], r[1]]));
    assert.equal(await parquetWriterThread.rewrite(none, source, columns, { keyColumns: [{ column: 'id' }, { column: 'ts' }], keys: dropAll }), undefined);
    assert.equal(existsSync(none), false, 'a rewrite that keeps nothing writes no file');

    // A key column the file does not store (a partition column) has one value for the whole file.
    const partitioned = join(dir, 'partition-key.parquet');
    const kept = await parquetWriterThread.rewrite(partitioned, source, columns, { keyColumns: [{ value: 'p' }, { column: 'id' }], keys: [encodeKey(['p', 2])] });
    assert.equal(kept!.rowsDropped, 2);
    assert.deepEqual((await readParquetFiles([partitioned])).rows, [rows[0], rows[3]]);
  });

  test('a merge is every row of its files; a column added after a file was written reads as null from it', async () => {
    const older = join(dir, 'older.parquet');
    await parquetWriterThread.write(older, columns.slice(0, 2), [[7, 70]]);
    const newer = join(dir, 'newer.parquet');
    await parquetWriterThread.write(newer, columns, rows.slice(0, 2));
    const merged = join(dir, 'merged.parquet');
    const result = await parquetWriterThread.merge(merged, [older, newer], columns);
    assert.equal(result.rowCount, 3);
    assert.equal(result.stats.nullCount.name, 1);
    const read = (await readParquetFiles([merged])).rows.sort((a, b) => Number(a[0]) - Number(b[0]));
    assert.deepEqual(read, [rows[0], rows[1], [7, 70, null, null, null]]);
  });

  test('errors keep their class and details across the thread', async () => {
    await assert.rejects(
      parquetWriterThread.write(join(dir, 'bad.parquet'), columns, [rows[0]!, [2, 'not a time', null, null, null]]),
      (e: unknown) => e instanceof InvalidArgumentError && e.details.row === 1 && e.details.column === 'ts',
    );
    await assert.rejects(
      parquetWriterThread.merge(join(dir, 'm.parquet'), [join(dir, 'missing.parquet')], columns),
      (e: unknown) => e instanceof ParquetFileError,
    );
  });
});
