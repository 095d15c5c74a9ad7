import { InvalidTransformationError } from '../../errors/featurestore-errors.js';
import type { Feature } from '../schema/feature.js';
import type { PreparedTransformation } from './transformation-function.js';
import type { TransformationFunctionRegistry } from './transformation-registry.js';

/**
 * An on-demand feature of a view (HSFS on-demand transformation): a value computed, row by row, by a registered
 * transformation function from other columns of the view. Training data computes it from the columns read;
 * serving from the feature vector, where request parameters (passed features) of the same names take precedence,
 * so a value known only at request time replaces the stored one. It uses no statistics and returns one value.
 */
export interface OnDemandFeatureSpec {
  /** Its column name (as feature names). */
  name: string;
  /** A function registered with fs.registerTransformationFunction. */
  function: string;
  version?: number;
  /** Columns of the view's query it takes, in the function's argument order. */
  features: string[];
}

/** An on-demand feature with its function resolved: its output feature and how to compute it. */
export interface ResolvedOnDemandFeature {
  spec: OnDemandFeatureSpec;
  feature: Feature;
  compute: PreparedTransformation;
}

export function resolveOnDemandFeature(registry: TransformationFunctionRegistry, spec: OnDemandFeatureSpec): ResolvedOnDemandFeature {
  const definition = registry.get(spec.function, spec.version ?? 1);
  if (definition.statistics.length > 0) {
    throw new InvalidTransformationError(`on-demand feature ${spec.name}: ${spec.function} needs training statistics, which an on-demand feature has not (HSFS)`, { feature: spec.name, function: spec.function });
  }
  const types = definition.outputTypes([]);
  if (types.length !== 1) throw new InvalidTransformationError(`on-demand feature ${spec.name}: ${spec.function} must return one value`, { feature: spec.name, function: spec.function });
  return {
    spec,
    feature: { name: spec.name, type: types[0]!, description: '', primary: false, eventTime: false, partition: false },
    compute: definition.prepare([]),
  };
}
