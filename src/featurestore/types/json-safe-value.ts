import type { FeatureType } from './feature-type.js';
import { formatTimestamp } from './calendar.js';

/** A value that survives `JSON.stringify` and `JSON.parse` unchanged. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/**
 * A canonical feature value in the form reports and statistics carry it: JSON, stored in the metadata database and
 * sent over HTTP, has no bigint, Buffer or microsecond timestamp, and a number past 2^53 is silently rounded. So:
 * - bigint (and array<bigint> elements) past 2^53: the decimal digits as a string; safe integers stay numbers
 * - timestamp: `YYYY-MM-DDThh:mm:ss.ffffffZ` (ISO 8601 with microseconds, what parseTimestampText reads back)
 * - binary: base64
 * - decimal and date: already strings (exact decimal text, `YYYY-MM-DD`)
 * Null and undefined are null.
 */
export function toJsonSafeValue(type: FeatureType, value: unknown): JsonValue {
  if (value === null || value === undefined) return null;
  switch (type.kind) {
    case 'bigint':
      return typeof value === 'bigint' ? value.toString() : (value as number);
    case 'timestamp':
      return formatTimestamp(value as number | bigint);
    case 'binary':
      return Buffer.isBuffer(value) ? value.toString('base64') : Buffer.from(value as Uint8Array).toString('base64');
    case 'array': {
      const element = type.element;
      return (value as unknown[]).map((item) => toJsonSafeValue(element, item));
    }
    default:
      return value as JsonValue;
  }
}
