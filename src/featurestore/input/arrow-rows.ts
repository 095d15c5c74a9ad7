import type { Data, DataType, Table } from 'apache-arrow';
import { InvalidArgumentError } from '../../errors/humle-error.js';
import type { FeatureType } from '../types/feature-type.js';
import { formatEpochDay, microsFromNanos } from '../types/calendar.js';
import { scaledDecimalText } from '../types/decimal-text.js';
import type { FeatureDataBatch } from './feature-data-batch.js';

export type ArrowTableLike = Table;

/**
 * Recognises a Table by shape, not `instanceof`: an application may hold its own copy of apache-arrow, whose Table
 * class is not ours.
 */
export function isArrowTable(data: unknown): data is Table {
  if (typeof data !== 'object' || data === null) return false;
  const candidate = data as { batches?: unknown; schema?: { fields?: unknown } };
  return Array.isArray(candidate.batches) && typeof candidate.schema === 'object' && candidate.schema !== null && Array.isArray(candidate.schema.fields);
}

/** Arrow type ids (apache-arrow's `Type` enum), spelled out so that this file needs apache-arrow only for types. */
const ArrowType = {
  Int: 2,
  Float: 3,
  Binary: 4,
  Utf8: 5,
  Bool: 6,
  Decimal: 7,
  Date: 8,
  Timestamp: 10,
  List: 12,
  FixedSizeBinary: 15,
  FixedSizeList: 16,
  LargeBinary: 19,
  LargeUtf8: 20,
  LargeList: 21,
  BinaryView: 23,
  Utf8View: 24,
  Dictionary: -1,
} as const;
const TIME_UNIT_MICROS = [1_000_000n, 1_000n, 1n] as const; // SECOND, MILLISECOND, MICROSECOND; NANOSECOND divides
const DATE_UNIT_DAY = 0;
const FLOAT_PRECISION_DOUBLE = 2;

/** Reads one value (index within its Data chunk) in a form the coercers read exactly, or null. */
type ArrowValueReader = (data: Data, index: number) => unknown;

interface ArrowColumn {
  name: string;
  type: FeatureType;
  read: ArrowValueReader;
}

/**
 * An Arrow table's rows as plain objects, in batches. Values are converted to the forms the coercers take
 * exactly: int64 as bigint, timestamps as bigint microseconds (Arrow's own `get` rounds them to float
 * milliseconds and throws beyond 2^53), dates as `YYYY-MM-DD`, decimals as exact text, binary as Buffers, lists
 * as arrays. The batches carry the table's column types, so inference keeps int, float, decimal and date.
 */
export async function* readArrowRows(table: Table, batchRows: number): AsyncGenerator<FeatureDataBatch> {
  await loadArrow();
  const columns = table.schema.fields.map((field) => arrowColumn(field.name, field.type as DataType));
  const types = new Map(columns.map((c) => [c.name, c.type]));
  let rows: Record<string, unknown>[] = [];
  let offset = 0;
  for (const batch of table.batches) {
    const chunks = batch.data.children as Data[];
    for (let r = 0; r < batch.numRows; r++) {
      const row: Record<string, unknown> = {};
      for (let c = 0; c < columns.length; c++) {
        const data = chunks[c]!;
        row[columns[c]!.name] = data.getValid(r) ? columns[c]!.read(data, r) : null;
      }
      rows.push(row);
      if (rows.length === batchRows) {
        yield { rows, source: 'js', offset, types };
        offset += rows.length;
        rows = [];
      }
    }
  }
  if (rows.length > 0 || offset === 0) yield { rows, source: 'js', offset, types };
}

function arrowColumn(name: string, type: DataType): ArrowColumn {
  const scalar = scalarColumn(type);
  if (scalar !== undefined) return { name, ...scalar };
  if (type.typeId === ArrowType.List || type.typeId === ArrowType.LargeList || type.typeId === ArrowType.FixedSizeList) {
    const elementType = (type.children[0]?.type ?? null) as DataType | null;
    const element = elementType === null ? undefined : scalarColumn(elementType);
    const kind = element?.type.kind;
    if (element !== undefined && (kind === 'int' || kind === 'bigint' || kind === 'float' || kind === 'double' || kind === 'string')) {
      return { name, type: { kind: 'array', element: { kind } }, read: type.typeId === ArrowType.FixedSizeList ? readFixedSizeList(element.read) : readList(element.read) };
    }
  }
  throw new InvalidArgumentError(`Arrow column '${name}' has type ${String(type)}, which no feature type holds`, { column: name, arrowType: String(type) });
}

/** The feature type and reader of a scalar Arrow type, or undefined when it is not one Humle holds. */
function scalarColumn(type: DataType): { type: FeatureType; read: ArrowValueReader } | undefined {
  const t = type as DataType & { bitWidth: number; isSigned: boolean; precision: number; scale: number; unit: number; dictionary: DataType };
  switch (type.typeId) {
    case ArrowType.Bool:
      return { type: { kind: 'boolean' }, read: readByGet };
    case ArrowType.Int:
      // Values that fit 32 signed bits are int; uint32 needs 64; uint64 may exceed int64 and is refused per value.
      if (t.bitWidth < 32 || (t.bitWidth === 32 && t.isSigned)) return { type: { kind: 'int' }, read: readByGet };
      return { type: { kind: 'bigint' }, read: readByGet };
    case ArrowType.Float:
      return { type: { kind: t.precision === FLOAT_PRECISION_DOUBLE ? 'double' : 'float' }, read: readByGet };
    case ArrowType.Utf8:
    case ArrowType.LargeUtf8:
    case ArrowType.Utf8View:
      return { type: { kind: 'string' }, read: readByGet };
    case ArrowType.Binary:
    case ArrowType.LargeBinary:
    case ArrowType.BinaryView:
    case ArrowType.FixedSizeBinary:
      return { type: { kind: 'binary' }, read: readBinary };
    case ArrowType.Decimal:
      if (t.precision > 38) return undefined;
      return { type: { kind: 'decimal', precision: t.precision, scale: t.scale }, read: readDecimal(t.scale, t.bitWidth / 32) };
    case ArrowType.Date:
      return { type: { kind: 'date' }, read: t.unit === DATE_UNIT_DAY ? readDateDay : readDateMillisecond };
    case ArrowType.Timestamp:
      return { type: { kind: 'timestamp' }, read: t.unit < 3 ? readTimestamp(TIME_UNIT_MICROS[t.unit as 0 | 1 | 2]) : readTimestampNanosecond };
    case ArrowType.Dictionary: {
      const values = scalarColumn(t.dictionary);
      return values === undefined ? undefined : { type: values.type, read: readByGet };
    }
    default:
      return undefined;
  }
}

/** Arrow's own getter, for types whose JavaScript value is already exact (numbers, int64 bigints, strings). */
function readByGet(data: Data, index: number): unknown {
  return vectorOf(data).get(index);
}

/** One Vector per Data chunk, made on first use: `get` lives on Vector, and chunks are read row after row. */
const vectors = new WeakMap<Data, { get(index: number): unknown }>();
let VectorClass: (new (data: Data[]) => { get(index: number): unknown }) | undefined;

function vectorOf(data: Data): { get(index: number): unknown } {
  let vector = vectors.get(data);
  if (vector === undefined) {
    vector = new VectorClass!([data]);
    vectors.set(data, vector);
  }
  return vector;
}

/** Loads apache-arrow's Vector class once, when a table is read: importing this file must not load apache-arrow. */
async function loadArrow(): Promise<void> {
  VectorClass ??= (await import('apache-arrow')).Vector as unknown as typeof VectorClass;
}

function readBinary(data: Data, index: number): Buffer {
  const bytes = vectorOf(data).get(index) as Uint8Array;
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function readDecimal(scale: number, wordsPerValue: number): ArrowValueReader {
  return (data, index) => {
    // Little-endian 32-bit words of a two's-complement integer: the unscaled value.
    const words = data.values as Uint32Array;
    const start = index * wordsPerValue;
    let unscaled = 0n;
    for (let w = wordsPerValue - 1; w >= 0; w--) unscaled = (unscaled << 32n) | BigInt(words[start + w]!);
    unscaled = BigInt.asIntN(wordsPerValue * 32, unscaled);
    return scaledDecimalText(unscaled, scale);
  };
}

function readDateDay(data: Data, index: number): string {
  return formatEpochDay((data.values as Int32Array)[index]!);
}

function readDateMillisecond(data: Data, index: number): string {
  return formatEpochDay(Math.floor(Number((data.values as BigInt64Array)[index]!) / 86_400_000));
}

function readTimestamp(microsPerUnit: bigint): ArrowValueReader {
  return (data, index) => (data.values as BigInt64Array)[index]! * microsPerUnit;
}

function readTimestampNanosecond(data: Data, index: number): bigint | string {
  return microsFromNanos((data.values as BigInt64Array)[index]!);
}

/**
 * A list's elements straight from its child data (one cached reader per chunk, not a Vector per row), as an array
 * with null for null elements (which the array coercer refuses by position).
 */
function readList(readElement: ArrowValueReader): ArrowValueReader {
  return (data, index) => {
    const child = data.children[0]!;
    const offsets = data.valueOffsets as Int32Array | BigInt64Array;
    const begin = Number(offsets[index]);
    const end = Number(offsets[index + 1]);
    const out: unknown[] = new Array(end - begin);
    for (let e = begin; e < end; e++) out[e - begin] = child.getValid(e) ? readElement(child, e) : null;
    return out;
  };
}

/** Fixed-size lists (rare: fixed-dimension embeddings) through Arrow's getter, which slices the child per value. */
function readFixedSizeList(readElement: ArrowValueReader): ArrowValueReader {
  return (data, index) => {
    const list = vectorOf(data).get(index) as { data: Data[]; length: number };
    const out: unknown[] = new Array(list.length);
    let i = 0;
    for (const chunk of list.data) {
      for (let e = 0; e < chunk.length; e++) out[i++] = chunk.getValid(e) ? readElement(chunk, e) : null;
    }
    return out;
  };
}
