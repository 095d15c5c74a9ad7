import type { ArrayElementType, FeatureType } from './feature-type.js';
import { formatFeatureType } from './feature-type.js';
import { MAX_EPOCH_MICROS, MIN_EPOCH_MICROS, MIN_EPOCH_SECOND, MAX_EPOCH_SECOND, formatEpochDay, parseDateText, parseTimestampText } from './calendar.js';

/**
 * Where values come from, which decides what a coercer accepts besides the canonical forms:
 * - `js`: JavaScript values as an application builds them; a string is never read as a number or a boolean.
 * - `text`: values that went through text (CSV fields, NDJSON/JSON values): numeric strings are numbers,
 *   `true`/`false` are booleans, base64 is binary, JSON arrays are arrays, and any scalar is a string.
 */
export type ValueSource = 'js' | 'text';

export interface CoercionOptions {
  source: ValueSource;
}

/**
 * Turns one input value into its canonical form (see feature-type.ts), or returns null for null/undefined (whether
 * null is allowed is the row validator's decision). A refused value throws a **string**, the reason: no Error (and
 * no stack trace) is built per refused value; the row validator wraps the first reason into an
 * InvalidFeatureDataError naming row and column. Callers other than the validator check `typeof caught === 'string'`.
 */
export type ValueCoercer = (value: unknown) => unknown;

/**
 * The coercer for one feature type. Call it once per column per batch: most coercers are shared functions, decimal
 * and array coercers are built here, so the per-value path allocates nothing beyond the canonical value itself.
 *
 * Accepted inputs, per type (js / text):
 * - boolean: boolean / also `true`, `false`, `1`, `0` (any case, as strings or numbers)
 * - int: integer number or bigint in int32 / also integer-valued numeric strings
 * - bigint: safe-integer number, bigint in int64, integer string / also integer-valued numeric strings
 * - float, double: finite number / also numeric strings. NaN and ±Infinity are refused: use null. A float larger
 *   than float32's range is refused; a float is not rounded to float32 (the stores do that on write).
 * - decimal(p,s): number, bigint or numeric string (exponents allowed), exact: more than s significant fraction
 *   digits or more than p-s integer digits is refused, never rounded
 * - string: string / any scalar, written as text
 * - binary: Buffer, Uint8Array, ArrayBuffer / also base64 strings
 * - date: `YYYY-MM-DD` (a real calendar day) or a Date (its UTC day)
 * - timestamp: a Date; an ISO-8601 string (see parseTimestampText); a number of epoch **milliseconds** (fractional
 *   milliseconds allowed, rounded to the microsecond: a float carries no more); a bigint of epoch **microseconds**
 *   (the canonical unit, what Arrow and Parquet readers hand over exactly). Years 0001–9999.
 * - array<T>: an array or typed array of T, no null elements / also a JSON array string. An array whose elements are
 *   already canonical is returned as it is, not copied (an embedding is not duplicated per insert).
 */
export function coercerFor(type: FeatureType, options: CoercionOptions): ValueCoercer {
  const text = options.source === 'text';
  switch (type.kind) {
    case 'boolean':
      return text ? booleanFromText : booleanFromJs;
    case 'int':
      return text ? intFromText : intFromJs;
    case 'bigint':
      return text ? bigintFromText : bigintFromJs;
    case 'float':
      return text ? floatFromText : floatFromJs;
    case 'double':
      return text ? doubleFromText : doubleFromJs;
    case 'decimal':
      return decimalCoercer(type.precision, type.scale);
    case 'string':
      return text ? stringFromText : stringFromJs;
    case 'binary':
      return text ? binaryFromText : binaryFromJs;
    case 'date':
      return text ? dateFromText : dateFromJs;
    case 'timestamp':
      return text ? timestampFromText : timestampFromJs;
    case 'array':
      return arrayCoercer(type.element, text);
    default:
      throw new TypeError(`no coercer for feature type ${formatFeatureType(type)}`);
  }
}

/**
 * The coercer for a feature fed by a typed input column (Arrow, Parquet) of another type, when that input's values
 * are not the feature's own forms; undefined when `coercerFor` with the input's source is right. Today: a decimal
 * column (which the readers hand over as exact text) into a numeric feature is read as its number, as Hopsworks
 * casts decimals when the feature is a double: the nearest float or double (exact whenever the decimal is), the
 * integer itself for int and bigint (a fraction is refused). A refusal names the input's decimal type.
 */
export function coercerFromColumn(type: FeatureType, column: FeatureType): ValueCoercer | undefined {
  if (column.kind !== 'decimal' || !['int', 'bigint', 'float', 'double'].includes(type.kind)) return undefined;
  const fromText = coercerFor(type, { source: 'text' });
  return (value: unknown) => {
    try {
      return fromText(value);
    } catch (reason) {
      if (typeof reason !== 'string') throw reason;
      throw `the ${formatFeatureType(column)} value ${String(value)} does not fit the ${formatFeatureType(type)} feature: ${reason}`;
    }
  };
}

// ---- boolean -------------------------------------------------------------------------------------------------------

function booleanFromJs(value: unknown): boolean | null {
  if (typeof value === 'boolean') return value;
  if (value === null || value === undefined) return null;
  throw expected('a boolean', value);
}

function booleanFromText(value: unknown): boolean | null {
  if (typeof value === 'boolean') return value;
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') {
    const t = value.trim().toLowerCase();
    if (t === 'true' || t === '1') return true;
    if (t === 'false' || t === '0') return false;
  } else if (value === 1 || value === 0) {
    return value === 1;
  }
  throw expected('a boolean (true, false, 1 or 0)', value);
}

// ---- int (32-bit) --------------------------------------------------------------------------------------------------

const INT32_MIN = -2_147_483_648;
const INT32_MAX = 2_147_483_647;

function intFromJs(value: unknown): number | null {
  if (typeof value === 'number') return int32(value);
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint') return int32FromBigint(value);
  throw expected('an int (32-bit integer)', value);
}

function intFromText(value: unknown): number | null {
  if (typeof value === 'number') return int32(value);
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return int32(numberFromText(value, 'an int (32-bit integer)'));
  if (typeof value === 'bigint') return int32FromBigint(value);
  throw expected('an int (32-bit integer)', value);
}

function int32(value: number): number {
  // `| 0` also turns -0 into 0, so that equal keys have one form.
  if ((value | 0) === value) return value | 0;
  if (Number.isInteger(value)) throw `${value} is outside the int range ${INT32_MIN}..${INT32_MAX}: use bigint`;
  throw nonInteger('an int', value);
}

function int32FromBigint(value: bigint): number {
  if (value >= BigInt(INT32_MIN) && value <= BigInt(INT32_MAX)) return Number(value);
  throw `${value} is outside the int range ${INT32_MIN}..${INT32_MAX}: use bigint`;
}

// ---- bigint (64-bit) -----------------------------------------------------------------------------------------------

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const SAFE_MIN = BigInt(Number.MIN_SAFE_INTEGER);
const SAFE_MAX = BigInt(Number.MAX_SAFE_INTEGER);
const INTEGER_TEXT = /^[+-]?\d+$/;

function bigintFromJs(value: unknown): number | bigint | null {
  if (typeof value === 'number') return safeInteger(value);
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint') return canonicalInt64(value);
  if (typeof value === 'string' && INTEGER_TEXT.test(value)) return int64FromText(value);
  throw expected('a bigint (64-bit integer: a safe-integer number, a bigint or an integer string)', value);
}

function bigintFromText(value: unknown): number | bigint | null {
  if (typeof value === 'number') return safeInteger(value);
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') {
    const t = value.trim();
    // Integer text is read exactly, whatever its size; other numeric text ("1.0", "1e3") through a double.
    if (INTEGER_TEXT.test(t)) return int64FromText(t);
    return safeInteger(numberFromText(t, 'a bigint (64-bit integer)'));
  }
  if (typeof value === 'bigint') return canonicalInt64(value);
  throw expected('a bigint (64-bit integer)', value);
}

/** Integer text of up to 15 digits is below 2^53 and read as a number directly, sparing a bigint per value. */
function int64FromText(text: string): number | bigint {
  if (text.length <= 15) return Number(text) + 0; // + 0: "-0" becomes 0
  return canonicalInt64(BigInt(text));
}

function safeInteger(value: number): number {
  if (Number.isSafeInteger(value)) return value + 0; // + 0: -0 becomes 0
  if (Number.isInteger(value)) {
    throw `${value} is beyond 2^53 where a JavaScript number is no longer exact: pass a bigint or an integer string`;
  }
  throw nonInteger('a bigint', value);
}

/** The canonical form of a 64-bit integer: a number while that is exact, the bigint itself beyond. */
export function canonicalInt64(value: bigint): number | bigint {
  if (value >= SAFE_MIN && value <= SAFE_MAX) return Number(value);
  if (value >= INT64_MIN && value <= INT64_MAX) return value;
  throw `${value} is outside the bigint (64-bit) range ${INT64_MIN}..${INT64_MAX}`;
}

// ---- float, double -------------------------------------------------------------------------------------------------

/** The largest finite float32; anything larger would become Infinity in a FLOAT column. */
const FLOAT32_MAX = 3.4028234663852886e38;
const NUMERIC_TEXT = /^\s*[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\s*$/;

function doubleFromJs(value: unknown): number | null {
  if (typeof value === 'number') return finite(value);
  if (value === null || value === undefined) return null;
  throw expected('a double (a finite number)', value);
}

function doubleFromText(value: unknown): number | null {
  if (typeof value === 'number') return finite(value);
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return numberFromText(value, 'a double');
  throw expected('a double (a finite number)', value);
}

function floatFromJs(value: unknown): number | null {
  if (typeof value === 'number') return float32Range(finite(value));
  if (value === null || value === undefined) return null;
  throw expected('a float (a finite number)', value);
}

function floatFromText(value: unknown): number | null {
  if (typeof value === 'number') return float32Range(finite(value));
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return float32Range(numberFromText(value, 'a float'));
  throw expected('a float (a finite number)', value);
}

function finite(value: number): number {
  if (Number.isFinite(value)) return value;
  throw notFinite(value);
}

function float32Range(value: number): number {
  if (value <= FLOAT32_MAX && value >= -FLOAT32_MAX) return value;
  throw `${value} is beyond the float (32-bit) range ±${FLOAT32_MAX}: use double`;
}

/** A finite number from numeric text; NaN and Infinity spelled out get the NaN rule, not "not a number". */
function numberFromText(text: string, what: string): number {
  if (NUMERIC_TEXT.test(text)) return finite(Number(text));
  const t = text.trim().toLowerCase();
  if (t === 'nan' || t === 'inf' || t === '+inf' || t === '-inf' || t === 'infinity' || t === '+infinity' || t === '-infinity') {
    throw notFinite(t.startsWith('-') ? -Infinity : t === 'nan' ? NaN : Infinity);
  }
  throw expected(what, text);
}

function notFinite(value: number): string {
  return `${value} is refused: features hold finite numbers only (MySQL/RonDB cannot store NaN or Infinity); use null for a missing value`;
}

// ---- decimal(p,s) --------------------------------------------------------------------------------------------------

const DECIMAL_TEXT = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

/**
 * Decimals are exact: the value is read from its digits (a number through its shortest round-trip text, which is
 * what the user typed), and canonical text always has exactly `scale` fraction digits, as DuckDB and MySQL print them.
 */
function decimalCoercer(precision: number, scale: number): ValueCoercer {
  const typeName = `decimal(${precision},${scale})`;
  const maxIntegerDigits = precision - scale;
  return (value: unknown): string | null => {
    let text: string;
    if (typeof value === 'string') text = value.trim();
    else if (typeof value === 'number') text = String(finite(value));
    else if (value === null || value === undefined) return null;
    else if (typeof value === 'bigint') text = value.toString();
    else throw expected(`a ${typeName} (a number or a numeric string)`, value);
    const match = DECIMAL_TEXT.exec(text);
    if (match === null || (match[2]!.length === 0 && (match[3] ?? '').length === 0)) throw expected(`a ${typeName}`, value);
    const negative = match[1] === '-';
    const integerText = match[2]!;
    const digits = integerText + (match[3] ?? '');
    const exponent = match[4] === undefined ? 0 : Number(match[4]);
    let first = 0;
    while (first < digits.length && digits.charCodeAt(first) === 48) first++;
    if (first === digits.length) return scale === 0 ? '0' : `0.${'0'.repeat(scale)}`;
    let last = digits.length - 1;
    while (digits.charCodeAt(last) === 48) last--;
    // The decimal point sits before digits[point]; the significant digits are digits[first..last].
    const point = integerText.length + exponent;
    const integerDigits = Math.max(0, point - first);
    const fractionDigits = Math.max(0, last + 1 - point);
    if (fractionDigits > scale) {
      throw `${preview(value)} has ${fractionDigits} fraction digits; ${typeName} holds ${scale}: round it before inserting (Humle does not round silently)`;
    }
    if (integerDigits > maxIntegerDigits) {
      throw `${preview(value)} has ${integerDigits} integer digits; ${typeName} holds ${maxIntegerDigits}`;
    }
    const integerPart = integerDigits === 0 ? '0' : digitRange(digits, first, point);
    const fractionPart = scale === 0 ? '' : `.${digitRange(digits, point, point + scale)}`;
    return `${negative ? '-' : ''}${integerPart}${fractionPart}`;
  };
}

/** digits[from..to), with zeros where the range runs before or past the digits (bounded by the checked precision). */
function digitRange(digits: string, from: number, to: number): string {
  let out = '';
  for (let i = from; i < to; i++) out += i >= 0 && i < digits.length ? digits[i] : '0';
  return out;
}

// ---- string --------------------------------------------------------------------------------------------------------

function stringFromJs(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (value === null || value === undefined) return null;
  throw expected('a string', value);
}

function stringFromText(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (value === null || value === undefined) return null;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  throw expected('a string', value);
}

// ---- binary --------------------------------------------------------------------------------------------------------

const BASE64_TEXT = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}(?:==)?|[A-Za-z0-9+/]{3}=?)?$/;

function binaryFromJs(value: unknown): Buffer | null {
  if (Buffer.isBuffer(value)) return value;
  if (value === null || value === undefined) return null;
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  if (value instanceof ArrayBuffer) return Buffer.from(value);
  throw expected('binary (a Buffer or Uint8Array)', value);
}

function binaryFromText(value: unknown): Buffer | null {
  if (typeof value === 'string') {
    if (BASE64_TEXT.test(value)) return Buffer.from(value, 'base64');
    throw expected('binary as base64 text', value);
  }
  return binaryFromJs(value);
}

// ---- date ----------------------------------------------------------------------------------------------------------

function dateFromJs(value: unknown): string | null {
  if (typeof value === 'string') return parseDateText(value);
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return dateOfDate(value);
  throw expected('a date (YYYY-MM-DD or a Date)', value);
}

function dateFromText(value: unknown): string | null {
  if (typeof value === 'string') return parseDateText(value.trim());
  return dateFromJs(value);
}

const MILLIS_PER_DAY = 86_400_000;

function dateOfDate(value: Date): string {
  const millis = value.getTime();
  if (Number.isNaN(millis)) throw 'an invalid Date (its time is NaN)';
  if (millis < MIN_EPOCH_SECOND * 1000 || millis > MAX_EPOCH_SECOND * 1000 + 999) throw `${value.toISOString()} is outside the supported years 0001–9999`;
  return formatEpochDay(Math.floor(millis / MILLIS_PER_DAY));
}

// ---- timestamp -----------------------------------------------------------------------------------------------------

const MIN_EPOCH_MILLIS = MIN_EPOCH_SECOND * 1000;
const MAX_EPOCH_MILLIS = MAX_EPOCH_SECOND * 1000 + 999;
/** Beyond this many milliseconds, microseconds exceed 2^53 and the canonical form is a bigint. */
const MAX_SAFE_MILLIS = Math.floor(Number.MAX_SAFE_INTEGER / 1000);

function timestampFromJs(value: unknown): number | bigint | null {
  if (value instanceof Date) return microsFromMillis(value.getTime(), value);
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return microsFromMillis(value, value);
  if (typeof value === 'string') return parseTimestampText(value);
  if (typeof value === 'bigint') return microsFromBigint(value);
  throw expected('a timestamp (a Date, ISO-8601 text, epoch milliseconds as a number or epoch microseconds as a bigint)', value);
}

function timestampFromText(value: unknown): number | bigint | null {
  if (typeof value === 'string') {
    const t = value.trim();
    // CSV has no numbers: digits alone are epoch milliseconds, as a JSON number would be.
    if (NUMERIC_TEXT.test(t)) return microsFromMillis(Number(t), value);
    return parseTimestampText(t);
  }
  return timestampFromJs(value);
}

function microsFromMillis(millis: number, original: unknown): number | bigint {
  if (!Number.isFinite(millis)) {
    throw original instanceof Date ? 'an invalid Date (its time is NaN)' : notFinite(millis);
  }
  if (millis < MIN_EPOCH_MILLIS || millis >= MAX_EPOCH_MILLIS + 1) {
    throw `${preview(original)} (epoch milliseconds) is outside the supported range 0001-01-01 to 9999-12-31 (UTC)`;
  }
  if (Number.isInteger(millis)) {
    if (millis <= MAX_SAFE_MILLIS && millis >= -MAX_SAFE_MILLIS) return millis * 1000 + 0;
    return BigInt(millis) * 1000n;
  }
  // Split before scaling: whole milliseconds stay exact, and only the fraction is rounded to the microsecond.
  const whole = Math.floor(millis);
  const micros = Math.round((millis - whole) * 1000);
  if (whole < MAX_SAFE_MILLIS && whole > -MAX_SAFE_MILLIS) return whole * 1000 + micros;
  return microsFromBigint(BigInt(whole) * 1000n + BigInt(micros));
}

function microsFromBigint(micros: bigint): number | bigint {
  if (micros < MIN_EPOCH_MICROS || micros > MAX_EPOCH_MICROS) {
    throw `${micros} (epoch microseconds) is outside the supported range 0001-01-01 to 9999-12-31 (UTC)`;
  }
  return micros >= SAFE_MIN && micros <= SAFE_MAX ? Number(micros) : micros;
}

// ---- array<T> ------------------------------------------------------------------------------------------------------

const ELEMENT_COERCERS_JS: Record<ArrayElementType['kind'], ValueCoercer> = {
  int: intFromJs,
  bigint: bigintFromJs,
  float: floatFromJs,
  double: doubleFromJs,
  string: stringFromJs,
};

const ELEMENT_COERCERS_TEXT: Record<ArrayElementType['kind'], ValueCoercer> = {
  int: intFromText,
  bigint: bigintFromText,
  float: floatFromText,
  double: doubleFromText,
  string: stringFromText,
};

function arrayCoercer(element: ArrayElementType, text: boolean): ValueCoercer {
  const coerceElement = (text ? ELEMENT_COERCERS_TEXT : ELEMENT_COERCERS_JS)[element.kind];
  const typeName = `array<${element.kind}>`;
  return (value: unknown): unknown[] | null => {
    if (value === null || value === undefined) return null;
    let array: unknown[];
    let owned = false; // true when `array` was made here and may be written in place
    if (Array.isArray(value)) {
      array = value;
    } else if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
      array = Array.from(value as unknown as ArrayLike<unknown>);
      owned = true;
    } else if (text && typeof value === 'string') {
      array = parseJsonArray(value, typeName);
      owned = true;
    } else {
      throw expected(`an ${typeName} (an array)`, value);
    }
    let out: unknown[] | undefined = owned ? array : undefined;
    for (let i = 0; i < array.length; i++) {
      const item = array[i];
      if (item === null || item === undefined) throw `element ${i} is null: an ${typeName} holds no null elements`;
      let canonical: unknown;
      try {
        canonical = coerceElement(item);
      } catch (reason) {
        throw `element ${i}: ${String(reason)}`;
      }
      if (canonical !== item) {
        out ??= array.slice();
        out[i] = canonical;
      }
    }
    return out ?? array;
  };
}

function parseJsonArray(text: string, typeName: string): unknown[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw expected(`an ${typeName} as a JSON array`, text);
  }
  if (!Array.isArray(parsed)) throw expected(`an ${typeName} as a JSON array`, text);
  return parsed;
}

// ---- reasons -------------------------------------------------------------------------------------------------------

function expected(what: string, value: unknown): string {
  return `expected ${what}, got ${describe(value)}`;
}

function nonInteger(what: string, value: number): string {
  return Number.isFinite(value) ? `${value} is not an integer, as ${what} must be` : notFinite(value);
}

/** A value in a reason: its type and a short rendering, so "got the string '12'" tells why 12 was not accepted. */
function describe(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return `the string ${preview(value)}`;
    case 'number':
      return `the number ${value}`;
    case 'bigint':
      return `the bigint ${value}n`;
    case 'boolean':
      return `the boolean ${value}`;
    case 'object':
      if (value === null) return 'null';
      if (Array.isArray(value)) return `an array of ${value.length}`;
      if (value instanceof Date) return `the Date ${Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString()}`;
      return `an object ${value.constructor?.name ?? 'with null prototype'}`;
    default:
      return `a ${typeof value}`;
  }
}

function preview(value: unknown): string {
  if (typeof value !== 'string') return String(value);
  return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
}
