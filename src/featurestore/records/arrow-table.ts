import {
  Binary,
  Bool,
  DateDay,
  Field,
  Float32,
  Float64,
  Int32,
  Int64,
  List,
  Table,
  TimestampMicrosecond,
  Utf8,
  makeData,
  makeVector,
  vectorFromArray,
  type DataType,
  type Vector,
} from 'apache-arrow';
import type { OfflineColumn } from '../offline/offline-column.js';
import { daysFromCivil } from '../types/calendar.js';
import type { ArrayElementType, FeatureType } from '../types/feature-type.js';

/**
 * Canonical rows as an apache-arrow Table, one column per feature (or any named, typed column) with the Arrow type a Delta reader would give it:
 * timestamps as exact microseconds (Timestamp<MICROSECOND, UTC>), dates as days (Date32), 64-bit integers as Int64,
 * arrays as lists. Decimals are Utf8 with their exact text: Arrow JS cannot build Decimal128 columns from values.
 */
export function toArrowTable(features: readonly OfflineColumn[], rows: readonly (readonly unknown[])[]): Table {
  const columns: Record<string, Vector> = {};
  features.forEach((feature, c) => {
    const values = rows.map((row) => row[c] ?? null);
    columns[feature.name] = arrowVectorOf(feature.type, values);
  });
  return new Table(columns);
}

/** One column of canonical values as an Arrow vector of the feature type's Arrow type. */
export function arrowVectorOf(type: FeatureType, values: unknown[]): Vector {
  switch (type.kind) {
    case 'timestamp':
      // Built from the raw values: Arrow JS's builders take timestamps as milliseconds and would drop microseconds.
      return fixedWidth(new TimestampMicrosecond('UTC'), values, BigInt64Array, (v) => BigInt(v as number | bigint));
    case 'date':
      return fixedWidth(new DateDay(), values, Int32Array, (v) => {
        const [year, month, day] = (v as string).split('-').map(Number);
        return daysFromCivil(year!, month!, day!);
      });
    case 'bigint':
      return vectorFromArray(values.map((v) => (v === null ? null : BigInt(v as number | bigint))), new Int64());
    case 'array': {
      const element = elementType(type.element);
      const convert = type.element.kind === 'bigint' ? (v: unknown) => BigInt(v as number | bigint) : (v: unknown) => v;
      return vectorFromArray(
        values.map((v) => (v === null ? null : (v as unknown[]).map(convert))),
        new List(new Field('element', element, false)),
      );
    }
    default:
      return vectorFromArray(values, simpleType(type));
  }
}

function simpleType(type: FeatureType): DataType {
  switch (type.kind) {
    case 'boolean':
      return new Bool();
    case 'int':
      return new Int32();
    case 'float':
      return new Float32();
    case 'double':
      return new Float64();
    case 'binary':
      return new Binary();
    default:
      // string, and decimal as its exact text
      return new Utf8();
  }
}

function elementType(element: ArrayElementType): DataType {
  switch (element.kind) {
    case 'int':
      return new Int32();
    case 'bigint':
      return new Int64();
    case 'float':
      return new Float32();
    case 'double':
      return new Float64();
    case 'string':
      return new Utf8();
  }
}

/** A fixed-width column from its raw values and a validity bitmap (Arrow's: bit set = value present). */
function fixedWidth<T extends BigInt64Array | Int32Array>(
  type: TimestampMicrosecond | DateDay,
  values: unknown[],
  Storage: { new (length: number): T },
  convert: (value: unknown) => T[number],
): Vector {
  const data = new Storage(values.length);
  const validity = new Uint8Array(Math.ceil(values.length / 8));
  let nullCount = 0;
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (value === null) {
      nullCount++;
      continue;
    }
    data[i] = convert(value);
    validity[i >> 3]! |= 1 << (i & 7);
  }
  return makeVector(makeData({ type, length: values.length, nullCount, nullBitmap: nullCount === 0 ? null : validity, data } as never));
}
