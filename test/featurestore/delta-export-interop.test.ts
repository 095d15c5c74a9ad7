import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Humle } from '../../src/humle.js';
import type { FeatureGroup } from '../../src/featurestore/feature-group.js';
import { createTestStore, testEngines } from '../support/engines.js';
import { deltaRsSkipReason, readHistoryWithDeltaRs, readWithDeltaRs } from '../support/delta-rs.js';

// The required interoperability check: a feature group's offline table, copied out of humle fs with the real
// `humle fs get`, is read by delta-rs (the reference reader outside the JVM) at its latest and at older versions, and
// every row equals what Humle itself reads at that version.

const CLI = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));
const run = promisify(execFile);

/** A row as comparable text: canonical values, decimals without trailing zeros (delta-rs prints the full scale). */
function rowText(values: readonly unknown[]): string {
  return JSON.stringify(values, (_key, v: unknown) => {
    if (typeof v === 'bigint') return `${v}n`;
    if (typeof v === 'string' && /^-?\d+\.\d+$/.test(v)) return v.replace(/0+$/, '').replace(/\.$/, '');
    if (v !== null && typeof v === 'object' && (v as { type?: string }).type === 'Buffer') return Buffer.from((v as { data: number[] }).data).toString('base64');
    return v;
  });
}

async function humleRows(fg: FeatureGroup, asOf?: number): Promise<string[]> {
  const rows = await fg.read({ ...(asOf === undefined ? {} : { asOf }), exactTimestamps: true });
  return rows.map((r) => rowText(fg.features.map((f) => r[f.name]))).sort();
}

for (const kind of testEngines()) {
  describe(`offline tables are Delta tables delta-rs reads [${kind}]`, { skip: deltaRsSkipReason }, () => {
    test('latest and older versions, after upserts, deletes, appended features and compaction, equal Humle’s reads', async () => {
      const store = await createTestStore(kind);
      const out = mkdtempSync(join(tmpdir(), 'humle-delta-export-'));
      const humle = await Humle.open({ dataDir: store.dataDir, engine: store.engine, user: 'alice' });
      try {
        const fs = (await humle.createProject('interop')).featureStore();
        const fg = await fs.createFeatureGroup({
          name: 'accounts',
          primaryKey: ['id'],
          eventTime: 'ts',
          onlineEnabled: true,
          features: [
            { name: 'id', type: 'bigint' },
            { name: 'ts', type: 'timestamp' },
            { name: 'balance', type: 'decimal(12,2)' },
            { name: 'score', type: 'double' },
            { name: 'ratio', type: 'float' },
            { name: 'opened', type: 'date' },
            { name: 'active', type: 'boolean' },
            { name: 'name', type: 'string' },
            { name: 'embedding', type: 'array<double>' },
            { name: 'tags', type: 'array<string>' },
            { name: 'raw', type: 'binary' },
            { name: 'big', type: 'bigint' },
          ],
        });
        const row = (id: number, ts: string, balance: string, extra: Record<string, unknown> = {}) => ({
          id,
          ts,
          balance,
          score: id / 3,
          ratio: 0.25,
          opened: '2020-02-29',
          active: id % 2 === 0,
          name: `account ${id} ✓`,
          embedding: [id, id / 2],
          tags: ['a', `t${id}`],
          raw: Buffer.from([id, 0, 255]),
          big: 2n ** 60n + BigInt(id),
          ...extra,
        });
        // Version 0: create; 1: upsert (rewrites a file); 2: append; 3: delete; 4: add a feature; 5: insert; 6: compact.
        await fg.insert(Array.from({ length: 50 }, (_, i) => row(i, '2026-01-01T00:00:00.000001Z', `${i}.10`)));
        await fg.insert([row(3, '2026-01-01T00:00:00.000001Z', '999.99'), row(60, '2026-01-02T00:00:00Z', '1.00')]);
        await fg.insert([row(3, '2026-01-03T12:34:56.789012Z', '-5.5')]);
        await fg.removeRows([{ id: 7 }]);
        await fg.appendFeatures([{ name: 'country', type: 'string' }]);
        await fg.insert([row(70, '2026-01-04T00:00:00Z', '7.00', { country: 'SE' })]);
        await fg.compact();
        const latest = Number(Object.keys(await fg.commitDetails({ limit: 1 }))[0]);
        assert.equal(latest, 6);

        // Copy the table out of humle fs with the real CLI, as a user would hand it to another engine.
        const local = join(out, 'accounts_1');
        await run(process.execPath, [CLI, '--data', store.dataDir, '--db', store.url, '--user', 'alice', 'fs', 'get', fg.location, local]);

        for (const version of [0, 1, 2, 3, 5, latest]) {
          const table = await readWithDeltaRs(local, { version });
          assert.equal(table.version, version);
          const features = (await fg.read({ asOf: version, exactTimestamps: true })).length === 0 ? [] : Object.keys((await fg.read({ asOf: version }))[0]!);
          assert.deepEqual(table.columns.map((c) => c.name), features, `columns of version ${version}`);
          const theirs = table.rows.map((r) => rowText(r)).sort();
          const ours = (await fg.read({ asOf: version, exactTimestamps: true })).map((r) => rowText(features.map((f) => r[f]))).sort();
          assert.equal(theirs.length, ours.length, `row count of version ${version}`);
          assert.deepEqual(theirs, ours, `rows of version ${version}`);
        }
        assert.deepEqual(await humleRows(fg), (await readWithDeltaRs(local)).rows.map((r) => rowText(r)).sort());
        const types = Object.fromEntries((await readWithDeltaRs(local)).columns.map((c) => [c.name, c.type]));
        assert.equal(types.ts, 'timestamp[us, tz=UTC]');
        assert.equal(types.balance, 'decimal128(12, 2)');
        const history = await readHistoryWithDeltaRs(local);
        assert.deepEqual(
          history.map((h) => h.operation),
          ['OPTIMIZE', 'MERGE', 'ADD COLUMNS', 'DELETE', 'MERGE', 'MERGE', 'WRITE'],
        );
      } finally {
        await humle.close();
        await store.dispose();
        rmSync(out, { recursive: true, force: true });
      }
    });

    test('a partitioned table (string, date and timestamp partitions, nulls, escaped values) reads the same', async () => {
      const store = await createTestStore(kind);
      const out = mkdtempSync(join(tmpdir(), 'humle-delta-export-'));
      const humle = await Humle.open({ dataDir: store.dataDir, engine: store.engine, user: 'alice' });
      try {
        const fs = (await humle.createProject('interop')).featureStore();
        const fg = await fs.createFeatureGroup({
          name: 'visits',
          primaryKey: ['id', 'country'],
          eventTime: 'ts',
          partitionKey: ['country', 'day', 'hour'],
          features: [
            { name: 'id', type: 'bigint' },
            { name: 'country', type: 'string' },
            { name: 'ts', type: 'timestamp' },
            { name: 'day', type: 'date' },
            { name: 'hour', type: 'timestamp' },
            { name: 'amount', type: 'double' },
          ],
        });
        const row = (id: number, country: string | null, day: string | null, amount: number) => ({
          id,
          country: country ?? 'none',
          ts: '2026-01-01T10:00:00.123456Z',
          day,
          hour: day === null ? null : `${day}T10:00:00Z`,
          amount,
        });
        // Version 0: three partitions (one with a null date, one a value that needs escaping); 1: upsert (rewrites a
        // file in one partition, the key includes a partition column); 2: delete; 3: compaction per partition.
        await fg.insert([
          row(1, 'SE', '2026-01-01', 1),
          row(2, 'SE', '2026-01-01', 2),
          row(3, 'a/b:c%d é', '2026-01-02', 3),
          row(4, 'NO', null, 4),
        ]);
        await fg.insert([row(2, 'SE', '2026-01-01', 20), row(5, 'SE', '2026-01-01', 5)]);
        await fg.removeRows([{ id: 3, country: 'a/b:c%d é' }]);
        await fg.insert([row(6, 'SE', '2026-01-01', 6)]);
        await fg.compact();
        const latest = Number(Object.keys(await fg.commitDetails({ limit: 1 }))[0]);
        assert.equal(latest, 4);

        const local = join(out, 'visits_1');
        await run(process.execPath, [CLI, '--data', store.dataDir, '--db', store.url, '--user', 'alice', 'fs', 'get', fg.location, local]);
        const names = fg.features.map((f) => f.name);
        for (const version of [0, 1, 2, 3, latest]) {
          const table = await readWithDeltaRs(local, { version });
          // delta-rs puts partition columns where it likes: compare by name.
          const positions = names.map((n) => table.columns.findIndex((c) => c.name === n));
          assert.ok(positions.every((p) => p !== -1), `delta-rs has every column at version ${version}`);
          const theirs = table.rows.map((r) => rowText(positions.map((p) => r[p]))).sort();
          const ours = (await fg.read({ asOf: version, exactTimestamps: true })).map((r) => rowText(names.map((n) => r[n]))).sort();
          assert.deepEqual(theirs, ours, `rows of version ${version}`);
        }
        const history = await readHistoryWithDeltaRs(local);
        assert.deepEqual(history.map((h) => h.operation), ['OPTIMIZE', 'MERGE', 'DELETE', 'MERGE', 'WRITE']);
      } finally {
        await humle.close();
        await store.dispose();
        rmSync(out, { recursive: true, force: true });
      }
    });
  });
}
