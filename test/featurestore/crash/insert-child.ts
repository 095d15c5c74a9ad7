// A child process for the feature group kill test: inserts batches into a feature group until it is killed,
// printing `committed <rows>` after each acknowledged insert so the parent knows what must survive.
import { Humle } from '../../../src/humle.js';
import type { EngineConfig } from '../../../src/db/open-engine.js';

const [dataDir, engineJson] = process.argv.slice(2);
const humle = await Humle.open({ dataDir: dataDir!, engine: JSON.parse(engineJson!) as EngineConfig, user: 'alice' });
const fg = await (await humle.project('crash')).featureStore().getFeatureGroup('events');
const BATCH = 2000;
for (let batch = 0; ; batch++) {
  const rows = Array.from({ length: BATCH }, (_, i) => ({
    id: batch * BATCH + i,
    ts: new Date(Date.UTC(2026, 0, 1) + batch * 1000),
    value: batch,
    note: `batch ${batch}`,
  }));
  await fg.insert(rows);
  process.stdout.write(`committed ${(batch + 1) * BATCH}\n`);
}
