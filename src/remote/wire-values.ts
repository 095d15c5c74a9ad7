import { InvalidArgumentError } from '../errors/humle-error.js';
import { timeOption, type TimeLike } from '../featurestore/featureview/data-split.js';
import type { OfflineColumn } from '../featurestore/offline/offline-column.js';
import { timeOf, type PointInTime } from '../featurestore/offline/table/version-resolution.js';
import { presentRow, type RowPresentation } from '../featurestore/records/row-presentation.js';
import { formatTimestamp } from '../featurestore/types/calendar.js';
import { parseFeatureType } from '../featurestore/types/feature-type.js';
import { toJsonSafeValue } from '../featurestore/types/json-safe-value.js';
import { coercerFor } from '../featurestore/types/value-coercion.js';

/**
 * Values between the remote SDK and a Humle server. Out, in JSON bodies: JavaScript values in forms the server reads
 * back as the embedded SDK reads the originals (bigints as digits, binary as base64, times as ISO-8601 with
 * microseconds); where the type is known, values go in their canonical JSON form. In, from JSON answers: each
 * value read by its column's type, as the server wrote it (toJsonSafeValue), then presented as the embedded SDK
 * presents rows.
 */

/** JSON text of a request body: JSON.stringify, with bigints as their digits and binary as base64. */
export function wireJson(value: unknown): string {
  return JSON.stringify(value, function (this: Record<string, unknown>, key: string, current: unknown) {
    // `this[key]` is the value before its toJSON ran (a Buffer's toJSON makes a {type, data} object).
    const original = this[key];
    if (typeof original === 'bigint') return original.toString();
    if (original instanceof Uint8Array) return Buffer.from(original.buffer, original.byteOffset, original.byteLength).toString('base64');
    return current;
  });
}

/**
 * An object's values for a JSON body, those of known features in their canonical JSON form (so a bigint of epoch
 * microseconds stays a timestamp); a value its feature refuses goes as it is, for the server to refuse as the
 * embedded SDK does.
 */
export function jsonValuesFor(columns: readonly OfflineColumn[], values: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...values };
  for (const column of columns) {
    if (values[column.name] !== undefined && values[column.name] !== null) out[column.name] = jsonValueFor(column, values[column.name]);
  }
  return out;
}

/** One value of a known column in its canonical JSON form; as it is when the column's type refuses it. */
export function jsonValueFor(column: OfflineColumn, value: unknown): unknown {
  try {
    return toJsonSafeValue(column.type, coercerFor(column.type, { source: 'js' })(value));
  } catch (reason) {
    if (typeof reason !== 'string') throw reason;
    return value;
  }
}

/** A point of a feature group's history as a query parameter: a commit id's digits, or a time in ISO-8601 (UTC). */
export function pointParam(point: PointInTime | undefined): string | undefined {
  if (point === undefined) return undefined;
  if (typeof point === 'number') {
    if (!Number.isSafeInteger(point) || point < 0) throw new InvalidArgumentError('a commit id is a non-negative integer', { commitId: point });
    return String(point);
  }
  return new Date(timeOf(point)).toISOString();
}

/** A time option (a Date, ISO text, epoch milliseconds or bigint microseconds) as ISO-8601 with microseconds. */
export function timeParam(value: TimeLike | undefined, what: string): string | undefined {
  const micros = timeOption(value, what);
  return micros === null ? undefined : formatTimestamp(micros);
}

/** A column of a JSON answer: a name and a feature type in its text form. */
export interface JsonColumn {
  name: string;
  type: string;
}

/** The typed columns of a JSON answer. */
export function columnsOfJson(columns: readonly JsonColumn[]): OfflineColumn[] {
  return columns.map((c) => ({ name: c.name, type: parseFeatureType(c.type) }));
}

/** A JSON answer's values (in column order) as the embedded SDK hands them out. */
export function presentJsonValues(columns: readonly OfflineColumn[], values: readonly unknown[], options: RowPresentation): Record<string, unknown> {
  return presentRow(
    columns,
    columns.map((c, i) => coercerFor(c.type, { source: 'text' })(values[i])),
    options,
  );
}
