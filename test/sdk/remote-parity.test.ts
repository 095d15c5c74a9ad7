import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Table } from 'apache-arrow';
import { AccessDeniedError, AuthenticationError } from '../../src/errors/platform-errors.js';
import { ProjectNotFoundError } from '../../src/errors/project-errors.js';
import { ServerUnreachableError } from '../../src/errors/server-errors.js';
import { Humle } from '../../src/humle.js';
import { arrowRowTable } from '../../src/featurestore/records/row-table.js';
import { humlePathsIn } from '../../src/server/server-paths.js';
import type { FeatureStore } from '../../src/sdk/feature-store.js';
import { testEngines } from '../support/engines.js';
import { withServer } from '../support/server-fixture.js';
import { sortedBy } from './sdk-harness.js';

const t = (iso: string) => new Date(iso);
const big = 2n ** 62n + 3n;

/** Groups written through the server, with values that JSON would lose: bigints past 2^53, microseconds, decimals. */
async function writeRemotely(fs: FeatureStore): Promise<void> {
  const payments = await fs.createFeatureGroup({
    name: 'payments',
    primaryKey: ['account'],
    eventTime: 'ts',
    onlineEnabled: true,
    features: [
      { name: 'account', type: 'bigint' },
      { name: 'ts', type: 'timestamp' },
      { name: 'amount', type: 'decimal(12,3)' },
      { name: 'ratio', type: 'double' },
      { name: 'country', type: 'string' },
      { name: 'fraud', type: 'boolean' },
    ],
  });
  const accounts = await fs.createFeatureGroup({
    name: 'accounts',
    primaryKey: ['account'],
    eventTime: 'ts',
    onlineEnabled: true,
    features: [{ name: 'account', type: 'bigint' }, { name: 'ts', type: 'timestamp' }, { name: 'age_days', type: 'int' }],
  });
  await accounts.insert([
    { account: 1, ts: t('2026-01-01T00:00:00Z'), age_days: 10 },
    { account: big, ts: 1767225600000001n, age_days: 20 },
    { account: 1, ts: t('2026-01-10T00:00:00Z'), age_days: 19 },
  ]);
  for (let day = 1; day <= 20; day++) {
    await payments.insert([
      { account: day % 3 === 0 ? big : 1, ts: `2026-01-${String(day).padStart(2, '0')}T12:00:00.00000${day % 10}Z`, amount: `${day}.125`, ratio: day / 7, country: day % 2 ? 'SE' : 'NO', fraud: day % 5 === 0 },
    ]);
  }
  const query = payments.select(['account', 'ts', 'amount', 'ratio', 'country', 'fraud']).join(accounts.select(['age_days']), { prefix: 'a_' });
  await fs.createFeatureView({ name: 'fraud', query, labels: ['fraud'] });
}

async function arrowRows(table: Table): Promise<unknown> {
  const { columns, rows } = await arrowRowTable(table);
  return { columns: columns.map((c) => `${c.name}:${JSON.stringify(c.type)}`), rows };
}

for (const kind of testEngines()) {
  describe(`the remote SDK reads what the embedded SDK reads [${kind}]`, () => {
    test('groups, queries, training data, splits, training datasets and vectors: equal values through either SDK', () =>
      withServer(kind, async (world) => {
        const remote = await Humle.connect({ url: world.url, apiKey: world.keys.alice });
        const remoteFs = (await remote.project('alpha')).featureStore();
        await writeRemotely(remoteFs);
        // The server's own Humle, embedded on the same store.
        const embeddedFs = (await world.humle.project('alpha')).featureStore();
        const [re, em] = await Promise.all([remoteFs.getFeatureGroup('payments'), embeddedFs.getFeatureGroup('payments')]);
        const [ra, ea] = await Promise.all([remoteFs.getFeatureGroup('accounts'), embeddedFs.getFeatureGroup('accounts')]);
        assert.deepEqual(re.toJSON(), em.toJSON());

        for (const options of [{}, { exactTimestamps: true }, { asOf: 4 }, { asOf: new Date() }]) {
          assert.deepEqual(sortedBy(await re.read(options), 'account', 'ts'), sortedBy(await em.read(options), 'account', 'ts'), JSON.stringify(options));
        }
        const remoteRows = sortedBy(await re.read({ exactTimestamps: true }), 'ts');
        assert.equal(remoteRows.length, 20);
        assert.deepEqual([remoteRows[2]!.account, remoteRows[2]!.ts, remoteRows[2]!.amount], [big, 1767441600000003, '3.125']);
        const byKey = async (table: Table) => {
          const { columns, rows } = (await arrowRows(table)) as { columns: string[]; rows: Record<string, unknown>[] };
          return { columns, rows: sortedBy(rows, 'account', 'ts') };
        };
        assert.deepEqual(await byKey(await re.read({ dataframe: 'arrow' })), await byKey(await em.read({ dataframe: 'arrow' })));
        assert.deepEqual(sortedBy(await re.readChanges(3, 9), '_commit_version'), sortedBy(await em.readChanges(3, 9), '_commit_version'));
        assert.deepEqual(await re.commitDetails({ limit: 5 }), await em.commitDetails({ limit: 5 }));
        assert.deepEqual(await ra.getOnlineBatch([big, 1, 2]), await ea.getOnlineBatch([big, 1, 2]));
        assert.deepEqual(await re.getStatistics(), await em.getStatistics());

        const query = (fg: typeof re, other: typeof ra) => fg.select(['account', 'amount', 'ratio']).join(other.select(['age_days'])).filter(fg.feature('amount').gt('5'));
        assert.deepEqual(sortedBy(await query(re, ra).read(), 'amount'), sortedBy(await query(em, ea).read(), 'amount'));
        // The server names the data files by their humle paths, never by its own block files (issue 13, item 5).
        const remoteSql = await query(re, ra).toSql();
        assert.equal(remoteSql, await humlePathsIn(await query(em, ea).toSql(), world.humle.fs));
        assert.match(remoteSql, /'\/Projects\/alpha\/alpha_featurestore\.db\/payments_1\/part-[^']+\.parquet'/);
        assert.doesNotMatch(remoteSql, /blk_/);

        const [rv, ev] = await Promise.all([remoteFs.getFeatureView('fraud'), embeddedFs.getFeatureView('fraud')]);
        assert.deepEqual(rv.query.plan, ev.query.plan);
        assert.deepEqual(rv.features, ev.features);
        assert.deepEqual(rv.toJSON(), ev.toJSON());
        const read = { primaryKey: true, eventTime: true } as const;
        assert.deepEqual(await rv.trainingData(read), await ev.trainingData(read));
        assert.deepEqual(await rv.trainingData({ ...read, exactTimestamps: true, extraFilter: re.feature('country').eq('SE') }), await ev.trainingData({ ...read, exactTimestamps: true, extraFilter: em.feature('country').eq('SE') }));
        assert.deepEqual(await rv.trainTestSplit({ ...read, testSize: 0.3, seed: 11 }), await ev.trainTestSplit({ ...read, testSize: 0.3, seed: 11 }));
        const split = { trainEnd: '2026-01-10T00:00:00Z', validationStart: '2026-01-10T00:00:00Z', validationEnd: '2026-01-15T00:00:00Z', testStart: '2026-01-15T00:00:00Z' };
        assert.deepEqual(await rv.trainValidationTestSplit({ ...read, ...split }), await ev.trainValidationTestSplit({ ...read, ...split }));
        const spine = [{ account: big, ts: 1767830400000000n, fraud: true }, { account: 1, ts: t('2026-01-02T00:00:00Z'), fraud: false }];
        assert.deepEqual(await rv.trainingData({ ...read, spine }), await ev.trainingData({ ...read, spine }));
        const remoteArrow = await rv.trainingData({ ...read, dataframe: 'arrow' });
        const embeddedArrow = await ev.trainingData({ ...read, dataframe: 'arrow' });
        assert.deepEqual(await arrowRows(remoteArrow.features), await arrowRows(embeddedArrow.features));
        assert.deepEqual(await arrowRows(remoteArrow.labels!), await arrowRows(embeddedArrow.labels!));
        assert.deepEqual(await rv.getBatchData({ startTime: t('2026-01-05T00:00:00Z') }), await ev.getBatchData({ startTime: t('2026-01-05T00:00:00Z') }));

        const dataset = await rv.createTrainingData({ ...read, testSize: 0.25, seed: 5 });
        assert.deepEqual(await rv.getTrainingDatasets(), await ev.getTrainingDatasets());
        const madeRemotely = await rv.getTrainTestSplit(dataset.version);
        assert.deepEqual(madeRemotely, await ev.getTrainTestSplit(dataset.version));
        await re.insert([{ account: 5, ts: t('2026-01-25T00:00:00Z'), amount: 1, ratio: 1, country: 'DK', fraud: true }]);
        assert.deepEqual(await rv.getTrainTestSplit(dataset.version), madeRemotely);

        const entries = [{ account: big }, { account: 1 }, { account: 404 }];
        assert.deepEqual(await rv.getFeatureVectors(entries, { allowMissing: true }), await ev.getFeatureVectors(entries, { allowMissing: true }));
        assert.deepEqual(
          await rv.getFeatureVectorsWithStatus(entries, { allowMissing: true, returnType: 'object', exactTimestamps: true }),
          await ev.getFeatureVectorsWithStatus(entries, { allowMissing: true, returnType: 'object', exactTimestamps: true }),
        );
        await remote.close();
      }));

    test('a wrong or revoked key is the typed 401 error; roles and projects are the server’s to enforce', () =>
      withServer(kind, async (world) => {
        await assert.rejects(Humle.connect({ url: world.url, apiKey: 'not-a-key' }), AuthenticationError);
        await assert.rejects(Humle.connect({ url: world.url, apiKey: `${world.keys.bob.split('.')[0]}.${'A'.repeat(43)}` }), AuthenticationError);
        const bob = await Humle.connect({ url: world.url, apiKey: world.keys.bob });
        assert.deepEqual((await bob.listProjects()).map((p) => p.name), ['alpha']);
        await world.humle.platform.apiKeys.revoke('bob', 'main');
        await assert.rejects(bob.listProjects(), AuthenticationError);
        await assert.rejects(bob.project('alpha'), (error: unknown) => error instanceof AuthenticationError && error.code === 'UNAUTHENTICATED');

        const carol = await Humle.connect({ url: world.url, apiKey: world.keys.carol });
        await assert.rejects((await carol.project('alpha')).featureStore().createFeatureGroup({ name: 'x', primaryKey: ['id'] }), AccessDeniedError);
        const dave = await Humle.connect({ url: world.url, apiKey: world.keys.dave });
        await assert.rejects(dave.project('alpha'), ProjectNotFoundError);
        await carol.close();
        await assert.rejects(carol.listProjects(), /closed/);

        const port = new URL(world.url).port;
        await world.app.close();
        await assert.rejects(Humle.connect({ url: `http://127.0.0.1:${port}`, apiKey: world.keys.alice }), ServerUnreachableError);
      }));
  });
}
