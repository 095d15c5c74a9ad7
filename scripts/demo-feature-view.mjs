#!/usr/bin/env node
// Part of `npm start` (scripts/start-demo.sh): the demo project's feature view `transactions_fv` version 1 over the
// `transactions` feature group, which the RonDB-compatible serving examples read (README, "RonDB REST API
// compatible serving"). There is no `humle fv` command, so this opens Humle on the demo's data directory (resolved
// as the CLI resolves it) through the library.
//   node scripts/demo-feature-view.mjs delete   # before the group is made again (a view keeps its groups)
//   node scripts/demo-feature-view.mjs create
import { Humle } from '../dist/src/humle.js';
import { resolveSettings } from '../dist/src/cli/settings.js';

const settings = resolveSettings({});
const humle = await Humle.open({ dataDir: settings.dataDir, engine: settings.engine, user: settings.user });
try {
  const fs = (await humle.project('demo')).featureStore();
  if (process.argv[2] === 'delete') {
    for (const view of await fs.getFeatureViews('transactions_fv')) await view.delete();
  } else {
    const transactions = await fs.getFeatureGroup('transactions', 1);
    const view = await fs.createFeatureView({ name: 'transactions_fv', version: 1, query: transactions.select(['cc_num', 'amount', 'category']) });
    console.log(`feature view ${view.name} version ${view.version}: ${JSON.stringify(await view.getFeatureVector({ cc_num: 4242 }))} for cc_num 4242`);
  }
} finally {
  await humle.close();
}
