import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import type { Table } from 'apache-arrow';
import { readDuckDBArrowTables } from '../../../src/featurestore/offline/duckdb/duckdb-arrow-result.js';
import { closeOfflineDuckDB, withDuckDBConnection } from '../../../src/featurestore/offline/duckdb/duckdb-instance.js';
import { streamDuckDBRows } from '../../../src/featurestore/offline/duckdb/duckdb-result-rows.js';
import { toArrowTable } from '../../../src/featurestore/records/arrow-table.js';
import { feature } from '../../../src/featurestore/schema/feature.js';

// Every feature type, nulls in every column at different rows, strings inline (≤ 12 bytes) and behind a pointer,
// more rows than one record batch holds, and a part column with rows that belong to no part.
const COLUMNS = [
  ['b', 'boolean', 'i % 3 = 0', 5],
  ['i', 'int', 'CAST(i - 70000 AS INTEGER)', 6],
  ['n', 'bigint', 'CAST(i AS BIGINT) * 1000000007 - 9007199254740993', 7],
  ['f', 'float', 'CAST(i / 7.0 AS FLOAT)', 8],
  ['d', 'double', "CASE WHEN i % 101 = 0 THEN 'NaN'::DOUBLE ELSE i / 3.0 END", 9],
  ['m', 'decimal(12,3)', 'CAST(i / 1000.0 AS DECIMAL(12,3))', 10],
  ['s', 'string', "CASE WHEN i % 2 = 0 THEN 'k' || i ELSE 'a longer string than twelve bytes ' || i || ' åäö' END", 11],
  ['y', 'binary', "CAST('\\x00\\xFF' || i AS BLOB)", 12],
  ['day', 'date', "DATE '1969-12-25' + CAST(i % 4000 AS INTEGER)", 13],
  ['ts', 'timestamp', 'make_timestamp(CAST(i AS BIGINT) * 1000003 - 86400000000)::TIMESTAMPTZ', 14],
  ['v', 'array<double>', '[i, i + 0.5]', 15],
  ['w', 'array<string>', "['x' || i, NULL]", 16],
] as const;
const ROWS = 100_000;
const features = COLUMNS.map(([name, type]) => feature(name, type));
const select = COLUMNS.map(([name, , expression, nullEvery]) => `CASE WHEN i % ${nullEvery} = 1 THEN NULL ELSE ${expression} END AS "${name}"`);
const PART = 'CASE WHEN i % 20 = 9 THEN NULL WHEN i % 20 = 19 THEN 7 WHEN i % 10 = 8 THEN 2 WHEN i % 10 = 7 THEN 1 ELSE 0 END';
const sql = `SELECT ${select.join(', ')}, ${PART} AS part FROM range(${ROWS}) t(i) ORDER BY i`;

/** The row path's table of the same rows: canonical values through toArrowTable. */
async function rowPathTables(): Promise<Table[]> {
  const parts: unknown[][][] = [[], [], []];
  await withDuckDBConnection(async (connection) => {
    for await (const batch of streamDuckDBRows(connection, sql, (e) => e)) {
      for (const row of batch.rows) {
        const part = row[features.length];
        if (part !== null && Number(part) < 3) parts[Number(part)]!.push(row.slice(0, features.length));
      }
    }
  });
  return parts.map((rows) => toArrowTable(features, rows));
}

function assertSameTable(actual: Table, expected: Table): void {
  assert.deepEqual(
    actual.schema.fields.map((f) => `${f.name}:${f.type}:${f.nullable}`),
    expected.schema.fields.map((f) => `${f.name}:${f.type}:${f.nullable}`),
  );
  assert.equal(actual.numRows, expected.numRows);
  for (const { name } of expected.schema.fields) {
    const a = actual.getChild(name)!;
    const e = expected.getChild(name)!;
    assert.equal(a.nullCount, e.nullCount, `${name} null count`);
    for (let r = 0; r < expected.numRows; r++) {
      const av = a.get(r);
      const ev = e.get(r);
      const same = av === ev || (Number.isNaN(av) && Number.isNaN(ev)) || JSON.stringify(av, bigints) === JSON.stringify(ev, bigints);
      if (!same) assert.fail(`${name} row ${r}: ${JSON.stringify(av, bigints)} ≠ ${JSON.stringify(ev, bigints)}`);
    }
  }
}

function bigints(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return `${value}n`;
  if (value instanceof Uint8Array) return Array.from(value);
  if (typeof value === 'object' && value !== null && 'toArray' in value) return Array.from((value as { toArray(): unknown[] }).toArray());
  return value;
}

describe('DuckDB results as Arrow tables, column by column', () => {
  after(closeOfflineDuckDB);

  test('every feature type, nulls, long strings and several record batches equal the row path', async () => {
    const expected = await rowPathTables();
    const actual = await withDuckDBConnection((connection) => readDuckDBArrowTables(connection, sql, { features, partColumn: features.length, parts: 3 }, (e) => e));
    assert.equal(actual.length, 3);
    assert.equal(actual.reduce((n, t) => n + t.numRows, 0), ROWS - ROWS / 10, 'rows of part null and part 7 are dropped');
    assert.ok(actual[0]!.batches.length > 1, 'a part spans several record batches');
    actual.forEach((table, p) => assertSameTable(table, expected[p]!));
  });

  test('without a part column every row is in the one table, in order', async () => {
    const one = [feature('i', 'bigint'), feature('s', 'string')];
    const [table] = await withDuckDBConnection((connection) =>
      readDuckDBArrowTables(connection, "SELECT CAST(i AS BIGINT), CASE WHEN i = 3 THEN NULL ELSE repeat('z', CAST(i % 1000 AS INTEGER)) END FROM range(70000) t(i) ORDER BY i", { features: one, partColumn: null, parts: 1 }, (e) => e),
    );
    assert.equal(table!.numRows, 70_000);
    assert.equal(table!.getChild('i')!.get(69_999), 69_999n);
    assert.equal(table!.getChild('s')!.get(3), null);
    assert.equal(table!.getChild('s')!.get(40).length, 40);
    assert.equal(table!.getChild('s')!.get(66_999).length, 999);
  });

  test('an empty result is an empty table with the columns', async () => {
    const [table] = await withDuckDBConnection((connection) => readDuckDBArrowTables(connection, 'SELECT 1::INTEGER AS i WHERE false', { features: [feature('i', 'int')], partColumn: null, parts: 1 }, (e) => e));
    assert.equal(table!.numRows, 0);
    assert.deepEqual(table!.schema.fields.map((f) => f.name), ['i']);
  });
});
