import type { DuckDBConnection } from '@duckdb/node-api';
import { mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { BlockRef } from '../../fs/content/content-store.js';
import type { FeatureStoreContext } from '../featurestore-context.js';
import { duckDBColumnType } from '../offline/duckdb/duckdb-column-type.js';
import { quoteIdentifier, quoteStringLiteral } from '../offline/duckdb/duckdb-sql-quoting.js';
import type { Feature } from '../schema/feature.js';
import type { TrainingDatasetFile, TrainingDatasetFormat } from './training-dataset-records.js';

/**
 * Files roll over at this size, so each stays one block (the training datasets directory allows 1 GiB blocks) that
 * DuckDB, pandas or Spark read in place.
 */
const FILE_SIZE = '512MB';

const EXTENSION: Record<TrainingDatasetFormat, string> = { parquet: 'parquet', csv: 'csv', json: 'json' };

/** A part's files written and adopted as blocks, not yet in any directory (the dataset's transaction publishes them). */
export interface WrittenPart {
  part: number;
  files: { path: string; block: BlockRef }[];
}

/**
 * Writes one part of a dataset with DuckDB's COPY straight from `select` (rows never pass through JavaScript) into a
 * staging directory of the block store, rolling files at FILE_SIZE, then adopts each file as a block. `staged`
 * collects the staging directory so the caller removes it whatever happens.
 */
export async function writePart(
  ctx: FeatureStoreContext,
  connection: DuckDBConnection,
  select: string,
  format: TrainingDatasetFormat,
  part: number,
  directory: string,
  staged: string[],
): Promise<WrittenPart> {
  const staging = ctx.fs.stagingPath();
  staged.push(staging);
  await mkdir(staging, { recursive: true });
  const formatOptions = format === 'csv' ? 'FORMAT csv, HEADER true' : format === 'json' ? 'FORMAT json' : 'FORMAT parquet';
  await connection.run(`COPY (${select}) TO ${quoteStringLiteral(staging)} (${formatOptions}, FILE_SIZE_BYTES ${quoteStringLiteral(FILE_SIZE)}, OVERWRITE_OR_IGNORE true)`);
  // DuckDB names the files data_0, data_1, … in row order.
  const names = (await readdir(staging)).sort((a, b) => fileNumber(a) - fileNumber(b));
  const files: WrittenPart['files'] = [];
  for (const [i, name] of names.entries()) {
    const block = await ctx.fs.importBlock(join(staging, name));
    files.push({ path: `${directory}/part-${String(i).padStart(5, '0')}.${EXTENSION[format]}`, block });
  }
  return { part, files };
}

function fileNumber(name: string): number {
  const match = /(\d+)/.exec(name);
  return match === null ? 0 : Number(match[1]);
}

/** Removes staging directories (their files are blocks now, or garbage). */
export async function removeStaged(staged: readonly string[]): Promise<void> {
  await Promise.all(staged.map((path) => rm(path, { recursive: true, force: true })));
}

/**
 * A relation over a part's files, with every column cast to its feature's DuckDB type: CSV and JSON keep no types,
 * and Parquet read back as written. Undefined when the part has no file (no rows).
 */
export function partRelation(ctx: FeatureStoreContext, format: TrainingDatasetFormat, files: readonly TrainingDatasetFile[], columns: readonly Feature[]): string | undefined {
  if (files.length === 0) return undefined;
  const paths = `[${files.map((f) => quoteStringLiteral(ctx.fs.blockStore.localPath(f.blockId)!)).join(', ')}]`;
  const types = `{${columns.map((c) => `${quoteStringLiteral(c.name)}: ${quoteStringLiteral(duckDBColumnType(c.type))}`).join(', ')}}`;
  const source =
    format === 'parquet'
      ? `read_parquet(${paths})`
      : format === 'csv'
        ? `read_csv(${paths}, header = true, auto_detect = false, columns = ${types})`
        : `read_json(${paths}, format = 'newline_delimited', columns = ${types})`;
  const select = columns.map((c) => `CAST(${quoteIdentifier(c.name)} AS ${duckDBColumnType(c.type)}) AS ${quoteIdentifier(c.name)}`);
  return `(SELECT ${select.join(', ')} FROM ${source})`;
}
