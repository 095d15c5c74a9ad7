import type { Feature } from '../schema/feature.js';
import { encodeKey } from '../records/record-key.js';
import { compareDecimalText } from '../types/decimal-order.js';
import type { FeatureType } from '../types/feature-type.js';
import { toJsonSafeValue, type JsonValue } from '../types/json-safe-value.js';
import { canonicalValue, compileRegex, parseExpectation, type Expectation } from './expectation.js';

/** The outcome of one expectation over a batch (GE's ExpectationValidationResult, camelCased). */
export interface ExpectationResult {
  expectation: Expectation;
  success: boolean;
  /** Rows in the batch. */
  elementCount: number;
  /** Rows not evaluated: a null value (for `unique`, a null among the features). Always 0 for `notNull`. */
  missingCount: number;
  unexpectedCount: number;
  /** 100 × unexpectedCount / evaluated rows (elementCount − missingCount); 0 when none was evaluated. */
  unexpectedPercent: number;
  /** The first unexpected values (at most PARTIAL_UNEXPECTED_LIMIT), JSON-safe; for `unique`, objects by feature. */
  partialUnexpectedList: JsonValue[];
  /** Their row indexes in the batch. */
  partialUnexpectedIndexList: number[];
  /** `between`: the {min, max} of the evaluated values; `unique`: the number of distinct combinations. */
  observedValue?: JsonValue;
}

export const PARTIAL_UNEXPECTED_LIMIT = 10;

/** An expectation bound to a feature list, ready to run over batches of canonical rows in that feature order. */
export type ExpectationCheck = (rows: readonly (readonly unknown[])[]) => ExpectationResult;

/**
 * Compiles an expectation against the features: re-checks it (the features may be known only now), resolves
 * feature positions, converts bounds and set members to canonical values and builds the regex, so that running it
 * is one tight pass over the rows that allocates only for unexpected values (and, for `unique`, the seen keys).
 */
export function compileExpectation(input: Expectation, index: number, features: readonly Feature[]): ExpectationCheck {
  const expectation = parseExpectation(input, index, features);
  const mostly = expectation.mostly ?? 1;
  const position = (name: string) => features.findIndex((f) => f.name === name);
  switch (expectation.kind) {
    case 'notNull': {
      const c = position(expectation.feature);
      const type = features[c]!.type;
      return (rows) => {
        const tally = new Tally();
        for (let r = 0; r < rows.length; r++) {
          const v = rows[r]![c];
          if (v === null || v === undefined) tally.unexpected(null, r);
        }
        return tally.result(expectation, mostly, rows.length, 0, type);
      };
    }
    case 'between': {
      const c = position(expectation.feature);
      const type = features[c]!.type;
      const compare = comparatorFor(type);
      const min = expectation.min === undefined ? undefined : canonicalValue(expectation.min, type, index, 'between', 'min');
      const max = expectation.max === undefined ? undefined : canonicalValue(expectation.max, type, index, 'between', 'max');
      const lowest = expectation.strictMin ? 1 : 0; // compare(v, min) must be >= this
      const highest = expectation.strictMax ? -1 : 0; // compare(v, max) must be <= this
      return (rows) => {
        const tally = new Tally();
        let missing = 0;
        let observedMin: unknown = undefined;
        let observedMax: unknown = undefined;
        for (let r = 0; r < rows.length; r++) {
          const v = rows[r]![c];
          if (v === null || v === undefined) {
            missing++;
            continue;
          }
          if (observedMin === undefined || compare(v, observedMin) < 0) observedMin = v;
          if (observedMax === undefined || compare(v, observedMax) > 0) observedMax = v;
          if ((min !== undefined && compare(v, min) < lowest) || (max !== undefined && compare(v, max) > highest)) tally.unexpected(v, r);
        }
        const result = tally.result(expectation, mostly, rows.length, missing, type);
        result.observedValue = { min: toJsonSafeValue(type, observedMin), max: toJsonSafeValue(type, observedMax) };
        return result;
      };
    }
    case 'inSet': {
      const c = position(expectation.feature);
      const type = features[c]!.type;
      // Canonical forms are unique per value (a bigint is a number while safe; decimals carry exactly their scale),
      // so set membership is exact with SameValueZero.
      const allowed = new Set(expectation.values.map((v, i) => canonicalValue(v, type, index, 'inSet', `values[${i}]`)));
      return (rows) => {
        const tally = new Tally();
        let missing = 0;
        for (let r = 0; r < rows.length; r++) {
          const v = rows[r]![c];
          if (v === null || v === undefined) missing++;
          else if (!allowed.has(v)) tally.unexpected(v, r);
        }
        return tally.result(expectation, mostly, rows.length, missing, type);
      };
    }
    case 'matchesRegex': {
      const c = position(expectation.feature);
      const type = features[c]!.type;
      const regex = compileRegex(expectation.pattern, expectation.flags, index);
      return (rows) => {
        const tally = new Tally();
        let missing = 0;
        for (let r = 0; r < rows.length; r++) {
          const v = rows[r]![c];
          if (v === null || v === undefined) missing++;
          else if (!regex.test(v as string)) tally.unexpected(v, r);
        }
        return tally.result(expectation, mostly, rows.length, missing, type);
      };
    }
    case 'unique': {
      const columns = expectation.features.map(position);
      const types = columns.map((c) => features[c]!.type);
      return columns.length === 1 ? uniqueCheck(expectation, mostly, columns[0]!, types[0]!) : compoundUniqueCheck(expectation, mostly, columns, types);
    }
  }
}

/** One feature: the values themselves are the keys (canonical values are equal exactly when they are the same value). */
function uniqueCheck(expectation: Expectation, mostly: number, c: number, type: FeatureType): ExpectationCheck {
  return (rows) => {
    const tally = new Tally();
    let missing = 0;
    // Value → the row it was first seen in, or -1 once that row has been counted as a duplicate.
    const firstRow = new Map<unknown, number>();
    for (let r = 0; r < rows.length; r++) {
      const v = rows[r]![c];
      if (v === null || v === undefined) {
        missing++;
        continue;
      }
      const first = firstRow.get(v);
      if (first === undefined) {
        firstRow.set(v, r);
        continue;
      }
      // Every row of a repeated value is unexpected, the first one included (GE counts them all).
      if (first !== -1) {
        tally.unexpected(v, first);
        firstRow.set(v, -1);
      }
      tally.unexpected(v, r);
    }
    const result = tally.result(expectation, mostly, rows.length, missing, type);
    result.observedValue = firstRow.size;
    return result;
  };
}

/** Several features: the key is the values' encoded record key (strings quoted, so no two combinations collide). */
function compoundUniqueCheck(expectation: Extract<Expectation, { kind: 'unique' }>, mostly: number, columns: readonly number[], types: readonly FeatureType[]): ExpectationCheck {
  const names = expectation.features;
  const valuesOf = (row: readonly unknown[]): JsonValue => Object.fromEntries(columns.map((c, i) => [names[i]!, toJsonSafeValue(types[i]!, row[c])]));
  return (rows) => {
    const tally = new Tally();
    let missing = 0;
    const firstRow = new Map<string, number>();
    const values = new Array<unknown>(columns.length);
    for (let r = 0; r < rows.length; r++) {
      const row = rows[r]!;
      let hasNull = false;
      for (let i = 0; i < columns.length; i++) {
        const v = row[columns[i]!];
        if (v === null || v === undefined) hasNull = true;
        values[i] = v;
      }
      if (hasNull) {
        missing++;
        continue;
      }
      const key = encodeKey(values);
      const first = firstRow.get(key);
      if (first === undefined) {
        firstRow.set(key, r);
        continue;
      }
      if (first !== -1) {
        tally.unexpectedRow(valuesOf(rows[first]!), first);
        firstRow.set(key, -1);
      }
      tally.unexpectedRow(valuesOf(row), r);
    }
    const result = tally.result(expectation, mostly, rows.length, missing, undefined);
    result.observedValue = firstRow.size;
    return result;
  };
}

/** Counts unexpected values and keeps the first few; values are made JSON-safe only for those kept. */
class Tally {
  count = 0;
  private readonly values: unknown[] = [];
  private readonly indexes: number[] = [];
  /** Whether `values` are already JSON-safe (compound keys are built as JSON-safe objects). */
  private jsonSafe = false;

  unexpected(value: unknown, row: number): void {
    this.count++;
    if (this.indexes.length < PARTIAL_UNEXPECTED_LIMIT) {
      this.values.push(value);
      this.indexes.push(row);
    }
  }

  unexpectedRow(values: JsonValue, row: number): void {
    this.jsonSafe = true;
    this.count++;
    if (this.indexes.length < PARTIAL_UNEXPECTED_LIMIT) {
      this.values.push(values);
      this.indexes.push(row);
    }
  }

  result(expectation: Expectation, mostly: number, elementCount: number, missingCount: number, type: FeatureType | undefined): ExpectationResult {
    const evaluated = elementCount - missingCount;
    const unexpectedCount = this.count;
    // Rows come in order, except the first row of a repeated key, which is noted when its repeat is seen.
    const order = this.indexes.map((_, i) => i).sort((a, b) => this.indexes[a]! - this.indexes[b]!);
    return {
      expectation,
      success: evaluated === 0 || (evaluated - unexpectedCount) / evaluated >= mostly,
      elementCount,
      missingCount,
      unexpectedCount,
      unexpectedPercent: evaluated === 0 ? 0 : (100 * unexpectedCount) / evaluated,
      partialUnexpectedList: order.map((i) => (this.jsonSafe || type === undefined ? (this.values[i] as JsonValue) : toJsonSafeValue(type, this.values[i]))),
      partialUnexpectedIndexList: order.map((i) => this.indexes[i]!),
    };
  }
}

/** Orders two non-null canonical values of an ordered type (see isOrdered). */
function comparatorFor(type: FeatureType): (a: unknown, b: unknown) => number {
  switch (type.kind) {
    case 'decimal':
      return (a, b) => compareDecimalText(a as string, b as string);
    case 'date':
      // YYYY-MM-DD with four-digit years (0001–9999) orders as text.
      return (a, b) => ((a as string) < (b as string) ? -1 : (a as string) > (b as string) ? 1 : 0);
    default:
      // Numbers, and 64-bit integers or timestamps that are numbers or bigints: JavaScript compares a number with a
      // bigint exactly.
      return (a, b) => ((a as number) < (b as number) ? -1 : (a as number) > (b as number) ? 1 : 0);
  }
}
