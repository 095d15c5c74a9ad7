import { InvalidTransformationError } from '../../errors/featurestore-errors.js';
import type { Feature } from '../schema/feature.js';
import type { FeatureType } from '../types/feature-type.js';
import type { PreparedTransformation, TransformationFunctionDefinition } from './transformation-function.js';
import type { FeatureStatisticsValues, StatisticKind } from './transformation-statistics.js';

const NUMERIC = new Set(['int', 'bigint', 'float', 'double', 'decimal']);
/** Kinds whose values have one text form in DuckDB and JavaScript alike, so categories are looked up exactly. */
const CATEGORICAL = new Set(['string', 'int', 'bigint', 'boolean']);
const DOUBLE: FeatureType = { kind: 'double' };

function oneInput(name: string, inputs: readonly Feature[], kinds: ReadonlySet<string>, what: string): void {
  if (inputs.length !== 1) throw new InvalidTransformationError(`${name} takes one feature, not ${inputs.length}`, { function: name });
  const input = inputs[0]!;
  if (!kinds.has(input.type.kind)) {
    throw new InvalidTransformationError(`${name} needs ${what} feature: ${input.name} is ${input.type.kind}`, { function: name, feature: input.name, type: input.type.kind });
  }
}

/**
 * A scaler `(x - center) / scale` with the train split's statistics. A scale of 0 (a constant column) counts as 1,
 * as scikit-learn does, so a constant maps to 0 rather than to NaN; without statistics (no non-null train value)
 * and for a null input the output is null.
 */
function scaler(name: string, outputPrefix: string, statistics: StatisticKind[], center: (s: FeatureStatisticsValues) => number | null | undefined, scale: (s: FeatureStatisticsValues) => number | null | undefined): TransformationFunctionDefinition {
  return {
    name,
    version: 1,
    outputPrefix,
    statistics,
    checkInputs: (inputs) => oneInput(name, inputs, NUMERIC, 'a numeric'),
    outputTypes: () => [DOUBLE],
    prepare(stats): PreparedTransformation {
      const c = center(stats[0]!);
      const s = scale(stats[0]!);
      if (c === null || c === undefined || s === null || s === undefined) {
        return (_inputs, out, at) => {
          out[at] = null;
        };
      }
      const divisor = s === 0 ? 1 : s;
      return (inputs, out, at) => {
        const x = inputs[0];
        out[at] = x === null || x === undefined ? null : (Number(x) - c) / divisor;
      };
    },
  };
}

/** Category → its index among the train split's sorted distinct values. */
function categoryIndex(stats: FeatureStatisticsValues): Map<string, number> {
  return new Map((stats.distinct ?? []).map((value, i) => [value, i]));
}

const minMaxScaler = scaler('minMaxScaler', 'min_max_scaler', ['min', 'max'], (s) => s.min, (s) => (s.min === null || s.min === undefined || s.max === null || s.max === undefined ? null : s.max - s.min));
const standardScaler = scaler('standardScaler', 'standard_scaler', ['mean', 'stddev'], (s) => s.mean, (s) => s.stddev);
const robustScaler = scaler('robustScaler', 'robust_scaler', ['quartiles'], (s) => s.median, (s) => (s.q1 === null || s.q1 === undefined || s.q3 === null || s.q3 === undefined ? null : s.q3 - s.q1));

/** The index of the value among the train split's sorted categories; -1 for a category training never saw; null for null (HSFS). */
const labelEncoder: TransformationFunctionDefinition = {
  name: 'labelEncoder',
  version: 1,
  outputPrefix: 'label_encoder',
  statistics: ['distinct'],
  checkInputs: (inputs) => oneInput('labelEncoder', inputs, CATEGORICAL, 'a string, integer or boolean'),
  outputTypes: () => [{ kind: 'int' }],
  prepare(stats) {
    const index = categoryIndex(stats[0]!);
    return (inputs, out, at) => {
      const x = inputs[0];
      out[at] = x === null || x === undefined ? null : (index.get(String(x)) ?? -1);
    };
  },
};

/**
 * One boolean per category of the train split, in sorted order (outputs `one_hot_encoder_<feature>_<i>`, the i-th
 * category); a category training never saw, and null, set none (HSFS).
 */
const oneHotEncoder: TransformationFunctionDefinition = {
  name: 'oneHotEncoder',
  version: 1,
  outputPrefix: 'one_hot_encoder',
  statistics: ['distinct'],
  checkInputs: (inputs) => oneInput('oneHotEncoder', inputs, CATEGORICAL, 'a string, integer or boolean'),
  outputTypes: (stats) => (stats[0]!.distinct ?? []).map((): FeatureType => ({ kind: 'boolean' })),
  prepare(stats) {
    const index = categoryIndex(stats[0]!);
    const width = index.size;
    return (inputs, out, at) => {
      for (let i = 0; i < width; i++) out[at + i] = false;
      const x = inputs[0];
      if (x === null || x === undefined) return;
      const hit = index.get(String(x));
      if (hit !== undefined) out[at + hit] = true;
    };
  },
};

export const BUILTIN_TRANSFORMATIONS: readonly TransformationFunctionDefinition[] = [minMaxScaler, standardScaler, robustScaler, labelEncoder, oneHotEncoder];
