import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Humle } from '../../src/humle.js';
import { describeCli } from './cli-harness.js';

describeCli('humle fs fsck and the feature store', (withCli) => {
  test("a feature group's data file damaged through humle fs makes fsck say CORRUPT, name the file, and exit 1", () =>
    withCli(async (cli) => {
      const humle = await Humle.open({ dataDir: cli.store.dataDir, engine: cli.store.engine, user: 'hdfs' });
      let dataFile: string;
      try {
        const fg = await (await humle.createProject('shop')).featureStore().createFeatureGroup({
          name: 'orders',
          version: 1,
          primaryKey: ['id'],
          features: [{ name: 'id', type: 'bigint' }],
        });
        await fg.insert([{ id: 1 }, { id: 2 }]);
        dataFile = (await humle.fs.listStatus(fg.location)).entries.find((e) => e.path.endsWith('.parquet'))!.path;
      } finally {
        await humle.close();
      }
      // Like every humle fs command it works on the data directory: a server named by HUMLE_URL is refused, not ignored.
      assert.equal((await cli.run(['fs', 'fsck'], { env: { HUMLE_URL: 'http://127.0.0.1:9' } })).code, 2);
      const healthy = await cli.ok(['fs', 'fsck']);
      assert.match(healthy.stdout, /Offline tables:\t+1\n/);
      assert.match(healthy.stdout, /is HEALTHY\n$/);

      await cli.withFs((fs) => fs.truncate(dataFile, 4));
      const corrupt = await cli.run(['fs', 'fsck']);
      assert.equal(corrupt.code, 1, corrupt.stdout + corrupt.stderr);
      assert.match(corrupt.stdout, /Corrupt offline table files:\t+2\n/);
      assert.ok(corrupt.stdout.includes(`CORRUPT ${dataFile} (table /Projects/shop/shop_featurestore.db/orders_1): `), corrupt.stdout);
      assert.match(corrupt.stdout, /is CORRUPT\n$/);
      assert.ok(!corrupt.stdout.includes(cli.store.dataDir), 'humle fs paths only, never the data directory');
      // --repair cannot give the bytes back: still CORRUPT, still exit 1.
      const repaired = await cli.run(['--json', 'fs', 'fsck', '--repair']);
      assert.equal(repaired.code, 1);
      assert.deepEqual(
        (JSON.parse(repaired.stdout) as { featureStore: { corrupt: { path: string }[] } }).featureStore.corrupt.map((c) => c.path),
        [dataFile, dataFile],
      );
    }));
});
