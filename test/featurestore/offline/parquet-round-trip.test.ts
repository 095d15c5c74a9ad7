import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeParquetFile } from '../../../src/featurestore/offline/parquet/parquet-file-writer.js';
import { readParquetBatches, readParquetFiles } from '../../support/parquet-files.js';
import { closeOfflineDuckDB, withDuckDBConnection } from '../../../src/featurestore/offline/duckdb/duckdb-instance.js';
import { DeltaDecimalStat, serializeDeltaFileStats } from '../../../src/featurestore/offline/delta/delta-file-stats.js';
import { parseFeatureType } from '../../../src/featurestore/types/feature-type.js';
import type { OfflineColumn } from '../../../src/featurestore/offline/offline-column.js';
import { InvalidArgumentError } from '../../../src/errors/humle-error.js';
import { ParquetFileError } from '../../../src/featurestore/offline/offline-store-errors.js';

// Specification: a Parquet data file written from canonical rows reads back as the same canonical rows, for every
// feature type and their edge values, and its Delta statistics describe it.

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'humle-parquet-'));
});
after(async () => {
  await closeOfflineDuckDB();
  rmSync(dir, { recursive: true, force: true });
});

const col = (name: string, type: string): OfflineColumn => ({ name, type: parseFeatureType(type) });

const columns: OfflineColumn[] = [
  col('b', 'boolean'),
  col('i', 'int'),
  col('l', 'bigint'),
  col('f', 'float'),
  col('d', 'double'),
  col('dec_max', 'decimal(38,0)'),
  col('dec_frac', 'decimal(38,38)'),
  col('money', 'decimal(10,2)'),
  col('s', 'string'),
  col('bin', 'binary'),
  col('day', 'date'),
  col('ts', 'timestamp'),
  col('ai', 'array<int>'),
  col('al', 'array<bigint>'),
  col('af', 'array<float>'),
  col('ad', 'array<double>'),
  col('as', 'array<string>'),
];

const NINES_38 = '9'.repeat(38);
const rows: unknown[][] = [
  [true, 2_147_483_647, 2n ** 63n - 1n, 3.4028234663852886e38, Number.MAX_VALUE, NINES_38, `0.${NINES_38}`, '12345678.99',
    'plain', Buffer.from([0, 1, 2, 255]), '9999-12-31', 1_700_000_000_123_456, [1, -2, 2_147_483_647], [2n ** 63n - 1n, 9_007_199_254_740_993n, 1], [1.5, -0.25], [0.1, 1e-300], ['a', 'ß', '🙂']],
  [false, -2_147_483_648, -(2n ** 63n), -1.5, Number.MIN_VALUE, `-${NINES_38}`, `-0.${'0'.repeat(37)}1`, '-0.01',
    'ünïcødé 🙂 "quoted" \'single\' and a longer tail', Buffer.alloc(0), '0001-01-01', -1, [], [-(2n ** 63n)], [], [], ['']],
  [true, 0, 9_007_199_254_740_991, 0, -123.456, '0', `0.${'0'.repeat(38)}`, '0.00',
    '', Buffer.from('bytes'), '1969-12-31', 0, [0], [0], [0], [0], []],
  [null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null],
  [false, 7, -9_007_199_254_740_991, 0.5, 2.5, '1', '0.5', '7', 'x'.repeat(40), Buffer.from([7]), '2024-02-29', 1_000_001, [3], [-9_007_199_254_740_992n], [2], [-1], ['y']],
];

/** What the rows read back as: decimals with all their scale digits; everything else exactly as written. */
const expected: unknown[][] = rows.map((row) => row.map((value, c) => (columns[c]!.name === 'money' && typeof value === 'string' ? moneyText(value) : columns[c]!.name === 'dec_frac' && value === '0.5' ? `0.5${'0'.repeat(37)}` : value)));

function moneyText(value: string): string {
  const [whole, fraction = ''] = value.split('.');
  return `${whole}.${fraction.padEnd(2, '0')}`;
}

describe('parquet files: round trip', () => {
  test('every feature type, edge values and nulls read back as the canonical values written', async () => {
    const path = join(dir, 'all-types.parquet.tmp');
    const written = await writeParquetFile(path, columns, rows);
    assert.equal(written.rowCount, rows.length);
    assert.equal(written.sizeBytes, statSync(path).size);
    assert.ok(written.sizeBytes > 0);

    const read = await readParquetFiles([path]);
    assert.deepEqual(read.columnNames, columns.map((c) => c.name));
    assert.deepEqual(read.rows, expected);
    // The representation, not only the value: safe 64-bit integers are numbers, larger ones bigints.
    assert.equal(typeof read.rows[2]![2], 'number');
    assert.equal(typeof read.rows[0]![2], 'bigint');
    assert.ok(Buffer.isBuffer(read.rows[0]![9]));
  });

  test('the Parquet schema is what Delta readers expect: UTC-adjusted microsecond timestamps, exact decimals, lists', async () => {
    const path = join(dir, 'schema.parquet');
    await writeParquetFile(path, columns, rows.slice(0, 1));
    const schema = await withDuckDBConnection(async (connection) => {
      const result = await connection.runAndReadAll(`SELECT name, type, logical_type, converted_type FROM parquet_schema('${path}')`);
      return result.getRowObjectsJS();
    });
    const byName = new Map(schema.map((r) => [String(r.name), r]));
    assert.match(String(byName.get('ts')!.logical_type), /TimestampType\(isAdjustedToUTC=(1|true), unit=TimeUnit\(MILLIS=<null>, MICROS=MicroSeconds\(\)/);
    assert.equal(byName.get('ts')!.type, 'INT64');
    assert.match(String(byName.get('dec_max')!.logical_type), /DecimalType\(scale=0, precision=38\)/);
    assert.match(String(byName.get('money')!.logical_type), /DecimalType\(scale=2, precision=10\)/);
    assert.equal(byName.get('day')!.converted_type, 'DATE');
    assert.equal(byName.get('ai')!.converted_type, 'LIST');
  });

  test('timestamps cover 0001–9999 to the microsecond: numbers while safe, bigints beyond 2^53', async () => {
    const first = -62_135_596_800_000_000n; // 0001-01-01T00:00:00Z
    const last = 253_402_300_799_999_999n; // 9999-12-31T23:59:59.999999Z
    const values = [first, first + 1n, -9_007_199_254_740_992n, -9_007_199_254_740_991, 9_007_199_254_740_991, 9_007_199_254_740_992n, last];
    const path = join(dir, 'timestamps.parquet');
    const { stats } = await writeParquetFile(path, [col('ts', 'timestamp')], values.map((v) => [v]));
    assert.deepEqual((await readParquetFiles([path])).rows.map((r) => r[0]), values);
    assert.equal(stats.minValues.ts, '0001-01-01T00:00:00.000Z');
    assert.equal(stats.maxValues.ts, undefined, 'rounding the last microsecond of 9999 up would leave four-digit years');
    const { stats: below } = await writeParquetFile(join(dir, 'timestamps-2.parquet'), [col('ts', 'timestamp')], [[last - 999n], [-1_500]]);
    assert.equal(below.maxValues.ts, '9999-12-31T23:59:59.999Z');
    assert.equal(below.minValues.ts, '1969-12-31T23:59:59.998Z');
  });

  test('floats are stored as 32-bit floats', async () => {
    const path = join(dir, 'floats.parquet');
    await writeParquetFile(path, [col('f', 'float'), col('af', 'array<float>')], [[0.1, [0.1, 1 / 3]]]);
    const { rows: read } = await readParquetFiles([path]);
    assert.deepEqual(read, [[Math.fround(0.1), [Math.fround(0.1), Math.fround(1 / 3)]]]);
  });

  test('the file statistics are Delta stats: counts, outward-rounded bounds, no min/max for binary, boolean or arrays', async () => {
    const path = join(dir, 'stats.parquet');
    const { stats } = await writeParquetFile(path, columns, rows);
    assert.equal(stats.numRecords, 5);
    assert.deepEqual(Object.keys(stats.minValues).sort(), ['d', 'day', 'dec_frac', 'dec_max', 'f', 'i', 'l', 'money', 's', 'ts'].sort());
    assert.deepEqual(Object.keys(stats.maxValues).sort(), ['d', 'day', 'dec_frac', 'dec_max', 'f', 'i', 'l', 'money', 'ts'].sort(), 'a string max longer than the prefix is left out');
    assert.equal(stats.minValues.i, -2_147_483_648);
    assert.equal(stats.maxValues.i, 2_147_483_647);
    assert.equal(stats.minValues.l, -(2n ** 63n));
    assert.equal(stats.maxValues.l, 2n ** 63n - 1n);
    assert.deepEqual(stats.minValues.dec_max, new DeltaDecimalStat(`-${NINES_38}`));
    assert.deepEqual(stats.maxValues.money, new DeltaDecimalStat('12345678.99'));
    assert.equal(stats.minValues.s, '');
    assert.equal(stats.minValues.day, '0001-01-01');
    assert.equal(stats.maxValues.day, '9999-12-31');
    // Delta keeps timestamps to the millisecond: the minimum rounds down, the maximum up, so both stay true bounds.
    assert.equal(stats.minValues.ts, '1969-12-31T23:59:59.999Z');
    assert.equal(stats.maxValues.ts, '2023-11-14T22:13:20.124Z');
    assert.deepEqual(stats.nullCount, { b: 1, i: 1, l: 1, f: 1, d: 1, dec_max: 1, dec_frac: 1, money: 1, s: 1, bin: 1, day: 1, ts: 1 });
    assert.match(serializeDeltaFileStats(stats), /"l":-9223372036854775808/);

    const long = await writeParquetFile(join(dir, 'long-strings.parquet'), [col('s', 'string')], [['é'.repeat(40)], ['f'.repeat(33)], [null]]);
    assert.equal(long.stats.minValues.s, 'f'.repeat(32), 'the minimum is cut to a 32-character prefix');
    assert.equal(long.stats.maxValues.s, undefined);
    assert.equal(long.stats.nullCount.s, 1);

    const allNull = await writeParquetFile(join(dir, 'all-null.parquet'), [col('x', 'bigint')], [[null], [null]]);
    assert.deepEqual(allNull.stats, { numRecords: 2, minValues: {}, maxValues: {}, nullCount: { x: 2 } });
  });
});

describe('parquet files: reading', () => {
  test('block files without an extension read like any Parquet file', async () => {
    const path = join(dir, 'blk_1073741825');
    await writeParquetFile(path, [col('id', 'bigint'), col('name', 'string')], [[1, 'a'], [2, 'b']]);
    assert.deepEqual((await readParquetFiles([path])).rows, [[1, 'a'], [2, 'b']]);
  });

  test('several files read as one table; a column missing from older files reads as null', async () => {
    const older = join(dir, 'blk_older');
    const newer = join(dir, 'blk_newer');
    await writeParquetFile(older, [col('id', 'int'), col('a', 'string')], [[1, 'x']]);
    await writeParquetFile(newer, [col('id', 'int'), col('a', 'string'), col('added', 'double')], [[2, 'y', 2.5]]);
    const read = await readParquetFiles([older, newer], { columns: ['id', 'a', 'added'] });
    assert.deepEqual(read.columnNames, ['id', 'a', 'added']);
    assert.deepEqual(read.rows.sort((p, q) => (p[0] as number) - (q[0] as number)), [[1, 'x', null], [2, 'y', 2.5]]);
  });

  test('a projection and a condition select columns and rows', async () => {
    const path = join(dir, 'filter.parquet');
    await writeParquetFile(path, [col('id', 'int'), col('ts', 'timestamp'), col('v', 'string')], Array.from({ length: 10 }, (_, i) => [i, i * 1_000_000, `v${i}`]));
    const read = await readParquetFiles([path], { columns: ['v', 'id'], where: '"ts" >= TIMESTAMPTZ \'1970-01-01 00:00:07+00\'' });
    assert.deepEqual(read.columnNames, ['v', 'id']);
    assert.deepEqual(read.rows, [['v7', 7], ['v8', 8], ['v9', 9]]);
  });

  test('large files stream in batches, in file order; no files read as no rows', async () => {
    const path = join(dir, 'many.parquet');
    const count = 5000;
    await writeParquetFile(path, [col('id', 'bigint'), col('ts', 'timestamp')], Array.from({ length: count }, (_, i) => [i, 1_600_000_000_000_000 + i]));
    const sizes: number[] = [];
    let next = 0;
    for await (const batch of readParquetBatches([path])) {
      sizes.push(batch.rows.length);
      for (const row of batch.rows) {
        assert.deepEqual(row, [next, 1_600_000_000_000_000 + next]);
        next++;
      }
    }
    assert.equal(next, count);
    assert.ok(sizes.length > 1 && sizes.every((s) => s <= 2048), `batches of at most 2048 rows: ${sizes}`);
    assert.deepEqual(await readParquetFiles([], { columns: ['id'] }), { columnNames: ['id'], rows: [] });
  });

  test('concurrent writes each get their own file', async () => {
    const paths = [0, 1, 2, 3].map((i) => join(dir, `concurrent-${i}`));
    await Promise.all(paths.map((p, i) => writeParquetFile(p, [col('n', 'int')], Array.from({ length: 3000 }, () => [i]))));
    for (const [i, p] of paths.entries()) {
      const { rows: read } = await readParquetFiles([p]);
      assert.equal(read.length, 3000);
      assert.ok(read.every((r) => r[0] === i));
    }
  });
});

describe('parquet files: bad input', () => {
  const refused = [
    { type: 'int', value: 1.5 },
    { type: 'int', value: 2 ** 31 },
    { type: 'bigint', value: 2 ** 53 },
    { type: 'bigint', value: 2n ** 63n },
    { type: 'double', value: Number.NaN },
    { type: 'double', value: '1' },
    { type: 'decimal(5,2)', value: '1.234' },
    { type: 'decimal(5,2)', value: '1234.5' },
    { type: 'decimal(5,2)', value: 1.5 },
    { type: 'decimal(5,2)', value: '1e3' },
    { type: 'date', value: '2023-02-29' },
    { type: 'date', value: '2023-1-1' },
    { type: 'timestamp', value: '2023-01-01T00:00:00Z' },
    { type: 'timestamp', value: 1.5 },
    { type: 'binary', value: 'bytes' },
    { type: 'array<int>', value: 5 },
    { type: 'array<bigint>', value: [1, 'x'] },
    { type: 'boolean', value: 1 },
    { type: 'string', value: 5 },
  ];
  for (const { type, value } of refused) {
    test(`a ${type} column refuses ${typeof value} ${typeof value === 'bigint' ? `${value}n` : JSON.stringify(value)}, naming row and column, and writes nothing`, async () => {
      const path = join(dir, `refused-${Math.random().toString(36).slice(2)}`);
      await assert.rejects(
        writeParquetFile(path, [col('ok', 'int'), col('bad', type)], [[1, null], [2, value]]),
        (e: unknown) => e instanceof InvalidArgumentError && e.details.row === 1 && e.details.column === 'bad' && /row 1, column bad/.test(e.message),
      );
      assert.equal(existsSync(path), false);
    });
  }

  test('files that cannot be written or read fail with a typed error', async () => {
    const isFileError = (e: unknown) => e instanceof ParquetFileError && e.code === 'PARQUET_FILE_ERROR';
    await assert.rejects(writeParquetFile(join(dir, 'no-such-dir', 'x.parquet'), [col('a', 'int')], [[1]]), isFileError);
    await assert.rejects(readParquetFiles([join(dir, 'no-such-file')]), isFileError);
    const notParquet = join(dir, 'not-parquet');
    writeFileSync(notParquet, 'this is not a parquet file');
    await assert.rejects(readParquetFiles([notParquet]), isFileError);
  });

  test('rows of the wrong width, no columns, and names equal but for case are refused', async () => {
    const path = join(dir, 'refused-shape');
    await assert.rejects(writeParquetFile(path, [col('a', 'int')], [[1, 2]]), InvalidArgumentError);
    await assert.rejects(writeParquetFile(path, [], []), InvalidArgumentError);
    await assert.rejects(writeParquetFile(path, [col('A', 'int'), col('a', 'int')], [[1, 2]]), InvalidArgumentError);
    assert.equal(existsSync(path), false);
  });
});
