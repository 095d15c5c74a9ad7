import { InvalidFeatureDataError } from '../../errors/featurestore-errors.js';
import { InvalidArgumentError } from '../../errors/humle-error.js';
import type { FeatureType } from '../types/feature-type.js';
import type { ValueCoercer, ValueSource } from '../types/value-coercion.js';
import { coercerFor, coercerFromColumn } from '../types/value-coercion.js';
import type { Feature } from './feature.js';

export interface RowValidationOptions {
  source: ValueSource;
  /**
   * Ignore columns the features do not have instead of refusing the row: for a training-data spine, whose rows carry
   * columns of their own. Inserts refuse them (HSFS does; appendFeatures adds features).
   */
  allowNewColumns?: boolean;
  /** Added to the row index in errors, so a reader's later batches report rows of the whole input. */
  rowOffset?: number;
  /** The file line of each row (FeatureDataBatch.lines): errors name the line, which is what a person looks for. */
  lines?: readonly number[];
  /** The input's own column types (Arrow, Parquet): a decimal column feeds a numeric feature as its number. */
  types?: ReadonlyMap<string, FeatureType>;
}

export interface ValidatedRows {
  /** One array per input row, canonical values in the order of `features`; missing nullable features are null. */
  rows: unknown[][];
}

/**
 * Checks and coerces a whole batch before anything is written: every row must be a plain object, hold no column the
 * schema lacks, have its primary key and event time, and every value must coerce to its feature's type. The first
 * problem (the lowest row, then the schema's column order) throws InvalidFeatureDataError naming row, column and
 * reason; the input is never modified.
 *
 * Allocation-light on purpose (this is the ingestion hot path): coercers are chosen once per column, and per row
 * only the output array is allocated; a refused value throws a string, made into an Error once, at the end.
 */
export function validateRows(features: readonly Feature[], rows: readonly unknown[], options: RowValidationOptions): ValidatedRows {
  if (!Array.isArray(rows)) throw new InvalidArgumentError('rows must be an array of objects', { rows: typeof rows });
  const width = features.length;
  const names: string[] = new Array(width);
  const coercers: ValueCoercer[] = new Array(width);
  const required: boolean[] = new Array(width);
  // 'constructor' is a valid feature name that every object inherits: read it only as an own property.
  const inherited: boolean[] = new Array(width);
  const known = new Set<string>();
  for (let c = 0; c < width; c++) {
    const f = features[c]!;
    names[c] = f.name;
    const column = options.types?.get(f.name);
    coercers[c] = (column === undefined ? undefined : coercerFromColumn(f.type, column)) ?? coercerFor(f.type, options);
    required[c] = f.primary || f.eventTime;
    inherited[c] = f.name in Object.prototype;
    known.add(f.name);
  }
  const out: unknown[][] = new Array(rows.length);
  let r = 0;
  let column: string | null = null;
  try {
    for (; r < rows.length; r++) {
      const row = rows[r];
      column = null;
      if (!isPlainRow(row)) throw `a row must be a plain object of feature name → value, not ${describeRow(row)}`;
      if (options.allowNewColumns !== true) {
        for (const key in row) {
          if (!known.has(key)) {
            column = key;
            throw `'${key}' is not a feature of this feature group (features: ${names.join(', ')}); add it with appendFeatures, or leave it out`;
          }
        }
      }
      const values: unknown[] = new Array(width);
      for (let c = 0; c < width; c++) {
        column = names[c]!;
        const value = coercers[c]!(inherited[c] && !Object.hasOwn(row, column) ? undefined : row[column]);
        if (value === null && required[c]) {
          throw `${features[c]!.primary ? 'primary key' : 'event time'} '${column}' is ${Object.hasOwn(row, column) && row[column] === null ? 'null' : 'missing'}: every row needs it`;
        }
        values[c] = value;
      }
      out[r] = values;
    }
  } catch (reason) {
    if (typeof reason !== 'string') throw reason;
    const row = rows[r] as Record<string, unknown>;
    const value = column !== null && isPlainRow(row) && Object.hasOwn(row, column) ? row[column] : undefined;
    const line = options.lines?.[r];
    throw InvalidFeatureDataError.at(r + (options.rowOffset ?? 0), column, reason, value, line === undefined ? undefined : { line });
  }
  return { rows: out };
}

/**
 * A row is an object literal or JSON.parse output (prototype Object.prototype) or a null-prototype object; class
 * instances, arrays and Maps are refused rather than read through getters or prototype chains.
 */
export function isPlainRow(row: unknown): row is Record<string, unknown> {
  if (typeof row !== 'object' || row === null) return false;
  const proto = Object.getPrototypeOf(row);
  return proto === Object.prototype || proto === null;
}

function describeRow(row: unknown): string {
  if (row === null) return 'null';
  if (Array.isArray(row)) return 'an array';
  if (typeof row === 'object') return `an instance of ${row.constructor?.name ?? 'a class'}`;
  return `a ${typeof row}`;
}
