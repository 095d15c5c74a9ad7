import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { testEngines } from '../support/engines.js';
import { InvalidFeatureDataError, InvalidFeatureGroupError } from '../../src/errors/featurestore-errors.js';
import { parseDeltaCommit } from '../../src/featurestore/offline/delta/delta-log.js';
import { readParquetFiles } from '../support/parquet-files.js';
import { withHumle } from '../support/humle-fixture.js';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Humle } from '../../src/humle.js';

// Specification: a feature group's partition key lays its offline table out in Hive-style partition directories,
// as Hopsworks, Spark and delta-rs do: one directory level per partition column, data files without the partition
// columns, their values in the Delta log's partitionValues; everything else behaves as in an unpartitioned table.

const spec = {
  name: 'visits',
  primaryKey: ['id'],
  eventTime: 'ts',
  partitionKey: ['country'],
  onlineEnabled: true,
  features: [
    { name: 'id', type: 'bigint' },
    { name: 'ts', type: 'timestamp' },
    { name: 'country', type: 'string' },
    { name: 'amount', type: 'double' },
  ],
};
const ts = new Date('2026-01-01T00:00:00Z');
const byId = (rows: Record<string, unknown>[]) => rows.sort((a, b) => Number(a.id) - Number(b.id));

/** The data files under the table directory, by partition directory, and the columns each file holds. */
async function layout(humle: Humle, location: string): Promise<Record<string, string[][]>> {
  const scratch = mkdtempSync(join(tmpdir(), 'humle-partition-files-'));
  const out: Record<string, string[][]> = {};
  for (const entry of (await humle.fs.listStatus(location)).entries) {
    if (entry.type !== 'DIRECTORY' || entry.name === '_delta_log') continue;
    const files = (await humle.fs.listStatus(`${location}/${entry.name}`)).entries;
    out[entry.name] = [];
    for (const f of files) {
      const copy = join(scratch, f.name);
      writeFileSync(copy, await humle.fs.readFile(`${location}/${entry.name}/${f.name}`));
      out[entry.name]!.push([...(await readParquetFiles([copy])).columnNames]);
    }
  }
  rmSync(scratch, { recursive: true, force: true });
  return out;
}

for (const kind of testEngines()) {
  describe(`partitioned feature groups [${kind}]`, () => {
    test('files go to Hive-style partition directories without the partition column; reads put it back', () =>
      withHumle(kind, async (humle) => {
        const fs = (await humle.createProject('web')).featureStore();
        const fg = await fs.createFeatureGroup(spec);
        await fg.insert([
          { id: 1, ts, country: 'SE', amount: 1 },
          { id: 2, ts, country: 'NO', amount: 2 },
          { id: 3, ts, country: null, amount: 3 },
          { id: 4, ts, country: 'a/b=c', amount: 4 },
        ]);
        assert.deepEqual(await layout(humle, fg.location), {
          'country=SE': [['id', 'ts', 'amount']],
          'country=NO': [['id', 'ts', 'amount']],
          'country=__HIVE_DEFAULT_PARTITION__': [['id', 'ts', 'amount']],
          'country=a%2Fb%3Dc': [['id', 'ts', 'amount']],
        });
        const commit = parseDeltaCommit(await humle.fs.readFile(`${fg.location}/_delta_log/00000000000000000000.json`), 0);
        const metaData = commit.find((a) => 'metaData' in a) as { metaData: { partitionColumns: readonly string[] } };
        assert.deepEqual(metaData.metaData.partitionColumns, ['country']);
        const adds = commit.flatMap((a) => ('add' in a ? [a.add] : []));
        assert.deepEqual(adds.map((a) => a.partitionValues.country).sort(), ['NO', 'SE', 'a/b=c', null].sort());
        assert.ok(adds.every((a) => !/"country"/.test(a.stats ?? '')), 'file statistics cover the stored columns only');

        assert.deepEqual(byId(await fg.read()), [
          { id: 1, ts, country: 'SE', amount: 1 },
          { id: 2, ts, country: 'NO', amount: 2 },
          { id: 3, ts, country: null, amount: 3 },
          { id: 4, ts, country: 'a/b=c', amount: 4 },
        ]);
        assert.deepEqual(await fg.getOnline(4), { id: 4, ts, country: 'a/b=c', amount: 4 });
      }));

    test('upserts rewrite within the partition, also when a partition column is part of the key; deletes, changes and time travel work', () =>
      withHumle(kind, async (humle) => {
        const fs = (await humle.createProject('web')).featureStore();
        const fg = await fs.createFeatureGroup({ ...spec, primaryKey: ['id', 'country'] });
        await fg.insert([
          { id: 1, ts, country: 'SE', amount: 1 },
          { id: 2, ts, country: 'SE', amount: 2 },
          { id: 1, ts, country: 'NO', amount: 10 },
        ]);
        const upsert = await fg.insert([{ id: 2, ts, country: 'SE', amount: 20 }]);
        assert.equal(upsert.rowsUpdated, 1);
        assert.equal(upsert.rowsInserted, 0);
        await fg.removeRows([{ id: 1, country: 'NO' }]);
        assert.deepEqual(byId(await fg.read()), [
          { id: 1, ts, country: 'SE', amount: 1 },
          { id: 2, ts, country: 'SE', amount: 20 },
        ]);
        assert.equal((await fg.read({ asOf: 0 })).length, 3);
        const changes = await fg.readChanges(0, 2);
        assert.deepEqual(
          changes.map((c) => [c._change_type, c.id, c.country, c.amount]).sort(),
          [
            ['delete', 1, 'NO', 10],
            ['update_postimage', 2, 'SE', 20],
            ['update_preimage', 2, 'SE', 2],
          ].sort(),
        );
        assert.deepEqual(Object.keys(await layout(humle, fg.location)).sort(), ['country=NO', 'country=SE']);
      }));

    test('compaction merges small files within each partition, never across', () =>
      withHumle(kind, async (humle) => {
        const fs = (await humle.createProject('web')).featureStore();
        const fg = await fs.createFeatureGroup(spec);
        for (let i = 0; i < 3; i++) {
          await fg.insert([
            { id: i, ts, country: 'SE', amount: i },
            { id: 100 + i, ts, country: 'NO', amount: i },
          ]);
        }
        const before = byId(await fg.read());
        assert.ok(await fg.compact());
        assert.deepEqual(byId(await fg.read()), before);
        const files = await layout(humle, fg.location);
        // Compacted files are added beside the old ones, which stay for time travel until vacuum.
        assert.equal(files['country=SE']!.length, 4);
        await fg.vacuum({ retain: 0 });
        assert.deepEqual(Object.fromEntries(Object.entries(await layout(humle, fg.location)).map(([d, f]) => [d, f.length])), { 'country=SE': 1, 'country=NO': 1 });
        assert.deepEqual(byId(await fg.read()), before);
      }));

    test('statistics and appended features cover the partition column', () =>
      withHumle(kind, async (humle) => {
        const fs = (await humle.createProject('web')).featureStore();
        const fg = await fs.createFeatureGroup(spec);
        await fg.insert([
          { id: 1, ts, country: 'SE', amount: 1 },
          { id: 2, ts, country: 'SE', amount: 2 },
          { id: 3, ts, country: 'NO', amount: 3 },
        ], { wait: true });
        const stats = await fg.getStatistics();
        const country = stats!.features.find((f) => f.feature === 'country')!;
        assert.equal(country.count, 3);
        assert.deepEqual(country.topValues?.[0], { value: 'SE', count: 2 });
        await fg.appendFeatures([{ name: 'device', type: 'string' }]);
        await fg.insert([{ id: 4, ts, country: 'NO', amount: 4, device: 'ios' }]);
        assert.deepEqual(byId(await fg.read()).map((r) => [r.id, r.country, r.device]), [
          [1, 'SE', null],
          [2, 'SE', null],
          [3, 'NO', null],
          [4, 'NO', 'ios'],
        ]);
        const appended = parseDeltaCommit(await humle.fs.readFile(`${fg.location}/_delta_log/00000000000000000001.json`), 1);
        assert.deepEqual((appended.find((a) => 'metaData' in a) as { metaData: { partitionColumns: readonly string[] } }).metaData.partitionColumns, ['country']);
      }));

    test('bad partition keys and values are refused, changing nothing', () =>
      withHumle(kind, async (humle) => {
        const fs = (await humle.createProject('web')).featureStore();
        await assert.rejects(fs.createFeatureGroup({ ...spec, name: 'by_amount', partitionKey: ['amount'] }), InvalidFeatureGroupError);
        await assert.rejects(
          fs.createFeatureGroup({ ...spec, name: 'all_partition', primaryKey: ['id'], eventTime: undefined, partitionKey: ['id'], features: [{ name: 'id', type: 'bigint' }] }),
          InvalidFeatureGroupError,
        );
        const fg = await fs.createFeatureGroup(spec);
        await assert.rejects(
          fg.insert([{ id: 1, ts, country: 'SE', amount: 1 }, { id: 2, ts, country: '', amount: 2 }]),
          (e: unknown) => e instanceof InvalidFeatureDataError && e.details.row === 1 && e.details.column === 'country',
        );
        await assert.rejects(fg.insert([{ id: 3, ts, country: 'x'.repeat(300), amount: 2 }]), InvalidFeatureDataError);
        assert.deepEqual(await fg.read(), []);
        assert.deepEqual(await fg.commitDetails(), {});
        // A group without features gets its schema, and its partition check, from the first insert.
        const inferred = await fs.createFeatureGroup({ name: 'inferred', primaryKey: ['id'], partitionKey: ['score'] });
        await assert.rejects(inferred.insert([{ id: 1, score: 0.5 }]), InvalidFeatureGroupError);
      }));
  });
}
