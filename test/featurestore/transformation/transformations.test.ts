import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidTransformationError, TransformationFunctionNotFoundError } from '../../../src/errors/featurestore-errors.js';
import { withDuckDBConnection } from '../../../src/featurestore/offline/duckdb/duckdb-instance.js';
import type { Feature } from '../../../src/featurestore/schema/feature.js';
import type { FeatureType } from '../../../src/featurestore/types/feature-type.js';
import { FeatureTransformer } from '../../../src/featurestore/transformation/feature-transformer.js';
import { resolveOnDemandFeature } from '../../../src/featurestore/transformation/on-demand-feature.js';
import { TransformationFunctionRegistry } from '../../../src/featurestore/transformation/transformation-registry.js';
import { computeTransformationStatistics, type FeatureStatisticsValues, type StatisticKind } from '../../../src/featurestore/transformation/transformation-statistics.js';

const feature = (name: string, kind: FeatureType['kind'] = 'double'): Feature => ({ name, type: { kind } as FeatureType, description: '', primary: false, eventTime: false, partition: false });

/** A transformer of one function on column `x` of a one-column vector, with the given statistics of x. */
function single(name: string, stats: FeatureStatisticsValues, kind: FeatureType['kind'] = 'double', registry = new TransformationFunctionRegistry()): FeatureTransformer {
  const definition = registry.get(name);
  return new FeatureTransformer({ columns: [feature('x', kind)], onDemand: [], transformations: [{ definition, features: ['x'] }], statistics: { x: stats } });
}

describe('built-in transformations', () => {
  test('minMaxScaler: (x - min) / (max - min); a constant column maps to 0; null stays null; no statistics give null', () => {
    const t = single('minMaxScaler', { count: 3, min: 10, max: 30 });
    assert.deepEqual(t.outputNames, ['min_max_scaler_x']);
    assert.deepEqual([10, 20, 30, 40, null].map((x) => t.transform([x])[0]), [0, 0.5, 1, 1.5, null]);
    assert.deepEqual(single('minMaxScaler', { count: 2, min: 5, max: 5 }).transform([5]), [0]);
    assert.deepEqual(single('minMaxScaler', { count: 2, min: 5, max: 5 }).transform([7]), [2]);
    assert.deepEqual(single('minMaxScaler', { count: 0, min: null, max: null }).transform([7]), [null]);
  });

  test('standardScaler: (x - mean) / stddev; a zero stddev divides by 1', () => {
    const t = single('standardScaler', { count: 4, mean: 2, stddev: 2 });
    assert.deepEqual([6, 2, -2, null].map((x) => t.transform([x])[0]), [2, 0, -2, null]);
    assert.deepEqual(single('standardScaler', { count: 1, mean: 3, stddev: 0 }).transform([4]), [1]);
    assert.deepEqual(single('standardScaler', { count: 3, mean: 0.5, stddev: 0.25 }, 'bigint').transform([1]), [2], 'integers are numbers to scale');
  });

  test('robustScaler: (x - median) / (q3 - q1); a zero IQR divides by 1', () => {
    const t = single('robustScaler', { count: 5, q1: 2, median: 3, q3: 4 });
    assert.deepEqual([3, 5, 1, null].map((x) => t.transform([x])[0]), [0, 1, -1, null]);
    assert.deepEqual(single('robustScaler', { count: 5, q1: 3, median: 3, q3: 3 }).transform([5]), [2]);
    assert.deepEqual(single('robustScaler', { count: 5, q1: 1, median: 2, q3: 3 }, 'decimal').transform(['4.50']), [1.25], 'decimals (text) scale as numbers');
  });

  test('labelEncoder: index among the sorted train categories; unseen → -1; null → null', () => {
    const t = single('labelEncoder', { count: 3, distinct: ['apple', 'banana', 'cherry'] }, 'string');
    assert.deepEqual(t.outputNames, ['label_encoder_x']);
    assert.deepEqual(['apple', 'cherry', 'banana', 'dragonfruit', null].map((x) => t.transform([x])[0]), [0, 2, 1, -1, null]);
    const ints = single('labelEncoder', { count: 3, distinct: ['7', '10'] }, 'bigint');
    assert.deepEqual([7, 10, 10n, 8].map((x) => ints.transform([x])[0]), [0, 1, 1, -1], 'integer categories, numbers or bigints');
    assert.deepEqual(single('labelEncoder', { count: 0, distinct: [] }, 'boolean').transform([true]), [-1]);
  });

  test('oneHotEncoder: one boolean per sorted train category, named one_hot_encoder_<feature>_<i>; unseen and null set none', () => {
    const t = single('oneHotEncoder', { count: 3, distinct: ['blue', 'green', 'red'] }, 'string');
    assert.deepEqual(t.outputNames, ['one_hot_encoder_x_0', 'one_hot_encoder_x_1', 'one_hot_encoder_x_2']);
    assert.deepEqual(t.outputFeatures.map((f) => f.type.kind), ['boolean', 'boolean', 'boolean']);
    assert.deepEqual(t.transform(['red']), [false, false, true]);
    assert.deepEqual(t.transform(['green']), [false, true, false]);
    assert.deepEqual(t.transform(['yellow']), [false, false, false]);
    assert.deepEqual(t.transform([null]), [false, false, false]);
    assert.deepEqual(single('oneHotEncoder', { count: 0, distinct: [] }, 'string').outputNames, [], 'no train category, no column');
  });

  test('scalers take numeric features only, encoders strings, integers and booleans (InvalidTransformationError)', () => {
    const registry = new TransformationFunctionRegistry();
    for (const name of ['minMaxScaler', 'standardScaler', 'robustScaler']) {
      assert.throws(() => registry.get(name).checkInputs([feature('city', 'string')]), (e: Error) => e instanceof InvalidTransformationError && /numeric/.test(e.message));
      registry.get(name).checkInputs([feature('amount', 'decimal')]);
    }
    for (const name of ['labelEncoder', 'oneHotEncoder']) {
      assert.throws(() => registry.get(name).checkInputs([feature('amount', 'double')]), InvalidTransformationError);
      assert.throws(() => registry.get(name).checkInputs([feature('a', 'string'), feature('b', 'string')]), /one feature/);
    }
  });
});

describe('the feature transformer', () => {
  test('outputs replace their inputs in place; other columns are copied; the input vector is not changed', () => {
    const registry = new TransformationFunctionRegistry();
    const t = new FeatureTransformer({
      columns: [feature('id', 'bigint'), feature('amount'), feature('color', 'string'), feature('age')],
      onDemand: [],
      transformations: [
        { definition: registry.get('oneHotEncoder'), features: ['color'] },
        { definition: registry.get('minMaxScaler'), features: ['amount'] },
      ],
      statistics: { amount: { count: 2, min: 0, max: 100 }, color: { count: 2, distinct: ['blue', 'red'] } },
    });
    assert.deepEqual(t.inputNames, ['id', 'amount', 'color', 'age']);
    assert.deepEqual(t.outputNames, ['id', 'min_max_scaler_amount', 'one_hot_encoder_color_0', 'one_hot_encoder_color_1', 'age']);
    const vector = [1, 50, 'red', 33];
    assert.deepEqual(t.transform(vector), [1, 0.5, false, true, 33]);
    assert.deepEqual(vector, [1, 50, 'red', 33]);
    assert.deepEqual(t.transformObject({ id: 2, amount: 100, color: 'blue' }), { id: 2, min_max_scaler_amount: 1, one_hot_encoder_color_0: true, one_hot_encoder_color_1: false, age: null });
  });

  test('a transformation with some inputs missing from the vector is refused; with none present it is left out', () => {
    const registry = new TransformationFunctionRegistry();
    registry.register('ratio', ([a, b]) => Number(a) / Number(b));
    const transformations = [{ definition: registry.get('ratio'), features: ['a', 'b'] }];
    assert.throws(() => new FeatureTransformer({ columns: [feature('a')], onDemand: [], transformations, statistics: {} }), (e: Error) => e instanceof InvalidTransformationError && /b is not among/.test(e.message));
    assert.deepEqual(new FeatureTransformer({ columns: [feature('c')], onDemand: [], transformations, statistics: {} }).outputNames, ['c']);
    const both = new FeatureTransformer({ columns: [feature('b'), feature('a')], onDemand: [], transformations, statistics: {} });
    assert.deepEqual(both.outputNames, ['ratio_a_b'], 'many-to-one: at the first input, named after all inputs');
    assert.deepEqual(both.transform([4, 2]), [0.5], 'arguments in the spec order, whatever the vector order');
  });

  test('user functions: statistics they ask for, several outputs, their output type', () => {
    const registry = new TransformationFunctionRegistry();
    registry.register('centered', ([x], [s]) => (x === null ? null : Number(x) - s!.mean!), { statistics: ['mean'] });
    registry.register('split_name', ([x]) => String(x).split(' '), { outputs: 2, outputType: { kind: 'string' } });
    assert.deepEqual(registry.get('centered').statistics, ['mean']);
    const t = new FeatureTransformer({
      columns: [feature('x'), feature('name', 'string')],
      onDemand: [],
      transformations: [
        { definition: registry.get('centered'), features: ['x'] },
        { definition: registry.get('split_name'), features: ['name'] },
      ],
      statistics: { x: { count: 2, mean: 10 } },
    });
    assert.deepEqual(t.outputNames, ['centered_x', 'split_name_name_0', 'split_name_name_1']);
    assert.deepEqual(t.outputFeatures.map((f) => f.type.kind), ['double', 'string', 'string']);
    assert.deepEqual(t.transform([12, 'Ada Lovelace']), [2, 'Ada', 'Lovelace']);
    registry.register('bad_split', () => ['only one'], { outputs: 2 });
    const bad = new FeatureTransformer({ columns: [feature('n', 'string')], onDemand: [], transformations: [{ definition: registry.get('bad_split'), features: ['n'] }], statistics: {} });
    assert.throws(() => bad.transform(['x']), /returned 1 values, not 2/);
  });

  test('on-demand features are computed before the transformations, request parameters take precedence', () => {
    const registry = new TransformationFunctionRegistry();
    registry.register('days_between', ([from, to]) => (from === null || to === null ? null : (Number(to) - Number(from)) / 86_400_000_000));
    const onDemand = [resolveOnDemandFeature(registry, { name: 'age_days', function: 'days_between', features: ['created', 'now'] })];
    const t = new FeatureTransformer({ columns: [feature('id', 'bigint'), feature('created', 'timestamp'), feature('now', 'timestamp')], keep: new Set(['id']), onDemand, transformations: [], statistics: {} });
    assert.deepEqual(t.outputNames, ['id', 'age_days'], 'input-only columns are not returned');
    const day = 86_400_000_000;
    assert.deepEqual(t.transform([1, 0, 3 * day]), [1, 3]);
    assert.deepEqual(t.transform([1, 0, 3 * day], { now: 5 * day }), [1, 5]);
    assert.deepEqual(t.transform([1, null, 3 * day]), [1, null]);
    registry.register('needs_stats', ([x]) => x, { statistics: ['mean'] });
    assert.throws(() => resolveOnDemandFeature(registry, { name: 'y', function: 'needs_stats', features: ['x'] }), InvalidTransformationError);
  });
});

describe('the registry', () => {
  test('unknown names and versions, bad registrations and duplicates are refused with typed errors', () => {
    const registry = new TransformationFunctionRegistry();
    assert.throws(() => registry.get('min_max_scaler'), (e: Error) => e instanceof TransformationFunctionNotFoundError && /registerTransformationFunction/.test(e.message));
    assert.throws(() => registry.get('minMaxScaler', 2), TransformationFunctionNotFoundError);
    assert.throws(() => registry.register('Plus One', (v) => v), InvalidTransformationError);
    assert.throws(() => registry.register('plus_one', 'x' as never), InvalidTransformationError);
    assert.throws(() => registry.register('plus_one', (v) => v, { statistics: ['mode' as StatisticKind] }), /unknown statistic/);
    assert.throws(() => registry.register('plus_one', (v) => v, { outputs: 0 }), /outputs/);
    registry.register('plus_one', ([x]) => Number(x) + 1);
    registry.register('plus_one', ([x]) => Number(x) + 2, { version: 2 });
    assert.throws(() => registry.register('plus_one', (v) => v), /registered already/);
    assert.equal(registry.get('plus_one', 2).version, 2);
  });
});

describe('transformation statistics in DuckDB', () => {
  test('min, max, mean, population stddev, interpolated quartiles and sorted distinct values, nulls left out', async () => {
    const wanted = new Map<string, Set<StatisticKind>>([
      ['x', new Set<StatisticKind>(['min', 'max', 'mean', 'stddev', 'quartiles'])],
      ['c', new Set<StatisticKind>(['distinct'])],
      ['n', new Set<StatisticKind>(['distinct'])],
      ['e', new Set<StatisticKind>(['min', 'max', 'distinct'])],
    ]);
    const relation = `(SELECT * FROM (VALUES (1.0, 'b', 10, NULL::DOUBLE), (2.0, 'a', 9, NULL), (3.0, NULL, 10, NULL), (4.0, 'b', 100, NULL), (NULL, 'c', NULL, NULL)) AS t(x, c, n, e))`;
    const stats = await withDuckDBConnection((connection) => computeTransformationStatistics(connection, relation, wanted));
    assert.deepEqual(stats.x, { count: 4, min: 1, max: 4, mean: 2.5, stddev: Math.sqrt(1.25), q1: 1.75, median: 2.5, q3: 3.25 });
    assert.deepEqual(stats.c, { count: 4, distinct: ['a', 'b', 'c'] });
    assert.deepEqual(stats.n, { count: 4, distinct: ['9', '10', '100'] }, 'numbers sort as numbers');
    assert.deepEqual(stats.e, { count: 0, min: null, max: null, distinct: [] });
  });
});
