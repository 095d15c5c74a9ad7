import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import {
  Binary,
  DateDay,
  Decimal,
  Field,
  Float32,
  Float64,
  Int32,
  Int64,
  List,
  Table,
  TimestampMicrosecond,
  TimestampNanosecond,
  Utf8,
  makeData,
  makeVector,
  vectorFromArray,
} from 'apache-arrow';
import { InvalidFeatureDataError } from '../../src/errors/featurestore-errors.js';
import { InvalidArgumentError } from '../../src/errors/humle-error.js';
import { readFeatureData } from '../../src/featurestore/input/read-feature-data.js';
import type { FeatureDataBatch } from '../../src/featurestore/input/feature-data-batch.js';
import { inferFeatures } from '../../src/featurestore/schema/feature-schema.js';
import { validateRows } from '../../src/featurestore/schema/row-validation.js';
import { formatFeatureType } from '../../src/featurestore/types/feature-type.js';

// Specification of feature data inputs: each format becomes batches of plain rows whose values the coercers read
// exactly, with the source that tells how; files come in bounded batches; bad files are refused by line or row.

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'humle-input-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: string): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

async function readAll(data: Parameters<typeof readFeatureData>[0], batchRows?: number): Promise<FeatureDataBatch[]> {
  const batches: FeatureDataBatch[] = [];
  for await (const batch of readFeatureData(data, { batchRows })) batches.push(batch);
  return batches;
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  assert.fail('expected a rejection');
}

const typeShape = (types: ReadonlyMap<string, unknown> | undefined) => Object.fromEntries([...(types ?? new Map())].map(([k, v]) => [k, formatFeatureType(v as never)]));

describe('arrays of objects', () => {
  test('are one js batch, the array itself', async () => {
    const rows = [{ id: 1 }, { id: 2 }];
    const batches = await readAll(rows);
    assert.equal(batches.length, 1);
    assert.equal(batches[0]!.rows, rows);
    assert.equal(batches[0]!.source, 'js');
    assert.equal(batches[0]!.offset, 0);
  });
});

describe('bad arguments', () => {
  test('a missing file, a directory, an unknown extension or another kind of value are invalid arguments, at once', () => {
    assert.throws(() => readFeatureData(join(dir, 'missing.csv')), (e: unknown) => e instanceof InvalidArgumentError && /no such file/.test(e.message));
    assert.throws(() => readFeatureData(file('data.xlsx', 'x')), (e: unknown) => e instanceof InvalidArgumentError && /must end in \.csv, \.ndjson, \.jsonl or \.parquet/.test(e.message));
    assert.throws(() => readFeatureData(dir + '/.csv'), InvalidArgumentError);
    assert.throws(() => readFeatureData(42 as never), InvalidArgumentError);
    assert.throws(() => readFeatureData({ id: 1 } as never), InvalidArgumentError);
  });
});

describe('CSV', () => {
  test('header row, text values, empty fields null, quoted fields, BOM ignored', async () => {
    const path = file('a.csv', '\uFEFFid,name,score,tags\n1,"Smith, J.",2.5,"[""a"",""b""]"\n2,,,\n');
    const [batch, ...rest] = await readAll(path);
    assert.equal(rest.length, 0);
    assert.equal(batch!.source, 'text');
    assert.deepEqual(batch!.rows, [
      { id: '1', name: 'Smith, J.', score: '2.5', tags: '["a","b"]' },
      { id: '2', name: null, score: null, tags: null },
    ]);
    const features = inferFeatures(batch!.rows, { source: 'text', primaryKey: ['id'] });
    assert.deepEqual(validateRows(features, batch!.rows, { source: 'text' }).rows, [
      [1, 'Smith, J.', 2.5, ['a', 'b']],
      [2, null, null, null],
    ]);
  });
  test('comes in batches with offsets', async () => {
    const path = file('b.csv', 'id\n' + Array.from({ length: 7 }, (_, i) => `${i}\n`).join(''));
    const batches = await readAll(path, 3);
    assert.deepEqual(
      batches.map((b) => [b.offset, b.rows.length]),
      [
        [0, 3],
        [3, 3],
        [6, 1],
      ],
    );
    assert.deepEqual(batches[2]!.rows, [{ id: '6' }]);
  });
  test('a record with the wrong number of fields is refused with its line', async () => {
    const error = await rejection(readAll(file('c.csv', 'id,x\n1,2\n3\n')));
    assert.ok(error instanceof InvalidFeatureDataError, String(error));
    assert.match(error.message, /^line 3: Invalid Record Length/);
    assert.equal(error.details.line, 3);
  });
  test('each row carries the line it starts on: the header is line 1, blank lines and quoted line breaks count', async () => {
    const batches = await readAll(file('lines.csv', 'id,x\n1,a\n\n2,"b\nc"\n3,d\n'), 2);
    assert.deepEqual(batches.map((b) => b.lines), [[2, 4], [6]]);
  });
  test('a header naming a column twice, or an empty file, is refused', async () => {
    assert.ok((await rejection(readAll(file('d.csv', 'id,id\n1,2\n')))) instanceof InvalidArgumentError);
    assert.ok((await rejection(readAll(file('e.csv', '')))) instanceof InvalidArgumentError);
    assert.ok((await rejection(readAll(file('f.csv', 'id,__proto__\n1,\n')))) instanceof InvalidArgumentError);
  });
});

describe('NDJSON', () => {
  test('one object per line, blank lines skipped, .jsonl too', async () => {
    const path = file('a.ndjson', '{"id": 1, "v": [1.5]}\n\n{"id": 2, "v": null}\r\n');
    const batches = await readAll(path);
    assert.equal(batches[0]!.source, 'text');
    assert.deepEqual(batches[0]!.rows, [
      { id: 1, v: [1.5] },
      { id: 2, v: null },
    ]);
    assert.deepEqual((await readAll(file('b.jsonl', '{"a":1}')))[0]!.rows, [{ a: 1 }]);
  });
  test('bad JSON or a line that is not an object is refused naming the line', async () => {
    let error = await rejection(readAll(file('c.ndjson', '{"id": 1}\n\n{"id": 2,}\n')));
    assert.ok(error instanceof InvalidFeatureDataError);
    assert.match(error.message, /^line 3: not valid JSON/);
    assert.equal(error.details.line, 3);
    assert.equal(error.details.row, 1);
    error = await rejection(readAll(file('d.ndjson', '[1,2]\n')));
    assert.ok(error instanceof InvalidFeatureDataError);
    assert.match(error.message, /^line 1: not a JSON object/);
  });
  test('each row carries its line, blank lines counted', async () => {
    const batches = await readAll(file('lines.ndjson', '{"id":1}\n\n{"id":2}\n{"id":3}\n'), 2);
    assert.deepEqual(batches.map((b) => b.lines), [[1, 3], [4]]);
  });
  test('later batches continue the row count', async () => {
    const path = file('e.ndjson', Array.from({ length: 5 }, (_, i) => JSON.stringify({ id: i })).join('\n'));
    const batches = await readAll(path, 2);
    assert.deepEqual(
      batches.map((b) => b.offset),
      [0, 2, 4],
    );
  });
});

describe('Parquet', () => {
  test('is read by DuckDB with exact values and the file types', async () => {
    const path = join(dir, 'a.parquet');
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    await connection.run(`COPY (
      SELECT * FROM (VALUES
        (1::INTEGER, 9007199254740993::BIGINT, 1.5::FLOAT, 2.25::DOUBLE, 12.30::DECIMAL(6,2), 'a', '\\x01\\x02'::BLOB, DATE '2024-02-29',
         TIMESTAMP '2024-01-02 03:04:05.123456', [0.5, 1.5]::DOUBLE[], ['x']::VARCHAR[], true),
        (2, NULL, NULL, NULL, NULL, NULL, NULL, NULL, TIMESTAMP '9999-12-31 23:59:59.999999', NULL, NULL, NULL)
      ) AS t(id, big, f, d, amount, s, b, day, ts, emb, words, ok)
    ) TO '${path}' (FORMAT parquet)`);
    connection.closeSync();
    instance.closeSync();

    const [batch, ...rest] = await readAll(path);
    assert.equal(rest.length, 0);
    assert.equal(batch!.source, 'js');
    assert.deepEqual(typeShape(batch!.types), {
      id: 'int',
      big: 'bigint',
      f: 'float',
      d: 'double',
      amount: 'decimal(6,2)',
      s: 'string',
      b: 'binary',
      day: 'date',
      ts: 'timestamp',
      emb: 'array<double>',
      words: 'array<string>',
      ok: 'boolean',
    });
    const features = inferFeatures(batch!.rows, { source: 'js', types: batch!.types, primaryKey: ['id'], eventTime: 'ts' });
    const { rows } = validateRows(features, batch!.rows, { source: 'js' });
    assert.deepEqual(rows[0], [1, 9007199254740993n, 1.5, 2.25, '12.30', 'a', Buffer.from([1, 2]), '2024-02-29', Date.parse('2024-01-02T03:04:05Z') * 1000 + 123456, [0.5, 1.5], ['x'], true]);
    assert.deepEqual(rows[1], [2, null, null, null, null, null, null, null, 253_402_300_799_999_999n, null, null, null]);
  });
  test('comes in batches; a file that is not Parquet is an invalid argument', async () => {
    const path = join(dir, 'b.parquet');
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    await connection.run(`COPY (SELECT range AS id FROM range(5000)) TO '${path}' (FORMAT parquet)`);
    connection.closeSync();
    instance.closeSync();
    const batches = await readAll(path, 2000);
    assert.deepEqual(
      batches.map((b) => [b.offset, b.rows.length]),
      [
        [0, 2000],
        [2000, 2000],
        [4000, 1000],
      ],
    );
    assert.equal(batches[2]!.rows.at(-1)!.id, 4999n);
    assert.ok((await rejection(readAll(file('c.parquet', 'not parquet')))) instanceof InvalidArgumentError);
  });
});

describe('Arrow tables', () => {
  test('convert to exact JavaScript values, with the table types', async () => {
    const nullBitmap = new Uint8Array([0b01]);
    const table = new Table({
      id: vectorFromArray([1, 2], new Int32()),
      big: makeVector(makeData({ type: new Int64(), data: new BigInt64Array([2n ** 62n, 0n]), nullBitmap, length: 2, nullCount: 1 })),
      f: vectorFromArray([0.5, null], new Float32()),
      amount: makeVector(makeData({ type: new Decimal(2, 10, 128), data: new Uint32Array([1230, 0, 0, 0, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff]), length: 2 })),
      name: vectorFromArray(['a', null], new Utf8()),
      category: vectorFromArray(['x', 'x']),
      bytes: vectorFromArray([new Uint8Array([7]), null], new Binary()),
      day: makeVector(makeData({ type: new DateDay(), data: new Int32Array([19782, -719162]), length: 2 })),
      ts: makeVector(makeData({ type: new TimestampMicrosecond(), data: new BigInt64Array([1_704_164_645_123_456n, 253_402_300_799_999_999n]), length: 2 })),
      emb: vectorFromArray([[0.5, 1], []], new List(new Field('item', new Float64(), true))),
    });
    const [batch] = await readAll(table);
    assert.deepEqual(typeShape(batch!.types), {
      id: 'int',
      big: 'bigint',
      f: 'float',
      amount: 'decimal(10,2)',
      name: 'string',
      category: 'string',
      bytes: 'binary',
      day: 'date',
      ts: 'timestamp',
      emb: 'array<double>',
    });
    const features = inferFeatures(batch!.rows, { source: 'js', types: batch!.types, primaryKey: ['id'], eventTime: 'ts' });
    const { rows } = validateRows(features, batch!.rows, { source: 'js' });
    assert.deepEqual(rows, [
      [1, 2n ** 62n, 0.5, '12.30', 'a', 'x', Buffer.from([7]), '2024-02-29', 1_704_164_645_123_456, [0.5, 1]],
      [2, null, null, '-0.01', null, 'x', null, '0001-01-01', 253_402_300_799_999_999n, []],
    ]);
  });
  test('nanosecond timestamps keep microseconds, and refuse what only nanoseconds hold', async () => {
    const table = new Table({
      id: vectorFromArray([1, 2], new Int32()),
      ts: makeVector(makeData({ type: new TimestampNanosecond(), data: new BigInt64Array([1_000_000_001_000n, 1_000_000_000_001n]), length: 2 })),
    });
    const [batch] = await readAll(table);
    const features = inferFeatures(batch!.rows.slice(0, 1), { source: 'js', types: batch!.types, primaryKey: ['id'] });
    assert.deepEqual(validateRows(features, batch!.rows.slice(0, 1), { source: 'js' }).rows, [[1, 1_000_000_001]]);
    assert.throws(
      () => validateRows(features, batch!.rows, { source: 'js' }),
      (e: unknown) => e instanceof InvalidFeatureDataError && e.details.row === 1 && e.details.column === 'ts' && /more precision than microseconds/.test(e.details.reason),
    );
  });
});
