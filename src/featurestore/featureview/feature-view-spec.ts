import { InvalidFeatureViewError } from '../../errors/featurestore-errors.js';
import { Query } from '../query/query.js';
import type { QueryPlan } from '../query/query-plan.js';
import type { OnDemandFeatureSpec } from '../transformation/on-demand-feature.js';
import type { FeatureViewRecord, TransformationFunctionSpec } from './feature-view-records.js';

/** What `createFeatureView` takes, with HSFS's names. */
export interface FeatureViewSpec {
  name: string;
  /** Default: one more than the newest existing version, or 1. */
  version?: number;
  description?: string;
  /** The features: a query over feature groups, usually with point-in-time joins. */
  query: Query;
  /** Result columns that are the training target: returned apart from the features, left out of batch data. */
  labels?: string[];
  /**
   * Model-dependent transformations (built in: minMaxScaler, standardScaler, robustScaler, labelEncoder,
   * oneHotEncoder; or registered), fitted on a training dataset's train split and applied to training and serving.
   */
  transformationFunctions?: TransformationFunctionSpec[];
  /** Features computed by registered functions from other columns (and, at serving, request parameters). */
  onDemandFeatures?: OnDemandFeatureSpec[];
  /** Columns batch data can return for inference but that are no model features. */
  inferenceHelperColumns?: string[];
  /** Columns training data can return for training but that are no model features. */
  trainingHelperColumns?: string[];
}

/** The part of a view that makes it what it is: equal definitions are the same view, any change is a new version. */
export interface FeatureViewDefinition {
  query: QueryPlan;
  labels: string[];
  transformationFunctions: TransformationFunctionSpec[];
  onDemandFeatures: OnDemandFeatureSpec[];
  inferenceHelperColumns: string[];
  trainingHelperColumns: string[];
}

/** As feature group names: lowercase letters, digits and underscores, starting with a letter, at most 63 characters. */
const VIEW_NAME = /^[a-z][a-z0-9_]{0,62}$/;

export function checkFeatureViewSpec(spec: FeatureViewSpec): { name: string; version: number | undefined; description: string; definition: FeatureViewDefinition } {
  if (typeof spec !== 'object' || spec === null) throw new InvalidFeatureViewError('a feature view spec must be an object', {});
  if (typeof spec.name !== 'string' || !VIEW_NAME.test(spec.name)) {
    throw new InvalidFeatureViewError('a feature view name has 1 to 63 lowercase letters, digits or underscores and starts with a letter', {
      name: typeof spec.name === 'string' ? spec.name.slice(0, 80) : typeof spec.name,
    });
  }
  checkVersion(spec.version);
  if (spec.description !== undefined && typeof spec.description !== 'string') throw new InvalidFeatureViewError('description must be a string', {});
  if (!(spec.query instanceof Query)) throw new InvalidFeatureViewError('query must be a Query, e.g. fg.selectAll().join(...)', {});
  const plan = spec.query.plan;
  if (plan.limit !== null) throw new InvalidFeatureViewError("a feature view's query cannot have a limit", {});
  const timeTravel = (p: QueryPlan): boolean => p.asOf !== null || p.excludeUntil !== null || p.joins.some((j) => timeTravel(j.query));
  if (timeTravel(plan)) {
    throw new InvalidFeatureViewError('a feature view reads the latest data of its feature groups: time travel (asOf, pullChanges) is for queries', {});
  }
  const columns = new Set(spec.query.features.map((f) => f.name));
  const labels = columnList(spec.labels, 'labels', columns);
  const inferenceHelperColumns = columnList(spec.inferenceHelperColumns, 'inferenceHelperColumns', columns);
  const trainingHelperColumns = columnList(spec.trainingHelperColumns, 'trainingHelperColumns', columns);
  for (const [a, b] of [
    [labels, inferenceHelperColumns],
    [labels, trainingHelperColumns],
    [inferenceHelperColumns, trainingHelperColumns],
  ] as const) {
    const both = a.find((name) => b.includes(name));
    if (both !== undefined) throw new InvalidFeatureViewError(`column ${both} cannot be both a label and a helper column, or both kinds of helper`, { column: both });
  }
  const transformationFunctions = transformations(spec.transformationFunctions, columns);
  const onDemandFeatures = onDemand(spec.onDemandFeatures, columns);
  return {
    name: spec.name,
    version: spec.version,
    description: spec.description ?? '',
    definition: { query: plan, labels, transformationFunctions, onDemandFeatures, inferenceHelperColumns, trainingHelperColumns },
  };
}

export function checkVersion(version: unknown): void {
  if (version !== undefined && (typeof version !== 'number' || !Number.isInteger(version) || version < 1 || version > 1_000_000)) {
    throw new InvalidFeatureViewError('version must be a positive integer', { version });
  }
}

function columnList(value: unknown, what: string, columns: ReadonlySet<string>): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) throw new InvalidFeatureViewError(`${what} must be an array of column names`, { [what]: value });
  const names = value as string[];
  if (new Set(names).size !== names.length) throw new InvalidFeatureViewError(`${what} names a column twice`, { [what]: names });
  for (const name of names) {
    if (!columns.has(name)) {
      throw new InvalidFeatureViewError(`${what}: ${name} is not a column of the query (columns: ${[...columns].join(', ')})`, { [what]: names, column: name });
    }
  }
  return [...names];
}

function transformations(value: unknown, columns: ReadonlySet<string>): TransformationFunctionSpec[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new InvalidFeatureViewError('transformationFunctions must be an array of { name, version?, features }', {});
  return value.map((t: unknown, i) => {
    const fn = t as Partial<TransformationFunctionSpec> | null;
    if (typeof fn !== 'object' || fn === null || typeof fn.name !== 'string' || fn.name.length === 0) {
      throw new InvalidFeatureViewError(`transformationFunctions[${i}] needs a name`, { index: i });
    }
    checkVersion(fn.version);
    const features = columnList(fn.features, `transformationFunctions[${i}].features`, columns);
    if (features.length === 0) throw new InvalidFeatureViewError(`transformationFunctions[${i}] takes at least one feature`, { index: i });
    return fn.version === undefined ? { name: fn.name, features } : { name: fn.name, version: fn.version, features };
  });
}

function onDemand(value: unknown, columns: ReadonlySet<string>): OnDemandFeatureSpec[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new InvalidFeatureViewError('onDemandFeatures must be an array of { name, function, version?, features }', {});
  const names = new Set<string>();
  return value.map((o: unknown, i) => {
    const f = o as Partial<OnDemandFeatureSpec> | null;
    if (typeof f !== 'object' || f === null || typeof f.name !== 'string' || !VIEW_NAME.test(f.name)) {
      throw new InvalidFeatureViewError(`onDemandFeatures[${i}] needs a name of lowercase letters, digits or underscores`, { index: i });
    }
    if (columns.has(f.name) || names.has(f.name)) throw new InvalidFeatureViewError(`on-demand feature ${f.name} has the name of another column`, { column: f.name });
    names.add(f.name);
    if (typeof f.function !== 'string' || f.function.length === 0) throw new InvalidFeatureViewError(`onDemandFeatures[${i}] needs a function name`, { index: i });
    checkVersion(f.version);
    const features = columnList(f.features, `onDemandFeatures[${i}].features`, columns);
    return f.version === undefined ? { name: f.name, function: f.function, features } : { name: f.name, function: f.function, version: f.version, features };
  });
}

export function definitionOf(record: FeatureViewRecord): FeatureViewDefinition {
  return {
    query: record.query,
    labels: record.labels,
    transformationFunctions: record.transformationFunctions,
    onDemandFeatures: record.onDemandFeatures,
    inferenceHelperColumns: record.inferenceHelperColumns,
    trainingHelperColumns: record.trainingHelperColumns,
  };
}

/** Equal content, whatever the order of object keys (a stored plan went through JSON and back). */
export function sameDefinition(a: FeatureViewDefinition, b: FeatureViewDefinition): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
