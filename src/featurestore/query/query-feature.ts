import { InvalidFilterError } from '../../errors/featurestore-errors.js';
import type { Feature } from '../schema/feature.js';
import { formatFeatureType, type FeatureType } from '../types/feature-type.js';
import { toJsonSafeValue, type JsonValue } from '../types/json-safe-value.js';
import { coercerFor } from '../types/value-coercion.js';
import { Filter } from './filter.js';
import type { ComparisonOperator, FeatureGroupRef, FeatureRefPlan } from './query-plan.js';

/** Types with an order: what lt / le / gt / ge compare. */
const ORDERED = new Set(['int', 'bigint', 'float', 'double', 'decimal', 'string', 'date', 'timestamp']);

/**
 * A feature of a feature group as `fg.feature(name)` returns it: the feature's fields (name, type, description, key
 * roles) and the predicates that build filters on it (HSFS `Feature.__gt__` etc.). A value is checked against the
 * feature's type when the predicate is built, with the coercions an insert applies (a timestamp takes a Date, ISO
 * text, epoch milliseconds or bigint microseconds), so a filter that would compare a string with a number is refused
 * here with InvalidFilterError rather than when the query runs.
 */
export class QueryFeature implements Feature {
  readonly name: string;
  readonly type: FeatureType;
  readonly description: string;
  readonly primary: boolean;
  readonly eventTime: boolean;
  readonly partition: boolean;
  /** The feature group the feature belongs to. */
  readonly featureGroup: FeatureGroupRef;

  constructor(feature: Feature, featureGroup: FeatureGroupRef) {
    this.name = feature.name;
    this.type = feature.type;
    this.description = feature.description;
    this.primary = feature.primary;
    this.eventTime = feature.eventTime;
    this.partition = feature.partition;
    this.featureGroup = featureGroup;
  }

  eq(value: unknown): Filter {
    return this.compare('eq', value);
  }
  ne(value: unknown): Filter {
    return this.compare('ne', value);
  }
  lt(value: unknown): Filter {
    return this.compare('lt', value);
  }
  le(value: unknown): Filter {
    return this.compare('le', value);
  }
  gt(value: unknown): Filter {
    return this.compare('gt', value);
  }
  ge(value: unknown): Filter {
    return this.compare('ge', value);
  }

  /** Equal to one of the values (SQL IN). */
  in(values: readonly unknown[]): Filter {
    this.refuseArray('in');
    if (!Array.isArray(values) || values.length === 0) throw this.invalid('in', 'takes a non-empty array of values', values);
    return new Filter({ op: 'in', feature: this.ref(), values: values.map((v) => this.jsonValue('in', v)) });
  }

  /** SQL LIKE on a string feature: `%` any characters, `_` one character, `\` escapes either (and itself). */
  like(pattern: string): Filter {
    if (this.type.kind !== 'string') throw this.invalid('like', `applies to string features, not ${formatFeatureType(this.type)}`, pattern);
    if (typeof pattern !== 'string') throw this.invalid('like', 'takes a string pattern', pattern);
    // DuckDB refuses a pattern that ends in an unescaped escape character when it runs the query: refuse it here,
    // as bad input, instead of as a failed read.
    const trailingBackslashes = pattern.length - pattern.replace(/\\+$/, '').length;
    if (trailingBackslashes % 2 === 1) throw this.invalid('like', 'a pattern cannot end with the escape character \\ (write \\\\ for a backslash)', pattern);
    return new Filter({ op: 'like', feature: this.ref(), pattern });
  }

  isNull(): Filter {
    return new Filter({ op: 'isNull', feature: this.ref() });
  }

  isNotNull(): Filter {
    return new Filter({ op: 'isNotNull', feature: this.ref() });
  }

  toJSON(): Record<string, unknown> {
    return { name: this.name, type: formatFeatureType(this.type), description: this.description, primary: this.primary, eventTime: this.eventTime, featureGroup: this.featureGroup };
  }

  private compare(op: ComparisonOperator, value: unknown): Filter {
    this.refuseArray(op);
    if (op !== 'eq' && op !== 'ne' && !ORDERED.has(this.type.kind)) throw this.invalid(op, `cannot order ${formatFeatureType(this.type)} values`, value);
    return new Filter({ op, feature: this.ref(), value: this.jsonValue(op, value) });
  }

  private jsonValue(op: string, value: unknown): JsonValue {
    if (value === null || value === undefined) throw this.invalid(op, 'needs a value: test for null with isNull() or isNotNull()', value);
    try {
      return toJsonSafeValue(this.type, coercerFor(this.type, { source: 'js' })(value));
    } catch (reason) {
      if (typeof reason !== 'string') throw reason;
      throw this.invalid(op, reason, value);
    }
  }

  private refuseArray(op: string): void {
    if (this.type.kind === 'array') throw this.invalid(op, 'does not apply to arrays: test them with isNull() or isNotNull()', undefined);
  }

  private ref(): FeatureRefPlan {
    return { featureGroupId: this.featureGroup.id, feature: this.name };
  }

  private invalid(op: string, reason: string, value: unknown): InvalidFilterError {
    const shown = typeof value === 'bigint' ? `${value}n` : value instanceof Date ? value.toISOString() : JSON.stringify(value) ?? String(value);
    return new InvalidFilterError(`${this.featureGroup.name}.${this.name} (${formatFeatureType(this.type)}) ${op}: ${reason}${value === undefined ? '' : ` (got ${shown})`}`, {
      featureGroup: this.featureGroup.name,
      feature: this.name,
      operator: op,
    });
  }
}
