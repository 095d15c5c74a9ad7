import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { tableFromIPC, type Table } from 'apache-arrow';

/** The rows of a Parquet file's bytes as DuckDB reads them, with a column's values cast to text where asked. */
export async function parquetRows(bytes: Uint8Array, select = '*'): Promise<Record<string, unknown>[]> {
  const dir = mkdtempSync(join(tmpdir(), 'humle-test-parquet-'));
  const path = join(dir, 'rows.parquet');
  writeFileSync(path, bytes);
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    return (await connection.runAndReadAll(`SELECT ${select} FROM read_parquet('${path}')`)).getRowObjectsJS() as Record<string, unknown>[];
  } finally {
    connection.closeSync();
    instance.closeSync();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Parquet bytes that DuckDB writes from a SELECT: an input made by another writer than Humle's. */
export async function parquetOf(select: string): Promise<Buffer> {
  const dir = mkdtempSync(join(tmpdir(), 'humle-test-parquet-'));
  const path = join(dir, 'input.parquet');
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    await connection.run(`COPY (${select}) TO '${path}' (FORMAT parquet)`);
    return readFileSync(path);
  } finally {
    connection.closeSync();
    instance.closeSync();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** An Arrow IPC answer as an apache-arrow Table. */
export async function arrowTable(response: Response): Promise<Table> {
  return tableFromIPC(new Uint8Array(await response.arrayBuffer()));
}
