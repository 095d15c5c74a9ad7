import type { SerializedError } from '../../errors/error-transport.js';
import type { OfflineColumn } from '../../featurestore/offline/offline-column.js';
import type { StreamedTableFormat } from '../rest/table-stream.js';

/** An answer a worker produces: a DuckDB statement's rows, encoded in a format. */
export interface AnswerSpec {
  /** The statement whose rows are the answer. */
  sql: string;
  /**
   * The statement's result columns in order: each row becomes an object of their names; an Arrow answer made of
   * DuckDB's vectors has their types.
   */
  resultColumns: readonly OfflineColumn[];
  /** The answer's columns (names among resultNames, with their types) when it has rows ... */
  columns: readonly OfflineColumn[];
  /** ... and when it has none. */
  emptyColumns: readonly OfflineColumn[];
  /** Parquet is written to a temporary file by DuckDB, whole, then sent from it. */
  format: StreamedTableFormat | 'parquet';
  /**
   * How an Arrow answer is made: of the rows' values, typed by `columns` (as a feature group read's), or straight
   * of DuckDB's vectors, typed by `resultColumns` (as the SDK's Arrow reads of a query).
   */
  arrowFrom: 'values' | 'vectors';
}

/** From the main thread: start an answer; send its next piece; stop it (the client went away). */
export type AnswerCommand = { kind: 'start'; id: number; spec: AnswerSpec } | { kind: 'pull'; id: number } | { kind: 'cancel'; id: number };

/**
 * From a worker: a piece of an answer (bytes, transferred), its end (also of a cancelled one), or its failure: `duckdb` when DuckDB failed
 * (the main thread turns the message into the reader's typed error, as a read on the main thread would), else an
 * error of the worker's own.
 */
export type AnswerEvent =
  | { kind: 'piece'; id: number; bytes: ArrayBuffer }
  | { kind: 'end'; id: number }
  | { kind: 'failed'; id: number; duckdb: string | null; error: SerializedError };
