import { parentPort } from 'node:worker_threads';
import { serializeError } from '../../errors/error-transport.js';
import { streamWithDuckDBConnection } from '../../featurestore/offline/duckdb/duckdb-instance.js';
import { streamDuckDBArrowTables } from '../../featurestore/offline/duckdb/duckdb-arrow-result.js';
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
    if (spec.format === 'arrow' && spec.arrowFrom === 'vectors') {
      const tables = streamDuckDBArrowTables(connection, spec.sql, spec.resultColumns, failure);
      const first = await tables.next();
      yield* arrowTablePieces(tablesFrom(first, tables));
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
      for (let next = first; next.done !== true; next = await batches.next()) yield objects(next.value.rows);
    }
    yield* encodedPieces(spec.format, first.done === true ? spec.emptyColumns : spec.columns, rows());
  });
}

/** What a generator yields, its first value already taken. */
async function* tablesFrom<T>(first: IteratorResult<T>, rest: AsyncGenerator<T>): AsyncGenerator<T> {
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
