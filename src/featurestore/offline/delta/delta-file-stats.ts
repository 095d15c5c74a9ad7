import { DeltaLogCorruptError } from '../offline-store-errors.js';

/**
 * Per-file statistics of an `add` action, in Delta's JSON form: `numRecords`, and per column `minValues`,
 * `maxValues`, `nullCount`. Values are what Delta's stats schema expects for the column type: JSON numbers for
 * integers, floats and decimals, `YYYY-MM-DD` strings for dates, ISO-8601 UTC strings for timestamps, strings.
 *
 * JSON.stringify cannot write a 64-bit integer or a 38-digit decimal exactly, so `serializeDeltaFileStats` writes
 * `bigint` values and `DeltaDecimalStat`s as their exact digits: a bound that is off by a rounding error could make
 * a reader skip a file that holds matching rows.
 */

/** A decimal bound, kept as its exact text so that it is written as an exact JSON number. */
export class DeltaDecimalStat {
  constructor(readonly text: string) {}

  /** For plain JSON.stringify (logs, debugging): the nearest double. */
  toJSON(): number {
    return Number(this.text);
  }
}

export type DeltaStatValue = number | bigint | string | boolean | DeltaDecimalStat;

export interface DeltaFileStats {
  readonly numRecords: number;
  readonly minValues: Readonly<Record<string, DeltaStatValue>>;
  readonly maxValues: Readonly<Record<string, DeltaStatValue>>;
  readonly nullCount: Readonly<Record<string, number>>;
}

/** The `stats` string of an `add` action, with integers and decimals written exactly. */
export function serializeDeltaFileStats(stats: DeltaFileStats): string {
  return `{"numRecords":${stats.numRecords},"minValues":${statObject(stats.minValues)},"maxValues":${statObject(stats.maxValues)},"nullCount":${statObject(stats.nullCount)}}`;
}

function statObject(values: Readonly<Record<string, DeltaStatValue>>): string {
  const members = Object.entries(values).map(([name, value]) => `${JSON.stringify(name)}:${statValue(value)}`);
  return `{${members.join(',')}}`;
}

function statValue(value: DeltaStatValue): string {
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof DeltaDecimalStat) return value.text;
  return JSON.stringify(value);
}

/**
 * Reads an `add` action's `stats` string. Numbers come back as JS numbers, so integers beyond 2^53 and decimals of
 * more than 15 digits are approximate: good for counts and for display, not for pruning without widening the bounds.
 */
export function parseDeltaFileStats(text: string): DeltaFileStats {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new DeltaLogCorruptError(`file statistics are not JSON: ${(error as Error).message}`, { stats: text });
  }
  const stats = parsed as Partial<DeltaFileStats> | null;
  if (stats === null || typeof stats !== 'object' || typeof stats.numRecords !== 'number') {
    throw new DeltaLogCorruptError('file statistics have no numRecords', { stats: text });
  }
  return { numRecords: stats.numRecords, minValues: stats.minValues ?? {}, maxValues: stats.maxValues ?? {}, nullCount: stats.nullCount ?? {} };
}
