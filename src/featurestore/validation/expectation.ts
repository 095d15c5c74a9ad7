import { InvalidExpectationError } from '../../errors/featurestore-errors.js';
import type { Feature } from '../schema/feature.js';
import { formatFeatureType, type FeatureType } from '../types/feature-type.js';
import { toJsonSafeValue } from '../types/json-safe-value.js';
import { coercerFor } from '../types/value-coercion.js';

/**
 * An expectation on a feature group's data, in the spirit of the Great Expectations suites Hopsworks attaches to
 * feature groups. Each is evaluated over a batch before it is inserted. `mostly` (0..1, default 1) is the fraction
 * of evaluated values that must meet it; null values are not evaluated, except by `notNull`.
 *
 * - `notNull` (GE expect_column_values_to_not_be_null)
 * - `between` (expect_column_values_to_be_between): numeric, decimal, date and timestamp features; at least one
 *   bound, inclusive unless `strictMin` / `strictMax`; bounds in any form an insert accepts for the type
 * - `inSet` (expect_column_values_to_be_in_set): any feature but binary and arrays
 * - `matchesRegex` (expect_column_values_to_match_regex): string features; the pattern may match anywhere in the
 *   value (anchor it with ^…$ for a whole match), as GE's re.search does; flags other than g and y allowed
 * - `unique` (expect_compound_columns_to_be_unique, or expect_column_values_to_be_unique for one feature): the
 *   combination of the features' values occurs once in the batch; rows with a null among them are not evaluated
 */
export type Expectation =
  | { kind: 'notNull'; feature: string; mostly?: number }
  | { kind: 'between'; feature: string; min?: ExpectationValue; max?: ExpectationValue; strictMin?: boolean; strictMax?: boolean; mostly?: number }
  | { kind: 'inSet'; feature: string; values: ExpectationValue[]; mostly?: number }
  | { kind: 'matchesRegex'; feature: string; pattern: string; flags?: string; mostly?: number }
  | { kind: 'unique'; features: string[]; mostly?: number };

export type ExpectationKind = Expectation['kind'];

/**
 * A bound or set member as a user writes it. Parsed expectations hold only the JSON-safe forms (numbers, strings,
 * booleans: see toJsonSafeValue), so that they are stored and reported as they are.
 */
export type ExpectationValue = number | string | boolean | bigint | Date;

const KEYS: Record<ExpectationKind, readonly string[]> = {
  notNull: ['kind', 'feature', 'mostly'],
  between: ['kind', 'feature', 'min', 'max', 'strictMin', 'strictMax', 'mostly'],
  inSet: ['kind', 'feature', 'values', 'mostly'],
  matchesRegex: ['kind', 'feature', 'pattern', 'flags', 'mostly'],
  unique: ['kind', 'features', 'mostly'],
};

/** Where a malformed expectation was: its index in the list, its kind, and what is wrong. */
export function invalidExpectation(index: number, kind: unknown, reason: string, more: Record<string, unknown> = {}): InvalidExpectationError {
  const what = typeof kind === 'string' && kind in KEYS ? `expectation ${index} (${kind})` : `expectation ${index}`;
  return new InvalidExpectationError(`${what}: ${reason}`, { ...more, index, kind: typeof kind === 'string' ? kind : null, reason });
}

/**
 * Reads a user's list of expectations into their normalized, JSON-safe form. With `features` (non-empty), every
 * feature reference, type and bound is checked against them; without (a schema still to be inferred), only the
 * form is, and validateBatch checks the rest against the features it is given. Throws InvalidExpectationError
 * naming the first problem.
 */
export function parseExpectations(input: unknown, features?: readonly Feature[]): Expectation[] {
  if (input === undefined || input === null) return [];
  if (!Array.isArray(input)) throw new InvalidExpectationError('expectations must be an array of { kind, ... } objects', { expectations: typeof input });
  const known = features !== undefined && features.length > 0 ? features : undefined;
  return input.map((item, index) => parseExpectation(item, index, known));
}

export function parseExpectation(input: unknown, index: number, features: readonly Feature[] | undefined): Expectation {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw invalidExpectation(index, undefined, 'an expectation is an object with a kind');
  const raw = input as Record<string, unknown>;
  const kind = raw.kind;
  if (typeof kind !== 'string' || !(kind in KEYS)) {
    throw invalidExpectation(index, kind, `unknown kind ${JSON.stringify(kind)}: use notNull, between, inSet, matchesRegex or unique`);
  }
  for (const key of Object.keys(raw)) {
    if (raw[key] !== undefined && !KEYS[kind as ExpectationKind].includes(key)) {
      throw invalidExpectation(index, kind, `unknown key '${key}': a ${kind} expectation has ${KEYS[kind as ExpectationKind].join(', ')}`, { key });
    }
  }
  const mostly = parseMostly(raw.mostly, index, kind);
  const withMostly = <T extends Expectation>(e: T): T => (mostly === undefined ? e : { ...e, mostly });
  switch (kind as ExpectationKind) {
    case 'notNull': {
      const feature = featureName(raw.feature, index, kind, features);
      return withMostly({ kind: 'notNull', feature: feature.name });
    }
    case 'between': {
      const feature = featureName(raw.feature, index, kind, features);
      if (feature.type !== undefined && !isOrdered(feature.type)) {
        throw invalidExpectation(index, kind, `feature '${feature.name}' is ${formatFeatureType(feature.type)}: between needs a numeric, decimal, date or timestamp feature`, {
          feature: feature.name,
        });
      }
      if (raw.min === undefined && raw.max === undefined) throw invalidExpectation(index, kind, 'give min, max or both', { feature: feature.name });
      const expectation: Extract<Expectation, { kind: 'between' }> = { kind: 'between', feature: feature.name };
      if (raw.min !== undefined) expectation.min = normalizedValue(raw.min, feature.type, index, kind, 'min');
      if (raw.max !== undefined) expectation.max = normalizedValue(raw.max, feature.type, index, kind, 'max');
      for (const flag of ['strictMin', 'strictMax'] as const) {
        if (raw[flag] === undefined) continue;
        if (typeof raw[flag] !== 'boolean') throw invalidExpectation(index, kind, `${flag} must be a boolean`, { feature: feature.name });
        expectation[flag] = raw[flag];
      }
      return withMostly(expectation);
    }
    case 'inSet': {
      const feature = featureName(raw.feature, index, kind, features);
      if (feature.type !== undefined && !isSettable(feature.type)) {
        throw invalidExpectation(index, kind, `feature '${feature.name}' is ${formatFeatureType(feature.type)}: inSet takes any feature but binary and arrays`, {
          feature: feature.name,
        });
      }
      if (!Array.isArray(raw.values) || raw.values.length === 0) throw invalidExpectation(index, kind, 'values must be a non-empty array', { feature: feature.name });
      const values = raw.values.map((v, i) => normalizedValue(v, feature.type, index, kind, `values[${i}]`));
      return withMostly({ kind: 'inSet', feature: feature.name, values });
    }
    case 'matchesRegex': {
      const feature = featureName(raw.feature, index, kind, features);
      if (feature.type !== undefined && feature.type.kind !== 'string') {
        throw invalidExpectation(index, kind, `feature '${feature.name}' is ${formatFeatureType(feature.type)}: matchesRegex needs a string feature`, { feature: feature.name });
      }
      if (typeof raw.pattern !== 'string') throw invalidExpectation(index, kind, 'pattern must be a string (a JavaScript regular expression)', { feature: feature.name });
      const flags = raw.flags === undefined ? undefined : raw.flags;
      compileRegex(raw.pattern, flags, index);
      return withMostly({ kind: 'matchesRegex', feature: feature.name, pattern: raw.pattern, ...(flags === undefined ? {} : { flags: flags as string }) });
    }
    case 'unique': {
      if (!Array.isArray(raw.features) || raw.features.length === 0) throw invalidExpectation(index, kind, 'features must be a non-empty array of feature names');
      const names = raw.features.map((name) => {
        const feature = featureName(name, index, kind, features);
        if (feature.type !== undefined && (feature.type.kind === 'binary' || feature.type.kind === 'array')) {
          throw invalidExpectation(index, kind, `feature '${feature.name}' is ${formatFeatureType(feature.type)}: unique takes any feature but binary and arrays`, {
            feature: feature.name,
          });
        }
        return feature.name;
      });
      if (new Set(names).size !== names.length) throw invalidExpectation(index, kind, 'features names a feature twice', { features: names });
      return withMostly({ kind: 'unique', features: names });
    }
  }
}

function parseMostly(value: unknown, index: number, kind: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !(value >= 0 && value <= 1)) throw invalidExpectation(index, kind, 'mostly must be a number from 0 to 1', { mostly: String(value) });
  return value;
}

/** The named feature, with its type when the features are known. */
function featureName(name: unknown, index: number, kind: string, features: readonly Feature[] | undefined): { name: string; type: FeatureType | undefined } {
  if (typeof name !== 'string' || name.length === 0) throw invalidExpectation(index, kind, 'feature must be a feature name');
  if (features === undefined) return { name, type: undefined };
  const feature = features.find((f) => f.name === name);
  if (feature === undefined) throw invalidExpectation(index, kind, `unknown feature '${name}'`, { feature: name });
  return { name, type: feature.type };
}

export function isOrdered(type: FeatureType): boolean {
  const kind = type.kind;
  return kind === 'int' || kind === 'bigint' || kind === 'float' || kind === 'double' || kind === 'decimal' || kind === 'date' || kind === 'timestamp';
}

export function isSettable(type: FeatureType): boolean {
  return type.kind !== 'binary' && type.kind !== 'array';
}

/**
 * A bound or set member in the feature's canonical form (when the type is known), then in JSON-safe form: what an
 * insert of the same value would store, so a bound compares with rows exactly as their values do.
 */
function normalizedValue(value: unknown, type: FeatureType | undefined, index: number, kind: string, what: string): number | string | boolean {
  if (type === undefined) {
    if (typeof value === 'number' && Number.isFinite(value)) return value;
    if (typeof value === 'string' || typeof value === 'boolean') return value;
    if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) && BigInt(Number(value)) === value ? Number(value) : value.toString();
    if (value instanceof Date && !Number.isNaN(value.getTime())) return value.toISOString();
    throw invalidExpectation(index, kind, `${what} must be a number, string, boolean, bigint or Date`, { [what]: typeof value });
  }
  return toJsonSafeValue(type, canonicalValue(value, type, index, kind, what)) as number | string | boolean;
}

/** The canonical value of a bound or set member for `type`, as an insert's coercion makes it; a refusal names it. */
export function canonicalValue(value: unknown, type: FeatureType, index: number, kind: string, what: string): unknown {
  let canonical: unknown;
  try {
    canonical = coercerFor(type, { source: 'js' })(value);
  } catch (reason) {
    if (typeof reason !== 'string') throw reason;
    throw invalidExpectation(index, kind, `${what} is not a ${formatFeatureType(type)}: ${reason}`, { [what]: preview(value) });
  }
  if (canonical === null) throw invalidExpectation(index, kind, `${what} must not be null`);
  return canonical;
}

/** A regex as the checks run it; g and y are refused, as they make `test` stateful. */
export function compileRegex(pattern: string, flags: unknown, index: number): RegExp {
  if (flags !== undefined && (typeof flags !== 'string' || /[gy]/.test(flags))) {
    throw invalidExpectation(index, 'matchesRegex', 'flags must be a string of regular expression flags other than g and y', { flags: String(flags) });
  }
  try {
    return new RegExp(pattern, flags as string | undefined);
  } catch (error) {
    throw invalidExpectation(index, 'matchesRegex', `pattern is not a valid regular expression: ${(error as Error).message}`, { pattern });
  }
}

function preview(value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'string') return value.length > 100 ? `${value.slice(0, 100)}…` : value;
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return value;
  return typeof value;
}
