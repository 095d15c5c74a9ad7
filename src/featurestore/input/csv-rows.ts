import { createReadStream } from 'node:fs';
import { parse, CsvError } from 'csv-parse';
import { InvalidFeatureDataError } from '../../errors/featurestore-errors.js';
import { InvalidArgumentError } from '../../errors/humle-error.js';
import type { FeatureDataBatch } from './feature-data-batch.js';

/**
 * Rows of a CSV file with a header row (RFC 4180 quoting, a UTF-8 BOM ignored, blank lines skipped). Every value
 * is text; an empty field is null, so an empty string cannot be written in CSV (use NDJSON for that). A record
 * with a different number of fields than the header is refused naming its line, and each batch carries the line every
 * row starts on (the header is line 1), so that validation names it too.
 */
export async function* readCsvRows(path: string, batchRows: number): AsyncGenerator<FeatureDataBatch> {
  // Records as arrays, objects built here: one pass turns '' into null without a per-field callback.
  // `info` tells where each record ends and how many blank lines were skipped so far: a record starts on the line
  // after the previous one ended, past the blank lines between them (a quoted field may span lines).
  const parser = parse({ bom: true, skip_empty_lines: true, info: true });
  const input = createReadStream(path);
  input.on('error', (error) => parser.destroy(error)); // pipe() does not pass a read error on
  input.pipe(parser);
  let header: string[] | undefined;
  let rows: Record<string, unknown>[] = [];
  let lines: number[] = [];
  let offset = 0;
  let lastLine = 0;
  let blankLines = 0;
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number; empty_lines: number } }>) {
      const line = lastLine + 1 + (info.empty_lines - blankLines);
      lastLine = info.lines;
      blankLines = info.empty_lines;
      if (header === undefined) {
        header = checkedHeader(record, path);
        continue;
      }
      const row: Record<string, unknown> = {};
      for (let c = 0; c < header.length; c++) {
        const field = record[c]!;
        row[header[c]!] = field === '' ? null : field;
      }
      rows.push(row);
      lines.push(line);
      if (rows.length === batchRows) {
        yield { rows, source: 'text', offset, lines };
        offset += rows.length;
        rows = [];
        lines = [];
      }
    }
  } catch (error) {
    if (error instanceof CsvError) {
      const line = (error as CsvError & { lines?: number }).lines;
      throw InvalidFeatureDataError.at(offset + rows.length, null, error.message, undefined, line === undefined ? undefined : { line });
    }
    throw error;
  } finally {
    input.destroy();
    parser.destroy();
  }
  if (header === undefined) throw new InvalidArgumentError(`'${path}' is empty: a CSV file needs a header row`, { path });
  if (rows.length > 0 || offset === 0) yield { rows, source: 'text', offset, lines };
}

function checkedHeader(record: string[], path: string): string[] {
  const seen = new Set<string>();
  for (const name of record) {
    if (name === '') throw new InvalidArgumentError(`the header of '${path}' has an empty column name`, { path });
    // Assigned as a row key it would replace the row's prototype instead of naming a column (no feature has it).
    if (name === '__proto__') throw new InvalidArgumentError(`the header of '${path}' names a column '__proto__'`, { path, column: name });
    if (seen.has(name)) throw new InvalidArgumentError(`the header of '${path}' names column '${name}' twice`, { path, column: name });
    seen.add(name);
  }
  return record;
}
