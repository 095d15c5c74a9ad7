import { InvalidArgumentError } from '../../errors/humle-error.js';

/**
 * The type of a feature, with Hive/HSFS names (`bigint`, `decimal(10,2)`, `array<double>`) so that a Hopsworks
 * user writes the types they know.
 *
 * Canonical JavaScript values, the one form a value has inside Humle after validation (online rows, Parquet
 * writes, reads):
 * - boolean: `boolean`
 * - int: `number`, a 32-bit integer
 * - bigint: `number` while it is a safe integer (|v| <= 2^53 - 1), `bigint` beyond that (64-bit range)
 * - float, double: `number`, finite (NaN and ±Infinity are refused: MySQL/RonDB columns cannot hold them; use null)
 * - decimal(p,s): `string`, the exact decimal in plain notation with at most `s` fraction digits
 * - string: `string`
 * - binary: `Buffer`
 * - date: `string` `YYYY-MM-DD`
 * - timestamp: microseconds since 1970-01-01T00:00:00Z (UTC), years 0001–9999: a `number` while it is a safe integer
 *   (about 1685–2255), a `bigint` beyond, as for bigint: a number cannot hold microseconds exactly past 2^53
 * - array<T>: an array of canonical T values (no null elements)
 * Every feature may be null unless it is part of the primary key or the event time.
 */
export type FeatureType =
  | { kind: 'boolean' }
  | { kind: 'int' }
  | { kind: 'bigint' }
  | { kind: 'float' }
  | { kind: 'double' }
  | { kind: 'decimal'; precision: number; scale: number }
  | { kind: 'string' }
  | { kind: 'binary' }
  | { kind: 'date' }
  | { kind: 'timestamp' }
  | { kind: 'array'; element: ArrayElementType };

export type ArrayElementType = { kind: 'int' } | { kind: 'bigint' } | { kind: 'float' } | { kind: 'double' } | { kind: 'string' };

const SIMPLE_KINDS = new Set(['boolean', 'int', 'bigint', 'float', 'double', 'string', 'binary', 'date', 'timestamp']);
const ELEMENT_KINDS = new Set(['int', 'bigint', 'float', 'double', 'string']);
/** Largest decimal precision: what Parquet's FIXED_LEN_BYTE_ARRAY decimals, DuckDB and MySQL all hold. */
export const MAX_DECIMAL_PRECISION = 38;

/** Parses a type as written in HSFS (`int`, `decimal(10,2)`, `array<float>`), case-insensitive, spaces allowed. */
export function parseFeatureType(text: string): FeatureType {
  if (typeof text !== 'string') throw new InvalidArgumentError('a feature type must be a string', { type: text });
  const t = text.trim().toLowerCase();
  if (SIMPLE_KINDS.has(t)) return { kind: t } as FeatureType;
  const decimal = /^decimal\s*\(\s*(\d+)\s*,\s*(\d+)\s*\)$/.exec(t);
  if (decimal) {
    const precision = Number(decimal[1]);
    const scale = Number(decimal[2]);
    if (precision < 1 || precision > MAX_DECIMAL_PRECISION || scale > precision) {
      throw new InvalidArgumentError(`decimal precision must be 1..${MAX_DECIMAL_PRECISION} and scale 0..precision: ${text}`, { type: text });
    }
    return { kind: 'decimal', precision, scale };
  }
  const array = /^array\s*<\s*([a-z]+)\s*>$/.exec(t);
  if (array) {
    const element = array[1]!;
    if (!ELEMENT_KINDS.has(element)) {
      throw new InvalidArgumentError(`arrays hold int, bigint, float, double or string, not ${element}: ${text}`, { type: text });
    }
    return { kind: 'array', element: { kind: element } as ArrayElementType };
  }
  throw new InvalidArgumentError(
    `unknown feature type ${JSON.stringify(text)}: use boolean, int, bigint, float, double, decimal(p,s), string, binary, date, timestamp or array<T>`,
    { type: text },
  );
}

/** The type's canonical text, which `parseFeatureType` reads back. */
export function formatFeatureType(type: FeatureType): string {
  switch (type.kind) {
    case 'decimal':
      return `decimal(${type.precision},${type.scale})`;
    case 'array':
      return `array<${type.element.kind}>`;
    default:
      return type.kind;
  }
}

/** Types a primary key or event time column may have: exact, comparable and indexable on every engine. */
export function isKeyType(type: FeatureType): boolean {
  return type.kind === 'int' || type.kind === 'bigint' || type.kind === 'string' || type.kind === 'date' || type.kind === 'timestamp' || type.kind === 'boolean';
}
