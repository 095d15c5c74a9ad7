// The data of the serving benchmarks (fv-serving.ts in process, serving-http.ts over HTTP): project `bench`, three
// online feature groups of `entities` rows keyed by uid, and the view `scoring` over them with 11 features.
import { performance } from 'node:perf_hooks';
import type { Humle } from '../src/humle.js';

const LOAD_BATCH = 100_000;

/** Creates project `bench` (owned by the user Humle runs as), the groups `users`, `activity`, `risk` and view `scoring`. */
export async function loadServingData(humle: Humle, entities: number): Promise<void> {
  const fs = (await humle.createProject('bench')).featureStore();
  const group = (name: string, features: { name: string; type: string }[]) =>
    fs.createFeatureGroup({ name, primaryKey: ['uid'], eventTime: 'ts', onlineEnabled: true, statisticsConfig: false, features: [{ name: 'uid', type: 'bigint' }, { name: 'ts', type: 'timestamp' }, ...features] });
  const users = await group('users', [
    { name: 'age', type: 'int' },
    { name: 'country', type: 'string' },
    { name: 'balance', type: 'double' },
  ]);
  const activity = await group('activity', [
    { name: 'count_7d', type: 'bigint' },
    { name: 'count_30d', type: 'bigint' },
    { name: 'amount_7d', type: 'double' },
    { name: 'last_merchant', type: 'string' },
  ]);
  const risk = await group('risk', [
    { name: 'score', type: 'double' },
    { name: 'flagged', type: 'boolean' },
    { name: 'segment', type: 'string' },
  ]);
  const ts = new Date('2026-01-01T00:00:00Z');
  const started = performance.now();
  for (let start = 0; start < entities; start += LOAD_BATCH) {
    const n = Math.min(LOAD_BATCH, entities - start);
    const uid = (i: number) => start + i;
    await users.insert(Array.from({ length: n }, (_, i) => ({ uid: uid(i), ts, age: 18 + (uid(i) % 60), country: `c${uid(i) % 50}`, balance: uid(i) * 0.25 })));
    await activity.insert(
      Array.from({ length: n }, (_, i) => ({ uid: uid(i), ts, count_7d: uid(i) % 13, count_30d: uid(i) % 41, amount_7d: (uid(i) % 1000) / 7, last_merchant: `m${uid(i) % 5000}` })),
    );
    await risk.insert(Array.from({ length: n }, (_, i) => ({ uid: uid(i), ts, score: (uid(i) % 97) / 97, flagged: uid(i) % 11 === 0, segment: `s${uid(i) % 7}` })));
  }
  console.log(`loaded ${entities.toLocaleString('en')} entities × 3 groups in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  // 11 features: uid, age, country, balance | count_7d, count_30d, amount_7d, last_merchant | score, flagged, segment.
  await fs.createFeatureView({
    name: 'scoring',
    query: users
      .select(['uid', 'age', 'country', 'balance'])
      .join(activity.select(['count_7d', 'count_30d', 'amount_7d', 'last_merchant']))
      .join(risk.select(['score', 'flagged', 'segment'])),
  });
}

