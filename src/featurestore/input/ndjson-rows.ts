import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { InvalidFeatureDataError } from '../../errors/featurestore-errors.js';
import type { FeatureDataBatch } from './feature-data-batch.js';

/**
 * Rows of an NDJSON / JSON Lines file: one JSON object per line, blank lines skipped. A line that is not a JSON
 * object is refused naming its line number (1-based, as editors show it) and its row (0-based, as validateRows does);
 * each batch carries the line of every row, so that validation names it too.
 * Integers beyond 2^53 lose precision in JSON.parse; the bigint coercer refuses them, so write them as strings.
 */
export async function* readNdjsonRows(path: string, batchRows: number): AsyncGenerator<FeatureDataBatch> {
  const lines = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity });
  let rows: Record<string, unknown>[] = [];
  let lineNumbers: number[] = [];
  let offset = 0;
  let lineNumber = 0;
  try {
    for await (const line of lines) {
      lineNumber++;
      if (line.trim().length === 0) continue;
      const row = offset + rows.length;
      let parsed: unknown;
      try {
        parsed = JSON.parse(line);
      } catch (error) {
        throw InvalidFeatureDataError.at(row, null, `not valid JSON: ${(error as Error).message}`, line, { line: lineNumber });
      }
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
        throw InvalidFeatureDataError.at(row, null, 'not a JSON object of feature name → value', line, { line: lineNumber });
      }
      rows.push(parsed as Record<string, unknown>);
      lineNumbers.push(lineNumber);
      if (rows.length === batchRows) {
        yield { rows, source: 'text', offset, lines: lineNumbers };
        offset += rows.length;
        rows = [];
        lineNumbers = [];
      }
    }
  } finally {
    lines.close();
  }
  if (rows.length > 0 || offset === 0) yield { rows, source: 'text', offset, lines: lineNumbers };
}
