import { InvalidFeatureDataError, InvalidFeatureGroupError, SchemaIncompatibleError } from '../../errors/featurestore-errors.js';
import type { ArrayElementType, FeatureType } from '../types/feature-type.js';
import { formatFeatureType, isKeyType, parseFeatureType } from '../types/feature-type.js';
import type { ValueSource } from '../types/value-coercion.js';
import { canonicalInt64 } from '../types/value-coercion.js';
import { parseDateText, parseTimestampText } from '../types/calendar.js';
import type { Feature } from './feature.js';
import { isPlainRow } from './row-validation.js';

/** Hopsworks feature names: what Hive, MySQL/RonDB and Python identifiers all accept without quoting. */
const FEATURE_NAME = /^[a-z][a-z0-9_]*$/;
export const MAX_FEATURE_NAME_LENGTH = 63;

/** Which features are keys, event time and partitions: the part of a definition that data cannot tell. */
export interface FeatureGroupKeys {
  primaryKey?: readonly string[];
  /** bigint event times are epoch milliseconds, as Hopsworks reads them. */
  eventTime?: string | null;
  partitionKey?: readonly string[];
}

/**
 * Checks a feature group's features as a whole; throws InvalidFeatureGroupError naming the first problem:
 * - names: lowercase letters, digits and `_`, starting with a letter, at most 63 characters, unique;
 * - a primary key of at least one feature, each of a key type (int, bigint, string, date, timestamp, boolean);
 * - at most one event time, of type timestamp, date or bigint (epoch milliseconds);
 * - partition features of any type but array and binary (they become directory names of the offline table).
 */
export function validateFeatureGroupSchema(features: readonly Feature[]): void {
  if (!Array.isArray(features) || features.length === 0) {
    throw new InvalidFeatureGroupError('a feature group needs at least one feature', {});
  }
  const seen = new Set<string>();
  let primaryCount = 0;
  let eventTime: Feature | undefined;
  for (const f of features) {
    if (typeof f !== 'object' || f === null) throw new InvalidFeatureGroupError('a feature must be an object with a name and a type', { feature: f });
    checkFeatureName(f.name);
    if (seen.has(f.name)) throw new InvalidFeatureGroupError(`feature '${f.name}' is defined twice`, { feature: f.name });
    seen.add(f.name);
    checkFeatureType(f);
    if (typeof f.description !== 'string') throw new InvalidFeatureGroupError(`feature '${f.name}': the description must be a string`, { feature: f.name });
    if (f.primary) {
      primaryCount++;
      if (!isKeyType(f.type)) {
        throw new InvalidFeatureGroupError(
          `primary key '${f.name}' is ${formatFeatureType(f.type)}: a key must be int, bigint, string, date, timestamp or boolean`,
          { feature: f.name, type: formatFeatureType(f.type) },
        );
      }
    }
    if (f.eventTime) {
      if (eventTime !== undefined) {
        throw new InvalidFeatureGroupError(`a feature group has one event time, not both '${eventTime.name}' and '${f.name}'`, { features: [eventTime.name, f.name] });
      }
      eventTime = f;
      const kind = f.type.kind;
      if (kind !== 'timestamp' && kind !== 'date' && kind !== 'bigint') {
        throw new InvalidFeatureGroupError(
          `event time '${f.name}' is ${formatFeatureType(f.type)}: it must be timestamp, date or bigint (epoch milliseconds)`,
          { feature: f.name, type: formatFeatureType(f.type) },
        );
      }
    }
    if (f.partition && (f.type.kind === 'array' || f.type.kind === 'binary')) {
      throw new InvalidFeatureGroupError(`partition key '${f.name}' is ${formatFeatureType(f.type)}: arrays and binary cannot partition a table`, {
        feature: f.name,
        type: formatFeatureType(f.type),
      });
    }
  }
  if (primaryCount === 0) {
    throw new InvalidFeatureGroupError('a feature group needs a primary key: name at least one feature in primaryKey', {});
  }
}

function checkFeatureName(name: unknown): void {
  if (typeof name !== 'string' || name.length === 0) throw new InvalidFeatureGroupError('a feature needs a non-empty name', { feature: name });
  if (name.length > MAX_FEATURE_NAME_LENGTH) {
    throw new InvalidFeatureGroupError(`feature name '${name.slice(0, 20)}…' has ${name.length} characters; at most ${MAX_FEATURE_NAME_LENGTH} are allowed`, { feature: name });
  }
  if (FEATURE_NAME.test(name)) return;
  const lower = name.toLowerCase();
  const hint = lower !== name && FEATURE_NAME.test(lower) ? `: feature names are lowercase, use '${lower}'` : ': use lowercase letters, digits and _, starting with a letter';
  throw new InvalidFeatureGroupError(`feature name '${name}' is not valid${hint}`, { feature: name });
}

function checkFeatureType(f: Feature): void {
  try {
    if (typeof f.type !== 'object' || f.type === null) throw new Error('a feature type is required');
    // A round trip through the text form checks the whole structure (kinds, decimal bounds, array elements).
    parseFeatureType(formatFeatureType(f.type));
  } catch (error) {
    throw new InvalidFeatureGroupError(`feature '${f.name}': ${(error as Error).message}`, { feature: f.name });
  }
}

export interface InferenceOptions extends FeatureGroupKeys {
  source: ValueSource;
  /** Types the caller knows (given by the user, or read from an Arrow/Parquet schema); they win over inference. */
  types?: Readonly<Record<string, FeatureType | string>> | ReadonlyMap<string, FeatureType>;
  descriptions?: Readonly<Record<string, string>>;
}

/**
 * The features of a new feature group, from its first batch of rows: columns in first-seen order over the batch,
 * each typed from its non-null values unless `types` names it:
 * - numbers: bigint when every value is an integer, else double; bigints: bigint; strings: string; booleans: boolean;
 *   Dates: timestamp; Buffers/Uint8Arrays: binary; arrays: array<bigint|double|string> from their elements
 *   (Float32Array: array<float>, Float64Array: array<double>, Int32Array: array<int>, BigInt64Array: array<bigint>);
 * - for source `text` (CSV, NDJSON) strings are read as what they spell: `true`/`false` boolean, integers bigint,
 *   numbers double, `YYYY-MM-DD` date, ISO date-times timestamp, JSON arrays arrays; text that mixes kinds is string.
 * A column that is null in every row cannot be typed and is refused, asking for its type. The keys are applied and
 * the result checked by validateFeatureGroupSchema.
 */
export function inferFeatures(rows: readonly unknown[], options: InferenceOptions): Feature[] {
  const givenTypes = readGivenTypes(options.types);
  const inferred = inferColumnTypes(rows, options.source, givenTypes);
  const names = inferred.columns;
  for (const name of givenTypes.keys()) if (!names.includes(name)) names.push(name);
  const features = names.map((name) => ({
    name,
    type: givenTypes.get(name) ?? inferred.types.get(name)!,
    description: options.descriptions?.[name] ?? '',
    primary: false,
    eventTime: false,
    partition: false,
  }));
  applyKeys(features, options);
  validateFeatureGroupSchema(features);
  return features;
}

function applyKeys(features: Feature[], keys: FeatureGroupKeys): void {
  const byName = new Map(features.map((f) => [f.name, f]));
  const find = (name: string, role: string): Feature => {
    const f = byName.get(name);
    if (f === undefined) throw new InvalidFeatureGroupError(`${role} '${name}' is not a feature of the data (features: ${[...byName.keys()].join(', ')})`, { feature: name });
    return f;
  };
  for (const name of keys.primaryKey ?? []) find(name, 'primary key').primary = true;
  if (keys.eventTime !== undefined && keys.eventTime !== null) find(keys.eventTime, 'event time').eventTime = true;
  for (const name of keys.partitionKey ?? []) find(name, 'partition key').partition = true;
}

function readGivenTypes(types: InferenceOptions['types']): Map<string, FeatureType> {
  const out = new Map<string, FeatureType>();
  if (types === undefined) return out;
  const entries = types instanceof Map ? [...types.entries()] : Object.entries(types);
  for (const [name, type] of entries) {
    try {
      out.set(name, typeof type === 'string' ? parseFeatureType(type) : type);
    } catch (error) {
      throw new InvalidFeatureGroupError(`feature '${name}': ${(error as Error).message}`, { feature: name });
    }
  }
  return out;
}

/**
 * What one column's values say so far. `integer` and `double` stay apart until the end so that 1, 2.5 gives double
 * and 1, 2 gives bigint; `conflict` keeps the first two kinds that cannot share a column, for the error.
 */
type ObservedKind =
  | 'boolean'
  | 'integer'
  | 'double'
  | 'bigint'
  | 'string'
  | 'binary'
  | 'date'
  | 'timestamp'
  | 'array<integer>'
  | 'array<double>'
  | 'array<bigint>'
  | 'array<string>'
  | 'array<float>'
  | 'array<int>'
  | 'array<empty>';

/**
 * The batch's columns in first-seen order, and the inferred type of every column not in `skip`; a column null in
 * every row is refused.
 */
function inferColumnTypes(
  rows: readonly unknown[],
  source: ValueSource,
  skip: ReadonlyMap<string, FeatureType>,
): { columns: string[]; types: Map<string, FeatureType> } {
  if (!Array.isArray(rows) || rows.length === 0) {
    throw new InvalidFeatureGroupError('no rows to infer the features from: give the features (or their types) explicitly', {});
  }
  const observed = new Map<string, ObservedKind | null>();
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r];
    if (!isPlainRow(row)) throw InvalidFeatureDataError.at(r, null, 'a row must be a plain object of feature name → value');
    for (const name in row) {
      const value = row[name];
      const before = observed.get(name);
      if (before === undefined) observed.set(name, null);
      if (value === null || value === undefined || skip.has(name)) continue;
      let kind: ObservedKind;
      try {
        kind = source === 'text' && typeof value === 'string' ? kindOfText(value) : kindOfValue(value);
      } catch (reason) {
        if (typeof reason !== 'string') throw reason;
        throw InvalidFeatureDataError.at(r, name, `cannot infer a type: ${reason}; give this feature's type explicitly`, value);
      }
      const merged = before === null || before === undefined ? kind : mergeKinds(before, kind, source);
      if (merged === undefined) {
        throw InvalidFeatureDataError.at(r, name, `holds ${kind} here but ${before} in earlier rows; give this feature's type explicitly`, value);
      }
      observed.set(name, merged);
    }
  }
  const out = new Map<string, FeatureType>();
  for (const [name, kind] of observed) {
    if (skip.has(name)) continue;
    if (kind === null || kind === 'array<empty>') {
      const what = kind === null ? 'null in every row' : 'an empty array in every row';
      throw new InvalidFeatureGroupError(`feature '${name}' is ${what}, so its type cannot be inferred: give its type explicitly`, { feature: name });
    }
    out.set(name, typeOfKind(kind));
  }
  return { columns: [...observed.keys()], types: out };
}

function kindOfValue(value: unknown): ObservedKind {
  switch (typeof value) {
    case 'number':
      if (!Number.isFinite(value)) throw `${value} tells no type`;
      return Number.isInteger(value) ? 'integer' : 'double';
    case 'bigint':
      return 'bigint';
    case 'string':
      return 'string';
    case 'boolean':
      return 'boolean';
    case 'object':
      if (value instanceof Date) return 'timestamp';
      if (value instanceof Uint8Array || value instanceof ArrayBuffer) return 'binary';
      if (value instanceof Float32Array) return 'array<float>';
      if (value instanceof Float64Array) return 'array<double>';
      if (value instanceof Int32Array || value instanceof Int16Array || value instanceof Int8Array) return 'array<int>';
      if (value instanceof BigInt64Array) return 'array<bigint>';
      if (Array.isArray(value)) return kindOfArray(value);
      throw `a ${value === null ? 'null' : (value.constructor?.name ?? 'null-prototype object')} has no feature type`;
    default:
      throw `a ${typeof value} has no feature type`;
  }
}

function kindOfArray(array: readonly unknown[]): ObservedKind {
  let element: ObservedKind | undefined;
  for (const item of array) {
    if (item === null || item === undefined) continue;
    let kind: ObservedKind;
    if (typeof item === 'number') kind = Number.isFinite(item) && Number.isInteger(item) ? 'integer' : 'double';
    else if (typeof item === 'bigint') kind = 'bigint';
    else if (typeof item === 'string') kind = 'string';
    else throw `arrays hold numbers or strings, not ${typeof item === 'object' ? 'objects' : `${typeof item}s`}`;
    const merged = element === undefined ? kind : mergeKinds(element, kind, 'js');
    if (merged === undefined) throw `an array mixes ${element} and ${kind} elements`;
    element = merged;
  }
  return element === undefined ? 'array<empty>' : (`array<${element}>` as ObservedKind);
}

/** What text spells, for CSV/NDJSON strings. Order matters: "1" is an integer before it is a boolean or a date. */
function kindOfText(text: string): ObservedKind {
  const t = text.trim();
  if (/^[+-]?\d+$/.test(t)) {
    try {
      canonicalInt64(BigInt(t));
      return 'integer';
    } catch {
      return 'string'; // an integer beyond 64 bits is an identifier, not a number to compute with
    }
  }
  if (/^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/.test(t)) return 'double';
  const lower = t.toLowerCase();
  if (lower === 'true' || lower === 'false') return 'boolean';
  if (t.length === 10 && succeeds(() => parseDateText(t))) return 'date';
  if (t.length > 10 && /^\d{4}-\d\d-\d\d[Tt ]\d\d:\d\d/.test(t) && succeeds(() => parseTimestampText(t))) return 'timestamp';
  if (t.startsWith('[')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(t);
    } catch {
      return 'string';
    }
    if (Array.isArray(parsed)) return kindOfArray(parsed);
  }
  return 'string';
}

function succeeds(parse: () => unknown): boolean {
  try {
    parse();
    return true;
  } catch {
    return false;
  }
}

/** The kind a column holding both has, or undefined when no type holds both. */
function mergeKinds(a: ObservedKind, b: ObservedKind, source: ValueSource): ObservedKind | undefined {
  if (a === b) return a;
  const pair = (x: ObservedKind, y: ObservedKind) => (a === x && b === y) || (a === y && b === x);
  if (pair('integer', 'double')) return 'double';
  if (pair('integer', 'bigint')) return 'bigint';
  if (pair('array<integer>', 'array<double>')) return 'array<double>';
  if (pair('array<integer>', 'array<bigint>')) return 'array<bigint>';
  if (a === 'array<empty>' && b.startsWith('array<')) return b;
  if (b === 'array<empty>' && a.startsWith('array<')) return a;
  if (source === 'text') {
    if (pair('date', 'timestamp')) return 'timestamp';
    // Text that spells different kinds in different rows is just text; arrays and binary are not scalars to spell.
    if (!a.startsWith('array<') && !b.startsWith('array<') && a !== 'binary' && b !== 'binary') return 'string';
  }
  return undefined;
}

function typeOfKind(kind: Exclude<ObservedKind, 'array<empty>'>): FeatureType {
  switch (kind) {
    case 'integer':
      return { kind: 'bigint' };
    case 'array<integer>':
      return { kind: 'array', element: { kind: 'bigint' } };
    case 'array<double>':
    case 'array<bigint>':
    case 'array<string>':
    case 'array<float>':
    case 'array<int>':
      return { kind: 'array', element: { kind: kind.slice(6, -1) } as ArrayElementType };
    default:
      return { kind };
  }
}

/** The outcome of a schema change: the new features (existing ones first, in their order) and those added. */
export interface SchemaEvolution {
  features: Feature[];
  added: Feature[];
}

/**
 * Adds the features of `incoming` that `current` lacks, as Hopsworks' append-features does. Allowed: new nullable
 * features (not primary key, event time or partition), and leaving features out (their values are null). Anything
 * that existing data cannot follow throws SchemaIncompatibleError: a type change, a new or changed primary key,
 * event time or partition. Nothing is changed on refusal; `current` is never modified.
 */
export function evolveSchema(current: readonly Feature[], incoming: readonly Feature[]): SchemaEvolution {
  const byName = new Map(current.map((f) => [f.name, f]));
  const added: Feature[] = [];
  for (const f of incoming) {
    const existing = byName.get(f.name);
    if (existing === undefined) {
      const role = f.primary ? 'a primary key' : f.eventTime ? 'the event time' : f.partition ? 'a partition key' : undefined;
      if (role !== undefined) throw incompatible(f.name, `a new feature cannot be ${role}`, { feature: f.name });
      if (added.some((a) => a.name === f.name)) throw new InvalidFeatureGroupError(`feature '${f.name}' is defined twice`, { feature: f.name });
      added.push({ ...f, primary: false, eventTime: false, partition: false });
      continue;
    }
    const was = formatFeatureType(existing.type);
    const now = formatFeatureType(f.type);
    if (was !== now) throw incompatible(f.name, `its type would change from ${was} to ${now}`, { feature: f.name, currentType: was, newType: now });
    // Inferred features carry no roles, so only a role the data asks for and the schema lacks is a change.
    if (f.primary && !existing.primary) throw incompatible(f.name, 'it would join the primary key', { feature: f.name });
    if (f.eventTime && !existing.eventTime) throw incompatible(f.name, 'it would become the event time', { feature: f.name });
    if (f.partition && !existing.partition) throw incompatible(f.name, 'it would become a partition key', { feature: f.name });
  }
  const features = [...current, ...added];
  if (added.length > 0) validateFeatureGroupSchema(features);
  return { features, added };
}

function incompatible(name: string, why: string, details: Record<string, unknown>): SchemaIncompatibleError {
  return new SchemaIncompatibleError(`feature '${name}': ${why}; existing data cannot follow, so this needs a new feature group version`, details);
}
