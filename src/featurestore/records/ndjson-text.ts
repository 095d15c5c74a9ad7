import type { OfflineColumn } from '../offline/offline-column.js';
import type { ArrayElementType, FeatureType } from '../types/feature-type.js';
import { formatTimestamp } from '../types/calendar.js';

/**
 * One row as a line of NDJSON, from canonical values (rows read with `exactTimestamps: true`), in column order.
 * Each type has one JSON form, whatever its value:
 * - int and bigint are JSON numbers with every digit, also past 2^53 (JSON sets no limit; Python, Java and jq 1.7
 *   read them exactly, JavaScript's JSON.parse rounds them);
 * - floats are the shortest decimal that is the same float32 (0.1, not the widened 0.10000000149011612);
 * - decimals are strings, their exact digits (`"12.50"`), since most readers turn JSON numbers into doubles;
 * - timestamps are ISO-8601 in UTC with microseconds (`"2026-01-01T12:00:00.000001Z"`), dates `"YYYY-MM-DD"`;
 * - binary is base64; arrays are JSON arrays of their elements' forms.
 */
export function ndjsonLine(columns: readonly OfflineColumn[], row: Readonly<Record<string, unknown>>): string {
  let text = '{';
  for (let c = 0; c < columns.length; c++) {
    const column = columns[c]!;
    if (c > 0) text += ',';
    text += JSON.stringify(column.name) + ':' + jsonValue(column.type, row[column.name]);
  }
  return text + '}\n';
}

/** The JSON text of one canonical value of `type`. */
export function jsonValue(type: FeatureType | ArrayElementType, value: unknown): string {
  if (value === null || value === undefined) return 'null';
  switch (type.kind) {
    case 'int':
    case 'bigint':
      // A bigint past 2^53 is a JavaScript bigint, which JSON.stringify refuses: its digits are the JSON number.
      return String(value);
    case 'float':
      return floatText(value as number);
    case 'boolean':
    case 'double':
    case 'decimal':
    case 'string':
    case 'date':
      return JSON.stringify(value);
    case 'binary':
      return JSON.stringify((value as Buffer).toString('base64'));
    case 'timestamp':
      return JSON.stringify(formatTimestamp(value as number | bigint));
    case 'array': {
      const element = type.element;
      return '[' + (value as readonly unknown[]).map((item) => jsonValue(element, item)).join(',') + ']';
    }
  }
}

/**
 * A float feature's value as the shortest decimal text that reads back as the same 32-bit float. Stores hold floats
 * as float32, and a float32 widened to a double prints digits the writer never wrote (0.1 reads back as
 * 0.10000000149011612); nine significant digits always suffice for a float32.
 */
export function floatText(value: number): string {
  for (let digits = 1; digits < 9; digits++) {
    const shorter = Number(value.toPrecision(digits));
    if (Math.fround(shorter) === value) return String(shorter);
  }
  return String(value);
}
