import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tableFromArrays, tableToIPC } from 'apache-arrow';
import { InvalidFeatureDataError, InvalidFilterError } from '../../../src/errors/featurestore-errors.js';
import { InvalidArgumentError } from '../../../src/errors/humle-error.js';
import { arrowTableFromIpc } from '../../../src/featurestore/input/arrow-ipc.js';
import { withDuckDBConnection } from '../../../src/featurestore/offline/duckdb/duckdb-instance.js';
import { quoteStringLiteral } from '../../../src/featurestore/offline/duckdb/duckdb-sql-quoting.js';
import { testEngines } from '../../support/engines.js';
import { withHumle } from '../../support/humle-fixture.js';
import { withServer } from '../../support/server-fixture.js';

const notesSpec = {
  name: 'notes',
  version: 1,
  primaryKey: ['id'],
  features: [
    { name: 'id', type: 'bigint' },
    { name: 'text', type: 'string' },
    { name: 'amount', type: 'double' },
    { name: 'count', type: 'int' },
  ],
};

/** A Parquet file of ids and DECIMAL(12,3) amounts and counts, written by DuckDB. */
async function decimalParquet(directory: string, amounts: readonly string[], counts: readonly string[]): Promise<string> {
  const path = join(directory, 'decimals.parquet');
  const values = amounts.map((a, i) => `(${i + 1}::BIGINT, ${a}::DECIMAL(12,3), ${counts[i]}::DECIMAL(12,3))`).join(', ');
  await withDuckDBConnection((c) => c.run(`COPY (SELECT * FROM (VALUES ${values}) t(id, amount, count)) TO ${quoteStringLiteral(path)} (FORMAT parquet)`));
  return path;
}

const arrowStream = () => tableToIPC(tableFromArrays({ id: BigInt64Array.from([1n, 2n]), text: ['a', 'b'] }), 'stream');
const arrowFile = () => tableToIPC(tableFromArrays({ id: BigInt64Array.from([1n, 2n]), text: ['a', 'b'] }), 'file');

describe('Arrow IPC bodies', () => {
  test('a stream or a file is read; garbage, a cut-short body and bytes after the stream or file are refused', () => {
    assert.equal(arrowTableFromIpc(arrowStream()).numRows, 2);
    assert.equal(arrowTableFromIpc(arrowFile()).numRows, 2);
    const refused: [string, Uint8Array][] = [
      ['three bytes of garbage', Buffer.from('xyz')],
      ['zeros', Buffer.alloc(4)],
      ['text', Buffer.from('this is not an arrow stream at all')],
      ['nothing', Buffer.alloc(0)],
      ['a stream with trailing garbage', Buffer.concat([arrowStream(), Buffer.from('GARBAGE!')])],
      ['a file with trailing garbage', Buffer.concat([arrowFile(), Buffer.from('GARBAGE!')])],
      ['a cut-short stream', arrowStream().subarray(0, 100)],
    ];
    for (const [what, bytes] of refused) {
      assert.throws(() => arrowTableFromIpc(bytes), (error: unknown) => error instanceof InvalidArgumentError && /not an Arrow IPC stream or file/.test(error.message), what);
    }
  });
});

for (const kind of testEngines()) {
  describe(`bad input answers a typed error [${kind}]`, () => {
    test('a like pattern ending in the escape character is an invalid filter; an escaped backslash matches a backslash', () =>
      withHumle(kind, async (humle) => {
        const fg = await (await humle.createProject('p')).featureStore().createFeatureGroup(notesSpec);
        await fg.insert([
          { id: 1, text: 'ends in \\', amount: 1, count: 1 },
          { id: 2, text: 'plain', amount: 2, count: 2 },
        ]);
        for (const pattern of ['\\', 'ends in \\', 'a\\\\\\']) {
          assert.throws(() => fg.feature('text').like(pattern), InvalidFilterError, JSON.stringify(pattern));
        }
        assert.deepEqual(await fg.select(['id']).filter(fg.feature('text').like('%\\\\')).read(), [{ id: 1 }]);
      }));

    test('a DECIMAL Parquet column goes into double features as its number and into int features when whole; a fraction into an int is refused naming the decimal type', () =>
      withHumle(kind, async (humle) => {
        const fg = await (await humle.createProject('p')).featureStore().createFeatureGroup(notesSpec);
        const directory = mkdtempSync(join(tmpdir(), 'humle-decimal-'));
        try {
          await fg.insert(await decimalParquet(directory, ['0.0', '0.1', '-12345.678'], ['1.000', '0', '-7']));
          const rows = (await fg.read()).sort((a, b) => Number(a.id) - Number(b.id));
          assert.deepEqual(
            rows.map((r) => [r.id, r.amount, r.count]),
            [
              [1, 0, 1],
              [2, 0.1, 0],
              [3, -12345.678, -7],
            ],
          );
          const commits = Object.keys(await fg.commitDetails()).length;
          await assert.rejects(fg.insert(await decimalParquet(directory, ['1.5'], ['2.500'])), (error: unknown) => {
            assert.ok(error instanceof InvalidFeatureDataError, String(error));
            assert.equal(error.details.column, 'count');
            assert.match(error.message, /decimal\(12,3\) value 2\.500 does not fit the int feature/);
            return true;
          });
          assert.equal(Object.keys(await fg.commitDetails()).length, commits, 'nothing changed');
        } finally {
          rmSync(directory, { recursive: true, force: true });
        }
      }));

    test('over REST: a like pattern ending in \\ is 400 FEATURE_FILTER_INVALID; a garbage or trailing-garbage Arrow body is 400, not "no rows"; a DECIMAL Parquet body fills a double', () =>
      withServer(kind, async (world) => {
        const groups = '/api/v1/projects/alpha/featuregroups';
        const key = world.keys.alice;
        assert.equal((await world.call('POST', groups, { key, json: notesSpec })).status, 201);
        const rowsUrl = `${groups}/notes/1/rows`;
        assert.ok((await world.call('POST', rowsUrl, { key, json: [{ id: 1, text: 'x\\', amount: 1, count: 1 }] })).status < 300);

        const like = await world.call('POST', '/api/v1/projects/alpha/query', {
          key,
          json: { query: { featureGroup: { name: 'notes' }, features: ['id'], filter: { op: 'like', feature: 'text', pattern: 'x\\' } } },
        });
        const likeBody = await like.text();
        assert.equal(like.status, 400, likeBody);
        assert.equal(JSON.parse(likeBody).code, 'FEATURE_FILTER_INVALID');

        const commits = async () => JSON.parse(await (await world.call('GET', `${groups}/notes/1/commits`, { key })).text()).items.length as number;
        const commitsBefore = await commits();
        for (const [what, body, type] of [
          ['garbage', Buffer.from('xyz'), 'application/vnd.apache.arrow.stream'],
          ['a stream with trailing garbage', Buffer.concat([arrowStream(), Buffer.from('GARBAGE!')]), 'application/vnd.apache.arrow.stream'],
          ['a file with trailing garbage', Buffer.concat([arrowFile(), Buffer.from('GARBAGE!')]), 'application/vnd.apache.arrow.file'],
        ] as const) {
          const answer = await world.call('POST', rowsUrl, { key, body, headers: { 'content-type': type } });
          const text = await answer.text();
          assert.equal(answer.status, 400, `${what}: ${text}`);
          assert.equal(JSON.parse(text).code, 'INVALID_ARGUMENT', what);
          assert.match(JSON.parse(text).message, /not an Arrow IPC stream or file/, what);
        }
        assert.equal(await commits(), commitsBefore, 'a refused body commits nothing');

        const directory = mkdtempSync(join(tmpdir(), 'humle-decimal-'));
        try {
          const parquet = readFileSync(await decimalParquet(directory, ['0.0', '2.25'], ['3', '4.000']));
          const inserted = await world.call('POST', rowsUrl, { key, body: parquet, headers: { 'content-type': 'application/vnd.apache.parquet' } });
          assert.ok(inserted.status < 300, await inserted.text());
        } finally {
          rmSync(directory, { recursive: true, force: true });
        }
        const read = JSON.parse(await (await world.call('GET', rowsUrl, { key })).text());
        const items = read.rows as { id: number; amount: number; count: number }[];
        assert.deepEqual(
          items.map((r) => [r.id, r.amount, r.count]).sort((a, b) => a[0]! - b[0]!),
          [
            [1, 0, 3],
            [2, 2.25, 4],
          ],
        );
      }));
  });
}
