import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeParquetFile } from '../../src/featurestore/offline/parquet/parquet-file-writer.js';
import { closeOfflineDuckDB } from '../../src/featurestore/offline/duckdb/duckdb-instance.js';
import { ParquetFileError } from '../../src/featurestore/offline/offline-store-errors.js';
import { feature, type Feature } from '../../src/featurestore/schema/feature.js';
import { computeStatistics } from '../../src/featurestore/statistics/compute-statistics.js';
import { HISTOGRAM_BUCKETS, type FeatureStatistics } from '../../src/featurestore/statistics/feature-statistics.js';
import { DEFAULT_STATISTICS_CONFIG, parseStatisticsConfig, type StatisticsConfig } from '../../src/featurestore/statistics/statistics-config.js';
import { StatisticsStore } from '../../src/featurestore/statistics/statistics-store.js';
import { InvalidStatisticsConfigError } from '../../src/errors/featurestore-errors.js';
import { testEngines } from '../support/engines.js';
import { withHumle } from '../support/humle-fixture.js';

/** Data files of an unpartitioned table. */
const unpartitioned = (...paths: string[]) => paths.map((localPath) => ({ localPath, partitionValues: {} }));

// Specification: statistics describe the rows of a feature group's Parquet data files exactly (counts, nulls,
// bounds, moments, histograms, top values, uniqueness), in JSON-safe form, and are recorded per commit.

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'humle-statistics-'));
});
after(async () => {
  await closeOfflineDuckDB();
  rmSync(dir, { recursive: true, force: true });
});

const config = (fields: Partial<StatisticsConfig> = {}): StatisticsConfig => ({ ...DEFAULT_STATISTICS_CONFIG, ...fields });

function byName(stats: { features: FeatureStatistics[] }, name: string): FeatureStatistics {
  const found = stats.features.find((f) => f.feature === name);
  assert.ok(found, `statistics for ${name}`);
  return found;
}

function close(actual: number | null | undefined, expected: number, what: string): void {
  assert.equal(typeof actual, 'number', `${what} is a number`);
  const tolerance = 1e-9 * Math.max(1, Math.abs(expected));
  assert.ok(Math.abs((actual as number) - expected) <= tolerance, `${what}: ${actual} ≈ ${expected}`);
}

function mean(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

/** Population standard deviation, two-pass. */
function stddev(values: readonly number[]): number {
  const m = mean(values);
  return Math.sqrt(values.reduce((a, v) => a + (v - m) ** 2, 0) / values.length);
}

// Spread arguments (Math.min(...values)) overflow the stack for 200,000 values.
const minOf = (values: readonly number[]) => values.reduce((a, b) => Math.min(a, b), Infinity);
const maxOf = (values: readonly number[]) => values.reduce((a, b) => Math.max(a, b), -Infinity);

/** The equal-width bucket counts the statistics define: floor((x - min) / width), the maximum in the last bucket. */
function bucketCounts(values: readonly number[]): number[] {
  const low = minOf(values);
  const high = maxOf(values);
  const width = (high - low) / HISTOGRAM_BUCKETS;
  const counts = new Array<number>(HISTOGRAM_BUCKETS).fill(0);
  for (const v of values) counts[Math.min(HISTOGRAM_BUCKETS - 1, Math.max(0, Math.floor((v - low) / width)))]!++;
  return counts;
}

/** Value → count, most frequent first, ties by value: what topValues lists. */
function frequencies<T extends string | boolean>(values: readonly (T | null)[]): { value: T; count: number }[] {
  const counts = new Map<T, number>();
  for (const v of values) if (v !== null) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts]
    .map(([value, count]) => ({ value, count }))
    .sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
}

const column = <T>(rows: readonly (readonly unknown[])[], c: number) => rows.map((r) => r[c] as T | null);
const nonNull = <T>(values: readonly (T | null)[]) => values.filter((v): v is T => v !== null);

// Every feature type, with nulls, and edge values: a bigint past 2^53, decimals whose text must stay exact,
// timestamps with microseconds, float32-exact floats.
const ALL_TYPES: Feature[] = [
  feature('id', 'int', { primary: true }),
  feature('flag', 'boolean'),
  feature('big', 'bigint'),
  feature('ratio', 'float'),
  feature('amount', 'double'),
  feature('price', 'decimal(10,2)'),
  feature('category', 'string'),
  feature('payload', 'binary'),
  feature('day', 'date'),
  feature('ts', 'timestamp', { eventTime: true }),
  feature('embedding', 'array<double>'),
];
const MAX_INT64 = 2n ** 63n - 1n;
const ALL_TYPES_ROWS: unknown[][] = [
  [1, true, 5, 0.5, 10.25, '12.34', 'b', Buffer.from('a'), '2024-02-29', 1_700_000_000_123_456, [1, 2]],
  [2, false, MAX_INT64, -2.25, -3.5, '-0.50', 'a', Buffer.from('b'), '1999-12-31', 1_700_000_000_000_001, [3]],
  [3, true, -7, 1.5, null, '100.00', 'b', null, '2024-01-01', 1_600_000_000_000_000, []],
  [4, null, null, null, 0, null, 'c', Buffer.from('c'), null, 1_650_000_000_000_000, null],
  [5, true, 9_007_199_254_740_991, 3.75, 7.75, '0.01', 'a', Buffer.from('a'), '2000-06-15', 1_700_000_000_123_457, [0.5]],
  [6, false, 0, 0.5, 2.5, '12.34', null, Buffer.from('d'), '2024-02-29', 1_690_000_000_000_000, [1, 2]],
  [7, null, 42, -2.25, 100.125, '-99.99', 'b', Buffer.from('e'), '2010-10-10', 1_680_000_000_000_000, [9]],
];

describe('statistics: computed over Parquet files', () => {
  let allTypesPath: string;
  before(async () => {
    allTypesPath = join(dir, 'all-types.parquet');
    await writeParquetFile(allTypesPath, ALL_TYPES, ALL_TYPES_ROWS);
  });

  test('every feature type: counts, nulls and completeness', async () => {
    const stats = await computeStatistics(unpartitioned(allTypesPath), ALL_TYPES, config());
    assert.equal(stats.rowCount, 7);
    assert.deepEqual(
      stats.features.map((f) => f.feature),
      ALL_TYPES.map((f) => f.name),
      'one entry per feature, in feature order',
    );
    ALL_TYPES.forEach((f, c) => {
      const s = byName(stats, f.name);
      const nulls = ALL_TYPES_ROWS.filter((r) => r[c] === null).length;
      assert.equal(s.type, f.name === 'price' ? 'decimal(10,2)' : f.name === 'embedding' ? 'array<double>' : f.type.kind);
      assert.equal(s.count, 7, `${f.name} count`);
      assert.equal(s.nullCount, nulls, `${f.name} nulls`);
      assert.equal(s.nonNullCount, 7 - nulls, `${f.name} non-null`);
      assert.equal(s.completeness, (7 - nulls) / 7, `${f.name} completeness`);
      assert.ok(s.approxDistinct >= 1 && s.approxDistinct <= s.nonNullCount, `${f.name} approxDistinct ${s.approxDistinct} within 1..non-null`);
    });
  });

  test('numeric features: exact min and max, mean and population stddev as a JS computation gives', async () => {
    const stats = await computeStatistics(unpartitioned(allTypesPath), ALL_TYPES, config());
    const id = byName(stats, 'id');
    assert.deepEqual([id.min, id.max], [1, 7]);
    close(id.mean, 4, 'id mean');
    close(id.stddev, stddev([1, 2, 3, 4, 5, 6, 7]), 'id stddev');

    const amounts = nonNull(column<number>(ALL_TYPES_ROWS, 4));
    const amount = byName(stats, 'amount');
    assert.deepEqual([amount.min, amount.max], [-3.5, 100.125]);
    close(amount.mean, mean(amounts), 'amount mean');
    close(amount.stddev, stddev(amounts), 'amount stddev');

    const ratio = byName(stats, 'ratio');
    assert.deepEqual([ratio.min, ratio.max], [-2.25, 3.75]);
    close(ratio.mean, mean(nonNull(column<number>(ALL_TYPES_ROWS, 3))), 'ratio mean');

    // A bigint past 2^53 is exact text; a safe one stays a number.
    const big = byName(stats, 'big');
    assert.equal(big.min, -7);
    assert.equal(big.max, MAX_INT64.toString());
    close(big.mean, mean([5, Number(MAX_INT64), -7, 9_007_199_254_740_991, 0, 42]), 'big mean');

    // Decimals: bounds are exact decimal text with the type's scale; mean and stddev are doubles.
    const price = byName(stats, 'price');
    assert.deepEqual([price.min, price.max], ['-99.99', '100.00']);
    const prices = nonNull(column<string>(ALL_TYPES_ROWS, 5)).map(Number);
    close(price.mean, mean(prices), 'price mean');
    close(price.stddev, stddev(prices), 'price stddev');
  });

  test('dates and timestamps: bounds as YYYY-MM-DD and ISO 8601 with microseconds; no moments', async () => {
    const stats = await computeStatistics(unpartitioned(allTypesPath), ALL_TYPES, config());
    const day = byName(stats, 'day');
    assert.deepEqual([day.min, day.max], ['1999-12-31', '2024-02-29']);
    assert.equal(day.mean, undefined);
    const ts = byName(stats, 'ts');
    assert.deepEqual([ts.min, ts.max], ['2020-09-13T12:26:40.000000Z', '2023-11-14T22:13:20.123457Z']);
    assert.equal(ts.histogram, undefined, 'histograms are for numeric features');
  });

  test('strings and booleans: top values, most frequent first, ties by value; string lengths', async () => {
    const stats = await computeStatistics(unpartitioned(allTypesPath), ALL_TYPES, config());
    const category = byName(stats, 'category');
    assert.deepEqual(category.topValues, [
      { value: 'b', count: 3 },
      { value: 'a', count: 2 },
      { value: 'c', count: 1 },
    ]);
    assert.deepEqual([category.minLength, category.maxLength], [1, 1]);
    assert.equal(category.min, undefined, 'no min/max for strings');
    assert.deepEqual(byName(stats, 'flag').topValues, [
      { value: true, count: 3 },
      { value: false, count: 2 },
    ]);
    // Binary and arrays: counts only.
    for (const name of ['payload', 'embedding']) {
      const s = byName(stats, name);
      assert.equal(s.min, undefined);
      assert.equal(s.topValues, undefined);
      assert.equal(s.histogram, undefined);
    }
  });

  test('histograms: 20 equal-width buckets from min to max whose counts sum to the non-null count', async () => {
    const stats = await computeStatistics(unpartitioned(allTypesPath), ALL_TYPES, config());
    const amount = byName(stats, 'amount');
    const amounts = nonNull(column<number>(ALL_TYPES_ROWS, 4));
    assert.equal(amount.histogram!.length, HISTOGRAM_BUCKETS);
    assert.equal(amount.histogram![0]!.lowerBound, -3.5);
    assert.equal(amount.histogram![HISTOGRAM_BUCKETS - 1]!.upperBound, 100.125);
    assert.deepEqual(
      amount.histogram!.map((b) => b.count),
      bucketCounts(amounts),
    );
    assert.equal(
      amount.histogram!.reduce((a, b) => a + b.count, 0),
      amount.nonNullCount,
    );
    for (let b = 1; b < HISTOGRAM_BUCKETS; b++) assert.equal(amount.histogram![b]!.lowerBound, amount.histogram![b - 1]!.upperBound, 'buckets are contiguous');
    // Decimals have histograms too; a feature with one distinct value has one bucket.
    assert.equal(byName(stats, 'price').histogram!.reduce((a, b) => a + b.count, 0), 6);
    const one = await computeStatistics(unpartitioned(allTypesPath), ALL_TYPES, config({ columns: ['id'] }));
    assert.equal(one.features.length, 1);

    const constant = join(dir, 'constant.parquet');
    await writeParquetFile(constant, [feature('x', 'double')], [[2.5], [2.5], [null]]);
    const flat = await computeStatistics(unpartitioned(constant), [feature('x', 'double')], config());
    assert.deepEqual(flat.features[0]!.histogram, [{ lowerBound: 2.5, upperBound: 2.5, count: 2 }]);
    assert.equal(flat.features[0]!.stddev, 0);
  });

  test('options: histograms off, columns chosen, exact uniqueness and correlations on', async () => {
    const stats = await computeStatistics(
      unpartitioned(allTypesPath),
      ALL_TYPES,
      config({ histograms: false, exactUniqueness: true, correlations: true, columns: ['id', 'amount', 'category', 'price'] }),
    );
    assert.deepEqual(
      stats.features.map((f) => f.feature),
      ['id', 'amount', 'price', 'category'],
      'configured columns, in feature order',
    );
    assert.equal(byName(stats, 'amount').histogram, undefined);

    // category: b×3, a×2, c×1 among 6 values: 3 distinct, 1 seen once.
    const category = byName(stats, 'category');
    assert.equal(category.distinct, 3);
    close(category.distinctness, 3 / 6, 'distinctness');
    close(category.uniqueness, 1 / 6, 'uniqueness');
    close(category.entropy, -[3, 2, 1].reduce((h, c) => h + (c / 6) * Math.log(c / 6), 0), 'entropy');
    const id = byName(stats, 'id');
    assert.deepEqual([id.distinct, id.uniqueness], [7, 1]);
    // price: 12.34 twice among 6.
    assert.deepEqual([byName(stats, 'price').distinct, byName(stats, 'price').uniqueness], [5, 4 / 6]);

    // Correlations between numeric features, over the rows where both are present.
    const pairs = ALL_TYPES_ROWS.filter((r) => r[4] !== null).map((r) => [r[0] as number, r[4] as number]);
    const [xs, ys] = [pairs.map((p) => p[0]!), pairs.map((p) => p[1]!)];
    const [mx, my] = [mean(xs), mean(ys)];
    const r = xs.reduce((a, x, i) => a + (x - mx) * (ys[i]! - my), 0) / Math.sqrt(xs.reduce((a, x) => a + (x - mx) ** 2, 0) * ys.reduce((a, y) => a + (y - my) ** 2, 0));
    close(id.correlations!.amount, r, 'corr(id, amount)');
    assert.equal(byName(stats, 'amount').correlations!.id, id.correlations!.amount, 'symmetric');
    assert.deepEqual(Object.keys(id.correlations!).sort(), ['amount', 'price']);
    assert.equal(category.correlations, undefined);
  });

  test('the result is JSON-safe: it survives JSON unchanged', async () => {
    const stats = await computeStatistics(unpartitioned(allTypesPath), ALL_TYPES, config({ exactUniqueness: true, correlations: true }));
    assert.deepEqual(JSON.parse(JSON.stringify(stats)), stats);
  });

  test('200,000 rows: exact counts, bounds, moments, histogram and top values, as computed in JS', async () => {
    const features = [feature('id', 'bigint', { primary: true }), feature('x', 'double'), feature('city', 'string'), feature('active', 'boolean'), feature('score', 'int')];
    let seed = 42;
    const random = () => ((seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0) / 2 ** 32);
    const cities = ['oslo', 'lund', 'umea', 'kiruna', 'visby', 'malmo', 'bergen', 'turku', 'espoo', 'odense', 'aarhus', 'tromso'];
    const rows: unknown[][] = [];
    for (let i = 0; i < 200_000; i++) {
      const skewed = cities[Math.floor(random() ** 2 * cities.length)]!;
      rows.push([i, i % 7 === 0 ? null : (random() - 0.3) * 1000, i % 11 === 0 ? null : skewed, random() < 0.25, Math.floor(random() * 1000) - 500]);
    }
    const path = join(dir, 'large.parquet');
    await writeParquetFile(path, features, rows);

    const stats = await computeStatistics(unpartitioned(path), features, config({ exactUniqueness: true }));
    assert.equal(stats.rowCount, 200_000);

    const xs = nonNull(column<number>(rows, 1));
    const x = byName(stats, 'x');
    assert.equal(x.nullCount, Math.ceil(200_000 / 7));
    assert.deepEqual([x.min, x.max], [minOf(xs), maxOf(xs)]);
    close(x.mean, mean(xs), 'x mean');
    close(x.stddev, stddev(xs), 'x stddev');
    assert.deepEqual(
      x.histogram!.map((b) => b.count),
      bucketCounts(xs),
    );
    assert.equal(
      x.histogram!.reduce((a, b) => a + b.count, 0),
      xs.length,
    );
    // DuckDB's HyperLogLog keeps few registers: an estimate, within a wide margin of the truth.
    assert.ok(x.approxDistinct > xs.length * 0.5 && x.approxDistinct <= xs.length, `approxDistinct ${x.approxDistinct}`);
    assert.equal(x.distinct, new Set(xs).size);

    const city = byName(stats, 'city');
    assert.deepEqual(city.topValues, frequencies(column<string>(rows, 2)).slice(0, 10));
    assert.equal(city.distinct, cities.length);
    assert.deepEqual(byName(stats, 'active').topValues, frequencies(column<boolean>(rows, 3)));

    const scores = column<number>(rows, 4) as number[];
    const score = byName(stats, 'score');
    assert.deepEqual([score.min, score.max], [minOf(scores), maxOf(scores)]);
    assert.deepEqual(
      score.histogram!.map((b) => b.count),
      bucketCounts(scores),
    );
    const id = byName(stats, 'id');
    assert.deepEqual([id.min, id.max, id.distinct, id.uniqueness], [0, 199_999, 200_000, 1]);
  });

  test('several files are one table; a feature missing from every file reads as null', async () => {
    const a = join(dir, 'part-a.parquet');
    const b = join(dir, 'part-b.parquet');
    await writeParquetFile(a, [feature('k', 'int'), feature('v', 'double')], [[1, 1.5], [2, null]]);
    // Written after 'note' was appended; 'later' is in no file at all.
    await writeParquetFile(b, [feature('k', 'int'), feature('v', 'double'), feature('note', 'string')], [[3, 4.5, 'x']]);
    const features = [feature('k', 'int'), feature('v', 'double'), feature('note', 'string'), feature('later', 'int')];
    const stats = await computeStatistics(unpartitioned(a, b), features, config({ exactUniqueness: true }));
    assert.equal(stats.rowCount, 3);
    assert.deepEqual([byName(stats, 'k').min, byName(stats, 'k').max], [1, 3]);
    assert.deepEqual([byName(stats, 'v').nullCount, byName(stats, 'v').mean], [1, 3]);
    assert.deepEqual([byName(stats, 'note').nullCount, byName(stats, 'note').topValues], [2, [{ value: 'x', count: 1 }]]);
    const later = byName(stats, 'later');
    assert.deepEqual(
      { nullCount: later.nullCount, completeness: later.completeness, min: later.min, mean: later.mean, histogram: later.histogram, distinct: later.distinct },
      { nullCount: 3, completeness: 0, min: null, mean: null, histogram: [], distinct: 0 },
    );
  });

  test('no data files: zero counts, and every statistic present but empty', async () => {
    const stats = await computeStatistics([], ALL_TYPES, config());
    assert.equal(stats.rowCount, 0);
    const amount = byName(stats, 'amount');
    assert.deepEqual(
      { count: amount.count, completeness: amount.completeness, min: amount.min, mean: amount.mean, histogram: amount.histogram },
      { count: 0, completeness: null, min: null, mean: null, histogram: [] },
    );
    assert.deepEqual(byName(stats, 'category').topValues, []);
  });

  test('a missing data file is a ParquetFileError', async () => {
    await assert.rejects(computeStatistics(unpartitioned(join(dir, 'nowhere.parquet')), ALL_TYPES, config()), ParquetFileError);
  });
});

describe('statistics: config', () => {
  const features = [feature('a', 'int'), feature('b', 'string')];

  test('defaults: enabled, histograms, no correlations, no exact uniqueness, all columns', () => {
    assert.deepEqual(parseStatisticsConfig(undefined), { enabled: true, histograms: true, correlations: false, exactUniqueness: false, columns: [] });
    assert.deepEqual(parseStatisticsConfig(null), DEFAULT_STATISTICS_CONFIG);
    assert.deepEqual(parseStatisticsConfig({}), DEFAULT_STATISTICS_CONFIG);
  });

  test('a boolean enables or disables with the defaults; HSFS snake_case is read', () => {
    assert.equal(parseStatisticsConfig(false).enabled, false);
    assert.deepEqual(parseStatisticsConfig(true), DEFAULT_STATISTICS_CONFIG);
    assert.deepEqual(parseStatisticsConfig({ exact_uniqueness: true, histograms: false, columns: ['b'] }, features), {
      ...DEFAULT_STATISTICS_CONFIG,
      exactUniqueness: true,
      histograms: false,
      columns: ['b'],
    });
  });

  test('bad configs are refused with InvalidStatisticsConfigError', () => {
    const bad: unknown[] = [
      'yes',
      42,
      [],
      { enabled: 'true' },
      { histogram: true },
      { columns: 'a' },
      { columns: ['a', 'a'] },
      { columns: [1] },
      { exactUniqueness: true, exact_uniqueness: false },
    ];
    for (const input of bad) assert.throws(() => parseStatisticsConfig(input, features), InvalidStatisticsConfigError, JSON.stringify(input));
    assert.throws(() => parseStatisticsConfig({ columns: ['nope'] }, features), (e: unknown) => e instanceof InvalidStatisticsConfigError && e.code === 'FEATURE_STATISTICS_CONFIG_INVALID');
    // Without features (a schema to be inferred) column names are taken as they are.
    assert.deepEqual(parseStatisticsConfig({ columns: ['nope'] }).columns, ['nope']);
  });
});

for (const kind of testEngines()) {
  describe(`statistics store [${kind}]`, () => {
    test('save per commit; get the latest or one commit; list newest first; recomputing replaces; deleting the group removes them', () =>
      withHumle(kind, async (humle) => {
        const fs = (await humle.createProject('stats')).featureStore();
        const fg = await fs.createFeatureGroup({ name: 'payments', primaryKey: ['id'], features: [{ name: 'id', type: 'int' }, { name: 'amount', type: 'double' }] });
        const other = await fs.createFeatureGroup({ name: 'others', primaryKey: ['id'], features: [{ name: 'id', type: 'int' }] });
        const engine = humle.fs.engine;
        const store = new StatisticsStore(engine.dialect);

        const path = join(dir, `store-${kind}.parquet`);
        const features = [feature('id', 'int'), feature('amount', 'double')];
        await writeParquetFile(path, features, [[1, 2.5], [2, null]]);
        const first = await computeStatistics(unpartitioned(path), features, config());
        const second = { ...first, computedAt: first.computedAt + 1000, rowCount: 99 };

        assert.equal(await engine.read((tx) => store.get(tx, fg.id)), undefined, 'nothing before the first save');
        await engine.write((tx) => store.save(tx, fg.id, 0, first));
        await engine.write((tx) => store.save(tx, fg.id, 3, second));
        await engine.write((tx) => store.save(tx, other.id, 7, first));

        const latest = await engine.read((tx) => store.get(tx, fg.id));
        assert.deepEqual(latest, { fgId: fg.id, commitId: 3, computedAt: second.computedAt, statistics: second });
        assert.deepEqual((await engine.read((tx) => store.get(tx, fg.id, 0)))!.statistics, first, 'the stored document reads back whole');
        assert.equal(await engine.read((tx) => store.get(tx, fg.id, 2)), undefined, 'no statistics of another commit stand in');
        assert.deepEqual(
          (await engine.read((tx) => store.list(tx, fg.id))).map((s) => s.commitId),
          [3, 0],
        );
        assert.deepEqual(
          (await engine.read((tx) => store.list(tx, fg.id, 1))).map((s) => s.commitId),
          [3],
        );

        const recomputed = { ...first, computedAt: first.computedAt + 5000 };
        await engine.write((tx) => store.save(tx, fg.id, 0, recomputed));
        assert.deepEqual(await engine.read((tx) => store.get(tx, fg.id, 0)), { fgId: fg.id, commitId: 0, computedAt: recomputed.computedAt, statistics: recomputed });
        assert.equal((await engine.read((tx) => store.list(tx, fg.id))).length, 2);

        await fg.delete();
        assert.deepEqual(await engine.read((tx) => store.list(tx, fg.id)), []);
        assert.equal((await engine.read((tx) => store.list(tx, other.id))).length, 1, 'other groups keep theirs');
      }));
  });
}
