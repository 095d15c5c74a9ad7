import { InvalidArgumentError } from '../../../errors/humle-error.js';
import { MAX_DECIMAL_PRECISION, type ArrayElementType, type FeatureType } from '../../types/feature-type.js';
import type { OfflineColumn } from '../offline-column.js';
import { DeltaSchemaUnsupportedError } from '../offline-store-errors.js';

/**
 * Feature types ⇄ Delta's schema serialization (Spark SQL's JSON schema: a struct of fields, primitive types by
 * name, arrays as `{type: 'array', elementType, containsNull}`).
 *
 * Every field is written `nullable: true` and every array `containsNull: true`: DuckDB writes all Parquet columns and
 * list elements as optional, and a reader that checks the file schema against the table schema must find them
 * compatible. That a primary key or event time is never null is Humle's rule, enforced when rows are validated.
 *
 * `timestamp` is Delta's UTC-adjusted timestamp (Parquet INT64 TIMESTAMP(MICROS, isAdjustedToUTC=true), which is
 * what DuckDB writes for TIMESTAMPTZ): feature timestamps are instants, and `timestamp_ntz` would need the
 * `timestampNtz` table feature, i.e. a newer protocol than 1/2.
 */

export type DeltaPrimitiveTypeName = string;

export interface DeltaArrayType {
  readonly type: 'array';
  readonly elementType: DeltaDataType;
  readonly containsNull: boolean;
}

export interface DeltaStructType {
  readonly type: 'struct';
  readonly fields: readonly DeltaStructField[];
}

export interface DeltaMapType {
  readonly type: 'map';
  readonly keyType: DeltaDataType;
  readonly valueType: DeltaDataType;
  readonly valueContainsNull: boolean;
}

export type DeltaDataType = DeltaPrimitiveTypeName | DeltaArrayType | DeltaStructType | DeltaMapType;

export interface DeltaStructField {
  readonly name: string;
  readonly type: DeltaDataType;
  readonly nullable: boolean;
  readonly metadata: Readonly<Record<string, unknown>>;
}

/** A table schema: the top-level struct. */
export type DeltaSchema = DeltaStructType;

const PRIMITIVE_NAMES: Record<Exclude<FeatureType['kind'], 'decimal' | 'array'>, string> = {
  boolean: 'boolean',
  int: 'integer',
  bigint: 'long',
  float: 'float',
  double: 'double',
  string: 'string',
  binary: 'binary',
  date: 'date',
  timestamp: 'timestamp',
};

const ELEMENT_KINDS_BY_NAME: Record<string, ArrayElementType> = {
  integer: { kind: 'int' },
  long: { kind: 'bigint' },
  float: { kind: 'float' },
  double: { kind: 'double' },
  string: { kind: 'string' },
};

const KINDS_BY_NAME = new Map<string, FeatureType>(
  Object.entries(PRIMITIVE_NAMES).map(([kind, name]) => [name, { kind } as FeatureType]),
);

/** The Delta type of a feature type. */
export function deltaDataType(type: FeatureType): DeltaDataType {
  switch (type.kind) {
    case 'decimal':
      return `decimal(${type.precision},${type.scale})`;
    case 'array':
      return { type: 'array', elementType: PRIMITIVE_NAMES[type.element.kind], containsNull: true };
    default:
      return PRIMITIVE_NAMES[type.kind];
  }
}

/** The Delta schema of a column list. Delta requires column names unique regardless of case. */
export function deltaSchemaFromColumns(columns: readonly OfflineColumn[]): DeltaSchema {
  const seen = new Set<string>();
  for (const { name } of columns) {
    if (typeof name !== 'string' || name.length === 0) throw new InvalidArgumentError('a column name must be a non-empty string', { column: name });
    const folded = name.toLowerCase();
    if (seen.has(folded)) throw new InvalidArgumentError(`column names must be unique regardless of case: ${name}`, { column: name });
    seen.add(folded);
  }
  return {
    type: 'struct',
    fields: columns.map(({ name, type }) => ({ name, type: deltaDataType(type), nullable: true, metadata: {} })),
  };
}

/** The feature type of a Delta type, or a DeltaSchemaUnsupportedError naming the column. */
export function featureTypeFromDelta(type: DeltaDataType, column: string): FeatureType {
  if (typeof type === 'string') {
    const simple = KINDS_BY_NAME.get(type);
    if (simple) return simple;
    const decimal = /^decimal\((\d+),\s*(\d+)\)$/.exec(type);
    if (decimal) {
      const precision = Number(decimal[1]);
      const scale = Number(decimal[2]);
      if (precision >= 1 && precision <= MAX_DECIMAL_PRECISION && scale <= precision) return { kind: 'decimal', precision, scale };
    }
  } else if (type.type === 'array' && typeof type.elementType === 'string') {
    const element = ELEMENT_KINDS_BY_NAME[type.elementType];
    if (element) return { kind: 'array', element };
  }
  throw new DeltaSchemaUnsupportedError(`column ${column} has Delta type ${JSON.stringify(type)}, which no feature type matches`, { column, type });
}

/** The column list of a Delta schema (as an object, or as the `schemaString` of a metaData action). */
export function columnsFromDeltaSchema(schema: DeltaSchema | string): OfflineColumn[] {
  let parsed: unknown = schema;
  if (typeof schema === 'string') {
    try {
      parsed = JSON.parse(schema);
    } catch (error) {
      throw new DeltaSchemaUnsupportedError(`the Delta schema is not JSON: ${(error as Error).message}`);
    }
  }
  const struct = parsed as Partial<DeltaSchema> | null;
  if (struct === null || typeof struct !== 'object' || struct.type !== 'struct' || !Array.isArray(struct.fields)) {
    throw new DeltaSchemaUnsupportedError('a Delta table schema must be a struct with fields', { schema: parsed });
  }
  return struct.fields.map((field) => ({ name: field.name, type: featureTypeFromDelta(field.type, field.name) }));
}
