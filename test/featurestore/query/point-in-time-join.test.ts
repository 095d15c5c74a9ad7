import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { testEngines } from '../../support/engines.js';
import { withHumle } from '../../support/humle-fixture.js';
import { referenceJoin, referenceSnapshot, type ReferenceJoin, type ReferenceRow } from '../../support/point-in-time-reference.js';
import type { FeatureGroup } from '../../../src/featurestore/feature-group.js';
import type { Query } from '../../../src/featurestore/query/query.js';

// Point-in-time joins of three feature groups, read by DuckDB, against the plain TypeScript reference on random
// data: few keys and few distinct times (so duplicate keys and equal timestamps are common), several commits per
// group with older event times arriving later and records replaced, nulls in features and keys, reads as of random
// commits, inner and left joins, nested joins, ttls, and a group whose key leaves part of its primary key out (ties).
//
// labels (root): id bigint, ts timestamp            ← event time; b_ref string, label double
// activity (a):  id bigint, ts timestamp            ← joined on id, prefix a_; a_key string, a_val string
// balances (b):  b_key string, sub int, b_ms bigint ← epoch ms event time; joined on b_key only, from the root
//                                                      (b_ref) or nested from activity (a_key); b_val int

const BASE_MS = Date.UTC(2026, 0, 1);
const minute = fc.integer({ min: 0, max: 12 });
const keyText = fc.constantFrom('k0', 'k1', 'k2');
const orNull = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: null, freq: 4 });

const labelRow = fc.record({ id: fc.integer({ min: 0, max: 3 }), m: minute, b_ref: orNull(keyText), label: orNull(fc.integer({ min: -400, max: 400 }).map((n) => n / 4)) });
const activityRow = fc.record({ id: fc.integer({ min: 0, max: 3 }), m: minute, a_key: orNull(keyText), a_val: orNull(fc.string({ maxLength: 3 })) });
const balanceRow = fc.record({ b_key: keyText, sub: fc.integer({ min: 0, max: 1 }), m: minute, b_val: orNull(fc.integer({ min: -5, max: 5 })) });
const commits = <T>(row: fc.Arbitrary<T>) => fc.array(fc.array(row, { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 3 });
const joinType = fc.constantFrom('inner', 'left') as fc.Arbitrary<ReferenceJoin['type']>;
const ttl = fc.option(fc.integer({ min: 1, max: 6 }).map((minutes) => minutes * 60_000), { nil: null });

const scenario = fc.record({
  labels: commits(labelRow),
  activity: commits(activityRow),
  balances: commits(balanceRow),
  versions: fc.tuple(fc.nat(), fc.nat(), fc.nat(), fc.boolean(), fc.boolean(), fc.boolean()),
  joinA: fc.record({ type: joinType, ttl }),
  joinB: fc.record({ type: joinType, ttl }),
  nested: fc.boolean(),
});

const micros = (m: number) => (BASE_MS + m * 60_000) * 1000;

for (const kind of testEngines()) {
  describe(`point-in-time joins against the reference [${kind}]`, () => {
    test('three feature groups, late rows, ties, ttl, as-of versions: DuckDB gives what the reference gives', () =>
      withHumle(kind, async (humle) => {
        const fs = (await humle.createProject('pit')).featureStore();
        let run = 0;
        await fc.assert(
          fc.asyncProperty(scenario, async (s) => {
            run++;
            const labels = await fs.createFeatureGroup({
              name: `labels_${run}`,
              primaryKey: ['id'],
              eventTime: 'ts',
              features: [
                { name: 'id', type: 'bigint' },
                { name: 'ts', type: 'timestamp' },
                { name: 'b_ref', type: 'string' },
                { name: 'label', type: 'double' },
              ],
            });
            const activity = await fs.createFeatureGroup({
              name: `activity_${run}`,
              primaryKey: ['id'],
              eventTime: 'ts',
              features: [
                { name: 'id', type: 'bigint' },
                { name: 'ts', type: 'timestamp' },
                { name: 'a_key', type: 'string' },
                { name: 'a_val', type: 'string' },
              ],
            });
            const balances = await fs.createFeatureGroup({
              name: `balances_${run}`,
              primaryKey: ['b_key', 'sub'],
              eventTime: 'b_ms',
              features: [
                { name: 'b_key', type: 'string' },
                { name: 'sub', type: 'int' },
                { name: 'b_ms', type: 'bigint' },
                { name: 'b_val', type: 'int' },
              ],
            });
            const labelCommits = await insertAll(labels, s.labels.map((c) => c.map(({ m, ...r }) => ({ ...r, ts: micros(m) }))));
            const activityCommits = await insertAll(activity, s.activity.map((c) => c.map(({ m, ...r }) => ({ ...r, ts: micros(m) }))));
            const balanceCommits = await insertAll(balances, s.balances.map((c) => c.map(({ m, ...r }) => ({ ...r, b_ms: BASE_MS + m * 60_000 }))));

            // Each group as of one of its commits, or the latest.
            const pick = (ids: number[], n: number, latest: boolean) => (latest ? null : ids[n % ids.length]!);
            const [v0, vA, vB] = [
              pick(labelCommits.ids, s.versions[0], s.versions[3]),
              pick(activityCommits.ids, s.versions[1], s.versions[4]),
              pick(balanceCommits.ids, s.versions[2], s.versions[5]),
            ];
            const at = (q: Query, version: number | null) => (version === null ? q : q.asOf(version));
            const aQuery = at(activity.select(['ts', 'a_val', 'a_key']), vA);
            const bQuery = at(balances.select(['sub', 'b_ms', 'b_val']), vB);
            const bJoin = { leftOn: [s.nested ? 'a_key' : 'b_ref'], rightOn: ['b_key'], joinType: s.joinB.type, ...(s.joinB.ttl !== null ? { ttl: s.joinB.ttl } : {}) };
            const aJoin = { joinType: s.joinA.type, prefix: 'a_', ...(s.joinA.ttl !== null ? { ttl: s.joinA.ttl } : {}) };
            const root = at(labels.select(['id', 'ts', 'label']), v0);
            const query = s.nested ? root.join(aQuery.join(bQuery, bJoin), aJoin) : root.join(aQuery, aJoin).join(bQuery, bJoin);
            const actual = (await query.read({ exactTimestamps: true })).map((r) => Object.values(r));

            const labelRows = referenceSnapshot(labelCommits.rows, v0 ?? labelCommits.rows.length - 1, (r) => `${r.id}|${r.ts}`);
            const activityRows = referenceSnapshot(activityCommits.rows, vA ?? activityCommits.rows.length - 1, (r) => `${r.id}|${r.ts}`);
            const balanceRows = referenceSnapshot(balanceCommits.rows, vB ?? balanceCommits.rows.length - 1, (r) => `${r.b_key}|${r.sub}|${r.b_ms}`);
            const joins: ReferenceJoin[] = [
              { left: 0, right: 1, leftOn: ['id'], rightOn: ['id'], type: s.joinA.type, ttl: ('ttl' in aJoin ? aJoin.ttl : null) ?? null },
              { left: s.nested ? 1 : 0, right: 2, leftOn: bJoin.leftOn, rightOn: ['b_key'], type: s.joinB.type, ttl: ('ttl' in bJoin ? bJoin.ttl : null) ?? null },
            ];
            const expected = referenceJoin(
              [
                { rows: labelRows, eventTime: (r) => r.ts as number, primaryKey: ['id'] },
                { rows: activityRows, eventTime: (r) => r.ts as number, primaryKey: ['id'] },
                { rows: balanceRows, eventTime: (r) => (r.b_ms as number) * 1000, primaryKey: ['b_key', 'sub'] },
              ],
              joins,
            ).map(([l, a, b]) => [l?.id, l?.ts, l?.label, a?.ts, a?.a_val, a?.a_key, b?.sub, b?.b_ms, b?.b_val].map((v) => v ?? null));

            assert.deepEqual(sorted(actual), sorted(expected));
          }),
          { numRuns: kind === 'sqlite' ? 50 : 20, endOnFailure: true, includeErrorInReport: true },
        );
      }));
  });
}

/** Inserts each commit's rows and returns the commit ids and the rows as the reference sees them (later duplicates win). */
async function insertAll(fg: FeatureGroup, batches: ReferenceRow[][]): Promise<{ ids: number[]; rows: ReferenceRow[][] }> {
  const ids: number[] = [];
  // Timestamps go in as bigint microseconds (a number would be epoch milliseconds); the reference keeps numbers.
  for (const batch of batches) ids.push((await fg.insert(batch.map((r) => ('ts' in r ? { ...r, ts: BigInt(r.ts as number) } : r)))).commitId);
  return { ids, rows: batches };
}

function sorted(rows: unknown[][]): string[] {
  return rows.map((r) => JSON.stringify(r)).sort();
}
