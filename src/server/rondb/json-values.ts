import { fromSqlFor } from '../../featurestore/online/online-table.js';
import { formatTimestamp } from '../../featurestore/types/calendar.js';
import type { FeatureType } from '../../featurestore/types/feature-type.js';

/** Writes one canonical feature value (never null) as JSON text. */
export type JsonWriter = (value: unknown) => string;

/**
 * JSON text of canonical feature values as RonDB's REST server writes its columns (rest-api-server README: numbers
 * for integer, float and decimal columns, strings for text, dates and times, base64 for binary):
 * - bigint: the integer's digits even past 2^53 (JSON.stringify would refuse a BigInt; rounding would change it)
 * - decimal: the exact decimal as a JSON number
 * - timestamp: `YYYY-MM-DD hh:mm:ss.ffffff` (UTC), as MySQL prints a TIMESTAMP(6) column; date: `YYYY-MM-DD`
 * - binary: base64; array: a JSON array (RonDB decodes its complex features to JSON)
 * - boolean: true / false (the vector the SDK serves has booleans)
 * Writers are chosen once per column, so a row is written without looking at types again.
 */
export function jsonWriterFor(type: FeatureType): JsonWriter {
  switch (type.kind) {
    case 'boolean':
      return (v) => (v ? 'true' : 'false');
    case 'int':
    case 'bigint':
    case 'float':
    case 'double':
    case 'decimal':
      return (v) => String(v);
    case 'timestamp':
      return (v) => {
        const iso = formatTimestamp(v as number | bigint);
        return `"${iso.slice(0, 10)} ${iso.slice(11, -1)}"`;
      };
    case 'binary':
      return (v) => `"${(v as Buffer).toString('base64')}"`;
    case 'array':
      return type.element.kind === 'bigint' ? (v) => `[${(v as unknown[]).join(',')}]` : (v) => JSON.stringify(v);
    default:
      return (v) => JSON.stringify(v);
  }
}

/** Writes a column as read from the online store (an engine value, null included) as JSON text. */
export type SqlJsonWriter = (value: unknown) => string;

export function sqlJsonWriterFor(type: FeatureType): SqlJsonWriter {
  // The commonest kinds in one step: engines give ints and doubles as numbers, strings as strings, booleans as 0 / 1.
  switch (type.kind) {
    case 'int':
    case 'double':
      return (v) => (v === null || v === undefined ? 'null' : String(Number(v)));
    case 'string':
      return (v) => (v === null || v === undefined ? 'null' : JSON.stringify(v));
    case 'boolean':
      return (v) => (v === null || v === undefined ? 'null' : Number(v) === 1 ? 'true' : 'false');
  }
  const fromSql = fromSqlFor(type);
  const write = jsonWriterFor(type);
  return (v) => (v === null || v === undefined ? 'null' : write(fromSql(v as never)));
}
