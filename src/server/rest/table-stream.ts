import { Readable } from 'node:stream';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { RecordBatch, Schema, Table, tableToIPC } from 'apache-arrow';
import type { OfflineColumn } from '../../featurestore/offline/offline-column.js';
import { toArrowTable } from '../../featurestore/records/arrow-table.js';
import { csvHeader, csvLine } from '../../featurestore/records/csv-text.js';
import { formatFeatureType } from '../../featurestore/types/feature-type.js';
import { jsonRow } from './json-row.js';

/**
 * Answers of many rows as a stream of encoded pieces, one batch of rows at a time: the first bytes leave while later
 * rows are still being read, the memory of an answer is a batch rather than the whole answer, and the event loop
 * turns between batches, so other clients' requests are served while a large answer is produced. The stream is
 * pulled by the socket (Readable.from asks for the next piece only when the last one is flushed), so a slow reader
 * holds back the read instead of piling encoded bytes up in the server.
 */

/** Rows per piece: encoding this many takes a few milliseconds, the longest stretch another request waits. */
export const ANSWER_BATCH_ROWS = 2048;

/** Rows as canonical values keyed by column name (see FeatureType), batch by batch. */
export type RowBatches = AsyncIterable<readonly Readonly<Record<string, unknown>>[]>;

/** The formats encoded piece by piece (Parquet is a file with its footer at the end, see table-formats.ts). */
export type StreamedTableFormat = 'json' | 'ndjson' | 'csv' | 'arrow';

/** The rows of `batches` encoded in `format`. */
export function encodedRows(format: StreamedTableFormat, columns: readonly OfflineColumn[], batches: RowBatches): Readable {
  return piecesOf(encodedPieces(format, columns, batches));
}

/** The same as pieces (text or bytes), for a thread that hands them on (see server/answers). */
export function encodedPieces(format: StreamedTableFormat, columns: readonly OfflineColumn[], batches: RowBatches): AsyncGenerator<string | Uint8Array> {
  switch (format) {
    case 'json':
      return jsonPieces(columns, batches);
    case 'ndjson':
      return textPieces('', batches, (row) => JSON.stringify(jsonRow(columns, row)) + '\n');
    case 'csv':
      // A table without columns has no header either (nothing was inserted yet): an empty answer.
      return columns.length === 0 ? emptyPieces() : textPieces(csvHeader(columns), batches, (row) => csvLine(columns, row));
    case 'arrow':
      return arrowPieces(arrowBatchesOf(columns, batches), toArrowTable(columns, []));
  }
}

/** An Arrow table as an Arrow IPC stream, a record batch at a time. */
export function encodedArrowTable(table: Table): Readable {
  return piecesOf(arrowPieces(tablesOf(table), table.slice(0, 0)));
}

/** Tables of one schema (at least one) as one Arrow IPC stream, as pieces. */
export function arrowTablePieces(tables: AsyncIterable<Table>): AsyncGenerator<Uint8Array> {
  return arrowPieces(tables, null);
}

/** Any rows in batches of ANSWER_BATCH_ROWS, for encodedRows. */
export async function* rowBatchesOf<R>(rows: readonly R[]): AsyncGenerator<readonly R[]> {
  for (let start = 0; start < rows.length; start += ANSWER_BATCH_ROWS) yield rows.slice(start, start + ANSWER_BATCH_ROWS);
}

/** The pieces as a byte stream, the event loop turning after each piece is handed to the socket. */
function piecesOf(pieces: AsyncGenerator<string | Uint8Array>): Readable {
  async function* turning(): AsyncGenerator<Buffer> {
    for await (const piece of pieces) {
      yield typeof piece === 'string' ? Buffer.from(piece) : Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength);
      await nextTurn();
    }
  }
  return Readable.from(turning(), { objectMode: false });
}

async function* emptyPieces(): AsyncGenerator<string> {}

/** The JSON object `{"columns": [...], "rows": [...]}`, byte for byte what JSON.stringify makes of it whole. */
async function* jsonPieces(columns: readonly OfflineColumn[], batches: RowBatches): AsyncGenerator<string> {
  const head = JSON.stringify({ columns: columns.map((c) => ({ name: c.name, type: formatFeatureType(c.type) })), rows: [] });
  // The head without its closing `]}`: rows follow, separated by commas.
  yield head.slice(0, -2);
  let first = true;
  for await (const batch of batches) {
    if (batch.length === 0) continue;
    let text = first ? '' : ',';
    for (let r = 0; r < batch.length; r++) text += (r === 0 ? '' : ',') + JSON.stringify(jsonRow(columns, batch[r]!));
    first = false;
    yield text;
  }
  yield ']}';
}

async function* textPieces(head: string, batches: RowBatches, line: (row: Readonly<Record<string, unknown>>) => string): AsyncGenerator<string> {
  if (head !== '') yield head;
  for await (const batch of batches) {
    let text = '';
    for (const row of batch) text += line(row);
    if (text !== '') yield text;
  }
}

async function* arrowBatchesOf(columns: readonly OfflineColumn[], batches: RowBatches): AsyncGenerator<Table> {
  for await (const batch of batches) {
    if (batch.length > 0) yield toArrowTable(columns, batch.map((row) => columns.map((c) => row[c.name] ?? null)));
  }
}

/** A table's record batches, as tables of ANSWER_BATCH_ROWS rows at most. */
async function* tablesOf(table: Table): AsyncGenerator<Table> {
  for (const batch of table.batches) {
    for (let start = 0; start < batch.numRows; start += ANSWER_BATCH_ROWS) yield new Table(batch.slice(start, start + ANSWER_BATCH_ROWS));
  }
}

/**
 * The end-of-stream marker of Arrow IPC: a continuation token and a zero metadata length. Made anew for each
 * answer, as a piece's buffer may be handed to another thread (transferred, which empties it here).
 */
const endOfStream = () => Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0);
const END_OF_STREAM_BYTES = 8;

/**
 * Tables of one schema as one Arrow IPC stream: the schema message once, each table's record batches, the
 * end-of-stream marker. Each table is encoded as a stream of its own by apache-arrow, and the pieces between are
 * cut off: the schema message (a continuation token, its metadata length, its metadata; no body) of every table but
 * the first, and every end-of-stream marker but the last. The schema is the first table's with every field
 * nullable: it is told before the later batches, whose nulls it cannot know. `empty` (the schema, no rows) answers
 * when there are no tables (null: there is always one).
 */
async function* arrowPieces(tables: AsyncIterable<Table>, empty: Table | null): AsyncGenerator<Uint8Array> {
  let schema: Schema | null = null;
  for await (const table of tables) {
    if (table.batches.length === 0) continue;
    const first = schema === null;
    schema ??= new Schema(
      table.schema.fields.map((field) => field.clone({ nullable: true })),
      table.schema.metadata,
    );
    const bytes = tableToIPC(new Table(table.batches.map((batch) => new RecordBatch(schema!, batch.data))), 'stream');
    const withoutEnd = bytes.subarray(0, bytes.length - END_OF_STREAM_BYTES);
    yield first ? withoutEnd : withoutEnd.subarray(8 + new DataView(bytes.buffer, bytes.byteOffset, 8).getInt32(4, true));
  }
  if (schema !== null) yield endOfStream();
  else if (empty !== null) yield tableToIPC(empty, 'stream');
  else throw new Error('an Arrow answer needs at least one table: its schema');
}
