import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidFeatureDataError } from '../../src/errors/featurestore-errors.js';
import { InvalidArgumentError } from '../../src/errors/humle-error.js';
import { feature } from '../../src/featurestore/schema/feature.js';
import { validateRows } from '../../src/featurestore/schema/row-validation.js';

// Specification of batch validation: a batch is checked whole before anything is written; canonical rows come
// back in the schema's order; the first bad value (lowest row) is reported with its row, column and reason.

const schema = [
  feature('id', 'bigint', { primary: true }),
  feature('ts', 'timestamp', { eventTime: true }),
  feature('price', 'double'),
  feature('amount', 'decimal(8,2)'),
  feature('tags', 'array<string>'),
  feature('day', 'date'),
];

/** The InvalidFeatureDataError a call throws; fails when it throws nothing or something else. */
function dataError(fn: () => unknown): InvalidFeatureDataError {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof InvalidFeatureDataError, `expected InvalidFeatureDataError, got ${String(error)}`);
    assert.equal(error.code, 'FEATURE_INVALID_DATA');
    return error;
  }
  assert.fail('the batch was accepted');
}

describe('validateRows', () => {
  test('returns canonical values in the schema order, missing nullable features as null', () => {
    const { rows } = validateRows(
      schema,
      [
        { tags: ['a'], price: 1.5, ts: '2024-01-01T00:00:00.000001Z', id: 1, amount: 3, day: new Date(Date.UTC(2024, 4, 6)) },
        { id: 2n ** 62n, ts: new Date(0) },
      ],
      { source: 'js' },
    );
    assert.deepEqual(rows, [
      [1, Date.parse('2024-01-01T00:00:00Z') * 1000 + 1, 1.5, '3.00', ['a'], '2024-05-06'],
      [2n ** 62n, 0, null, null, null, null],
    ]);
  });

  test('does not modify the input rows', () => {
    const input = [{ id: '7', ts: '2024-01-01', amount: '1.5' }];
    const copy = structuredClone(input);
    validateRows(schema, input, { source: 'js' });
    assert.deepEqual(input, copy);
  });

  test('text rows read numeric, boolean and JSON text', () => {
    const { rows } = validateRows(schema, [{ id: '12', ts: '1700000000000', price: '2.5', amount: '-0.1', tags: '["x","y"]', day: '2024-02-29' }], { source: 'text' });
    assert.deepEqual(rows, [[12, 1_700_000_000_000_000, 2.5, '-0.10', ['x', 'y'], '2024-02-29']]);
  });

  test('a type error names the row, the column and the reason', () => {
    const error = dataError(() =>
      validateRows(
        schema,
        [
          { id: 1, ts: 0 },
          { id: 2, ts: 0, price: NaN },
        ],
        { source: 'js' },
      ),
    );
    assert.equal(error.details.row, 1);
    assert.equal(error.details.column, 'price');
    assert.match(error.details.reason, /NaN is refused/);
    assert.equal(error.details.value, 'NaN');
    assert.match(error.message, /^row 1, column 'price': NaN is refused/);
  });

  test('the error reported is the one in the lowest row, then in schema order', () => {
    const rows = [
      { id: 1, ts: 0 },
      { id: 2, ts: 0, day: '2023-02-29', price: 'x' },
      { id: null, ts: 0 },
    ];
    const error = dataError(() => validateRows(schema, rows, { source: 'js' }));
    assert.equal(error.details.row, 1);
    assert.equal(error.details.column, 'price');
  });

  test('a null or missing primary key or event time is refused', () => {
    let error = dataError(() => validateRows(schema, [{ id: null, ts: 0 }], { source: 'js' }));
    assert.deepEqual([error.details.row, error.details.column], [0, 'id']);
    assert.match(error.message, /primary key 'id' is null: every row needs it/);
    error = dataError(() => validateRows(schema, [{ id: 1, ts: 0 }, { id: 2 }], { source: 'js' }));
    assert.deepEqual([error.details.row, error.details.column], [1, 'ts']);
    assert.match(error.message, /event time 'ts' is missing/);
    error = dataError(() => validateRows(schema, [{ id: '', ts: 0 }], { source: 'js' }));
    assert.match(error.details.reason, /expected a bigint/, 'an empty string is not a missing key');
  });

  test('a column the schema lacks is refused, unless the caller allows (and drops) new columns', () => {
    const rows = [{ id: 1, ts: 0, colour: 'red' }];
    const error = dataError(() => validateRows(schema, rows, { source: 'js' }));
    assert.equal(error.details.column, 'colour');
    assert.match(error.details.reason, /'colour' is not a feature of this feature group \(features: id, ts, price, amount, tags, day\)/);
    assert.deepEqual(validateRows(schema, rows, { source: 'js', allowNewColumns: true }).rows, [[1, 0, null, null, null, null]]);
  });

  test('rows that are not plain objects are refused as whole rows', () => {
    class Row {
      id = 1;
      ts = 0;
    }
    for (const bad of [null, 5, 'row', [1, 0], new Row(), new Map([['id', 1]])]) {
      const error = dataError(() => validateRows(schema, [{ id: 1, ts: 0 }, bad], { source: 'js' }));
      assert.equal(error.details.row, 1);
      assert.equal(error.details.column, null);
      assert.match(error.message, /^row 1: a row must be a plain object/);
    }
    const nullPrototype = Object.assign(Object.create(null) as Record<string, unknown>, { id: 1, ts: 0 });
    assert.equal(validateRows(schema, [nullPrototype], { source: 'js' }).rows.length, 1);
  });

  test("a feature named like an inherited property ('constructor') is read only from the row itself", () => {
    const features = [feature('id', 'int', { primary: true }), feature('constructor', 'string')];
    assert.deepEqual(validateRows(features, [{ id: 1 }, { id: 2, constructor: 'x' }], { source: 'js' }).rows, [
      [1, null],
      [2, 'x'],
    ]);
    const keyed = [feature('constructor', 'string', { primary: true })];
    assert.match(dataError(() => validateRows(keyed, [{}], { source: 'js' })).message, /primary key 'constructor' is missing/);
  });

  test('rowOffset shifts reported rows, for later batches of a file', () => {
    const error = dataError(() => validateRows(schema, [{ id: 'x', ts: 0 }], { source: 'js', rowOffset: 50_000 }));
    assert.equal(error.details.row, 50_000);
  });

  test('details are JSON-safe for every refused value', () => {
    const error = dataError(() => validateRows(schema, [{ id: 2n ** 64n, ts: 0 }], { source: 'js' }));
    assert.equal(error.details.value, '18446744073709551616n');
    assert.doesNotThrow(() => JSON.stringify(error.toJSON()));
  });

  test('an empty batch is valid; rows that are not an array are an invalid argument', () => {
    assert.deepEqual(validateRows(schema, [], { source: 'js' }).rows, []);
    assert.throws(() => validateRows(schema, { id: 1 } as never, { source: 'js' }), InvalidArgumentError);
  });
});
