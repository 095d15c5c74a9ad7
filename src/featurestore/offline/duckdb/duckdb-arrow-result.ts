import duckdb from '@duckdb/node-bindings';
import { DuckDBTypeId, type DuckDBConnection, type DuckDBDataChunk, type DuckDBType } from '@duckdb/node-api';
import { Binary, Bool, DateDay, Float32, Float64, Int32, Int64, Table, TimestampMicrosecond, Utf8, makeData, makeVector, type Data, type DataType, type Vector } from 'apache-arrow';
import { arrowVectorOf } from '../../records/arrow-table.js';
import type { OfflineColumn } from '../offline-column.js';
import type { FeatureType } from '../../types/feature-type.js';
import { fromDuckDBValueConverter, type FromDuckDBValue } from './duckdb-values.js';

/**
 * A DuckDB result as apache-arrow Tables, column by column: fixed-width values, validity bits and string bytes are
 * copied from DuckDB's vectors into Arrow buffers without becoming JavaScript values, which is what makes a training
 * read of millions of rows cost about what DuckDB's own query costs. Hand-written because DuckDB's Node client has
 * no Arrow export (its C API's Arrow functions are not bound) and the Arrow IPC writer is an extension this machine
 * cannot download. Types without a raw layout shared by both sides (decimals, lists, other units) go through
 * canonical values, the same conversion the row path uses, one batch at a time.
 */

/** Rows per Arrow record batch: large enough that a table is a few hundred batches, small enough to bound the slack. */
const BATCH_ROWS = 1 << 16;

export interface ArrowResultShape {
  /** The result's first columns, in order, and the Arrow column each becomes. */
  features: readonly OfflineColumn[];
  /**
   * The index of an integer result column that assigns each row to a table (0 … `parts` - 1; other values and null
   * drop the row), or null: every row goes to the one table.
   */
  partColumn: number | null;
  parts: number;
}

/** Runs `sql` and returns one Table per part, rows in the result's order. */
export async function readDuckDBArrowTables(connection: DuckDBConnection, sql: string, shape: ArrowResultShape, failure: (error: Error) => Error | Promise<Error>): Promise<Table[]> {
  const result = await connection.stream(sql).catch(async (error: Error) => {
    throw await failure(error);
  });
  const types = result.columnTypes();
  const names = result.columnNames();
  const tables = Array.from({ length: shape.parts }, () => new PartBuilder(shape.features.map((feature, c) => columnBuilderFor(feature.type, types[c]!, names[c]!))));
  const selections = Array.from({ length: shape.parts }, () => new Int32Array(2048));
  for (;;) {
    const chunk = await result.fetchChunk().catch(async (error: Error) => {
      throw await failure(error);
    });
    // The row count is a call into DuckDB each time it is read: read it once per chunk.
    const rowCount = chunk?.rowCount ?? 0;
    if (rowCount === 0) break;
    if (shape.partColumn === null) {
      tables[0]!.append(chunk!, rowCount, null, rowCount);
      continue;
    }
    const counts = routeRows(chunk!, rowCount, shape.partColumn, selections);
    // A chunk whose rows all go to one part (always, when the read is not split) is appended whole.
    tables.forEach((table, p) => counts[p]! > 0 && table.append(chunk!, rowCount, counts[p] === rowCount ? null : selections[p]!, counts[p]!));
  }
  return tables.map((table) => table.finish(shape.features));
}

/**
 * Runs `sql` and yields its rows as Tables of up to BATCH_ROWS rows each, in the result's order, as they are
 * complete (a large answer sent as it is read); the result's columns become `columns`. At least one Table, if
 * empty, so that the schema is always told.
 */
export async function* streamDuckDBArrowTables(
  connection: DuckDBConnection,
  sql: string,
  columns: readonly OfflineColumn[],
  failure: (error: Error) => Error | Promise<Error>,
): AsyncGenerator<Table> {
  const result = await connection.stream(sql).catch(async (error: Error) => {
    throw await failure(error);
  });
  const types = result.columnTypes();
  const names = result.columnNames();
  const table = new PartBuilder(columns.map((column, c) => columnBuilderFor(column.type, types[c]!, names[c]!)));
  let yielded = false;
  for (;;) {
    const chunk = await result.fetchChunk().catch(async (error: Error) => {
      throw await failure(error);
    });
    const rowCount = chunk?.rowCount ?? 0;
    if (rowCount === 0) break;
    table.append(chunk!, rowCount, null, rowCount);
    const sealed = table.takeSealed(columns);
    if (sealed !== null) {
      yielded = true;
      yield sealed;
    }
  }
  const last = table.finish(columns);
  if (last.numRows > 0 || !yielded) yield last;
}

/** Fills each part's selection with the chunk's row indexes that belong to it; returns the counts. */
function routeRows(chunk: DuckDBDataChunk, rowCount: number, partColumn: number, selections: Int32Array[]): number[] {
  const counts = selections.map(() => 0);
  const vector = chunk.getColumnVector(partColumn);
  for (let r = 0; r < rowCount; r++) {
    const part = vector.getItem(r);
    if (part === null) continue;
    const p = Number(part);
    if (p < 0 || p >= selections.length) continue;
    if (selections[p]!.length < rowCount) selections[p] = new Int32Array(rowCount);
    selections[p]![counts[p]!++] = r;
  }
  return counts;
}

/** One output table: its columns' builders, sealing a record batch every BATCH_ROWS rows. */
class PartBuilder {
  private readonly sealed: Data[][];
  private rows = 0;

  constructor(private readonly columns: ColumnBuilder[]) {
    this.sealed = columns.map(() => []);
  }

  append(chunk: DuckDBDataChunk, rowCount: number, selection: Int32Array | null, count: number): void {
    let done = 0;
    while (done < count) {
      const take = Math.min(count - done, BATCH_ROWS - this.rows);
      this.columns.forEach((column, c) => column.append({ chunk, rowCount, column: c }, selection, done, take, this.rows));
      this.rows += take;
      done += take;
      if (this.rows === BATCH_ROWS) this.seal();
    }
  }

  finish(features: readonly OfflineColumn[]): Table {
    if (this.rows > 0 || this.sealed[0]?.length === 0) this.seal();
    return this.sealedTable(features);
  }

  /** The batches sealed so far as a Table, taken out of the builder; null when there are none. */
  takeSealed(features: readonly OfflineColumn[]): Table | null {
    return (this.sealed[0]?.length ?? 0) === 0 ? null : this.sealedTable(features);
  }

  private sealedTable(features: readonly OfflineColumn[]): Table {
    const columns: Record<string, Vector> = {};
    features.forEach((feature, c) => {
      columns[feature.name] = makeVector(this.sealed[c]!);
      this.sealed[c] = [];
    });
    return new Table(columns);
  }

  private seal(): void {
    this.columns.forEach((column, c) => this.sealed[c]!.push(...column.seal(this.rows)));
    this.rows = 0;
  }
}

/** A column of a result chunk. */
interface ChunkColumn {
  chunk: DuckDBDataChunk;
  rowCount: number;
  column: number;
}

/**
 * One column of the batch being built. `append` takes `count` rows of a chunk's column — rows `from` … of
 * `selection` when given, else the chunk's rows `from` … — into the batch at row `at`; `seal` returns the batch's
 * Data (`rows` long) and starts the next.
 */
interface ColumnBuilder {
  append(source: ChunkColumn, selection: Int32Array | null, from: number, count: number, at: number): void;
  seal(rows: number): Data[];
}

/** The DuckDB result types whose vectors hold a feature type's values in the Arrow column's own layout. */
function columnBuilderFor(type: FeatureType, duckType: DuckDBType, column: string): ColumnBuilder {
  const id = duckType.typeId;
  switch (type.kind) {
    case 'int':
      if (id === DuckDBTypeId.INTEGER) return new FixedWidthBuilder(new Int32(), Int32Array);
      break;
    case 'bigint':
      if (id === DuckDBTypeId.BIGINT) return new FixedWidthBuilder(new Int64(), BigInt64Array);
      break;
    case 'float':
      if (id === DuckDBTypeId.FLOAT) return new FixedWidthBuilder(new Float32(), Float32Array);
      break;
    case 'double':
      if (id === DuckDBTypeId.DOUBLE) return new FixedWidthBuilder(new Float64(), Float64Array);
      break;
    case 'date':
      if (id === DuckDBTypeId.DATE) return new FixedWidthBuilder(new DateDay(), Int32Array);
      break;
    case 'timestamp':
      // Both are microseconds since the epoch; a timestamp without time zone is read as UTC (see duckdb-values.ts).
      if (id === DuckDBTypeId.TIMESTAMP_TZ || id === DuckDBTypeId.TIMESTAMP) return new FixedWidthBuilder(new TimestampMicrosecond('UTC'), BigInt64Array);
      break;
    case 'boolean':
      if (id === DuckDBTypeId.BOOLEAN) return new BooleanBuilder();
      break;
    case 'string':
      if (id === DuckDBTypeId.VARCHAR) return new BytesBuilder(new Utf8());
      break;
    case 'binary':
      if (id === DuckDBTypeId.BLOB) return new BytesBuilder(new Binary());
      break;
  }
  return new ValueBuilder(type, fromDuckDBValueConverter(duckType, column));
}

/** The validity bits of a batch, created at its first null (Arrow leaves the bitmap out when nothing is null). */
class NullBits {
  private bits: Uint8Array | null = null;
  count = 0;

  /** Copies the nulls of rows `rows[from …]` of a chunk's vector (DuckDB's mask: 64-bit words, LSB first). */
  copy(vector: duckdb.Vector, chunkRows: number, selection: Int32Array | null, from: number, count: number, at: number): void {
    const mask = duckdb.vector_get_validity(vector, Math.ceil(chunkRows / 64) * 8);
    if (!mask || mask.length === 0) return;
    for (let i = 0; i < count; i++) {
      const r = selection === null ? from + i : selection[from + i]!;
      if ((mask[r >> 3]! & (1 << (r & 7))) === 0) this.setNull(at + i);
    }
  }

  setNull(row: number): void {
    if (this.bits === null) this.bits = new Uint8Array(BATCH_ROWS / 8).fill(0xff);
    this.bits[row >> 3]! &= ~(1 << (row & 7));
    this.count++;
  }

  /** The bitmap for a sealed batch, and a fresh one for the next. */
  take(): { nullBitmap: Uint8Array | null; nullCount: number } {
    const taken = { nullBitmap: this.bits, nullCount: this.count };
    this.bits = null;
    this.count = 0;
    return taken;
  }
}

function rawVector(source: ChunkColumn): duckdb.Vector {
  return duckdb.data_chunk_get_vector(source.chunk.chunk, source.column);
}

type FixedWidthArray = typeof Int32Array | typeof Float32Array | typeof Float64Array | typeof BigInt64Array;

/** Integers, floats, dates and timestamps: the value bytes as they are. */
class FixedWidthBuilder implements ColumnBuilder {
  private data: Uint8Array;
  private readonly width: number;
  private readonly nulls = new NullBits();

  constructor(
    private readonly type: DataType,
    private readonly Values: FixedWidthArray,
  ) {
    this.width = Values.BYTES_PER_ELEMENT;
    this.data = new Uint8Array(BATCH_ROWS * this.width);
  }

  append(source: ChunkColumn, selection: Int32Array | null, from: number, count: number, at: number): void {
    const vector = rawVector(source);
    const width = this.width;
    const bytes = duckdb.vector_get_data(vector, source.rowCount * width);
    if (selection === null) {
      this.data.set(bytes.subarray(from * width, (from + count) * width), at * width);
    } else {
      // Gathered as 32-bit words: as floats a NaN's payload could change, as bigints every value would allocate.
      const words = width / 4;
      const target = new Int32Array(this.data.buffer, 0, (this.data.byteLength / 4) | 0);
      const values = new Int32Array(bytes.buffer, bytes.byteOffset, source.rowCount * words);
      for (let i = 0; i < count; i++) {
        const r = selection[from + i]! * words;
        const to = (at + i) * words;
        for (let w = 0; w < words; w++) target[to + w] = values[r + w]!;
      }
    }
    this.nulls.copy(vector, source.rowCount, selection, from, count, at);
  }

  seal(rows: number): Data[] {
    // A full batch hands its buffer over; the last, partial one is copied to its length.
    const bytes = rows === BATCH_ROWS ? this.data : this.data.slice(0, rows * this.width);
    this.data = new Uint8Array(BATCH_ROWS * this.width);
    return [makeData({ type: this.type, length: rows, ...this.nulls.take(), data: new this.Values(bytes.buffer as ArrayBuffer, 0, rows) } as never)];
  }
}

/** DuckDB keeps a byte per boolean, Arrow a bit. */
class BooleanBuilder implements ColumnBuilder {
  private bits = new Uint8Array(BATCH_ROWS / 8);
  private readonly nulls = new NullBits();

  append(source: ChunkColumn, selection: Int32Array | null, from: number, count: number, at: number): void {
    const vector = rawVector(source);
    const bytes = duckdb.vector_get_data(vector, source.rowCount);
    for (let i = 0; i < count; i++) {
      const r = selection === null ? from + i : selection[from + i]!;
      if (bytes[r] !== 0) this.bits[(at + i) >> 3]! |= 1 << ((at + i) & 7);
    }
    this.nulls.copy(vector, source.rowCount, selection, from, count, at);
  }

  seal(rows: number): Data[] {
    const data = this.bits.slice(0, Math.ceil(rows / 8));
    this.bits = new Uint8Array(BATCH_ROWS / 8);
    return [makeData({ type: new Bool(), length: rows, ...this.nulls.take(), data } as never)];
  }
}

/**
 * Strings and blobs: DuckDB's 16-byte string entries (length, then the bytes inline up to 12, else a prefix and a
 * pointer) become Arrow offsets and one byte buffer; UTF-8 stays UTF-8, nothing is decoded.
 */
class BytesBuilder implements ColumnBuilder {
  private offsets = new Int32Array(BATCH_ROWS + 1);
  private bytes = new Uint8Array(1 << 20);
  private used = 0;
  private readonly nulls = new NullBits();

  constructor(private readonly type: Utf8 | Binary) {}

  append(source: ChunkColumn, selection: Int32Array | null, from: number, count: number, at: number): void {
    const vector = rawVector(source);
    const entries = duckdb.vector_get_data(vector, source.rowCount * 16);
    const view = new DataView(entries.buffer, entries.byteOffset, entries.byteLength);
    const mask = duckdb.vector_get_validity(vector, Math.ceil(source.rowCount / 64) * 8);
    const hasNulls = mask !== null && mask !== undefined && mask.length > 0;
    for (let i = 0; i < count; i++) {
      const r = selection === null ? from + i : selection[from + i]!;
      if (hasNulls && (mask[r >> 3]! & (1 << (r & 7))) === 0) {
        this.nulls.setNull(at + i);
      } else {
        const length = view.getUint32(r * 16, true);
        this.reserve(length);
        if (length <= 12) {
          // Byte by byte: a view of up to 12 bytes would cost more than the copy.
          const start = r * 16 + 4;
          for (let k = 0; k < length; k++) this.bytes[this.used + k] = entries[start + k]!;
        } else {
          this.bytes.set(duckdb.get_data_from_pointer(entries.buffer as ArrayBuffer, entries.byteOffset + r * 16 + 8, length), this.used);
        }
        this.used += length;
      }
      this.offsets[at + i + 1] = this.used;
    }
  }

  seal(rows: number): Data[] {
    const valueOffsets = this.offsets.slice(0, rows + 1);
    const data = this.bytes.slice(0, this.used);
    this.offsets = new Int32Array(BATCH_ROWS + 1);
    this.used = 0;
    return [makeData({ type: this.type, length: rows, ...this.nulls.take(), valueOffsets, data } as never)];
  }

  private reserve(length: number): void {
    if (this.used + length <= this.bytes.length) return;
    const grown = new Uint8Array(Math.max(this.bytes.length * 2, this.used + length));
    grown.set(this.bytes.subarray(0, this.used));
    this.bytes = grown;
  }
}

/** Any other column: canonical values (the row path's conversion), built into an Arrow column per batch. */
class ValueBuilder implements ColumnBuilder {
  private values: unknown[] = [];

  constructor(
    private readonly type: FeatureType,
    private readonly convert: FromDuckDBValue,
  ) {}

  append(source: ChunkColumn, selection: Int32Array | null, from: number, count: number): void {
    const vector = source.chunk.getColumnVector(source.column);
    for (let i = 0; i < count; i++) this.values.push(this.convert(vector.getItem(selection === null ? from + i : selection[from + i]!)));
  }

  seal(): Data[] {
    const vector = arrowVectorOf(this.type, this.values);
    this.values = [];
    return [...vector.data];
  }
}
