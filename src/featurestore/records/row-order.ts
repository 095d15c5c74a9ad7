import type { Feature } from '../schema/feature.js';

/**
 * Orders canonical values of one key type (int, bigint, string, date, timestamp, boolean): numbers and bigints by
 * value (JavaScript compares the two kinds exactly), strings and dates by code unit, false before true; null first.
 */
export function compareCanonical(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === null || a === undefined) return -1;
  if (b === null || b === undefined) return 1;
  return (a as number) < (b as number) ? -1 : (a as number) > (b as number) ? 1 : 0;
}

/**
 * Sorts rows read from a feature group by record key (primary key, then event time), in place. A snapshot's rows come
 * in the order of its data files, which copy-on-write commits reshuffle; key order makes the output of `read` and
 * `changes` the same for the same data, so that it can be diffed, tested and cut with --limit meaningfully.
 */
export function sortByRecordKey<R extends Readonly<Record<string, unknown>>>(
  rows: R[],
  features: readonly Feature[],
  first?: (a: R, b: R) => number,
): R[] {
  const keys = recordKeyNames(features);
  // A stable sort: rows with equal keys (a change's pre- and post-image) keep their order.
  return rows.sort((a, b) => {
    const before = first?.(a, b) ?? 0;
    if (before !== 0) return before;
    for (const key of keys) {
      const order = compareCanonical(a[key], b[key]);
      if (order !== 0) return order;
    }
    return 0;
  });
}

/** The names of the features that order records: the primary key's, then the event time's. */
export function recordKeyNames(features: readonly Feature[]): string[] {
  return [...features.filter((f) => f.primary), ...features.filter((f) => f.eventTime)].map((f) => f.name);
}
