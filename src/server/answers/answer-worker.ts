import { createReadStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parentPort } from 'node:worker_threads';
import type { DuckDBConnection } from '@duckdb/node-api';
import { InvalidArgumentError } from '../../errors/humle-error.js';
import { serializeError } from '../../errors/error-transport.js';
import { streamWithDuckDBConnection } from '../../featurestore/offline/duckdb/duckdb-instance.js';
import { streamDuckDBArrowTables } from '../../featurestore/offline/duckdb/duckdb-arrow-result.js';
import { duckDBColumnType } from '../../featurestore/offline/duckdb/duckdb-column-type.js';
import { quoteIdentifier, quoteStringLiteral } from '../../featurestore/offline/duckdb/duckdb-sql-quoting.js';
import { streamDuckDBRows } from '../../featurestore/offline/duckdb/duckdb-result-rows.js';
import { arrowTablePieces, encodedPieces } from '../rest/table-stream.js';
import type { AnswerCommand, AnswerEvent, AnswerSpec } from './answer-protocol.js';

// An answer worker: runs the DuckDB statements of large answers on its own DuckDB instance (see duckdb-instance.ts)
// and encodes their rows, so that neither the rows' conversion nor their encoding runs on the server's event loop.
// Each answer's pieces go to the main thread one at a time, when it asks for them: a slow client holds its read
// back here instead of piling encoded pieces up.

/** A DuckDB failure, carried to the main thread as its message (see AnswerEvent). */
class DuckDBFailure extends Error {}

interface Producing {
  /** Pieces the main thread asked for and has not been sent. */
  pulls: number;
  cancelled: boolean;
  /** Wakes the producer waiting for a pull or a cancel. */
  wake: (() => void) | null;
}

const answers = new Map<number, Producing>();
const encoder = new TextEncoder();

function post(event: AnswerEvent, transfer: ArrayBuffer[] = []): void {
  parentPort!.postMessage(event, transfer);
}

async function produce(id: number, spec: AnswerSpec): Promise<void> {
  const state: Producing = { pulls: 1, cancelled: false, wake: null };
  answers.set(id, state);
  try {
    for await (const piece of answerPieces(spec)) {
      // This piece waits for its pull; the one after it is made while this one is being sent.
      while (state.pulls === 0 && !state.cancelled) await new Promise<void>((resolve) => (state.wake = resolve));
      // Leaving the loop ends the statement and closes its connection; the end tells the main thread it is over.
      if (state.cancelled) break;
      state.pulls--;
      const bytes = typeof piece === 'string' ? encoder.encode(piece) : piece;
      // A piece that is a view into a larger buffer is copied: the whole buffer would go otherwise.
      const owned = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? (bytes.buffer as ArrayBuffer) : (bytes.slice().buffer as ArrayBuffer);
      post({ kind: 'piece', id, bytes: owned }, [owned]);
    }
    post({ kind: 'end', id });
  } catch (error) {
    post({ kind: 'failed', id, duckdb: error instanceof DuckDBFailure ? error.message : null, error: serializeError(error) });
  } finally {
    answers.delete(id);
  }
}

/**
 * The encoded rows of a statement. The first batch is read before the first piece is made: a failure of the
 * statement (a missing or damaged file) comes before any piece, while the answer can still be an error, and the
 * answer's columns depend on whether there are rows.
 */
async function* answerPieces(spec: AnswerSpec): AsyncGenerator<string | Uint8Array> {
  const failure = (error: Error) => new DuckDBFailure(error.message);
  yield* streamWithDuckDBConnection(async function* (connection) {
    if (spec.format === 'parquet') {
      yield* parquetPieces(connection, spec);
      return;
    }
    if (spec.format === 'arrow' && spec.arrowFrom === 'vectors') {
      const tables = streamDuckDBArrowTables(connection, spec.sql, spec.resultColumns, failure);
      const first = await tables.next();
      yield* arrowTablePieces(resumed(first, tables));
      return;
    }
    const batches = streamDuckDBRows(connection, spec.sql, failure);
    let first = await batches.next();
    while (first.done !== true && first.value.rows.length === 0) first = await batches.next();
    const names = spec.resultColumns.map((c) => c.name);
    const objects = (rows: readonly (readonly unknown[])[]) =>
      rows.map((row) => {
        const object: Record<string, unknown> = {};
        for (let c = 0; c < names.length; c++) object[names[c]!] = row[c] ?? null;
        return object;
      });
    async function* rows(): AsyncGenerator<Record<string, unknown>[]> {
      for await (const batch of resumed(first, batches)) yield objects(batch.rows);
    }
    yield* encodedPieces(spec.format, first.done === true ? spec.emptyColumns : spec.columns, rows());
  });
}

/**
 * A Parquet answer: DuckDB writes the statement's rows to a temporary file, each column cast to its feature's type
 * as the server's Parquet files are (see parquet-file-writer.ts), and the file is sent from disk a MiB at a time.
 * A column of the answer's that the statement lacks (the answer of no rows has every feature) is a typed null.
 */
async function* parquetPieces(connection: DuckDBConnection, spec: AnswerSpec): AsyncGenerator<Uint8Array> {
  const run = (sql: string) =>
    connection.runAndReadAll(sql).catch((error: Error) => {
      throw new DuckDBFailure(error.message);
    });
  const empty = (await run(`SELECT 1 FROM (${spec.sql}) LIMIT 1`)).currentRowCount === 0;
  const columns = empty ? spec.emptyColumns : spec.columns;
  if (columns.length === 0) throw new InvalidArgumentError('there are no columns yet (nothing was inserted): a Parquet file needs columns', {});
  const selected = new Set(spec.resultColumns.map((c) => c.name));
  const select = columns.map((c) => `CAST(${selected.has(c.name) ? quoteIdentifier(c.name) : 'NULL'} AS ${duckDBColumnType(c.type)}) AS ${quoteIdentifier(c.name)}`);
  const directory = await mkdtemp(join(tmpdir(), 'humle-answer-'));
  try {
    const path = join(directory, 'answer.parquet');
    await run(`COPY (SELECT ${select.join(', ')} FROM (${spec.sql})) TO ${quoteStringLiteral(path)} (FORMAT parquet, COMPRESSION snappy)`);
    for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) yield chunk as Buffer;
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}

/** What a generator yields, its first value already taken. */
async function* resumed<T>(first: IteratorResult<T>, rest: AsyncGenerator<T>): AsyncGenerator<T> {
  for (let next = first; next.done !== true; next = await rest.next()) yield next.value;
}

parentPort!.on('message', (command: AnswerCommand) => {
  switch (command.kind) {
    case 'start':
      void produce(command.id, command.spec);
      return;
    case 'pull':
    case 'cancel': {
      const state = answers.get(command.id);
      if (state === undefined) return;
      if (command.kind === 'pull') state.pulls++;
      else state.cancelled = true;
      state.wake?.();
      state.wake = null;
      return;
    }
  }
});
parentPort!.postMessage('ready');
