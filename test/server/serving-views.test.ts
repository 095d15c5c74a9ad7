import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { FeatureViewNotFoundError, FeatureViewNotServableError } from '../../src/errors/featurestore-errors.js';
import { ProjectNotFoundError } from '../../src/errors/project-errors.js';
import type { FeatureStore } from '../../src/featurestore/feature-store.js';
import { ServingViews } from '../../src/server/serving/serving-views.js';
import { testEngines } from '../support/engines.js';
import { withHumle } from '../support/humle-fixture.js';

async function accountsView(fs: FeatureStore, onlineEnabled = true) {
  const accounts = await fs.getOrCreateFeatureGroup({
    name: onlineEnabled ? 'accounts' : 'archive',
    primaryKey: ['id'],
    onlineEnabled,
    features: [
      { name: 'id', type: 'bigint' },
      { name: 'balance', type: 'double' },
    ],
  });
  await accounts.insert([{ id: 1, balance: 10 }]);
  return fs.createFeatureView({ name: onlineEnabled ? 'balances' : 'archived', version: 1, query: accounts.selectAll() });
}

for (const kind of testEngines()) {
  describe(`ServingViews (${kind})`, () => {
    test('a view is prepared once and shared; within the recheck interval a deleted view is still the cached one', () =>
      withHumle(kind, async (humle) => {
        const fs = (await humle.createProject('serving')).featureStore();
        await accountsView(fs);
        const views = new ServingViews(humle, 60_000);
        const first = await views.get('serving', 'balances', 1);
        assert.equal(await views.get('serving', 'balances', 1), first);
        assert.deepEqual(await first.getFeatureVector({ id: 1 }), [1, 10]);
        await (await fs.getFeatureView('balances', 1)).delete();
        assert.equal(await views.get('serving', 'balances', 1), first);
      }));

    test('past the interval the record is read again: the same view stays, one made again is prepared anew, a deleted one is gone', () =>
      withHumle(kind, async (humle) => {
        const fs = (await humle.createProject('serving')).featureStore();
        await accountsView(fs);
        const views = new ServingViews(humle, 0);
        const first = await views.get('serving', 'balances', 1);
        assert.equal(await views.get('serving', 'balances', 1), first);

        await (await fs.getFeatureView('balances', 1)).delete();
        const again = await accountsView(fs);
        const second = await views.get('serving', 'balances', 1);
        assert.notEqual(second, first);
        assert.equal(second.id, again.id);

        await again.delete();
        await assert.rejects(views.get('serving', 'balances', 1), FeatureViewNotFoundError);
        await assert.rejects(views.get('serving', 'nothing', 1), FeatureViewNotFoundError);
        await assert.rejects(views.get('elsewhere', 'balances', 1), ProjectNotFoundError);
        // A failed preparation is not kept: once the view exists, it is served.
        const third = await accountsView(fs);
        assert.equal((await views.get('serving', 'balances', 1)).id, third.id);
      }));

    test('a view that cannot serve is refused each time and never cached', () =>
      withHumle(kind, async (humle) => {
        const fs = (await humle.createProject('serving')).featureStore();
        await accountsView(fs, false);
        const views = new ServingViews(humle, 60_000);
        await assert.rejects(views.get('serving', 'archived', 1), FeatureViewNotServableError);
        await assert.rejects(views.get('serving', 'archived', 1), FeatureViewNotServableError);
      }));
  });
}
