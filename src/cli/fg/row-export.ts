import { rename, unlink } from 'node:fs/promises';
import { createWriteStream } from 'node:fs';
import { dirname, extname, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { InvalidArgumentError } from '../../errors/humle-error.js';
import type { OfflineColumn } from '../../featurestore/offline/offline-column.js';
import { writeParquetFile } from '../../featurestore/offline/parquet/parquet-file-writer.js';
import { interruptible } from '../interruption.js';
import type { Output } from '../output.js';
import { UsageError } from '../usage-error.js';
import { COPYING_SUFFIX } from '../fs/fs-upload.js';
import { LocalFileError } from '../fs/local-file-error.js';
import { csvHeader, csvLine } from '../../featurestore/records/csv-text.js';
import { ndjsonLine } from '../../featurestore/records/ndjson-text.js';
import { localKind } from '../fs/local-kind.js';

export const EXPORT_FORMATS = ['csv', 'json', 'parquet'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** The options `read` and `changes` share. */
export interface ExportOptions {
  format?: ExportFormat;
  output?: string;
  force?: boolean;
}

/** Where rows go: stdout (csv or json), or a local file. */
export interface ExportTarget {
  format: ExportFormat;
  /** An absolute local path; undefined for stdout. */
  output: string | undefined;
}

/** What an export to a file prints as its result. */
export interface ExportResult {
  path: string;
  format: ExportFormat;
  rows: number;
}

const FORMAT_OF_EXTENSION: Readonly<Record<string, ExportFormat>> = {
  '.csv': 'csv',
  '.json': 'json',
  '.ndjson': 'json',
  '.jsonl': 'json',
  '.parquet': 'parquet',
};

/**
 * Where and how rows go: the format is --format, else the output file's extension, else NDJSON with --json (whose
 * stdout is JSON) and CSV without. Parquet is binary and goes only to a file.
 */
export function exportTarget(options: ExportOptions, json: boolean): ExportTarget {
  const output = options.output === undefined ? undefined : resolve(options.output);
  const format = options.format ?? (output === undefined ? undefined : FORMAT_OF_EXTENSION[extname(output).toLowerCase()]) ?? (json ? 'json' : 'csv');
  if (output === undefined && format === 'parquet') throw new UsageError('--format parquet writes a file: name it with --output FILE', { format });
  if (output === undefined && json && format !== 'json') {
    throw new UsageError('with --json, rows on stdout are NDJSON: leave out --format csv or add --output FILE', { format });
  }
  return { format, output };
}

/**
 * Checks the options and the output file before anything is opened or read: a file that exists is replaced only
 * with --force (as `humle fs get` replaces one only with -f), and its directory must exist.
 */
export async function checkExportOptions(options: ExportOptions, json: boolean): Promise<void> {
  const { output } = exportTarget(options, json);
  if (output === undefined) return;
  const existing = await localKind(output);
  if (existing === 'directory') throw new LocalFileError('EISDIR', output);
  if (existing === 'file' && !options.force) throw new LocalFileError('EEXIST', output);
  const parent = dirname(output);
  const parentKind = await localKind(parent);
  if (parentKind !== 'directory') throw new LocalFileError(parentKind === undefined ? 'ENOENT' : 'ENOTDIR', parent);
}

/**
 * Writes rows (canonical values, read with `exactTimestamps: true`) to stdout or to the target file. A file is
 * written under `<file>._COPYING_` and renamed when complete, as `humle fs get` does, so an interrupted export never
 * leaves a truncated file under the real name. Returns the result for a file, undefined for stdout.
 */
export async function exportRows(
  out: Output,
  target: ExportTarget,
  columns: readonly OfflineColumn[],
  rows: readonly Readonly<Record<string, unknown>>[],
): Promise<ExportResult | undefined> {
  if (target.output === undefined) {
    for (const chunk of textChunks(target.format, columns, rows)) await out.write(chunk);
    return undefined;
  }
  const path = target.output;
  const temporary = path + COPYING_SUFFIX;
  try {
    if (target.format === 'parquet') {
      if (columns.length === 0) throw new InvalidArgumentError('the feature group has no features yet (no insert): a Parquet file needs columns', {});
      await writeParquetFile(
        temporary,
        columns,
        rows.map((row) => columns.map((c) => row[c.name] ?? null)),
      );
    } else {
      const source = Readable.from(textChunks(target.format, columns, rows));
      await interruptible(source, () => pipeline(source, createWriteStream(temporary)));
    }
    await rename(temporary, path);
  } catch (error) {
    await unlink(temporary).catch(() => undefined);
    throw LocalFileError.from(error, path);
  }
  return { path, format: target.format, rows: rows.length };
}

/** Text is written in chunks of about this many characters: one write per row would cost a syscall per row. */
const CHUNK_CHARS = 64 * 1024;

function* textChunks(format: ExportFormat, columns: readonly OfflineColumn[], rows: readonly Readonly<Record<string, unknown>>[]): Generator<string> {
  // Without features (nothing inserted yet) there is no header to write either.
  if (columns.length === 0) return;
  const line = format === 'csv' ? csvLine : ndjsonLine;
  let chunk = format === 'csv' ? csvHeader(columns) : '';
  for (const row of rows) {
    chunk += line(columns, row);
    if (chunk.length >= CHUNK_CHARS) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk !== '') yield chunk;
}
