import { HumleError } from './humle-error.js';

/**
 * Feature store errors. Constructors keep HumleError's `(message, details)` shape so that an error rebuilt on the
 * other side of a thread or HTTP boundary (error-transport) is the same class with the same details.
 */
export abstract class FeatureStoreError extends HumleError {}

/** Where a refused value was and why: `row` is the 0-based index of the row in the batch, `column` null when the whole row is at fault. */
export interface InvalidFeatureDataDetails extends Record<string, unknown> {
  row: number;
  column: string | null;
  reason: string;
  /** A JSON-safe preview of the refused value, when there is one. */
  value?: unknown;
  /** The 1-based line of the file the row starts on (CSV: the header is line 1; NDJSON), when it came from a file. */
  line?: number;
  /** The file's name, when the caller that named the file added it (inFile). */
  file?: string;
}

/** Where a refused value was, as a person looks for it: the file's line when known (rows count from 0), else the row. */
function placeOf(details: InvalidFeatureDataDetails): string {
  const place = details.line === undefined ? `row ${details.row}` : details.file === undefined ? `line ${details.line}` : `line ${details.line} of ${details.file}`;
  return details.column === null ? place : `${place}, column '${details.column}'`;
}

/** A row of inserted data breaks the schema: wrong type, null key, unknown column, NaN, bad timestamp. */
export class InvalidFeatureDataError extends FeatureStoreError {
  readonly code = 'FEATURE_INVALID_DATA';
  declare readonly details: InvalidFeatureDataDetails;

  /**
   * The error for one refused value (or, with `column` null, one refused row); the message names all three.
   * `more` adds details a source knows (the line of a file).
   */
  static at(row: number, column: string | null, reason: string, value?: unknown, more?: { line?: number }): InvalidFeatureDataError {
    const details: InvalidFeatureDataDetails = { ...more, row, column, reason };
    if (value !== undefined) details.value = previewValue(value);
    return new InvalidFeatureDataError(`${placeOf(details)}: ${reason}`, details);
  }

  /**
   * The same error naming the file the rows came from (`line 3 of day1.csv`): only the caller that was given the file
   * knows the name it goes by (a server reads an upload from a temporary file whose name means nothing to its client).
   */
  inFile(file: string): InvalidFeatureDataError {
    if (this.details.line === undefined) return this;
    const details: InvalidFeatureDataDetails = { ...this.details, file };
    return new InvalidFeatureDataError(`${placeOf(details)}: ${details.reason}`, details);
  }
}

/** A schema change that existing data cannot follow (a type change, a new key): it needs a new feature group version. */
export class SchemaIncompatibleError extends FeatureStoreError {
  readonly code = 'FEATURE_SCHEMA_INCOMPATIBLE';
}

export class FeatureGroupNotFoundError extends FeatureStoreError {
  readonly code = 'FEATURE_GROUP_NOT_FOUND';
}

export class FeatureGroupExistsError extends FeatureStoreError {
  readonly code = 'FEATURE_GROUP_EXISTS';
}

/** A feature group definition that cannot be created: bad feature names, keys, event time, partition keys or types. */
export class InvalidFeatureGroupError extends FeatureStoreError {
  readonly code = 'FEATURE_GROUP_INVALID';
}

const PREVIEW_CHARS = 100;

/**
 * Details travel as JSON (HTTP, worker threads), so a refused value is kept only in a form JSON holds faithfully:
 * short strings, finite numbers and booleans as they are; everything else as a short description.
 */
function previewValue(value: unknown): unknown {
  switch (typeof value) {
    case 'string':
      return value.length > PREVIEW_CHARS ? `${value.slice(0, PREVIEW_CHARS)}…` : value;
    case 'number':
      return Number.isFinite(value) ? value : String(value);
    case 'boolean':
      return value;
    case 'bigint':
      return `${value}n`;
    case 'object':
      if (value === null) return null;
      if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString();
      if (Array.isArray(value)) return `array of ${value.length}`;
      if (ArrayBuffer.isView(value)) return `${value.constructor.name} of ${value.byteLength} bytes`;
      return `object ${value.constructor?.name ?? 'with null prototype'}`;
    default:
      return typeof value;
  }
}

/** An insert (operation 'insert', not 'upsert') met a record key that the feature group holds already. */
export class DuplicateRecordError extends FeatureStoreError {
  readonly code = 'FEATURE_DUPLICATE_RECORD';
}

/** A commit id or time that names no commit of the feature group. */
export class CommitNotFoundError extends FeatureStoreError {
  readonly code = 'FEATURE_COMMIT_NOT_FOUND';
}

/** No statistics were stored for the commit asked about: statistics disabled, still being computed, or no commit yet. */
export class StatisticsNotFoundError extends FeatureStoreError {
  readonly code = 'FEATURE_STATISTICS_NOT_FOUND';
}

/** A statistics configuration that cannot be used: unknown keys, wrong types, columns that are not features. */
export class InvalidStatisticsConfigError extends FeatureStoreError {
  readonly code = 'FEATURE_STATISTICS_CONFIG_INVALID';
}

/** An expectation that cannot be evaluated: unknown kind or feature, a kind the feature's type cannot have, a bad regex or bound. */
export class InvalidExpectationError extends FeatureStoreError {
  readonly code = 'FEATURE_EXPECTATION_INVALID';
}

/**
 * A batch broke the feature group's expectations under the `strict` ingestion policy, so nothing was inserted.
 * `details.report` is the whole validation report (JSON-safe), as recorded in the validation history.
 */
export class ValidationFailedError extends FeatureStoreError {
  readonly code = 'FEATURE_VALIDATION_FAILED';
}

/** A feature name that the feature group (or the query) does not have. */
export class FeatureNotFoundError extends FeatureStoreError {
  readonly code = 'FEATURE_NOT_FOUND';
}

/**
 * Two columns of a query's result would have the same name (give the join a `prefix`), or a filter names a feature
 * of a feature group that the query reads twice. `details.column` names the column.
 */
export class AmbiguousFeatureError extends FeatureStoreError {
  readonly code = 'FEATURE_AMBIGUOUS';
}

/** A join that cannot be made: no common key, keys of different lengths or types, an option the join type cannot take. */
export class InvalidJoinError extends FeatureStoreError {
  readonly code = 'FEATURE_JOIN_INVALID';
}

/** A filter that cannot be evaluated: a value of the wrong type, an operator the feature's type lacks, a feature outside the query. */
export class InvalidFilterError extends FeatureStoreError {
  readonly code = 'FEATURE_FILTER_INVALID';
}

/** A query that cannot be built or read: an empty selection, a bad limit or time-travel range, a group without a schema. */
export class InvalidQueryError extends FeatureStoreError {
  readonly code = 'FEATURE_QUERY_INVALID';
}

export class FeatureViewNotFoundError extends FeatureStoreError {
  readonly code = 'FEATURE_VIEW_NOT_FOUND';
}

/** A feature view version exists with another definition: views are immutable, a changed query is a new version. */
export class FeatureViewExistsError extends FeatureStoreError {
  readonly code = 'FEATURE_VIEW_EXISTS';
}

/** A feature view definition that cannot be created: bad name, labels or helper columns outside the query, bad options. */
export class InvalidFeatureViewError extends FeatureStoreError {
  readonly code = 'FEATURE_VIEW_INVALID';
}

/** A feature group that feature views read cannot be deleted; `details.featureViews` names them (`name:version`). */
export class FeatureGroupInUseError extends FeatureStoreError {
  readonly code = 'FEATURE_GROUP_IN_USE';
}

/** A view names a transformation function that is neither built in nor registered in this process (by name and version). */
export class TransformationFunctionNotFoundError extends FeatureStoreError {
  readonly code = 'FEATURE_TRANSFORMATION_NOT_FOUND';
}

/**
 * A transformation or on-demand feature that cannot be applied: a scaler on a non-numeric feature, an encoder on a
 * type it cannot encode, inputs missing from the vector it is prepared for, a bad registration.
 */
export class InvalidTransformationError extends FeatureStoreError {
  readonly code = 'FEATURE_TRANSFORMATION_INVALID';
}

/** A training dataset version that the feature view does not have (never created, or deleted). */
export class TrainingDatasetNotFoundError extends FeatureStoreError {
  readonly code = 'FEATURE_TRAINING_DATASET_NOT_FOUND';
}

/** An entry of a feature vector request names a key that is none of the view's serving keys (`details.key`, `details.servingKeys`). */
export class UnknownServingKeyError extends FeatureStoreError {
  readonly code = 'FEATURE_SERVING_KEY_UNKNOWN';
}

/** An entry lacks a required serving key, or gives it as null (`details.key`, `details.entry`: the entry's index). */
export class MissingServingKeyError extends FeatureStoreError {
  readonly code = 'FEATURE_SERVING_KEY_MISSING';
}

/** A serving key's value is not of its feature's type (`details.key`, `details.entry`, `details.reason`). */
export class InvalidServingKeyError extends FeatureStoreError {
  readonly code = 'FEATURE_SERVING_KEY_INVALID';
}

/**
 * The online store has no row for an entry in some of the view's feature groups, and `allowMissing` was not set
 * (Hopsworks refuses such a vector rather than return nulls). `details.entry` is the entry's index, `details.keys`
 * its serving keys, `details.featureGroups` the groups without a row.
 */
export class FeatureVectorMissingError extends FeatureStoreError {
  readonly code = 'FEATURE_VECTOR_MISSING';
}

/** A view that cannot serve feature vectors: one of its feature groups is not online-enabled. */
export class FeatureViewNotServableError extends FeatureStoreError {
  readonly code = 'FEATURE_VIEW_NOT_SERVABLE';
}
