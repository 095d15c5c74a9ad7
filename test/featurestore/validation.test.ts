import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { feature } from '../../src/featurestore/schema/feature.js';
import { compareDecimalText } from '../../src/featurestore/types/decimal-order.js';
import { parseExpectations, type Expectation } from '../../src/featurestore/validation/expectation.js';
import { parseExpectationSuite } from '../../src/featurestore/validation/expectation-suite.js';
import { validateBatch, type ValidationReport } from '../../src/featurestore/validation/validate-batch.js';
import { ingestionResultOf, parseValidationIngestionPolicy, validationFailedError } from '../../src/featurestore/validation/validation-policy.js';
import { ValidationReports } from '../../src/featurestore/validation/validation-reports.js';
import { FeatureGroupNotFoundError, InvalidExpectationError, ValidationFailedError } from '../../src/errors/featurestore-errors.js';
import { InvalidArgumentError } from '../../src/errors/humle-error.js';
import { testEngines } from '../support/engines.js';
import { withHumle } from '../support/humle-fixture.js';

// Specification: expectations on a feature group are checked over each batch of canonical rows before it is
// inserted; the report says, per expectation, whether it held, how many values did not, and shows a few of them.

const FEATURES = [
  feature('id', 'bigint', { primary: true }),
  feature('ts', 'timestamp', { eventTime: true }),
  feature('country', 'string'),
  feature('amount', 'double'),
  feature('price', 'decimal(10,2)'),
  feature('day', 'date'),
  feature('active', 'boolean'),
  feature('email', 'string'),
  feature('photo', 'binary'),
  feature('tags', 'array<string>'),
];
const BIG = 2n ** 60n;
const T0 = 1_700_000_000_000_000;
// Canonical rows, as validateRows makes them: bigints past 2^53 are bigints, timestamps microseconds.
const ROWS: unknown[][] = [
  [1, T0, 'SE', 10.5, '12.34', '2024-01-01', true, 'ann@example.com', null, ['a']],
  [2, T0 + 1, 'NO', -3, '0.00', '2024-02-29', false, 'bob@example', null, []],
  [BIG, T0 + 2, null, 250, '99.99', '2023-12-31', null, null, null, null],
  [4, T0 + 3, 'SE', null, '-5.00', null, true, 'eve@example.org', null, ['b']],
  [5, T0 + 4, 'DK', 75.25, null, '2024-06-30', true, 'not an email', null, ['c']],
];

function only(report: ValidationReport) {
  assert.equal(report.results.length, 1);
  return report.results[0]!;
}

const check = (expectation: Expectation, rows: unknown[][] = ROWS) => only(validateBatch([expectation], FEATURES, rows));

describe('validation: expectations over a batch', () => {
  test('notNull: null values are unexpected, over all rows', () => {
    const met = check({ kind: 'notNull', feature: 'id' });
    assert.deepEqual(
      { success: met.success, unexpectedCount: met.unexpectedCount, unexpectedPercent: met.unexpectedPercent, elementCount: met.elementCount },
      { success: true, unexpectedCount: 0, unexpectedPercent: 0, elementCount: 5 },
    );
    const broken = check({ kind: 'notNull', feature: 'country' });
    assert.equal(broken.success, false);
    assert.equal(broken.unexpectedCount, 1);
    assert.equal(broken.unexpectedPercent, 20);
    assert.equal(broken.missingCount, 0);
    assert.deepEqual(broken.partialUnexpectedList, [null]);
    assert.deepEqual(broken.partialUnexpectedIndexList, [2]);
  });

  test('between: inclusive bounds by default, strict on request; nulls are not evaluated; the observed range is reported', () => {
    const met = check({ kind: 'between', feature: 'amount', min: -3, max: 250 });
    assert.equal(met.success, true);
    assert.equal(met.missingCount, 1);
    assert.deepEqual(met.observedValue, { min: -3, max: 250 });

    const strict = check({ kind: 'between', feature: 'amount', min: -3, max: 250, strictMin: true, strictMax: true });
    assert.equal(strict.success, false);
    assert.equal(strict.unexpectedCount, 2);
    assert.equal(strict.unexpectedPercent, 50, 'of the 4 evaluated values');
    assert.deepEqual(strict.partialUnexpectedList, [-3, 250]);
    assert.deepEqual(strict.partialUnexpectedIndexList, [1, 2]);

    const onlyMax = check({ kind: 'between', feature: 'amount', max: 100 });
    assert.deepEqual([onlyMax.success, onlyMax.partialUnexpectedList], [false, [250]]);
  });

  test('between: bigint, decimal, date and timestamp bounds compare exactly, given in the forms an insert takes', () => {
    const ids = check({ kind: 'between', feature: 'id', min: 1, max: BIG - 1n });
    assert.deepEqual([ids.success, ids.partialUnexpectedList], [false, [BIG.toString()]], 'a bigint past 2^53 is reported as text');
    assert.equal(check({ kind: 'between', feature: 'id', max: BIG.toString() }).success, true);

    const prices = check({ kind: 'between', feature: 'price', min: '0', max: 99.98 });
    assert.deepEqual(prices.partialUnexpectedList, ['99.99', '-5.00']);
    assert.deepEqual(prices.observedValue, { min: '-5.00', max: '99.99' });

    const days = check({ kind: 'between', feature: 'day', min: '2024-01-01', max: new Date('2024-06-30T12:00:00Z') });
    assert.deepEqual(days.partialUnexpectedList, ['2023-12-31']);

    const times = check({ kind: 'between', feature: 'ts', min: '2023-11-14T22:13:20.000001Z' });
    assert.deepEqual([times.unexpectedCount, times.partialUnexpectedList], [1, ['2023-11-14T22:13:20.000000Z']]);
    assert.deepEqual(times.observedValue, { min: '2023-11-14T22:13:20.000000Z', max: '2023-11-14T22:13:20.000004Z' });
  });

  test('inSet: values outside the set are unexpected', () => {
    const countries = check({ kind: 'inSet', feature: 'country', values: ['SE', 'NO', 'FI'] });
    assert.deepEqual(
      { success: countries.success, unexpectedCount: countries.unexpectedCount, list: countries.partialUnexpectedList, rows: countries.partialUnexpectedIndexList },
      { success: false, unexpectedCount: 1, list: ['DK'], rows: [4] },
    );
    assert.equal(check({ kind: 'inSet', feature: 'active', values: [true, false] }).success, true);
    assert.equal(check({ kind: 'inSet', feature: 'price', values: [12.34, '0', '99.99', -5] }).unexpectedCount, 0, 'decimals match by value');
    assert.equal(check({ kind: 'inSet', feature: 'id', values: [1, 2, 4, 5, BIG] }).success, true);
  });

  test('matchesRegex: the pattern may match anywhere unless anchored', () => {
    const emails = check({ kind: 'matchesRegex', feature: 'email', pattern: '^[^@\\s]+@[^@\\s]+\\.[a-z]+$' });
    assert.deepEqual(
      { success: emails.success, unexpectedCount: emails.unexpectedCount, missing: emails.missingCount, list: emails.partialUnexpectedList },
      { success: false, unexpectedCount: 2, missing: 1, list: ['bob@example', 'not an email'] },
    );
    assert.equal(check({ kind: 'matchesRegex', feature: 'email', pattern: 'EXAMPLE', flags: 'i' }).unexpectedCount, 1);
  });

  test('unique: every row of a repeated value or combination is unexpected; rows with a null are not evaluated', () => {
    assert.equal(check({ kind: 'unique', features: ['id'] }).success, true);
    const countries = check({ kind: 'unique', features: ['country'] });
    assert.deepEqual(
      { unexpectedCount: countries.unexpectedCount, rows: countries.partialUnexpectedIndexList, list: countries.partialUnexpectedList, observed: countries.observedValue },
      { unexpectedCount: 2, rows: [0, 3], list: ['SE', 'SE'], observed: 3 },
    );
    const rows = [
      [1, T0, 'SE', 1, null, null, true, 'x', null, null],
      [2, T0, 'SE', 2, null, null, true, 'x', null, null],
      [3, T0, 'NO', 1, null, null, true, 'x', null, null],
      [4, T0 + 1, 'SE', 1, null, null, true, 'x', null, null],
      [5, T0, 'SE', 1, null, null, false, 'x', null, null],
      [6, T0, null, 1, null, null, true, 'x', null, null],
    ];
    const pair = check({ kind: 'unique', features: ['ts', 'country'] }, rows);
    assert.deepEqual(
      { success: pair.success, unexpectedCount: pair.unexpectedCount, missing: pair.missingCount, rows: pair.partialUnexpectedIndexList, observed: pair.observedValue },
      { success: false, unexpectedCount: 3, missing: 1, rows: [0, 1, 4], observed: 3 },
    );
    assert.deepEqual(pair.partialUnexpectedList[0], { ts: '2023-11-14T22:13:20.000000Z', country: 'SE' }, 'combinations are shown by feature');
    assert.equal(check({ kind: 'unique', features: ['ts', 'country', 'active'] }, rows).unexpectedCount, 2);
    // The string "1" and the number 1 never collide, nor do 'a,b' + 'c' and 'a' + 'b,c'.
    const tricky = [
      [1, T0, 'a,b', null, null, null, null, 'c', null, null],
      [2, T0, 'a', null, null, null, null, 'b,c', null, null],
    ];
    assert.equal(check({ kind: 'unique', features: ['country', 'email'] }, tricky).success, true);
  });

  test('mostly: the fraction of evaluated values that must meet the expectation', () => {
    // Of the 4 evaluated amounts, 2 are within 0..100 and 3 within -10..100.
    assert.equal(check({ kind: 'between', feature: 'amount', min: 0, max: 100, mostly: 0.5 }).success, true);
    assert.equal(check({ kind: 'between', feature: 'amount', min: -10, max: 100, mostly: 0.75 }).success, true);
    assert.equal(check({ kind: 'between', feature: 'amount', min: -10, max: 100, mostly: 0.76 }).success, false);
    assert.equal(check({ kind: 'notNull', feature: 'country', mostly: 0.8 }).success, true);
    assert.equal(check({ kind: 'notNull', feature: 'country', mostly: 0.81 }).success, false);
    assert.equal(check({ kind: 'unique', features: ['country'], mostly: 0 }).success, true);
  });

  test('the report: success only when all expectations hold, counts, and at most 10 partial values', () => {
    const rows = Array.from({ length: 1000 }, (_, i) => [i, T0 + i, i % 3 === 0 ? 'SE' : 'XX', i, null, null, null, null, null, null]);
    const report = validateBatch(
      [
        { kind: 'notNull', feature: 'id' },
        { kind: 'inSet', feature: 'country', values: ['SE'] },
      ],
      FEATURES,
      rows,
    );
    assert.equal(report.success, false);
    assert.equal(report.rowCount, 1000);
    assert.deepEqual(report.statistics, { evaluatedExpectations: 2, successfulExpectations: 1, unsuccessfulExpectations: 1, successPercent: 50 });
    const inSet = report.results[1]!;
    assert.equal(inSet.unexpectedCount, 666);
    assert.equal(inSet.partialUnexpectedList.length, 10);
    assert.deepEqual(inSet.partialUnexpectedIndexList, [1, 2, 4, 5, 7, 8, 10, 11, 13, 14]);
    assert.ok(Math.abs(Date.parse(report.evaluatedAt) - Date.now()) < 60_000);

    const empty = validateBatch([], FEATURES, rows);
    assert.deepEqual([empty.success, empty.statistics.successPercent], [true, 100]);
    const noRows = validateBatch([{ kind: 'notNull', feature: 'id', mostly: 1 }], FEATURES, []);
    assert.deepEqual([noRows.success, noRows.results[0]!.unexpectedPercent], [true, 0], 'nothing evaluated, nothing unexpected');
  });

  test('the report is JSON-safe: bigints, timestamps and compound values survive JSON unchanged', () => {
    const report = validateBatch(
      [
        { kind: 'between', feature: 'id', max: 3 },
        { kind: 'between', feature: 'ts', max: T0 / 1000 },
        { kind: 'unique', features: ['active', 'country'] },
        { kind: 'inSet', feature: 'day', values: [new Date('2024-01-01T00:00:00Z')] },
      ],
      FEATURES,
      ROWS,
    );
    assert.deepEqual(JSON.parse(JSON.stringify(report)), report);
    assert.deepEqual(report.results[0]!.partialUnexpectedList, [BIG.toString(), 4, 5]);
    assert.deepEqual(report.results[1]!.expectation, { kind: 'between', feature: 'ts', max: '2023-11-14T22:13:20.000000Z' }, 'bounds are normalized');
    assert.deepEqual(report.results[3]!.expectation, { kind: 'inSet', feature: 'day', values: ['2024-01-01'] });
  });
});

describe('validation: malformed expectations are refused', () => {
  const refused: [string, unknown][] = [
    ['not an object', 'notNull'],
    ['unknown kind', { kind: 'notEmpty', feature: 'id' }],
    ['unknown feature', { kind: 'notNull', feature: 'nope' }],
    ['unknown key', { kind: 'notNull', feature: 'id', mostley: 0.5 }],
    ['mostly above 1', { kind: 'notNull', feature: 'id', mostly: 1.5 }],
    ['mostly not a number', { kind: 'notNull', feature: 'id', mostly: '0.5' }],
    ['between without bounds', { kind: 'between', feature: 'amount' }],
    ['between on a string', { kind: 'between', feature: 'country', min: 'A' }],
    ['between on a boolean', { kind: 'between', feature: 'active', min: 0 }],
    ['a bound of the wrong type', { kind: 'between', feature: 'amount', min: 'ten' }],
    ['a bound that is not a date', { kind: 'between', feature: 'day', min: '2023-02-29' }],
    ['a decimal bound with too many digits', { kind: 'between', feature: 'price', max: '1.234' }],
    ['strictMin not a boolean', { kind: 'between', feature: 'amount', min: 0, strictMin: 1 }],
    ['inSet without values', { kind: 'inSet', feature: 'country', values: [] }],
    ['inSet values of the wrong type', { kind: 'inSet', feature: 'country', values: ['SE', 7] }],
    ['inSet on binary', { kind: 'inSet', feature: 'photo', values: ['x'] }],
    ['inSet on an array', { kind: 'inSet', feature: 'tags', values: ['x'] }],
    ['a bad regex', { kind: 'matchesRegex', feature: 'email', pattern: '([a-z' }],
    ['regex flag g', { kind: 'matchesRegex', feature: 'email', pattern: 'a', flags: 'g' }],
    ['regex on a number', { kind: 'matchesRegex', feature: 'amount', pattern: '\\d' }],
    ['unique without features', { kind: 'unique', features: [] }],
    ['unique naming a feature twice', { kind: 'unique', features: ['id', 'id'] }],
    ['unique on an array', { kind: 'unique', features: ['tags'] }],
    ['unique with feature instead of features', { kind: 'unique', feature: 'id' }],
  ];
  for (const [why, expectation] of refused) {
    test(why, () => {
      assert.throws(
        () => parseExpectations([{ kind: 'notNull', feature: 'id' }, expectation], FEATURES),
        (error: unknown) => error instanceof InvalidExpectationError && error.code === 'FEATURE_EXPECTATION_INVALID' && error.details.index === 1,
      );
      assert.throws(() => validateBatch([{ kind: 'notNull', feature: 'id' }, expectation as Expectation], FEATURES, ROWS), InvalidExpectationError);
    });
  }

  test('without features only the form is checked; validateBatch checks the rest against the features it is given', () => {
    const parsed = parseExpectations([{ kind: 'between', feature: 'later', min: 10n ** 20n, max: new Date('2024-01-01T00:00:00Z') }]);
    assert.deepEqual(parsed, [{ kind: 'between', feature: 'later', min: '100000000000000000000', max: '2024-01-01T00:00:00.000Z' }]);
    assert.throws(() => validateBatch(parsed, FEATURES, ROWS), /unknown feature 'later'/);
    assert.throws(() => parseExpectations({ kind: 'notNull' }), InvalidExpectationError);
    assert.deepEqual(parseExpectations(undefined), []);
  });

  test('parsed expectations are JSON and parse back to themselves', () => {
    const parsed = parseExpectations(
      [
        { kind: 'between', feature: 'id', min: 0n, max: BIG, mostly: 0.9 },
        { kind: 'inSet', feature: 'ts', values: [new Date(0), '2024-01-01T00:00:00.5+01:00'] },
        { kind: 'matchesRegex', feature: 'email', pattern: '@', flags: 'i' },
        { kind: 'unique', features: ['id', 'ts'] },
      ],
      FEATURES,
    );
    assert.deepEqual(parsed[0], { kind: 'between', feature: 'id', min: 0, max: BIG.toString(), mostly: 0.9 });
    assert.deepEqual(parsed[1], { kind: 'inSet', feature: 'ts', values: ['1970-01-01T00:00:00.000000Z', '2023-12-31T23:00:00.500000Z'] });
    assert.deepEqual(JSON.parse(JSON.stringify(parsed)), parsed);
    assert.deepEqual(parseExpectations(parsed, FEATURES), parsed);
  });
});

describe('validation: ingestion policy and suites', () => {
  const failing = () => validateBatch([{ kind: 'notNull', feature: 'country' }], FEATURES, ROWS);

  test('strict rejects a failed batch, always ingests it; a passing batch is ingested either way', () => {
    assert.equal(ingestionResultOf(failing(), 'strict'), 'REJECTED');
    assert.equal(ingestionResultOf(failing(), 'always'), 'INGESTED');
    const passing = validateBatch([{ kind: 'notNull', feature: 'id' }], FEATURES, ROWS);
    assert.equal(ingestionResultOf(passing, 'strict'), 'INGESTED');
  });

  test('a strict rejection is ValidationFailedError carrying the report', () => {
    const report = failing();
    const error = validationFailedError(report, 'payments');
    assert.ok(error instanceof ValidationFailedError);
    assert.equal(error.code, 'FEATURE_VALIDATION_FAILED');
    assert.deepEqual(error.details.report, report);
    assert.match(error.message, /payments.*1 of 1 expectations failed \(notNull\(country\): 1 unexpected\)/);
    assert.deepEqual(JSON.parse(JSON.stringify(error)).details.report, report, 'the error travels as JSON');
  });

  test('policies: strict or always, HSFS upper case accepted, always by default', () => {
    assert.equal(parseValidationIngestionPolicy('STRICT'), 'strict');
    assert.equal(parseValidationIngestionPolicy('always'), 'always');
    assert.equal(parseValidationIngestionPolicy(undefined), 'always');
    assert.throws(() => parseValidationIngestionPolicy('sometimes'), InvalidExpectationError);
  });

  test('a suite is a list of expectations or an object with the policy (HSFS snake_case read too)', () => {
    assert.deepEqual(parseExpectationSuite([{ kind: 'notNull', feature: 'id' }], FEATURES), {
      expectations: [{ kind: 'notNull', feature: 'id' }],
      validationIngestionPolicy: 'always',
      runValidation: true,
    });
    assert.deepEqual(parseExpectationSuite({ expectations: [], validation_ingestion_policy: 'STRICT', run_validation: false }), {
      expectations: [],
      validationIngestionPolicy: 'strict',
      runValidation: false,
    });
    assert.deepEqual(parseExpectationSuite(null).expectations, []);
    assert.throws(() => parseExpectationSuite({ expectations: [], policy: 'strict' }), InvalidExpectationError);
    assert.throws(() => parseExpectationSuite({ validationIngestionPolicy: 'strict', validation_ingestion_policy: 'always' }), InvalidExpectationError);
    assert.throws(() => parseExpectationSuite({ expectations: [{ kind: 'notNull', feature: 'nope' }] }, FEATURES), InvalidExpectationError);
  });
});

describe('validation: decimal order', () => {
  test('decimals compare exactly, whatever their scale, leading zeros or sign of zero', () => {
    assert.ok(compareDecimalText('99999999999999999999999999999999999998', '99999999999999999999999999999999999999') < 0);
    assert.equal(compareDecimalText('1.5', '1.50'), 0);
    assert.equal(compareDecimalText('-0.00', '0'), 0);
    assert.equal(compareDecimalText('007.10', '7.1'), 0);
    assert.ok(compareDecimalText('-1.01', '-1.1') > 0);
    assert.ok(compareDecimalText('0.001', '-5') > 0);
    // Against exact rational comparison: value = unscaled / 10^scale.
    const decimal = fc.tuple(fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }), fc.integer({ min: 0, max: 6 }));
    const text = ([unscaled, scale]: [bigint, number]) => {
      const digits = (unscaled < 0n ? -unscaled : unscaled).toString().padStart(scale + 1, '0');
      const body = scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
      return unscaled < 0n ? `-${body}` : body;
    };
    fc.assert(
      fc.property(decimal, decimal, (a, b) => {
        const left = a[0] * 10n ** BigInt(b[1]);
        const right = b[0] * 10n ** BigInt(a[1]);
        assert.equal(Math.sign(compareDecimalText(text(a), text(b))), left < right ? -1 : left > right ? 1 : 0);
      }),
      { numRuns: 2000 },
    );
  });
});

for (const kind of testEngines()) {
  describe(`validation reports [${kind}]`, () => {
    test('saved reports get ids per feature group; the history lists newest first, by ingestion result on request', () =>
      withHumle(kind, async (humle) => {
        const fs = (await humle.createProject('checks')).featureStore();
        const fg = await fs.createFeatureGroup({ name: 'payments', primaryKey: ['id'], features: [{ name: 'id', type: 'int' }] });
        const other = await fs.createFeatureGroup({ name: 'refunds', primaryKey: ['id'], features: [{ name: 'id', type: 'int' }] });
        const engine = humle.fs.engine;
        const reports = new ValidationReports(engine.dialect);
        const passed = validateBatch([{ kind: 'notNull', feature: 'id' }], FEATURES, ROWS);
        const failed = validateBatch([{ kind: 'notNull', feature: 'country' }], FEATURES, ROWS);

        assert.equal(await engine.write((tx) => reports.save(tx, fg.id, { report: passed, ingestionResult: 'INGESTED', commitId: 0 })), 1);
        assert.equal(await engine.write((tx) => reports.save(tx, fg.id, { report: failed, ingestionResult: 'REJECTED', commitId: null })), 2);
        assert.equal(await engine.write((tx) => reports.save(tx, other.id, { report: failed, ingestionResult: 'INGESTED', commitId: 0 })), 1, 'ids count per group');
        assert.equal(await engine.write((tx) => reports.save(tx, fg.id, { report: failed, ingestionResult: 'INGESTED', commitId: 1 })), 3);

        const history = await engine.read((tx) => reports.list(tx, fg.id));
        assert.deepEqual(
          history.map((h) => [h.id, h.success, h.ingestionResult, h.commitId]),
          [
            [3, false, 'INGESTED', 1],
            [2, false, 'REJECTED', null],
            [1, true, 'INGESTED', 0],
          ],
        );
        assert.deepEqual(history[1]!.report, failed, 'the report reads back whole');
        assert.equal(history[1]!.validatedAt, Date.parse(failed.evaluatedAt));
        assert.deepEqual(
          (await engine.read((tx) => reports.list(tx, fg.id, { limit: 2 }))).map((h) => h.id),
          [3, 2],
        );
        assert.deepEqual(
          (await engine.read((tx) => reports.list(tx, fg.id, { ingestionResult: 'REJECTED' }))).map((h) => h.id),
          [2],
        );
        assert.equal((await engine.read((tx) => reports.get(tx, fg.id, 1)))!.report.success, true);
        assert.equal(await engine.read((tx) => reports.get(tx, fg.id, 9)), undefined);

        await fg.delete();
        assert.deepEqual(await engine.read((tx) => reports.list(tx, fg.id)), [], 'the history goes with its group');
        assert.equal((await engine.read((tx) => reports.list(tx, other.id))).length, 1);
      }));

    test('concurrent saves for one group get distinct consecutive ids', () =>
      withHumle(kind, async (humle) => {
        const fs = (await humle.createProject('busy')).featureStore();
        const fg = await fs.createFeatureGroup({ name: 'events', primaryKey: ['id'], features: [{ name: 'id', type: 'int' }] });
        const engine = humle.fs.engine;
        const reports = new ValidationReports(engine.dialect);
        const report = validateBatch([], FEATURES, ROWS);
        const ids = await Promise.all(Array.from({ length: 20 }, () => engine.write((tx) => reports.save(tx, fg.id, { report, ingestionResult: 'INGESTED', commitId: null }))));
        assert.deepEqual(
          [...ids].sort((a, b) => a - b),
          Array.from({ length: 20 }, (_, i) => i + 1),
        );
      }));

    test('bad saves change nothing: an unknown group, a rejected batch with a commit', () =>
      withHumle(kind, async (humle) => {
        const fs = (await humle.createProject('bad')).featureStore();
        const fg = await fs.createFeatureGroup({ name: 'events', primaryKey: ['id'], features: [{ name: 'id', type: 'int' }] });
        const engine = humle.fs.engine;
        const reports = new ValidationReports(engine.dialect);
        const report = validateBatch([], FEATURES, ROWS);
        await assert.rejects(engine.write((tx) => reports.save(tx, fg.id + 1000, { report, ingestionResult: 'INGESTED', commitId: null })), FeatureGroupNotFoundError);
        await assert.rejects(engine.write((tx) => reports.save(tx, fg.id, { report, ingestionResult: 'REJECTED', commitId: 4 })), InvalidArgumentError);
        assert.deepEqual(await engine.read((tx) => reports.list(tx, fg.id)), []);
      }));
  });
}
