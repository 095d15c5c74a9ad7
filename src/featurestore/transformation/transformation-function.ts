import type { Feature } from '../schema/feature.js';
import type { FeatureType } from '../types/feature-type.js';
import type { FeatureStatisticsValues, StatisticKind } from './transformation-statistics.js';

/**
 * A transformation applied to one row's input values: writes its outputs into `out` from `at` on. Chosen once per
 * feature when a transformer is prepared (statistics already bound), so applying it allocates nothing.
 */
export type PreparedTransformation = (inputs: readonly unknown[], out: unknown[], at: number) => void;

/**
 * A model-dependent transformation function, built in or registered: what it needs (statistics of its inputs over
 * the train split, input types) and, given those statistics, how many values it returns and how it computes them.
 */
export interface TransformationFunctionDefinition {
  name: string;
  version: number;
  /** Prefix of its output columns: `<prefix>_<inputs joined by _>`, then `_<i>` per output when there are several (HSFS). */
  outputPrefix: string;
  statistics: readonly StatisticKind[];
  /** Throws InvalidTransformationError when the function cannot take these input features. */
  checkInputs(inputs: readonly Feature[]): void;
  /** The type of each output, given the statistics of the inputs. */
  outputTypes(statistics: readonly FeatureStatisticsValues[]): FeatureType[];
  prepare(statistics: readonly FeatureStatisticsValues[]): PreparedTransformation;
}

/**
 * A user transformation function (`fs.registerTransformationFunction`): the input values of one row, in the order
 * the view's spec lists its features, and their train-split statistics (empty objects but for `count` unless the
 * registration asks for statistics). It returns one value, or an array of `outputs` values. It must be pure: the
 * same function runs over training data and at serving.
 */
export type UserTransformationFunction = (values: readonly unknown[], statistics: readonly FeatureStatisticsValues[]) => unknown;

export interface TransformationFunctionOptions {
  /** Default 1. A view's spec names a version (default 1). */
  version?: number;
  /** Statistics of every input computed over the train split. */
  statistics?: StatisticKind[];
  /** How many values it returns (an array when more than one); default 1. */
  outputs?: number;
  /** The type of its outputs; default double. */
  outputType?: FeatureType;
}
