#!/usr/bin/env node
// Part of `npm start` (scripts/demo-setup.sh): what the demo needs that the `humle` command has no subcommand for, done
// through the library on the demo's data directory (resolved as the CLI resolves it, HUMLE_DATA / HUMLE_DB / HUMLE_USER).
//   node scripts/demo-feature-view.mjs project   # prints `exists` or `missing`: whether the project demo exists
//   node scripts/demo-feature-view.mjs reset     # before the group is made again: removes what the last run made
//   node scripts/demo-feature-view.mjs create    # the feature view transactions_fv version 1 over transactions
// Every failure ends the process with its error (exit code 1), so the shell script stops there: nothing is hidden.
import { Humle } from '../dist/src/humle.js';
import { resolveSettings } from '../dist/src/cli/settings.js';

const action = process.argv[2];
if (!['project', 'reset', 'create'].includes(action)) {
  console.error(`usage: node scripts/demo-feature-view.mjs project|reset|create (got ${action ?? 'nothing'})`);
  process.exit(2);
}
const settings = resolveSettings({});
const humle = await Humle.open({ dataDir: settings.dataDir, engine: settings.engine, user: settings.user });
try {
  if (action === 'project') {
    console.log((await humle.listProjects()).some((p) => p.name === 'demo') ? 'exists' : 'missing');
  } else if (action === 'reset') {
    await reset((await humle.project('demo')).featureStore());
  } else {
    const fs = (await humle.project('demo')).featureStore();
    const transactions = await fs.getFeatureGroup('transactions', 1);
    const view = await fs.createFeatureView({ name: 'transactions_fv', version: 1, query: transactions.select(['cc_num', 'amount', 'category']) });
    console.log(`feature view ${view.name} version ${view.version}: ${JSON.stringify(await view.getFeatureVector({ cc_num: 4242 }))} for cc_num 4242`);
  }
} finally {
  await humle.close();
}

/**
 * Every version of the demo's `transactions` group goes, with every feature view that reads it (the README's examples
 * make some: `spend`, `transactions_fv`), since a view keeps its groups: a group that stayed would make the next
 * `humle fg create` a version 2 holding the last run's rows. Each removal is printed, so nothing goes unsaid.
 */
async function reset(fs) {
  const groups = await fs.getFeatureGroups('transactions');
  const groupIds = new Set(groups.map((g) => g.id));
  for (const view of await fs.getFeatureViews()) {
    if (!view.query.featureGroups.some((ref) => groupIds.has(ref.id))) continue;
    await view.delete();
    console.log(`removed feature view ${view.name} version ${view.version} (it reads the demo's transactions group)`);
  }
  for (const group of groups) {
    await group.delete();
    console.log(`removed feature group ${group.name} version ${group.version} (the last run's)`);
  }
}
