import type { SqlValue } from '../../db/engine.js';
import { InvalidServingKeyError, UnknownServingKeyError } from '../../errors/featurestore-errors.js';
import type { VectorServer } from '../../featurestore/serving/vector-server.js';
import { formatFeatureType, type FeatureType } from '../../featurestore/types/feature-type.js';
import { sqlJsonWriterFor, type SqlJsonWriter } from './json-values.js';
import { FEATURE_NOT_EXIST, INCORRECT_PASSED_FEATURE, INCORRECT_PRIMARY_KEY, NO_PRIMARY_KEY_GIVEN, RonDbError, WRONG_DATA_TYPE } from './rondb-error.js';

/** The request's `metadataOptions` and `options`, as flags. */
export interface VectorRequestOptions {
  featureName: boolean;
  featureType: boolean;
  validatePassedFeatures: boolean;
  includeDetailedStatus: boolean;
}

type PassedFeatures = Record<string, unknown> | null | undefined;

/** A RonDB JSON type name, as its validatePassedFeatures compares them. */
function jsonTypeOf(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'number') return 'number';
  if (typeof value === 'string') return 'string';
  if (typeof value === 'boolean') return 'boolean';
  return 'other';
}

/** The JSON type RonDB expects of a passed value of a feature type (rest-server2 mapFeatureTypeToJsonType). */
function expectedJsonType(type: FeatureType): string {
  switch (type.kind) {
    case 'boolean':
      return 'boolean';
    case 'int':
    case 'bigint':
    case 'float':
    case 'double':
    case 'decimal':
      return 'number';
    case 'string':
    case 'binary':
    case 'date':
    case 'timestamp':
      return 'string';
    default:
      return 'other';
  }
}

/**
 * A feature view served the way RonDB's REST server serves it (POST /0.1.0/feature_store and batch_feature_store):
 * every column but the labels in the view's order, untransformed (the client applies model-dependent
 * transformations, as HSFS does with RonDB), passed features written over the looked-up values, a status per
 * vector and, on request, the HTTP status of each feature group's read. Everything that does not depend on the
 * request is worked out once here: the column writers, the metadata's JSON, the keys each group needs. Bodies are
 * written as JSON text straight from the online rows, with no intermediate objects.
 */
export class ServedView {
  private readonly writers: SqlJsonWriter[];
  private readonly types: FeatureType[];
  private readonly keyTypes: ReadonlyMap<string, FeatureType>;
  private readonly position: ReadonlyMap<string, number>;
  private readonly first: number;
  /** Per feature group: its id and the serving keys an entry must give for it. */
  private readonly groups: { id: number; keys: string[] }[];
  /** The `metadata` JSON by requested fields: [none, name, type, name and type]. */
  private readonly metadata: readonly string[];

  constructor(private readonly server: VectorServer) {
    const plan = server.plan;
    this.writers = plan.columns.map((c) => sqlJsonWriterFor(c.type));
    this.types = plan.columns.map((c) => c.type);
    this.keyTypes = new Map(plan.keys.map((k) => [k.name, k.feature.type]));
    this.position = new Map(plan.columns.map((c, i) => [c.name, i]));
    this.first = plan.firstColumn;
    this.groups = plan.sourceIds.map((id, source) => ({ id, keys: plan.keys.filter((k) => k.required && k.source === source).map((k) => k.name) }));
    const meta = (name: boolean, type: boolean) =>
      JSON.stringify(plan.columns.map((c) => ({ ...(name ? { featureName: c.name } : {}), ...(type ? { featureType: formatFeatureType(c.type) } : {}) })));
    this.metadata = ['null', meta(true, false), meta(false, true), meta(true, true)];
  }

  /** The body of a single vector request. */
  async single(entry: Record<string, unknown>, passed: PassedFeatures, options: VectorRequestOptions): Promise<string> {
    if (isEmpty(entry)) throw INCORRECT_PRIMARY_KEY.error('No entries found');
    if (options.validatePassedFeatures && passed) {
      const invalid = this.invalidPassed(passed);
      if (invalid !== undefined) throw invalid;
    }
    let rows: SqlValue[][];
    try {
      rows = await this.server.lookup([entry], { lenientKeys: true });
    } catch (error) {
      throw this.entryError(error);
    }
    const row = rows[0]!;
    const status = this.statusOf(row, entry);
    let body = `{"features":${this.features(row, passed)},"metadata":${this.metadataOf(options)},"status":"${status}"`;
    if (options.includeDetailedStatus) body += `,"detailedStatus":${this.detailedStatus(row, entry)}`;
    return body + '}';
  }

  /**
   * The body of a batch request: per entry its vector, status and detailed status in request order. An entry RonDB
   * would refuse on its own (no keys, a key that is not a serving key, a value of the wrong type, passed features
   * that fail validation) is `null` with status ERROR, and the others are still served.
   */
  async batch(entries: readonly Record<string, unknown>[], passed: readonly PassedFeatures[] | null | undefined, options: VectorRequestOptions): Promise<string> {
    if (entries.length === 0) throw NO_PRIMARY_KEY_GIVEN.error('No primary key is given.');
    if (passed && passed.length > 0 && passed.length !== entries.length) {
      throw INCORRECT_PASSED_FEATURE.error('Length of passed feature does not equal to that of the entries provided in the request.');
    }
    const refused = new Uint8Array(entries.length);
    for (let i = 0; i < entries.length; i++) {
      if (isEmpty(entries[i]!)) refused[i] = 1;
      else if (options.validatePassedFeatures && passed?.[i] && this.invalidPassed(passed[i]!) !== undefined) refused[i] = 1;
    }
    const rows = await this.server.lookup(entries, { lenientKeys: true, refused: (i) => (refused[i] = 1) });
    let features = '[';
    let statuses = '[';
    let detailed = '[';
    for (let i = 0; i < entries.length; i++) {
      const sep = i === 0 ? '' : ',';
      if (refused[i] === 1) {
        features += `${sep}null`;
        statuses += `${sep}"ERROR"`;
        if (options.includeDetailedStatus) detailed += sep + this.refusedStatus();
        continue;
      }
      const row = rows[i]!;
      features += sep + this.features(row, passed?.[i]);
      statuses += `${sep}"${this.statusOf(row, entries[i]!)}"`;
      if (options.includeDetailedStatus) detailed += sep + this.detailedStatus(row, entries[i]!);
    }
    let body = `{"features":${features}],"metadata":${this.metadataOf(options)},"status":${statuses}]`;
    if (options.includeDetailedStatus) body += `,"detailedStatus":${detailed}]`;
    return body + '}';
  }

  private metadataOf(options: VectorRequestOptions): string {
    return this.metadata[(options.featureName ? 1 : 0) + (options.featureType ? 2 : 0)]!;
  }

  /** The vector's JSON: the row's columns, a passed feature in place of the looked-up value of its name. */
  private features(row: SqlValue[], passed: PassedFeatures): string {
    const first = this.first;
    const writers = this.writers;
    if (!passed) {
      let out = '[';
      for (let c = 0; c < writers.length; c++) out += (c === 0 ? '' : ',') + writers[c]!(row[first + c]);
      return out + ']';
    }
    const values: string[] = new Array(writers.length);
    for (let c = 0; c < writers.length; c++) values[c] = writers[c]!(row[first + c]);
    // Names outside the vector are ignored, as RonDB does unless validatePassedFeatures is set.
    for (const name in passed) {
      const c = this.position.get(name);
      if (c !== undefined) values[c] = JSON.stringify(passed[name]) ?? 'null';
    }
    return `[${values.join(',')}]`;
  }

  /** COMPLETE when every group's read found a row, else MISSING (RonDB's rule: passed features do not change it). */
  private statusOf(row: SqlValue[], entry: Record<string, unknown>): 'COMPLETE' | 'MISSING' {
    for (let g = 0; g < this.groups.length; g++) if (row[1 + g] === null || this.lacksKey(g, entry)) return 'MISSING';
    return 'COMPLETE';
  }

  /** Per group, in the view's order: 200 found, 404 no row, 400 the entry lacks the group's key. */
  private detailedStatus(row: SqlValue[], entry: Record<string, unknown>): string {
    let out = '[';
    for (let g = 0; g < this.groups.length; g++) {
      const status = this.lacksKey(g, entry) ? 400 : row[1 + g] === null ? 404 : 200;
      out += `${g === 0 ? '' : ','}{"featureGroupId":${this.groups[g]!.id},"httpStatus":${status}}`;
    }
    return out + ']';
  }

  private refusedStatus(): string {
    return `[${this.groups.map((g) => `{"featureGroupId":${g.id},"httpStatus":400}`).join(',')}]`;
  }

  private lacksKey(group: number, entry: Record<string, unknown>): boolean {
    const keys = this.groups[group]!.keys;
    for (let k = 0; k < keys.length; k++) if (entry[keys[k]!] === undefined || entry[keys[k]!] === null) return true;
    return false;
  }

  /** RonDB's validatePassedFeatures: every name a feature of the vector, every value of its type's JSON type. */
  private invalidPassed(passed: Record<string, unknown>): RonDbError | undefined {
    for (const name in passed) {
      const c = this.position.get(name);
      if (c === undefined) {
        return FEATURE_NOT_EXIST.error(`Feature \`${name}\` does not exist in the feature view or it is a label which cannot be a passed feature.`, 400);
      }
      const got = jsonTypeOf(passed[name]);
      const expected = expectedJsonType(this.types[c]!);
      if (got !== expected) return WRONG_DATA_TYPE.error(`Got: '${got}', expected: '${expected}' (offline type: ${formatFeatureType(this.types[c]!)})`, 400);
    }
    return undefined;
  }

  /** An entry's refusal as RonDB words it: an unknown key is an incorrect primary key, a bad value a wrong data type. */
  private entryError(error: unknown): unknown {
    if (error instanceof UnknownServingKeyError) {
      return INCORRECT_PRIMARY_KEY.error(`Provided primary key \`${String(error.details.key)}\` does not belong to the set of primary keys.`);
    }
    if (error instanceof InvalidServingKeyError && typeof error.details.key === 'string') {
      const type = this.keyTypes.get(error.details.key);
      return WRONG_DATA_TYPE.error(`Primary key '${error.details.key}' should be in '${type === undefined ? '?' : formatFeatureType(type)}' format: ${String(error.details.reason ?? '')}`);
    }
    return error;
  }
}

function isEmpty(entry: Record<string, unknown>): boolean {
  for (const _ in entry) return false;
  return true;
}
