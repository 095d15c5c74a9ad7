import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseFeatureType, type FeatureType } from '../../src/featurestore/types/feature-type.js';
import { coercerFor, type ValueSource } from '../../src/featurestore/types/value-coercion.js';
import { formatTimestamp, MAX_EPOCH_MICROS, MIN_EPOCH_MICROS } from '../../src/featurestore/types/calendar.js';
import { scaledDecimalText } from '../../src/featurestore/types/decimal-text.js';

// Specification of value coercion: for every feature type, which inputs become which canonical values, and which
// are refused with what reason. A refusal is a thrown string (the row validator adds row and column).

function coerce(type: string, value: unknown, source: ValueSource = 'js'): unknown {
  return coercerFor(parseFeatureType(type), { source })(value);
}

/** The reason a value is refused for; fails when it is accepted. */
function refusal(type: string, value: unknown, source: ValueSource = 'js'): string {
  try {
    const accepted = coerce(type, value, source);
    assert.fail(`${type} accepted ${String(value)} as ${String(accepted)}`);
  } catch (reason) {
    if (typeof reason !== 'string') throw reason;
    return reason;
  }
}

const utcMicros = (iso: string, extraMicros = 0) => Date.parse(iso) * 1000 + extraMicros;

describe('every type', () => {
  const types = ['boolean', 'int', 'bigint', 'float', 'double', 'decimal(10,2)', 'string', 'binary', 'date', 'timestamp', 'array<double>'];
  test('null and undefined are null (the row validator decides whether null is allowed)', () => {
    for (const type of types) {
      for (const source of ['js', 'text'] as const) {
        assert.equal(coerce(type, null, source), null, type);
        assert.equal(coerce(type, undefined, source), null, type);
      }
    }
  });
  test('objects of no feature type are refused with what was expected and what came', () => {
    for (const type of types) assert.match(refusal(type, { a: 1 }), /^expected .+, got an object Object$/, type);
  });
});

describe('boolean', () => {
  test('js takes booleans only', () => {
    assert.equal(coerce('boolean', true), true);
    assert.equal(coerce('boolean', false), false);
    assert.match(refusal('boolean', 'true'), /expected a boolean, got the string "true"/);
    assert.match(refusal('boolean', 1), /got the number 1/);
  });
  test('text takes true/false (any case) and 1/0', () => {
    assert.equal(coerce('boolean', 'TRUE', 'text'), true);
    assert.equal(coerce('boolean', 'False', 'text'), false);
    assert.equal(coerce('boolean', '1', 'text'), true);
    assert.equal(coerce('boolean', 0, 'text'), false);
    assert.match(refusal('boolean', 'yes', 'text'), /expected a boolean \(true, false, 1 or 0\), got the string "yes"/);
  });
});

describe('int (32-bit)', () => {
  test('accepts integers within int32, bounds included', () => {
    assert.equal(coerce('int', 2147483647), 2147483647);
    assert.equal(coerce('int', -2147483648), -2147483648);
    assert.equal(coerce('int', 7n), 7);
    assert.ok(Object.is(coerce('int', -0), 0), '-0 is 0');
  });
  test('refuses values past the bounds, fractions and NaN', () => {
    assert.match(refusal('int', 2147483648), /2147483648 is outside the int range -2147483648\.\.2147483647: use bigint/);
    assert.match(refusal('int', -2147483649), /outside the int range/);
    assert.match(refusal('int', 2147483648n), /outside the int range/);
    assert.match(refusal('int', 1.5), /1\.5 is not an integer/);
    assert.match(refusal('int', NaN), /NaN is refused.*use null/);
  });
  test('numeric strings are numbers only for text', () => {
    assert.match(refusal('int', '5'), /expected an int \(32-bit integer\), got the string "5"/);
    assert.equal(coerce('int', '5', 'text'), 5);
    assert.equal(coerce('int', ' -12 ', 'text'), -12);
    assert.equal(coerce('int', '3.0', 'text'), 3, 'pandas writes integer columns with nulls as 3.0');
    assert.match(refusal('int', '3.5', 'text'), /not an integer/);
    assert.match(refusal('int', 'abc', 'text'), /got the string "abc"/);
    assert.match(refusal('int', '', 'text'), /got the string ""/);
  });
});

describe('bigint (64-bit)', () => {
  test('is a number while safe, a bigint beyond', () => {
    assert.equal(coerce('bigint', Number.MAX_SAFE_INTEGER), Number.MAX_SAFE_INTEGER);
    assert.equal(coerce('bigint', 42n), 42);
    assert.equal(coerce('bigint', 2n ** 53n), 2n ** 53n);
    assert.equal(coerce('bigint', 2n ** 63n - 1n), 2n ** 63n - 1n);
    assert.equal(coerce('bigint', -(2n ** 63n)), -(2n ** 63n));
  });
  test('integer strings are read exactly, in both sources', () => {
    assert.equal(coerce('bigint', '9007199254740993'), 9007199254740993n);
    assert.equal(coerce('bigint', '-9223372036854775808'), -(2n ** 63n));
    assert.equal(coerce('bigint', '12'), 12);
    assert.equal(coerce('bigint', '12', 'text'), 12);
    assert.equal(coerce('bigint', '1e3', 'text'), 1000);
    assert.match(refusal('bigint', '1e3'), /expected a bigint/);
  });
  test('refuses int64 overflow, unsafe numbers and fractions', () => {
    assert.match(refusal('bigint', 2n ** 63n), /outside the bigint \(64-bit\) range/);
    assert.match(refusal('bigint', '9223372036854775808'), /outside the bigint \(64-bit\) range/);
    assert.match(refusal('bigint', 2 ** 60), /beyond 2\^53 .* pass a bigint or an integer string/);
    assert.match(refusal('bigint', 0.5), /0\.5 is not an integer/);
    assert.match(refusal('bigint', Infinity), /Infinity is refused/);
  });
});

describe('float and double', () => {
  test('finite numbers as they are; a float is not rounded to float32', () => {
    assert.equal(coerce('double', 0.1), 0.1);
    assert.equal(coerce('float', 0.1), 0.1);
    assert.equal(coerce('double', -1e300), -1e300);
    assert.match(refusal('float', 1e39), /beyond the float \(32-bit\) range .* use double/);
  });
  test('NaN and ±Infinity are refused, in any spelling: null is the missing value', () => {
    for (const type of ['float', 'double']) {
      assert.match(refusal(type, NaN), /^NaN is refused: .* use null for a missing value$/);
      assert.match(refusal(type, Infinity), /^Infinity is refused/);
      assert.match(refusal(type, -Infinity), /^-Infinity is refused/);
      assert.match(refusal(type, 'NaN', 'text'), /^NaN is refused/);
      assert.match(refusal(type, 'inf', 'text'), /^Infinity is refused/);
      assert.match(refusal(type, '-Infinity', 'text'), /^-Infinity is refused/);
    }
  });
  test('numeric strings only for text', () => {
    assert.match(refusal('double', '1.5'), /expected a double \(a finite number\), got the string "1.5"/);
    assert.equal(coerce('double', '1.5', 'text'), 1.5);
    assert.equal(coerce('double', '-2.5e-3', 'text'), -0.0025);
    assert.equal(coerce('double', '.5', 'text'), 0.5);
    assert.match(refusal('double', '0x10', 'text'), /expected a double/);
    assert.match(refusal('double', '1,5', 'text'), /expected a double/);
  });
});

describe('decimal(p,s)', () => {
  test('canonical text has exactly s fraction digits', () => {
    assert.equal(coerce('decimal(5,2)', '123.45'), '123.45');
    assert.equal(coerce('decimal(5,2)', 1.5), '1.50');
    assert.equal(coerce('decimal(5,2)', '-.5'), '-0.50');
    assert.equal(coerce('decimal(5,2)', '007'), '7.00');
    assert.equal(coerce('decimal(5,2)', '1.500'), '1.50', 'trailing zeros lose nothing');
    assert.equal(coerce('decimal(5,2)', '-0.00'), '0.00');
    assert.equal(coerce('decimal(5,2)', '1.5e2'), '150.00');
    assert.equal(coerce('decimal(5,0)', 12n), '12');
    assert.equal(coerce('decimal(3,3)', '0.123'), '0.123');
    assert.equal(coerce('decimal(38,0)', '12345678901234567890123456789012345678'), '12345678901234567890123456789012345678');
    assert.equal(coerce('decimal(10,2)', '12.5', 'text'), '12.50');
  });
  test('more fraction or integer digits than the type holds are refused, never rounded', () => {
    assert.match(refusal('decimal(5,2)', '1.005'), /"1.005" has 3 fraction digits; decimal\(5,2\) holds 2: round it before inserting/);
    assert.match(refusal('decimal(5,2)', 0.1 + 0.2), /0.30000000000000004 has 17 fraction digits/);
    assert.match(refusal('decimal(5,2)', '1234.5'), /has 4 integer digits; decimal\(5,2\) holds 3/);
    assert.match(refusal('decimal(5,2)', 1e3), /has 4 integer digits/);
    assert.match(refusal('decimal(2,0)', '.5'), /has 1 fraction digits/);
    assert.match(refusal('decimal(38,0)', '1e38'), /has 39 integer digits/);
  });
  test('non-numeric input is refused', () => {
    assert.match(refusal('decimal(5,2)', 'abc'), /expected a decimal\(5,2\), got the string "abc"/);
    assert.match(refusal('decimal(5,2)', '.'), /expected a decimal/);
    assert.match(refusal('decimal(5,2)', NaN), /NaN is refused/);
    assert.match(refusal('decimal(5,2)', true), /expected a decimal\(5,2\) \(a number or a numeric string\), got the boolean true/);
  });
});

describe('string', () => {
  test('js takes strings only; text writes any scalar as text', () => {
    assert.equal(coerce('string', ''), '');
    assert.equal(coerce('string', 'héllo'), 'héllo');
    assert.match(refusal('string', 5), /expected a string, got the number 5/);
    assert.equal(coerce('string', 5, 'text'), '5');
    assert.equal(coerce('string', true, 'text'), 'true');
    assert.match(refusal('string', [1], 'text'), /expected a string, got an array of 1/);
  });
});

describe('binary', () => {
  test('Buffers as they are, Uint8Arrays and ArrayBuffers as Buffers over the same bytes', () => {
    const buffer = Buffer.from('abc');
    assert.equal(coerce('binary', buffer), buffer);
    const bytes = new Uint8Array([1, 2, 3]);
    const fromBytes = coerce('binary', bytes) as Buffer;
    assert.ok(Buffer.isBuffer(fromBytes));
    assert.deepEqual([...fromBytes], [1, 2, 3]);
    assert.deepEqual([...(coerce('binary', new Uint8Array([9]).buffer) as Buffer)], [9]);
  });
  test('base64 strings only for text', () => {
    assert.equal((coerce('binary', 'aGVsbG8=', 'text') as Buffer).toString(), 'hello');
    assert.equal((coerce('binary', 'aGVsbG8', 'text') as Buffer).toString(), 'hello', 'padding may be left out');
    assert.match(refusal('binary', 'aGVsbG8='), /expected binary \(a Buffer or Uint8Array\), got the string/);
    assert.match(refusal('binary', 'not base64!', 'text'), /expected binary as base64 text/);
  });
});

describe('date', () => {
  test('YYYY-MM-DD calendar days, leap days by the Gregorian rule', () => {
    assert.equal(coerce('date', '2024-02-29'), '2024-02-29');
    assert.equal(coerce('date', '2000-02-29'), '2000-02-29');
    assert.equal(coerce('date', '0001-01-01'), '0001-01-01');
    assert.equal(coerce('date', '9999-12-31'), '9999-12-31');
    assert.match(refusal('date', '2023-02-29'), /day 29 does not exist in 2023-02 \(not a leap year\)/);
    assert.match(refusal('date', '1900-02-29'), /not a leap year/);
    assert.match(refusal('date', '2024-04-31'), /day 31 does not exist in 2024-04/);
    assert.match(refusal('date', '2024-13-01'), /month 13 does not exist/);
    assert.match(refusal('date', '0000-01-01'), /year 0000 is outside the supported range/);
    assert.match(refusal('date', '2024-1-01'), /is not a date: expected YYYY-MM-DD/);
    assert.match(refusal('date', '2024-01-01T00:00:00Z'), /is not a date/);
  });
  test('a Date is its UTC day', () => {
    assert.equal(coerce('date', new Date(Date.UTC(2024, 0, 31, 23, 59))), '2024-01-31');
    assert.equal(coerce('date', new Date(Date.UTC(1969, 11, 31, 12))), '1969-12-31');
    assert.match(refusal('date', new Date(NaN)), /an invalid Date/);
  });
  test('text ignores surrounding whitespace', () => {
    assert.equal(coerce('date', ' 2024-03-01 ', 'text'), '2024-03-01');
  });
});

describe('timestamp', () => {
  test('ISO-8601 text keeps microseconds exactly', () => {
    assert.equal(coerce('timestamp', '2024-01-02T03:04:05.123456Z'), utcMicros('2024-01-02T03:04:05Z', 123456));
    assert.equal(coerce('timestamp', '2024-01-02 03:04:05.000001'), utcMicros('2024-01-02T03:04:05Z', 1));
    assert.equal(coerce('timestamp', '2024-01-02T03:04:05.1'), utcMicros('2024-01-02T03:04:05Z', 100000));
    assert.equal(coerce('timestamp', '2024-01-02T03:04:05.123456000Z'), utcMicros('2024-01-02T03:04:05Z', 123456), 'nanosecond zeros');
    assert.equal(coerce('timestamp', '2024-01-02T03:04'), utcMicros('2024-01-02T03:04:00Z'));
    assert.equal(coerce('timestamp', '2024-01-02'), utcMicros('2024-01-02T00:00:00Z'), 'a date alone is midnight UTC');
  });
  test('no zone is UTC; Z, ±hh:mm and ±hhmm shift to UTC', () => {
    const utc = utcMicros('2024-06-01T12:00:00Z');
    assert.equal(coerce('timestamp', '2024-06-01T12:00:00'), utc);
    assert.equal(coerce('timestamp', '2024-06-01T12:00:00z'), utc);
    assert.equal(coerce('timestamp', '2024-06-01T14:00:00+02:00'), utc);
    assert.equal(coerce('timestamp', '2024-06-01T06:30:00-0530'), utc);
    assert.equal(coerce('timestamp', '2024-06-01T00:30:00.5-11:30'), utc + 500000);
  });
  test('a Date, epoch milliseconds (number) and epoch microseconds (bigint)', () => {
    assert.equal(coerce('timestamp', new Date('2024-01-01T00:00:00.123Z')), utcMicros('2024-01-01T00:00:00Z', 123000));
    assert.equal(coerce('timestamp', 1_700_000_000_000), 1_700_000_000_000_000);
    assert.equal(coerce('timestamp', 1.5), 1500, 'fractional milliseconds');
    assert.equal(coerce('timestamp', -1), -1000, 'before 1970');
    assert.equal(coerce('timestamp', 1_700_000_000_000_123n), 1_700_000_000_000_123);
    assert.equal(coerce('timestamp', '1700000000000', 'text'), 1_700_000_000_000_000, 'digits in text are milliseconds');
  });
  test('the whole range 0001–9999 is exact: bigint microseconds beyond 2^53', () => {
    assert.equal(coerce('timestamp', '0001-01-01T00:00:00Z'), -62_135_596_800_000_000n);
    assert.equal(coerce('timestamp', '9999-12-31T23:59:59.999999Z'), 253_402_300_799_999_999n);
    assert.equal(coerce('timestamp', '2262-01-01T00:00:00.000001Z'), 9_214_646_400_000_001n);
    assert.equal(coerce('timestamp', 253_402_300_799_999), 253_402_300_799_999_000n);
    assert.equal(coerce('timestamp', '2200-01-01T00:00:00Z'), 7_258_118_400_000_000, 'a number while safe');
  });
  test('refuses out-of-range, impossible and unparseable times with the reason', () => {
    assert.match(refusal('timestamp', '0001-01-01T00:00:00+01:00'), /outside the supported range 0001-01-01 to 9999-12-31/);
    assert.match(refusal('timestamp', 253_402_300_800_000), /outside the supported range/);
    assert.match(refusal('timestamp', -62_135_596_800_000_001n), /outside the supported range/);
    assert.match(refusal('timestamp', '10000-01-01'), /is not a timestamp/);
    assert.match(refusal('timestamp', 'yesterday'), /"yesterday" is not a timestamp: expected YYYY-MM-DD/);
    assert.match(refusal('timestamp', '2024-01-01T24:00:00'), /hour 24 does not exist/);
    assert.match(refusal('timestamp', '2024-01-01T23:60:00'), /minute 60 does not exist/);
    assert.match(refusal('timestamp', '2016-12-31T23:59:60Z'), /second 60 does not exist \(00–59; leap seconds/);
    assert.match(refusal('timestamp', '2024-02-30T00:00:00'), /day 30 does not exist/);
    assert.match(refusal('timestamp', '2024-01-01T00:00:00.1234567'), /more precision than microseconds/);
    assert.match(refusal('timestamp', '2024-01-01T00:00:00+25:00'), /zone offset \+25:00 does not exist/);
    assert.match(refusal('timestamp', '2024-01-01T00:00:00 UTC'), /is not a timestamp/);
    assert.match(refusal('timestamp', '2024-01-01T00:00:00Zjunk'), /is not a timestamp/);
    assert.match(refusal('timestamp', NaN), /NaN is refused/);
    assert.match(refusal('timestamp', new Date('nonsense')), /an invalid Date/);
  });
  test('formatTimestamp writes text that reads back to the same microseconds', () => {
    assert.equal(formatTimestamp(utcMicros('2024-01-02T03:04:05Z', 7)), '2024-01-02T03:04:05.000007Z');
    assert.equal(formatTimestamp(-1), '1969-12-31T23:59:59.999999Z');
    assert.equal(formatTimestamp(MIN_EPOCH_MICROS), '0001-01-01T00:00:00.000000Z');
    assert.equal(formatTimestamp(MAX_EPOCH_MICROS), '9999-12-31T23:59:59.999999Z');
  });
});

describe('array<T>', () => {
  test('an array of canonical elements is returned as it is; one needing changes is copied, the input untouched', () => {
    const embedding = [0.25, -1, 3.5];
    assert.equal(coerce('array<double>', embedding), embedding);
    const ids = [1n, 2n ** 60n];
    assert.deepEqual(coerce('array<bigint>', ids), [1, 2n ** 60n]);
    assert.deepEqual(ids, [1n, 2n ** 60n]);
    assert.deepEqual(coerce('array<string>', []), []);
  });
  test('typed arrays become plain arrays', () => {
    assert.deepEqual(coerce('array<float>', new Float32Array([0.5, 1.5])), [0.5, 1.5]);
    assert.deepEqual(coerce('array<bigint>', new BigInt64Array([3n])), [3]);
  });
  test('null elements and elements of the wrong type are refused, naming the element', () => {
    assert.match(refusal('array<double>', [1, null]), /element 1 is null: an array<double> holds no null elements/);
    assert.match(refusal('array<double>', [1, NaN]), /element 1: NaN is refused/);
    assert.match(refusal('array<int>', [0, 2 ** 31]), /element 1: 2147483648 is outside the int range/);
    assert.match(refusal('array<string>', ['a', 1]), /element 1: expected a string, got the number 1/);
    assert.match(refusal('array<double>', 1.5), /expected an array<double> \(an array\), got the number 1.5/);
  });
  test('JSON array text only for text', () => {
    assert.deepEqual(coerce('array<double>', '[1.5, 2]', 'text'), [1.5, 2]);
    assert.deepEqual(coerce('array<string>', '["a","b"]', 'text'), ['a', 'b']);
    assert.match(refusal('array<double>', '[1.5, 2]'), /got the string/);
    assert.match(refusal('array<double>', '[1.5,', 'text'), /expected an array<double> as a JSON array/);
    assert.match(refusal('array<double>', '{"a":1}', 'text'), /as a JSON array/);
  });
});

describe('canonical values are fixed points (property)', () => {
  const finite = { noNaN: true, noDefaultInfinity: true } as const;
  const decimal = fc
    .integer({ min: 1, max: 38 })
    .chain((precision) => fc.tuple(fc.constant(precision), fc.integer({ min: 0, max: precision })))
    .chain(([precision, scale]) =>
      fc.tuple(fc.constant(`decimal(${precision},${scale})`), fc.bigInt({ min: -(10n ** BigInt(precision)) + 1n, max: 10n ** BigInt(precision) - 1n }).map((unscaled) => scaledDecimalText(unscaled, scale))),
    );
  const cases: [string, fc.Arbitrary<[string, unknown]>][] = [
    ['boolean', fc.boolean().map((v) => ['boolean', v])],
    ['int', fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }).map((v) => ['int', v])],
    ['bigint', fc.oneof(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), fc.maxSafeInteger(), fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map(String)).map((v) => ['bigint', v])],
    ['float', fc.float(finite).map((v) => ['float', v])],
    ['double', fc.double(finite).map((v) => ['double', v])],
    ['decimal', decimal],
    ['string', fc.string({ unit: 'grapheme' }).map((v) => ['string', v])],
    ['binary', fc.uint8Array().map((v) => ['binary', v])],
    ['date', fc.date({ min: new Date('0001-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59.999Z'), noInvalidDate: true }).map((v) => ['date', v])],
    ['array<double>', fc.array(fc.double(finite)).map((v) => ['array<double>', v])],
    ['array<bigint>', fc.array(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n })).map((v) => ['array<bigint>', v])],
    ['array<string>', fc.array(fc.string()).map((v) => ['array<string>', v])],
  ];
  for (const [name, arbitrary] of cases) {
    test(`${name}: coercing a canonical value again gives the same value, from js and from text`, () => {
      fc.assert(
        fc.property(arbitrary, ([type, input]) => {
          const canonical = coerce(type, input);
          assert.deepStrictEqual(coerce(type, canonical), canonical);
          assert.deepStrictEqual(coerce(type, canonical, 'text'), canonical);
        }),
      );
    });
  }
  test('timestamp: a canonical value read back as bigint microseconds or as formatted text is the same value', () => {
    // Numbers mean epoch milliseconds as input (Date.now()), so the canonical number of microseconds comes back
    // through its exact forms: a bigint of microseconds, or the ISO text formatTimestamp writes.
    fc.assert(
      fc.property(fc.oneof(fc.bigInt({ min: MIN_EPOCH_MICROS, max: MAX_EPOCH_MICROS }), fc.date({ noInvalidDate: true, min: new Date('0001-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59.999Z') })), (input) => {
        const canonical = coerce('timestamp', input) as number | bigint;
        assert.equal(typeof canonical === 'bigint', canonical > Number.MAX_SAFE_INTEGER || canonical < -Number.MAX_SAFE_INTEGER);
        assert.equal(coerce('timestamp', BigInt(canonical)), canonical);
        assert.equal(coerce('timestamp', formatTimestamp(canonical)), canonical);
        assert.equal(coerce('timestamp', formatTimestamp(canonical), 'text'), canonical);
      }),
    );
  });
});

describe('types outside the union', () => {
  test('a type object of an unknown kind has no coercer', () => {
    assert.throws(() => coercerFor({ kind: 'map' } as unknown as FeatureType, { source: 'js' }), TypeError);
  });
});
