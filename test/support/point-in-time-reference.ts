/**
 * Point-in-time joins in plain TypeScript, written from the documented rule and nothing else, as the reference the
 * DuckDB implementation is checked against (test/featurestore/query/point-in-time-join.test.ts). Slow on purpose:
 * every left row scans every right row.
 *
 * The rule: the root's rows are the left rows. Each join, in order, looks at the row it currently holds from its
 * left group (the root or an earlier joined group) and picks, among the right group's rows with equal keys (no
 * null) and an event time at or before the root row's event time, the one with the greatest event time. Right
 * rows that tie on keys and event time are first reduced to the one with the smallest rest of the primary key. A
 * ttl makes a pick older than the root's event time minus the ttl no pick. inner drops rows without a pick, left
 * keeps them with nulls.
 */

export type ReferenceRow = Record<string, unknown>;

export interface ReferenceSource {
  /** The snapshot the query reads. */
  rows: ReferenceRow[];
  /** The event time in microseconds. */
  eventTime: (row: ReferenceRow) => number;
  primaryKey: string[];
}

export interface ReferenceJoin {
  left: number;
  right: number;
  leftOn: string[];
  rightOn: string[];
  type: 'inner' | 'left';
  /** Milliseconds. */
  ttl: number | null;
}

/** The rows of a feature group as of `version`: every commit up to it applied in order, a later record replacing an earlier one with the same key. */
export function referenceSnapshot(commits: readonly ReferenceRow[][], version: number, recordKey: (row: ReferenceRow) => string): ReferenceRow[] {
  const records = new Map<string, ReferenceRow>();
  for (let c = 0; c <= version; c++) for (const row of commits[c]!) records.set(recordKey(row), row);
  return [...records.values()];
}

/** Each result row as the sources' rows it joined (null where none). */
export function referenceJoin(sources: readonly ReferenceSource[], joins: readonly ReferenceJoin[]): (ReferenceRow | null)[][] {
  let rows: (ReferenceRow | null)[][] = sources[0]!.rows.map((r) => sources.map((_, i) => (i === 0 ? r : null)));
  const rootTime = sources[0]!.eventTime;
  for (const join of joins) {
    const right = sources[join.right]!;
    const candidates = reduceTies(right, join.rightOn);
    const next: (ReferenceRow | null)[][] = [];
    for (const row of rows) {
      const root = row[0];
      const left = row[join.left];
      let pick: ReferenceRow | null = null;
      if (root && left && join.leftOn.every((k) => left[k] !== null && left[k] !== undefined)) {
        const time = rootTime(root);
        for (const candidate of candidates) {
          const keysEqual = join.leftOn.every((k, i) => left[k] === candidate[join.rightOn[i]!]);
          if (keysEqual && right.eventTime(candidate) <= time && (pick === null || right.eventTime(candidate) > right.eventTime(pick))) pick = candidate;
        }
        if (pick !== null && join.ttl !== null && right.eventTime(pick) < time - join.ttl * 1000) pick = null;
      }
      if (pick !== null || join.type === 'left') next.push(row.map((r, i) => (i === join.right ? pick : r)));
    }
    rows = next;
  }
  return rows;
}

/** One right row per (join key values, event time): the one with the smallest values of the rest of the primary key. */
function reduceTies(source: ReferenceSource, rightOn: readonly string[]): ReferenceRow[] {
  const rest = source.primaryKey.filter((k) => !rightOn.includes(k));
  const kept = new Map<string, ReferenceRow>();
  for (const row of source.rows) {
    const key = JSON.stringify([...rightOn.map((k) => row[k] ?? null), source.eventTime(row)]);
    const held = kept.get(key);
    if (held === undefined || compareTuples(rest.map((k) => row[k]), rest.map((k) => held[k])) < 0) kept.set(key, row);
  }
  return [...kept.values()];
}

function compareTuples(a: readonly unknown[], b: readonly unknown[]): number {
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as number | string;
    const y = b[i] as number | string;
    if (x < y) return -1;
    if (x > y) return 1;
  }
  return 0;
}
