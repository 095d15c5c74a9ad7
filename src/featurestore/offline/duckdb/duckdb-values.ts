import {
  DuckDBBlobValue,
  DuckDBDateValue,
  DuckDBDecimalValue,
  DuckDBListValue,
  DuckDBTimestampTZValue,
  DuckDBTypeId,
  type DuckDBType,
  type DuckDBValue,
} from '@duckdb/node-api';
import { InvalidArgumentError } from '../../../errors/humle-error.js';
import type { FeatureType } from '../../types/feature-type.js';
import { daysFromCivil, formatEpochDay } from '../../types/calendar.js';
import { scaledDecimalText } from '../../types/decimal-text.js';
import { canonicalInt64 } from '../../types/value-coercion.js';
import { DeltaSchemaUnsupportedError } from '../offline-store-errors.js';

/**
 * The one place where canonical feature values (see `FeatureType`) and DuckDB values meet, in both directions.
 * Converters are chosen once per column, so the per-value work is a single monomorphic function call.
 */

export type ToDuckDBValue = (value: unknown) => DuckDBValue;
export type FromDuckDBValue = (value: DuckDBValue) => unknown;

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** A value that is not the canonical form of its column's type. The writer adds the row and column. */
function notCanonical(expected: string, value: unknown): never {
  const shown = typeof value === 'bigint' ? `${value}n` : Buffer.isBuffer(value) ? `<${value.length} bytes>` : JSON.stringify(value) ?? String(value);
  throw new InvalidArgumentError(`expected ${expected}, got ${typeof value} ${shown}`);
}

/** Converts a non-null canonical value of `type` to the DuckDB value the appender takes for the column. */
export function toDuckDBValueConverter(type: FeatureType): ToDuckDBValue {
  switch (type.kind) {
    case 'boolean':
      return (v) => (typeof v === 'boolean' ? v : notCanonical('a boolean', v));
    case 'int':
      return (v) => (typeof v === 'number' && Number.isInteger(v) && v >= INT32_MIN && v <= INT32_MAX ? v : notCanonical('a 32-bit integer', v));
    case 'bigint':
      return (v) => {
        if (typeof v === 'number' && Number.isSafeInteger(v)) return BigInt(v);
        if (typeof v === 'bigint' && v >= INT64_MIN && v <= INT64_MAX) return v;
        return notCanonical('a 64-bit integer (a safe-integer number or a bigint)', v);
      };
    case 'float':
    case 'double':
      return (v) => (typeof v === 'number' && Number.isFinite(v) ? v : notCanonical('a finite number', v));
    case 'decimal': {
      const { precision, scale } = type;
      return (v) => new DuckDBDecimalValue(scaledDecimal(v, precision, scale), precision, scale);
    }
    case 'string':
      return (v) => (typeof v === 'string' ? v : notCanonical('a string', v));
    case 'binary':
      return (v) => (v instanceof Uint8Array ? new DuckDBBlobValue(v) : notCanonical('a Buffer', v));
    case 'date':
      return (v) => new DuckDBDateValue(daysFromDateString(v));
    case 'timestamp':
      return (v) => {
        if (typeof v === 'number' && Number.isSafeInteger(v)) return new DuckDBTimestampTZValue(BigInt(v));
        if (typeof v === 'bigint' && v >= INT64_MIN && v <= INT64_MAX) return new DuckDBTimestampTZValue(v);
        return notCanonical('microseconds since the epoch (a safe-integer number or a bigint)', v);
      };
    case 'array': {
      const element = toDuckDBValueConverter(type.element);
      return (v) => (Array.isArray(v) ? new DuckDBListValue(v.map((item) => (item === null || item === undefined ? null : element(item)))) : notCanonical('an array', v));
    }
  }
}

const DECIMAL_TEXT = /^(-)?(\d+)(?:\.(\d+))?$/;

/** The decimal's unscaled integer (value × 10^scale), refusing more fraction digits than the scale or too many digits. */
function scaledDecimal(value: unknown, precision: number, scale: number): bigint {
  const match = typeof value === 'string' ? DECIMAL_TEXT.exec(value) : null;
  if (!match) return notCanonical(`a decimal(${precision},${scale}) string`, value);
  const [, sign, whole, fraction = ''] = match;
  if (fraction.length > scale) return notCanonical(`a decimal(${precision},${scale}) string with at most ${scale} fraction digits`, value);
  const digits = (whole!.replace(/^0+(?=\d)/, '') + fraction.padEnd(scale, '0')).replace(/^0+(?=\d)/, '');
  if (digits.length > precision) return notCanonical(`a decimal(${precision},${scale}) string with at most ${precision} digits`, value);
  const unscaled = BigInt(digits);
  return sign ? -unscaled : unscaled;
}

const DATE_TEXT = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Days since 1970-01-01 of a `YYYY-MM-DD` date, in the proleptic Gregorian calendar (as DuckDB and Parquet count). */
export function daysFromDateString(value: unknown): number {
  const match = typeof value === 'string' ? DATE_TEXT.exec(value) : null;
  if (!match) return notCanonical('a YYYY-MM-DD date', value);
  const days = daysFromCivil(Number(match[1]), Number(match[2]), Number(match[3]));
  if (formatEpochDay(days) !== value) return notCanonical('a valid calendar date', value);
  return days;
}

/**
 * Converts the DuckDB values of a column of `type` to canonical values (null stays null). Types come from the
 * Parquet files, so besides the ones Humle writes this takes what other writers use for the same feature types
 * (smaller integers, timestamps in other units, timestamps without time zone read as UTC).
 */
export function fromDuckDBValueConverter(type: DuckDBType, column: string): FromDuckDBValue {
  switch (type.typeId) {
    case DuckDBTypeId.BOOLEAN:
    case DuckDBTypeId.TINYINT:
    case DuckDBTypeId.SMALLINT:
    case DuckDBTypeId.INTEGER:
    case DuckDBTypeId.UTINYINT:
    case DuckDBTypeId.USMALLINT:
    case DuckDBTypeId.UINTEGER:
    case DuckDBTypeId.FLOAT:
    case DuckDBTypeId.DOUBLE:
    case DuckDBTypeId.VARCHAR:
      return (v) => v;
    case DuckDBTypeId.BIGINT:
    case DuckDBTypeId.UBIGINT:
    case DuckDBTypeId.HUGEINT:
      return (v) => (v === null ? null : canonicalInt64(v as bigint));
    case DuckDBTypeId.DECIMAL:
      return (v) => (v === null ? null : scaledDecimalText((v as DuckDBDecimalValue).value, (v as DuckDBDecimalValue).scale));
    case DuckDBTypeId.BLOB:
      // Copied: the bytes DuckDB hands out may live in a result chunk that is freed with it.
      return (v) => (v === null ? null : Buffer.from((v as DuckDBBlobValue).bytes));
    case DuckDBTypeId.DATE:
      return (v) => (v === null ? null : formatEpochDay((v as DuckDBDateValue).days));
    case DuckDBTypeId.TIMESTAMP_TZ:
    case DuckDBTypeId.TIMESTAMP:
      return (v) => (v === null ? null : canonicalInt64((v as { micros: bigint }).micros));
    case DuckDBTypeId.TIMESTAMP_MS:
      return (v) => (v === null ? null : canonicalInt64((v as { millis: bigint }).millis * 1000n));
    case DuckDBTypeId.TIMESTAMP_S:
      return (v) => (v === null ? null : canonicalInt64((v as { seconds: bigint }).seconds * 1_000_000n));
    case DuckDBTypeId.TIMESTAMP_NS:
      return (v) => (v === null ? null : canonicalInt64((v as { nanos: bigint }).nanos / 1000n));
    case DuckDBTypeId.LIST:
    case DuckDBTypeId.ARRAY: {
      const element = fromDuckDBValueConverter(type.valueType, column);
      return (v) => (v === null ? null : (v as { items: readonly DuckDBValue[] }).items.map(element));
    }
    default:
      return () => {
        throw new DeltaSchemaUnsupportedError(`column ${column} has DuckDB type ${type.toString()}, which no feature type matches`, { column, type: type.toString() });
      };
  }
}
