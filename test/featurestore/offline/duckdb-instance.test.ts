import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { InvalidArgumentError } from '../../../src/errors/humle-error.js';
import { closeOfflineDuckDB, withDuckDBConnection } from '../../../src/featurestore/offline/duckdb/duckdb-instance.js';

after(closeOfflineDuckDB);

async function setting(name: string): Promise<unknown> {
  return withDuckDBConnection(async (connection) => (await connection.runAndReadAll(`SELECT current_setting('${name}')`)).getRows()[0]![0]);
}

test('DuckDB spills to the OS temporary directory, not the working directory, and takes its memory limit from the environment', async () => {
  await closeOfflineDuckDB();
  const before = process.env.HUMLE_DUCKDB_MEMORY_LIMIT;
  process.env.HUMLE_DUCKDB_MEMORY_LIMIT = '1GB';
  try {
    assert.equal(await setting('temp_directory'), `${tmpdir()}/humle-duckdb-${process.pid}-0`);
    assert.match(String(await setting('memory_limit')), /^(1\.0 GB|953\.6 MiB)$/);
  } finally {
    if (before === undefined) delete process.env.HUMLE_DUCKDB_MEMORY_LIMIT;
    else process.env.HUMLE_DUCKDB_MEMORY_LIMIT = before;
    await closeOfflineDuckDB();
  }
  assert.notEqual(await setting('memory_limit'), '953.6 MiB', 'without the variable, the default applies');
});

/** DuckDB's text of a memory amount ('5.8 GiB', '953.6 MiB') in bytes. */
function bytesOf(text: string): number {
  const match = /^([\d.]+) (KiB|MiB|GiB|TiB|KB|MB|GB|TB)$/.exec(text);
  assert.ok(match !== null, text);
  const units: Record<string, number> = { KiB: 2 ** 10, MiB: 2 ** 20, GiB: 2 ** 30, TiB: 2 ** 40, KB: 1e3, MB: 1e6, GB: 1e9, TB: 1e12 };
  return Number(match[1]) * units[match[2]!]!;
}

test('without HUMLE_DUCKDB_MEMORY_LIMIT an instance may use a quarter of the machine (DuckDB alone would take 80 %); a value that is no amount of memory is refused by name', async () => {
  const before = process.env.HUMLE_DUCKDB_MEMORY_LIMIT;
  try {
    delete process.env.HUMLE_DUCKDB_MEMORY_LIMIT;
    await closeOfflineDuckDB();
    const limit = bytesOf(String(await setting('memory_limit')));
    // DuckDB shows it rounded to a tenth of its unit.
    assert.ok(Math.abs(limit - totalmem() / 4) < totalmem() / 100, `${limit} bytes of ${totalmem()}`);

    for (const bad of ['lots', '4 parsecs', '-1GB', '80%']) {
      await closeOfflineDuckDB();
      process.env.HUMLE_DUCKDB_MEMORY_LIMIT = bad;
      await assert.rejects(
        withDuckDBConnection(async () => assert.fail('no connection with a bad limit')),
        (error: Error) => error instanceof InvalidArgumentError && /HUMLE_DUCKDB_MEMORY_LIMIT/.test(error.message),
      );
    }
    process.env.HUMLE_DUCKDB_MEMORY_LIMIT = ' 512MiB ';
    assert.equal(await setting('memory_limit'), '512.0 MiB');
  } finally {
    if (before === undefined) delete process.env.HUMLE_DUCKDB_MEMORY_LIMIT;
    else process.env.HUMLE_DUCKDB_MEMORY_LIMIT = before;
    await closeOfflineDuckDB();
  }
});

test('HUMLE_DUCKDB_PROFILE makes each connection write the JSON profile of its last statement, one file per connection', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'humle-duckdb-profile-'));
  process.env.HUMLE_DUCKDB_PROFILE = dir;
  try {
    await withDuckDBConnection((connection) => connection.run('SELECT sum(i) FROM range(1000) t(i)'));
    await withDuckDBConnection((connection) => connection.run('SELECT i % 7 AS k, count(*) FROM range(5000) t(i) GROUP BY k'));
  } finally {
    delete process.env.HUMLE_DUCKDB_PROFILE;
  }
  const files = readdirSync(dir).sort();
  assert.equal(files.length, 2);
  const names = (node: { operator_name?: string; children?: unknown[] }): string[] => [
    ...(node.operator_name === undefined ? [] : [node.operator_name.trim()]),
    ...((node.children ?? []) as { operator_name?: string }[]).flatMap(names),
  ];
  const profiles = files.map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')));
  assert.ok(profiles.some((p) => names(p).includes('HASH_GROUP_BY')), JSON.stringify(profiles.map(names)));
  assert.ok(profiles.every((p) => names(p).includes('RANGE') || names(p).some((n) => n.includes('TABLE_SCAN'))), JSON.stringify(profiles.map(names)));
  await withDuckDBConnection((connection) => connection.run('SELECT 1'));
  assert.equal(readdirSync(dir).length, 2, 'without the variable nothing is profiled');
  rmSync(dir, { recursive: true });
});
