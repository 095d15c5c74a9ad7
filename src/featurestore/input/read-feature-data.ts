import { statSync } from 'node:fs';
import { extname } from 'node:path';
import { InvalidArgumentError } from '../../errors/humle-error.js';
import type { FeatureDataBatch, ReadOptions } from './feature-data-batch.js';
import { FILE_BATCH_ROWS } from './feature-data-batch.js';
import { isArrowTable, readArrowRows, type ArrowTableLike } from './arrow-rows.js';
import { readCsvRows } from './csv-rows.js';
import { readNdjsonRows } from './ndjson-rows.js';
import { readParquetRows } from './parquet-rows.js';

/**
 * Rows parsed from JSON text (a request body, a JSON document): their values are read as NDJSON's are (source
 * `text`), so binary is base64 and numbers may be numeric strings, where plain objects hold JavaScript values.
 */
export class JsonRows {
  constructor(readonly rows: readonly Record<string, unknown>[]) {}
}

/**
 * What `fg.insert(data)` takes: rows as objects, rows parsed from JSON, an apache-arrow Table, or the path of a CSV,
 * NDJSON or Parquet file.
 */
export type FeatureData = readonly Record<string, unknown>[] | JsonRows | ArrowTableLike | string;

/**
 * The rows of any supported input as batches: an array of objects is one batch as it is (source `js`, not copied),
 * JsonRows too (source `text`); an Arrow table and files come in batches of at most 50,000 rows. By extension: `.csv` (header row, empty field =
 * null, source `text`), `.ndjson` / `.jsonl` (one object per line, source `text`), `.parquet` (read by DuckDB,
 * source `js`, with the file's column types). Arrow and Parquet batches carry their column types for inference.
 *
 * The kind of input, the extension and the file's existence are checked here, before the first batch is asked for,
 * so a wrong argument throws InvalidArgumentError at once; bad content throws while batches are read.
 */
export function readFeatureData(data: FeatureData, options: ReadOptions = {}): AsyncIterable<FeatureDataBatch> {
  const batchRows = options.batchRows ?? FILE_BATCH_ROWS;
  if (!Number.isSafeInteger(batchRows) || batchRows < 1) throw new InvalidArgumentError('batchRows must be a positive integer', { batchRows });
  if (Array.isArray(data)) return oneBatch({ rows: data as Record<string, unknown>[], source: 'js', offset: 0 });
  if (data instanceof JsonRows) return oneBatch({ rows: data.rows as Record<string, unknown>[], source: 'text', offset: 0 });
  if (isArrowTable(data)) return readArrowRows(data, batchRows);
  if (typeof data !== 'string') {
    throw new InvalidArgumentError('feature data must be an array of objects, JsonRows, an Arrow Table or a path to a .csv, .ndjson, .jsonl or .parquet file', {
      data: data === null ? 'null' : typeof data,
    });
  }
  return FILE_READERS.get(featureDataFile(data))!(data, batchRows);
}

/** The extension of a file of feature data (`.csv`, `.ndjson`, `.jsonl`, `.parquet`), checked to name an existing file. */
export function featureDataFile(path: string): string {
  const extension = extname(path).toLowerCase();
  if (!FILE_READERS.has(extension)) {
    throw new InvalidArgumentError(`cannot read '${path}': the file must end in .csv, .ndjson, .jsonl or .parquet`, { path, extension });
  }
  let isFile: boolean;
  try {
    isFile = statSync(path).isFile();
  } catch {
    throw new InvalidArgumentError(`cannot read '${path}': no such file`, { path });
  }
  if (!isFile) throw new InvalidArgumentError(`cannot read '${path}': not a file`, { path });
  return extension;
}

const FILE_READERS = new Map<string, (path: string, batchRows: number) => AsyncIterable<FeatureDataBatch>>([
  ['.csv', readCsvRows],
  ['.ndjson', readNdjsonRows],
  ['.jsonl', readNdjsonRows],
  ['.parquet', readParquetRows],
]);

async function* oneBatch(batch: FeatureDataBatch): AsyncGenerator<FeatureDataBatch> {
  yield batch;
}
