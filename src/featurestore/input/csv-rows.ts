import { createReadStream } from 'node:fs';
import { parse, CsvError } from 'csv-parse';
import { InvalidFeatureDataError } from '../../errors/featurestore-errors.js';
import { InvalidArgumentError } from '../../errors/humle-error.js';
import type { FeatureDataBatch } from './feature-data-batch.js';

/**
 * Rows of a CSV file with a header row (RFC 4180 quoting, a UTF-8 BOM ignored, blank lines skipped). Every value
 * is text; an empty field is null, so an empty string cannot be written in CSV (use NDJSON for that). A record
 * with a different number of fields than the header is refused naming its line.
 */
export async function* readCsvRows(path: string, batchRows: number): AsyncGenerator<FeatureDataBatch> {
  // Records as arrays, objects built here: one pass turns '' into null without a per-field callback.
  const parser = parse({ bom: true, skip_empty_lines: true });
  const input = createReadStream(path);
  input.on('error', (error) => parser.destroy(error)); // pipe() does not pass a read error on
  input.pipe(parser);
  let header: string[] | undefined;
  let rows: Record<string, unknown>[] = [];
  let offset = 0;
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
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
      if (rows.length === batchRows) {
        yield { rows, source: 'text', offset };
        offset += rows.length;
        rows = [];
      }
    }
  } catch (error) {
    if (error instanceof CsvError) {
      const line = (error as CsvError & { lines?: number }).lines;
      throw InvalidFeatureDataError.at(offset + rows.length, null, `CSV line ${line ?? '?'}: ${error.message}`, undefined, { line });
    }
    throw error;
  } finally {
    input.destroy();
    parser.destroy();
  }
  if (header === undefined) throw new InvalidArgumentError(`'${path}' is empty: a CSV file needs a header row`, { path });
  if (rows.length > 0 || offset === 0) yield { rows, source: 'text', offset };
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
