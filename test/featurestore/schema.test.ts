import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidFeatureDataError, InvalidFeatureGroupError, SchemaIncompatibleError } from '../../src/errors/featurestore-errors.js';
import { HumleError } from '../../src/errors/humle-error.js';
import * as publicApi from '../../src/index.js';
import { feature, fromStored, isNullable, toStored, type Feature } from '../../src/featurestore/schema/feature.js';
import { evolveSchema, inferFeatures, validateFeatureGroupSchema } from '../../src/featurestore/schema/feature-schema.js';
import { formatFeatureType } from '../../src/featurestore/types/feature-type.js';

// Specification of feature group schemas: what a definition must satisfy, what the first batch infers, and which
// schema changes existing data can follow.

/** name → type text, in order: the shape of a schema at a glance. */
const shape = (features: readonly Feature[]) => features.map((f) => `${f.name}:${formatFeatureType(f.type)}`);

function refusedWith<E extends HumleError>(Class: new (...args: never[]) => E, fn: () => unknown, pattern: RegExp): E {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof Class, `expected ${Class.name}, got ${String(error)}`);
    assert.match(error.message, pattern);
    return error;
  }
  assert.fail(`expected ${Class.name}`);
}

describe('errors', () => {
  test('each kind has its stable code and is exported from the package', () => {
    const codes = [
      [publicApi.InvalidFeatureDataError, 'FEATURE_INVALID_DATA'],
      [publicApi.SchemaIncompatibleError, 'FEATURE_SCHEMA_INCOMPATIBLE'],
      [publicApi.FeatureGroupNotFoundError, 'FEATURE_GROUP_NOT_FOUND'],
      [publicApi.FeatureGroupExistsError, 'FEATURE_GROUP_EXISTS'],
      [publicApi.InvalidFeatureGroupError, 'FEATURE_GROUP_INVALID'],
    ] as const;
    for (const [Class, code] of codes) {
      const error = new Class('m', {});
      assert.equal(error.code, code);
      assert.ok(error instanceof publicApi.FeatureStoreError && error instanceof publicApi.HumleError);
      assert.equal(error.name, Class.name);
    }
  });
  test('InvalidFeatureDataError.at names row, column and reason in message and details', () => {
    const error = InvalidFeatureDataError.at(3, 'price', 'NaN is refused', NaN);
    assert.equal(error.message, "row 3, column 'price': NaN is refused");
    assert.deepEqual(error.details, { row: 3, column: 'price', reason: 'NaN is refused', value: 'NaN' });
  });
});

describe('feature', () => {
  test('stores its type as HSFS text and reads it back', () => {
    const f = feature('amount', 'DECIMAL(10, 2)', { description: 'in EUR' });
    const stored = toStored(f);
    assert.deepEqual(stored, { name: 'amount', type: 'decimal(10,2)', description: 'in EUR', primary: false, eventTime: false, partition: false });
    assert.deepEqual(fromStored(JSON.parse(JSON.stringify(stored))), f);
  });
  test('a stored feature with an unknown type is a bad definition', () => {
    refusedWith(InvalidFeatureGroupError, () => fromStored({ ...toStored(feature('a', 'int')), type: 'map<int,int>' }), /feature 'a': unknown feature type/);
  });
  test('keys and event time are not nullable, other features are', () => {
    assert.equal(isNullable(feature('a', 'int', { primary: true })), false);
    assert.equal(isNullable(feature('a', 'timestamp', { eventTime: true })), false);
    assert.equal(isNullable(feature('a', 'int', { partition: true })), true);
  });
});

describe('validateFeatureGroupSchema', () => {
  const id = feature('id', 'bigint', { primary: true });
  const valid = (...more: Feature[]) => validateFeatureGroupSchema([id, ...more]);
  test('accepts a primary key with event time and partitions', () => {
    assert.doesNotThrow(() => valid(feature('ts', 'timestamp', { eventTime: true }), feature('country', 'string', { partition: true }), feature('emb', 'array<float>')));
    assert.doesNotThrow(() => valid(feature('day', 'date', { eventTime: true })));
    assert.doesNotThrow(() => valid(feature('millis', 'bigint', { eventTime: true })));
  });
  test('feature names follow Hopsworks: lowercase, digits, _, starting with a letter, at most 63 characters', () => {
    assert.doesNotThrow(() => valid(feature('a'.repeat(63), 'int'), feature('x_1', 'int')));
    refusedWith(InvalidFeatureGroupError, () => valid(feature('Price', 'int')), /feature name 'Price' is not valid: feature names are lowercase, use 'price'/);
    refusedWith(InvalidFeatureGroupError, () => valid(feature('_x', 'int')), /'_x' is not valid: use lowercase letters, digits and _, starting with a letter/);
    refusedWith(InvalidFeatureGroupError, () => valid(feature('a-b', 'int')), /not valid/);
    refusedWith(InvalidFeatureGroupError, () => valid(feature('a'.repeat(64), 'int')), /has 64 characters; at most 63/);
    refusedWith(InvalidFeatureGroupError, () => valid(feature('', 'int')), /non-empty name/);
    refusedWith(InvalidFeatureGroupError, () => valid(feature('id', 'int')), /feature 'id' is defined twice/);
  });
  test('a primary key is required and must be of a key type', () => {
    refusedWith(InvalidFeatureGroupError, () => validateFeatureGroupSchema([feature('a', 'int')]), /needs a primary key/);
    refusedWith(InvalidFeatureGroupError, () => validateFeatureGroupSchema([]), /at least one feature/);
    refusedWith(InvalidFeatureGroupError, () => validateFeatureGroupSchema([feature('a', 'double', { primary: true })]), /primary key 'a' is double: a key must be/);
    refusedWith(InvalidFeatureGroupError, () => validateFeatureGroupSchema([feature('a', 'array<int>', { primary: true })]), /primary key 'a' is array<int>/);
  });
  test('one event time, of type timestamp, date or bigint', () => {
    refusedWith(InvalidFeatureGroupError, () => valid(feature('t', 'string', { eventTime: true })), /event time 't' is string: it must be timestamp, date or bigint/);
    refusedWith(InvalidFeatureGroupError, () => valid(feature('t1', 'timestamp', { eventTime: true }), feature('t2', 'timestamp', { eventTime: true })), /one event time, not both 't1' and 't2'/);
  });
  test('partition keys cannot be arrays or binary', () => {
    refusedWith(InvalidFeatureGroupError, () => valid(feature('b', 'binary', { partition: true })), /partition key 'b' is binary/);
    refusedWith(InvalidFeatureGroupError, () => valid(feature('e', 'array<double>', { partition: true })), /partition key 'e' is array<double>/);
  });
  test('a malformed type object is a bad definition', () => {
    const bad = { ...feature('x', 'int'), type: { kind: 'decimal', precision: 50, scale: 2 } } as Feature;
    refusedWith(InvalidFeatureGroupError, () => valid(bad), /feature 'x': decimal precision must be/);
  });
});

describe('inferFeatures', () => {
  test('types JavaScript values, columns in first-seen order over the batch', () => {
    const features = inferFeatures(
      [
        { id: 1, price: 2, name: 'a', ok: true, at: new Date(), blob: Buffer.from('x') },
        { id: 2, price: 2.5, big: 2n ** 60n, emb: [0.5, 1], ids: [1, 2], words: ['a'], vec: new Float32Array(2), extra: null },
        { id: 3, big: 1, extra: 'now typed' },
      ],
      { source: 'js', primaryKey: ['id'], eventTime: 'at' },
    );
    assert.deepEqual(shape(features), [
      'id:bigint',
      'price:double',
      'name:string',
      'ok:boolean',
      'at:timestamp',
      'blob:binary',
      'big:bigint',
      'emb:array<double>',
      'ids:array<bigint>',
      'words:array<string>',
      'vec:array<float>',
      'extra:string',
    ]);
    assert.deepEqual(
      features.filter((f) => f.primary || f.eventTime).map((f) => f.name),
      ['id', 'at'],
    );
  });
  test('text is read as what it spells; text that mixes kinds is string', () => {
    const features = inferFeatures(
      [
        { id: '1', x: '1.5', flag: 'true', day: '2024-01-01', at: '2024-01-01T10:00:00Z', mixed: '1', when: '2024-01-01', emb: '[1.5, 2]', n: 3 },
        { id: '2', x: '2', flag: 'FALSE', day: '2024-01-02', at: '2024-01-01 10:00:00.5', mixed: 'abc', when: '2024-01-01T00:00:00', emb: '[1]', n: 4 },
      ],
      { source: 'text', primaryKey: ['id'] },
    );
    assert.deepEqual(shape(features), ['id:bigint', 'x:double', 'flag:boolean', 'day:date', 'at:timestamp', 'mixed:string', 'when:timestamp', 'emb:array<double>', 'n:bigint']);
  });
  test('given types win over inference, and may name features the batch lacks', () => {
    const features = inferFeatures([{ id: 1, price: 2, code: null }], {
      source: 'js',
      primaryKey: ['id'],
      types: { id: 'int', code: 'string', later: 'array<float>' },
      descriptions: { price: 'in EUR' },
    });
    assert.deepEqual(shape(features), ['id:int', 'price:bigint', 'code:string', 'later:array<float>']);
    assert.equal(features[1]!.description, 'in EUR');
  });
  test('a column null in every row asks for its type', () => {
    const error = refusedWith(InvalidFeatureGroupError, () => inferFeatures([{ id: 1, note: null }, { id: 2 }], { source: 'js', primaryKey: ['id'] }), /feature 'note' is null in every row, so its type cannot be inferred: give its type explicitly/);
    assert.equal(error.details.feature, 'note');
    refusedWith(InvalidFeatureGroupError, () => inferFeatures([{ id: 1, v: [] }], { source: 'js', primaryKey: ['id'] }), /'v' is an empty array in every row/);
  });
  test('values no type holds together are refused at the row that breaks the column', () => {
    const error = refusedWith(InvalidFeatureDataError, () => inferFeatures([{ id: 1, v: 1 }, { id: 2, v: 'x' }], { source: 'js', primaryKey: ['id'] }), /row 1, column 'v': holds string here but integer in earlier rows/);
    assert.equal(error.details.row, 1);
    refusedWith(InvalidFeatureDataError, () => inferFeatures([{ id: 1, v: { a: 1 } }], { source: 'js', primaryKey: ['id'] }), /row 0, column 'v': cannot infer a type/);
    refusedWith(InvalidFeatureDataError, () => inferFeatures([{ id: 1, v: [1, 'a'] }], { source: 'js', primaryKey: ['id'] }), /an array mixes integer and string elements/);
    refusedWith(InvalidFeatureDataError, () => inferFeatures([{ id: 1 }, [2]], { source: 'js', primaryKey: ['id'] }), /row 1: a row must be a plain object/);
  });
  test('keys are applied and checked: unknown, missing, or of a non-key type', () => {
    refusedWith(InvalidFeatureGroupError, () => inferFeatures([{ id: 1 }], { source: 'js', primaryKey: ['key'] }), /primary key 'key' is not a feature of the data \(features: id\)/);
    refusedWith(InvalidFeatureGroupError, () => inferFeatures([{ id: 1 }], { source: 'js' }), /needs a primary key/);
    refusedWith(InvalidFeatureGroupError, () => inferFeatures([{ id: 1.5 }], { source: 'js', primaryKey: ['id'] }), /primary key 'id' is double/);
    refusedWith(InvalidFeatureGroupError, () => inferFeatures([], { source: 'js', primaryKey: ['id'] }), /no rows to infer the features from/);
    refusedWith(InvalidFeatureGroupError, () => inferFeatures([{ ID: 1 }], { source: 'js', primaryKey: ['ID'] }), /feature names are lowercase, use 'id'/);
  });
});

describe('evolveSchema', () => {
  const current = [feature('id', 'bigint', { primary: true }), feature('ts', 'timestamp', { eventTime: true }), feature('price', 'double')];
  test('adds new nullable features after the existing ones and reports them', () => {
    const before = structuredClone(current);
    const { features, added } = evolveSchema(current, [feature('price', 'double'), feature('colour', 'string', { description: 'paint' })]);
    assert.deepEqual(shape(features), ['id:bigint', 'ts:timestamp', 'price:double', 'colour:string']);
    assert.deepEqual(added, [feature('colour', 'string', { description: 'paint' })]);
    assert.deepEqual(current, before, 'the current schema is not modified');
  });
  test('features left out of the incoming schema stay', () => {
    assert.deepEqual(evolveSchema(current, [feature('id', 'bigint')]), { features: current, added: [] });
  });
  test('a type change needs a new version, naming the feature and both types', () => {
    const error = refusedWith(SchemaIncompatibleError, () => evolveSchema(current, [feature('price', 'float')]), /feature 'price': its type would change from double to float; .* needs a new feature group version/);
    assert.equal(error.code, 'FEATURE_SCHEMA_INCOMPATIBLE');
    assert.deepEqual(error.details, { feature: 'price', currentType: 'double', newType: 'float' });
  });
  test('a new key, event time or partition needs a new version', () => {
    refusedWith(SchemaIncompatibleError, () => evolveSchema(current, [feature('region', 'string', { primary: true })]), /feature 'region': a new feature cannot be a primary key/);
    refusedWith(SchemaIncompatibleError, () => evolveSchema(current, [feature('price', 'double', { primary: true })]), /'price': it would join the primary key/);
    refusedWith(SchemaIncompatibleError, () => evolveSchema(current, [feature('t2', 'timestamp', { eventTime: true })]), /cannot be the event time/);
    refusedWith(SchemaIncompatibleError, () => evolveSchema(current, [feature('p', 'string', { partition: true })]), /cannot be a partition key/);
  });
  test('new features must have valid names', () => {
    refusedWith(InvalidFeatureGroupError, () => evolveSchema(current, [feature('Colour', 'string')]), /use 'colour'/);
  });
});
