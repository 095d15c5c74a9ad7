import { InvalidArgumentError } from '../../errors/humle-error.js';
import { randomInt } from 'node:crypto';
import { quoteStringLiteral } from '../offline/duckdb/duckdb-sql-quoting.js';
import { coercerFor } from '../types/value-coercion.js';

/** A time as a timestamp feature takes it: a Date, ISO-8601 text, epoch milliseconds (number) or microseconds (bigint). */
export type TimeLike = Date | string | number | bigint;

/** The parts a read returns, by index: everything (or train), validation, test. */
export const TRAIN = 0;
export const VALIDATION = 1;
export const TEST = 2;
/** The parts' names by index, as a split read names them over REST (its `_split` column). */
export const PART_NAMES: readonly string[] = ['train', 'validation', 'test'];

/** Event-time bounds in microseconds: start inclusive, end exclusive, as HSFS's time-series splits. */
export interface TimeRange {
  start: number | bigint | null;
  end: number | bigint | null;
}

export type SplitPlan =
  | { kind: 'none' }
  /**
   * HSFS's random split with exact sizes: the rows are ordered by a hash of the seed and their values, the first
   * round(n × test) are test, the next round(n × validation) validation, the rest train.
   */
  | { kind: 'random'; seed: number; test: number; validation: number }
  /** By the left rows' event time: a row goes to the part whose range holds it, or to none. */
  | { kind: 'time'; ranges: (TimeRange | null)[] };

export interface RandomSplitOptions {
  testSize: number;
  /** Deterministic splits (for the same data and DuckDB version); random when omitted. */
  seed?: number;
}

export interface TimeSplitOptions {
  trainStart?: TimeLike;
  trainEnd?: TimeLike;
  testStart?: TimeLike;
  testEnd?: TimeLike;
}

export interface ValidationSplitOptions {
  validationSize?: number;
  validationStart?: TimeLike;
  validationEnd?: TimeLike;
}

const toMicros = coercerFor({ kind: 'timestamp' }, { source: 'js' });

/** Microseconds since the epoch of a time option, or null when it is not given. */
export function timeOption(value: TimeLike | undefined, what: string): number | bigint | null {
  if (value === undefined || value === null) return null;
  try {
    return toMicros(value) as number | bigint;
  } catch (reason) {
    if (typeof reason !== 'string') throw reason;
    throw new InvalidArgumentError(`${what}: ${reason}`, { [what]: String(value) });
  }
}

/** The parts a read is split into: one (no split), train and test, or train, validation and test. */
export type SplitKind = 'none' | 'trainTest' | 'trainValidationTest';

/** The split options name: any validation option makes three parts, any other size or time range two, none one. */
export function requestedSplit(options: Partial<RandomSplitOptions> & TimeSplitOptions & ValidationSplitOptions): SplitKind {
  if (options.validationSize !== undefined || options.validationStart !== undefined || options.validationEnd !== undefined) return 'trainValidationTest';
  const given = options.testSize !== undefined || [options.trainStart, options.trainEnd, options.testStart, options.testEnd].some((t) => t !== undefined);
  return given ? 'trainTest' : 'none';
}

/** The split an options object asks for: sizes (random) or time ranges; `validation` adds the third part. */
export function splitPlan(options: Partial<RandomSplitOptions> & TimeSplitOptions & ValidationSplitOptions, validation: boolean): SplitPlan {
  const times = ['trainStart', 'trainEnd', 'testStart', 'testEnd', ...(validation ? ['validationStart', 'validationEnd'] : [])] as const;
  const timeGiven = times.some((k) => (options as Record<string, unknown>)[k] !== undefined);
  if (options.testSize !== undefined) {
    if (timeGiven) throw new InvalidArgumentError('give either sizes (testSize) or time ranges, not both', {});
    const test = fraction(options.testSize, 'testSize');
    const validationSize = validation ? fraction(options.validationSize, 'validationSize') : 0;
    if (test + validationSize >= 1) throw new InvalidArgumentError('testSize and validationSize must leave rows for training: their sum is below 1', {});
    const seed = options.seed ?? randomInt(2 ** 31);
    if (typeof seed !== 'number' || !Number.isSafeInteger(seed) || seed < 0) throw new InvalidArgumentError('seed is a non-negative integer', { seed });
    return { kind: 'random', seed, test, validation: validationSize };
  }
  if (!timeGiven) throw new InvalidArgumentError(`give testSize${validation ? ' and validationSize' : ''}, or event time ranges (trainStart, trainEnd, ...)`, {});
  const range = (start: TimeLike | undefined, end: TimeLike | undefined, name: string): TimeRange => {
    const r = { start: timeOption(start, `${name}Start`), end: timeOption(end, `${name}End`) };
    if (r.start !== null && r.end !== null && r.start >= r.end) throw new InvalidArgumentError(`${name}Start must be before ${name}End`, {});
    return r;
  };
  const ranges: (TimeRange | null)[] = [
    range(options.trainStart, options.trainEnd, 'train'),
    validation ? range(options.validationStart, options.validationEnd, 'validation') : null,
    range(options.testStart, options.testEnd, 'test'),
  ];
  const present = ranges.filter((r): r is TimeRange => r !== null);
  for (let a = 0; a < present.length; a++) {
    for (let b = a + 1; b < present.length; b++) {
      if (overlap(present[a]!, present[b]!)) throw new InvalidArgumentError('the time ranges of the parts overlap: a row would be in two of them (an open bound reaches to the end of time)', {});
    }
  }
  return { kind: 'time', ranges };
}

function fraction(value: unknown, what: string): number {
  if (typeof value !== 'number' || !(value > 0 && value < 1)) throw new InvalidArgumentError(`${what} is a fraction of the rows, above 0 and below 1`, { [what]: value });
  return value;
}

function overlap(a: TimeRange, b: TimeRange): boolean {
  const before = (x: number | bigint | null, y: number | bigint | null) => x === null || y === null || x < y;
  return before(a.start, b.end) && before(b.start, a.end);
}

/** The SQL condition that a microsecond column lies in a range ('TRUE' for an unbounded one). */
export function rangeCondition(column: string, range: TimeRange): string {
  const parts: string[] = [];
  if (range.start !== null) parts.push(`${column} >= ${micros(range.start)}`);
  if (range.end !== null) parts.push(`${column} < ${micros(range.end)}`);
  return parts.length === 0 ? 'TRUE' : parts.join(' AND ');
}

/** A fraction as a DOUBLE literal. */
export function fractionLiteral(value: number): string {
  return `CAST(${quoteStringLiteral(String(value))} AS DOUBLE)`;
}

function micros(value: number | bigint): string {
  return `CAST(${quoteStringLiteral(String(value))} AS BIGINT)`;
}
