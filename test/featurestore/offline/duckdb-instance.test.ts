import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { after, test } from 'node:test';
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
  assert.notEqual(await setting('memory_limit'), '953.6 MiB', 'without the variable, DuckDB keeps its default');
});
