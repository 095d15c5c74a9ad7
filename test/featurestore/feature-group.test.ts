import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { testEngines } from '../support/engines.js';
import {
  CommitNotFoundError,
  DuplicateRecordError,
  FeatureGroupExistsError,
  FeatureGroupNotFoundError,
  InvalidFeatureDataError,
  InvalidExpectationError,
  InvalidFeatureGroupError,
  SchemaIncompatibleError,
  ValidationFailedError,
} from '../../src/errors/featurestore-errors.js';
import { parseDeltaCommit } from '../../src/featurestore/offline/delta/delta-log.js';
import { withHumle } from '../support/humle-fixture.js';

const t = (iso: string) => new Date(iso);

const transactionsSpec = {
  name: 'transactions',
  version: 1,
  description: 'card transactions',
  primaryKey: ['cc_num'],
  eventTime: 'ts',
  onlineEnabled: true,
  features: [
    { name: 'cc_num', type: 'bigint', description: 'card number' },
    { name: 'ts', type: 'timestamp' },
    { name: 'amount', type: 'double' },
    { name: 'category', type: 'string' },
  ],
};

for (const kind of testEngines()) {
  describe(`feature groups [${kind}]`, () => {
    test('insert writes the online and the offline store in one commit; reads return the rows', () =>
      withHumle(kind, async (humle) => {
        const fs = (await humle.createProject('fraud')).featureStore();
        const fg = await fs.createFeatureGroup(transactionsSpec);
        const commit = await fg.insert([
          { cc_num: 1, ts: t('2026-01-01T00:00:00Z'), amount: 10.5, category: 'food' },
          { cc_num: 2, ts: t('2026-01-01T00:00:00Z'), amount: 99, category: 'travel' },
        ]);
        assert.equal(commit.commitId, 0);
        assert.equal(commit.rowsInserted, 2);
        assert.equal(commit.rowsUpdated, 0);
        const rows = (await fg.read()).sort((a, b) => Number(a.cc_num) - Number(b.cc_num));
        assert.deepEqual(rows, [
          { cc_num: 1, ts: t('2026-01-01T00:00:00Z'), amount: 10.5, category: 'food' },
          { cc_num: 2, ts: t('2026-01-01T00:00:00Z'), amount: 99, category: 'travel' },
        ]);
        assert.deepEqual(await fg.getOnline(2), { cc_num: 2, ts: t('2026-01-01T00:00:00Z'), amount: 99, category: 'travel' });
        assert.equal(await fg.getOnline(3), undefined);
        const batch = await fg.getOnlineBatch([3, 1, { cc_num: 2 }]);
        assert.deepEqual(batch.map((r) => r?.amount), [undefined, 10.5, 99]);

        // The offline table is a Delta table in humle fs: a JSON commit in the database, Parquet data in blocks.
        const log = await humle.fs.listStatus(`${fg.location}/_delta_log`);
        assert.deepEqual(log.entries.map((e) => e.name), ['00000000000000000000.json']);
        assert.notEqual(log.entries[0]!.storage, 'blocks');
        const actions = parseDeltaCommit(await humle.fs.readFile(`${fg.location}/_delta_log/00000000000000000000.json`));
        assert.ok(actions.some((a) => 'protocol' in a));
        assert.ok(actions.some((a) => 'metaData' in a));
        const adds = actions.flatMap((a) => ('add' in a ? [a.add] : []));
        assert.equal(adds.length, 1);
        const dataFile = await humle.fs.getFileStatus(`${fg.location}/${adds[0]!.path}`);
        assert.equal(dataFile.storage, 'blocks');
        assert.equal((await humle.fs.readFile(`${fg.location}/${adds[0]!.path}`)).subarray(0, 4).toString(), 'PAR1');
      }));

    test('every type reads back the same from the online and the offline store', () =>
      withHumle(kind, async (humle) => {
        const fs = (await humle.createProject('types')).featureStore();
        const fg = await fs.createFeatureGroup({
          name: 'all_types',
          primaryKey: ['id', 'day'],
          onlineEnabled: true,
          features: [
            { name: 'id', type: 'bigint' },
            { name: 'day', type: 'date' },
            { name: 'flag', type: 'boolean' },
            { name: 'small', type: 'int' },
            { name: 'big', type: 'bigint' },
            { name: 'ratio', type: 'float' },
            { name: 'score', type: 'double' },
            { name: 'price', type: 'decimal(10,2)' },
            { name: 'label', type: 'string' },
            { name: 'raw', type: 'binary' },
            { name: 'at', type: 'timestamp' },
            { name: 'vec', type: 'array<double>' },
            { name: 'words', type: 'array<string>' },
            { name: 'ids', type: 'array<bigint>' },
            { name: 'counts', type: 'array<int>' },
            { name: 'empty', type: 'string' },
          ],
        });
        const row = {
          id: 2n ** 60n,
          day: '2024-02-29',
          flag: true,
          small: -2147483648,
          big: -(2n ** 62n),
          ratio: 0.1,
          score: Math.PI,
          price: '12345678.9',
          label: 'ünïcödé ✓ "quoted"',
          raw: Buffer.from([0, 1, 255]),
          at: 1_700_000_000_123_456n,
          vec: [1.5, -2.25],
          words: ['a', 'b,c'],
          ids: [2n ** 63n - 1n, -(2n ** 63n), 7],
          counts: [],
          empty: null,
        };
        await fg.insert([row]);
        const offline = (await fg.read({ exactTimestamps: true }))[0]!;
        const online = (await fg.getOnline({ id: 2n ** 60n, day: '2024-02-29' }, { exactTimestamps: true }))!;
        assert.deepEqual(online, offline);
        assert.equal(offline.price, '12345678.90');
        assert.equal(offline.at, 1_700_000_000_123_456);
        assert.equal(offline.id, 2n ** 60n);
        assert.equal(offline.ratio, Math.fround(0.1));
        assert.deepEqual(offline.raw, Buffer.from([0, 1, 255]));
        assert.deepEqual(online.ids, [2n ** 63n - 1n, -(2n ** 63n), 7], '64-bit integers in arrays stay exact online');

        // As an Arrow table: Delta's types, exact values; and it inserts back into a copy unchanged.
        const table = await fg.read({ dataframe: 'arrow' });
        assert.equal(table.numRows, 1);
        const types = Object.fromEntries(table.schema.fields.map((f) => [f.name, String(f.type)]));
        assert.equal(types.at, 'Timestamp<MICROSECOND, UTC>');
        assert.equal(types.id, 'Int64');
        assert.equal(types.day, 'Date32<DAY>');
        assert.equal(types.vec, 'List<Float64>');
        assert.equal(table.getChild('at')!.data[0]!.values[0], 1_700_000_000_123_456n, 'microseconds kept exactly');
        assert.equal(table.getChild('id')!.get(0), 2n ** 60n);
        const copy = await fs.createFeatureGroup({ name: 'all_types_copy', primaryKey: ['id', 'day'], features: fg.features.map((f) => ({ name: f.name, type: f.type })) });
        await copy.insert(table);
        assert.deepEqual((await copy.read({ exactTimestamps: true }))[0], offline);
        assert.equal((await fg.read({ dataframe: 'arrow', asOf: 0 })).numRows, 1);
        await assert.rejects(fg.read({ dataframe: 'pandas' as 'arrow' }), /dataframe must be/);
      }));

    test('online keeps the newest event per key; offline keeps every event; equal times: the later commit wins', () =>
      withHumle(kind, async (humle) => {
        const fs = (await humle.createProject('fraud')).featureStore();
        const fg = await fs.createFeatureGroup(transactionsSpec);
        await fg.insert([{ cc_num: 1, ts: t('2026-01-02T00:00:00Z'), amount: 2, category: 'new' }]);
        // An older event arrives late: the offline history gains it, the online row stays the newer one.
        const late = await fg.insert([{ cc_num: 1, ts: t('2026-01-01T00:00:00Z'), amount: 1, category: 'old' }]);
        assert.equal(late.rowsInserted, 1);
        assert.equal((await fg.getOnline(1))!.amount, 2);
        assert.deepEqual((await fg.read()).map((r) => r.amount).sort(), [1, 2]);
        // Same key and event time: an upsert of the record, online and offline.
        const same = await fg.insert([{ cc_num: 1, ts: t('2026-01-02T00:00:00Z'), amount: 3, category: 'fixed' }]);
        assert.equal(same.rowsUpdated, 1);
        assert.equal(same.rowsInserted, 0);
        assert.equal((await fg.getOnline(1))!.amount, 3);
        assert.deepEqual((await fg.read()).map((r) => r.amount).sort(), [1, 3]);
        // Duplicates within one batch resolve the same way.
        await fg.insert([
          { cc_num: 5, ts: t('2026-01-05T00:00:00Z'), amount: 50, category: 'a' },
          { cc_num: 5, ts: t('2026-01-04T00:00:00Z'), amount: 40, category: 'b' },
          { cc_num: 5, ts: t('2026-01-05T00:00:00Z'), amount: 51, category: 'c' },
        ]);
        assert.equal((await fg.getOnline(5))!.amount, 51);
        assert.deepEqual((await fg.read()).filter((r) => r.cc_num === 5).map((r) => r.amount).sort(), [40, 51]);
      }));

    test('time travel: as of a commit id or a time; changes between commits; commit details', () =>
      withHumle(kind, async (humle) => {
        const fs = (await humle.createProject('fraud')).featureStore();
        const fg = await fs.createFeatureGroup({ ...transactionsSpec, eventTime: undefined, features: transactionsSpec.features.filter((f) => f.name !== 'ts') });
        const c0 = await fg.insert([
          { cc_num: 1, amount: 1, category: 'a' },
          { cc_num: 2, amount: 2, category: 'b' },
        ]);
        await new Promise((r) => setTimeout(r, 5));
        const between = new Date();
        await new Promise((r) => setTimeout(r, 5));
        const c1 = await fg.insert([
          { cc_num: 2, amount: 20, category: 'b' },
          { cc_num: 3, amount: 3, category: 'c' },
        ]);
        assert.deepEqual([c1.rowsInserted, c1.rowsUpdated], [1, 1]);
        const amounts = (rows: Record<string, unknown>[]) => rows.map((r) => r.amount).sort((a, b) => Number(a) - Number(b));
        assert.deepEqual(amounts(await fg.read()), [1, 3, 20]);
        assert.deepEqual(amounts(await fg.read({ asOf: c0.commitId })), [1, 2]);
        assert.deepEqual(amounts(await fg.read({ asOf: between })), [1, 2]);
        assert.deepEqual(amounts(await fg.asOf(between.toISOString())), [1, 2]);
        const changes = await fg.readChanges(c0.commitId, c1.commitId);
        assert.deepEqual(
          changes.map((c) => [c._change_type, c.cc_num, c.amount, c._commit_version]).sort(),
          [
            ['insert', 3, 3, 1],
            ['update_postimage', 2, 20, 1],
            ['update_preimage', 2, 2, 1],
          ],
        );
        assert.deepEqual(
          (await fg.asOf(c1.commitId, { excludeUntil: c0.commitId })).map((c) => c.cc_num).sort(),
          changes.map((c) => c.cc_num).sort(),
        );
        const details = await fg.commitDetails();
        assert.deepEqual(Object.keys(details).map(Number).sort(), [0, 1]);
        assert.equal(details[1]!.rowsUpdated, 1);
        assert.equal(details[1]!.rowsInserted, 1);
        assert.ok(details[0]!.committedOn instanceof Date);
        assert.equal(Object.keys(await fg.commitDetails({ limit: 1 })).length, 1);
        // A start before the first commit reads every change from the beginning.
        assert.equal((await fg.readChanges(new Date('2000-01-01'), c1.commitId)).filter((c) => c._change_type === 'insert').length, 3);
        await assert.rejects(fg.read({ asOf: 7 }), CommitNotFoundError);
        await assert.rejects(fg.read({ asOf: new Date('2000-01-01') }), CommitNotFoundError);
      }));

    test('removeRows deletes records by key (every event time) or by key and event time, online and offline', () =>
      withHumle(kind, async (humle) => {
        const fs = (await humle.createProject('fraud')).featureStore();
        const fg = await fs.createFeatureGroup(transactionsSpec);
        await fg.insert([
          { cc_num: 1, ts: t('2026-01-01T00:00:00Z'), amount: 1, category: 'a' },
          { cc_num: 1, ts: t('2026-01-02T00:00:00Z'), amount: 2, category: 'a' },
          { cc_num: 2, ts: t('2026-01-01T00:00:00Z'), amount: 3, category: 'b' },
          { cc_num: 2, ts: t('2026-01-02T00:00:00Z'), amount: 4, category: 'b' },
          { cc_num: 3, ts: t('2026-01-01T00:00:00Z'), amount: 5, category: 'c' },
        ]);
        await fg.insert([{ cc_num: 4, ts: t('2026-01-01T00:00:00Z'), amount: 6, category: 'd' }]);
        const removed = await fg.removeRows([{ cc_num: 1 }, { cc_num: 2, ts: t('2026-01-01T00:00:00Z') }, { cc_num: 99 }]);
        assert.equal(removed?.rowsDeleted, 3);
        assert.deepEqual((await fg.read()).map((r) => r.amount).sort(), [4, 5, 6]);
        assert.equal(await fg.getOnline(1), undefined);
        assert.equal((await fg.getOnline(2))!.amount, 4, 'deleting an older record keeps the newer online row');
        assert.equal((await fg.getOnline(4))!.amount, 6);
        assert.equal(await fg.removeRows([{ cc_num: 42 }]), undefined, 'nothing matched, nothing committed');
        const changes = await fg.readChanges(1, 2);
        assert.deepEqual(changes.map((c) => [c._change_type, c.amount]).sort(), [['delete', 1], ['delete', 2], ['delete', 3]]);
        assert.equal((await fg.read({ asOf: 1 })).length, 6);
        await assert.rejects(fg.removeRows([{ cc_num: 'x' }]), InvalidFeatureDataError);
        // Removed records can come back.
        await fg.insert([{ cc_num: 1, ts: t('2026-01-03T00:00:00Z'), amount: 7, category: 'a' }]);
        assert.equal((await fg.getOnline(1))!.amount, 7);
      }));

    test('concurrent inserts: different keys commit side by side; the same key is planned again, nothing lost', () =>
      withHumle(kind, async (humle) => {
        const fs = (await humle.createProject('busy')).featureStore();
        const fg = await fs.createFeatureGroup(transactionsSpec);
        await fg.insert([{ cc_num: 0, ts: t('2026-01-01T00:00:00Z'), amount: 0, category: 'seed' }]);
        const batch = (from: number, amount: number) =>
          Array.from({ length: 50 }, (_, i) => ({ cc_num: from + i, ts: t('2026-01-01T00:00:00Z'), amount, category: 'x' }));
        // Eight writers at once: four pairs, each pair writing the same 50 keys with different amounts.
        const commits = await Promise.all([1, 2, 3, 4].flatMap((k) => [fg.insert(batch(k * 100, k)), fg.insert(batch(k * 100, -k))]));
        assert.deepEqual(commits.map((c) => c.commitId).sort((a, b) => a - b), [1, 2, 3, 4, 5, 6, 7, 8], 'one version each, no gaps');
        const rows = await fg.read();
        assert.equal(rows.length, 1 + 4 * 50, 'a key written twice is one record');
        for (const k of [1, 2, 3, 4]) {
          const amounts = new Set(rows.filter((r) => Number(r.cc_num) >= k * 100 && Number(r.cc_num) < k * 100 + 50).map((r) => r.amount));
          assert.equal(amounts.size, 1, 'each pair: one of the two batches won, whole');
          const online = await fg.getOnlineBatch(Array.from({ length: 50 }, (_, i) => k * 100 + i));
          assert.deepEqual(new Set(online.map((r) => r!.amount)), amounts, 'online agrees with offline');
        }
        assert.equal((await humle.fs.listStatus(`${fg.location}/_delta_log`)).entries.length, 9);
      }));

    test('compaction merges small files without changing data; vacuum keeps the retention window readable', () =>
      withHumle(kind, async (humle) => {
        const fs = (await humle.createProject('fraud')).featureStore();
        const fg = await fs.createFeatureGroup(transactionsSpec);
        for (let b = 0; b < 5; b++) {
          await fg.insert(Array.from({ length: 10 }, (_, i) => ({ cc_num: b * 10 + i, ts: t('2026-01-01T00:00:00Z'), amount: b, category: `b${b}` })));
        }
        const dataFiles = async () => (await humle.fs.listStatus(fg.location)).entries.filter((e) => e.name.endsWith('.parquet')).length;
        assert.equal(await dataFiles(), 5);
        const before = (await fg.read()).map((r) => JSON.stringify(r)).sort();
        const compacted = await fg.compact();
        assert.equal(compacted?.commitId, 5);
        assert.equal(compacted?.operation, 'compact');
        assert.deepEqual((await fg.read()).map((r) => JSON.stringify(r)).sort(), before);
        assert.deepEqual(await fg.readChanges(4, 5), [], 'a compaction changes no data');
        assert.equal((await fg.read({ asOf: 2 })).length, 30, 'earlier versions keep their files');
        assert.equal(await fg.compact(), undefined, 'one file: nothing to merge');
        // The record index follows the merged file: an upsert after compaction replaces, not duplicates.
        const upsert = await fg.insert([{ cc_num: 3, ts: t('2026-01-01T00:00:00Z'), amount: 100, category: 'b0' }]);
        assert.equal(upsert.rowsUpdated, 1);
        assert.equal((await fg.read()).length, 50);
        assert.equal((await fg.read()).find((r) => r.cc_num === 3)!.amount, 100);

        const kept = await fg.vacuum({ retain: 3600_000 });
        assert.equal(kept.filesDeleted, 0, 'everything is inside an hour of retention');
        const vacuumed = await fg.vacuum({ retain: 0 });
        assert.equal(vacuumed.filesDeleted, 6, 'the five merged files and the one the upsert rewrote');
        assert.equal(vacuumed.oldestVersion, 6);
        assert.equal(await dataFiles(), 2);
        assert.equal((await fg.read()).length, 50);
        await assert.rejects(fg.read({ asOf: 2 }), /vacuumed/);
        const report = await humle.fs.fsck({ graceMs: 0 });
        assert.equal(report.healthy, true, JSON.stringify(report));
      }));

    test('statistics follow each commit; expectations validate inserts (strict rejects, always records)', () =>
      withHumle(kind, async (humle) => {
        const fs = (await humle.createProject('quality')).featureStore();
        const fg = await fs.createFeatureGroup({
          ...transactionsSpec,
          expectations: {
            validationIngestionPolicy: 'strict',
            expectations: [
              { kind: 'notNull', feature: 'category' },
              { kind: 'between', feature: 'amount', min: 0, max: 1000 },
            ],
          },
        });
        const ok = await fg.insert(
          [
            { cc_num: 1, ts: t('2026-01-01T00:00:00Z'), amount: 10, category: 'a' },
            { cc_num: 2, ts: t('2026-01-01T00:00:00Z'), amount: 30, category: 'b' },
          ],
          { wait: true },
        );
        const stats = await fg.getStatistics();
        assert.equal(stats?.commitId, ok.commitId);
        assert.equal(stats?.rowCount, 2);
        const amount = stats!.features.find((f) => f.feature === 'amount')!;
        assert.deepEqual([amount.min, amount.max, amount.mean], [10, 30, 20]);
        await assert.rejects(
          fg.insert([{ cc_num: 3, ts: t('2026-01-01T00:00:00Z'), amount: 5000, category: null }]),
          (error: unknown) => error instanceof ValidationFailedError && (error.details.report as { success: boolean }).success === false,
        );
        assert.equal((await fg.read()).length, 2, 'a rejected batch changes nothing');
        const history = await fg.getValidationHistory();
        assert.deepEqual(history.map((h) => [h.ingestionResult, h.commitId]), [['REJECTED', null], ['INGESTED', 0]]);
        assert.equal(history[0]!.report.results.filter((r) => !r.success).length, 2);

        const lenient = await fs.createFeatureGroup({
          ...transactionsSpec,
          name: 'lenient',
          statisticsConfig: false,
          expectations: [{ kind: 'between', feature: 'amount', max: 100 }],
        });
        const commit = await lenient.insert([{ cc_num: 1, ts: t('2026-01-01T00:00:00Z'), amount: 500, category: 'a' }], { wait: true });
        assert.equal((await lenient.getValidationHistory())[0]!.ingestionResult, 'INGESTED');
        assert.equal((await lenient.getValidationHistory())[0]!.commitId, commit.commitId);
        assert.equal(await lenient.getStatistics(), undefined, 'statistics disabled');
        assert.equal((await lenient.computeStatistics())?.rowCount, 1, 'on demand they are computed anyway');
        await assert.rejects(fs.createFeatureGroup({ ...transactionsSpec, name: 'bad', expectations: [{ kind: 'notNull', feature: 'nope' }] }), InvalidExpectationError);
      }));

    test('the schema is inferred from the first insert and evolves by nullable features', () =>
      withHumle(kind, async (humle) => {
        const fs = (await humle.createProject('p')).featureStore();
        const fg = await fs.createFeatureGroup({ name: 'users', primaryKey: ['user_id'], onlineEnabled: true });
        assert.equal(fg.version, 1);
        assert.equal(fg.features.length, 0);
        await fg.insert([{ user_id: 'u1', age: 30, score: 0.5, joined: t('2020-01-01T00:00:00Z') }]);
        assert.deepEqual(
          fg.features.map((f) => [f.name, f.type.kind, f.primary]),
          [
            ['user_id', 'string', true],
            ['age', 'bigint', false],
            ['score', 'double', false],
            ['joined', 'timestamp', false],
          ],
        );
        // A column the schema lacks is refused; features are appended deliberately, as in HSFS.
        await assert.rejects(fg.insert([{ user_id: 'u2', age: 40, country: 'SE' }]), InvalidFeatureDataError);
        await assert.rejects(fg.appendFeatures([{ name: 'age', type: 'string' }]), SchemaIncompatibleError);
        await fg.appendFeatures([{ name: 'country', type: 'string', description: 'ISO code' }]);
        assert.deepEqual(fg.features.map((f) => f.name), ['user_id', 'age', 'score', 'joined', 'country']);
        assert.deepEqual(Object.keys(await fg.commitDetails()), ['0', '1']);
        await fg.insert([{ user_id: 'u2', age: 40, country: 'SE' }]);
        const latest = (await fg.read()).sort((a, b) => String(a.user_id).localeCompare(String(b.user_id)));
        assert.deepEqual(latest.map((r) => r.country), [null, 'SE']);
        assert.deepEqual(Object.keys((await fg.read({ asOf: 0 }))[0]!), ['user_id', 'age', 'score', 'joined']);
        assert.deepEqual((await fg.read({ asOf: 1 })).map((r) => r.country), [null]);
        assert.equal((await fg.getOnline('u2'))!.country, 'SE');
        assert.equal((await fg.getOnline('u1'))!.country, null);
        await assert.rejects(fg.insert([{ user_id: 'u3', age: 'old' }]), InvalidFeatureDataError);
        await assert.rejects(fg.insert([{ user_id: 'u3', age: 1.5 }]), InvalidFeatureDataError);
        assert.equal((await fg.schemaHistory()).length, 2);
        assert.deepEqual((await fg.schemaHistory()).map((h) => h.commitId), [0, 1]);
        // A new version may change what the old one cannot.
        const v2 = await fs.createFeatureGroup({ name: 'users', primaryKey: ['user_id'], features: [{ name: 'user_id', type: 'string' }, { name: 'age', type: 'int' }] });
        assert.equal(v2.version, 2);
        assert.equal((await fs.getFeatureGroup('users')).version, 2);
        assert.equal((await fs.getFeatureGroup('users', 1)).features.length, 5);
        assert.equal((await fs.getFeatureGroups('users')).length, 2);
      }));

    test('features appended before the first insert are the schema the first insert writes', () =>
      withHumle(kind, async (humle) => {
        const fs = (await humle.createProject('p')).featureStore();
        const fg = await fs.createFeatureGroup({ name: 'users', primaryKey: ['user_id'], features: [{ name: 'user_id', type: 'bigint' }] });
        await fg.appendFeatures([{ name: 'country', type: 'string' }]);
        await fg.insert([{ user_id: 1, country: 'SE' }]);
        assert.deepEqual(await fg.read(), [{ user_id: 1, country: 'SE' }]);
        assert.deepEqual((await fg.schemaHistory()).map((h) => [h.commitId, h.features.map((f) => f.name)]), [[null, ['user_id', 'country']]]);
      }));

    test('a bad row anywhere refuses the whole insert, names row, column and reason, and changes nothing', () =>
      withHumle(kind, async (humle) => {
        const fs = (await humle.createProject('fraud')).featureStore();
        const fg = await fs.createFeatureGroup(transactionsSpec);
        await fg.insert([{ cc_num: 1, ts: t('2026-01-01T00:00:00Z'), amount: 1, category: 'a' }]);
        const good = { cc_num: 2, ts: t('2026-01-01T00:00:00Z'), amount: 2, category: 'b' };
        const cases: [Record<string, unknown>, string][] = [
          [{ cc_num: null, ts: t('2026-01-01T00:00:00Z'), amount: 1 }, 'cc_num'],
          [{ ts: t('2026-01-01T00:00:00Z'), amount: 1 }, 'cc_num'],
          [{ cc_num: 3, ts: 'yesterday', amount: 1 }, 'ts'],
          [{ cc_num: 3, ts: t('2026-01-01T00:00:00Z'), amount: 'ten' }, 'amount'],
          [{ cc_num: 3, ts: t('2026-01-01T00:00:00Z'), amount: Number.NaN }, 'amount'],
          [{ cc_num: 3, ts: t('2026-01-01T00:00:00Z'), amount: 1, colour: 'red' }, 'colour'],
        ];
        for (const [bad, column] of cases) {
          const error = await fg.insert([good, good, bad]).then(
            () => assert.fail(`accepted ${JSON.stringify(bad)}`),
            (e: unknown) => e,
          );
          assert.ok(error instanceof InvalidFeatureDataError, String(error));
          assert.equal(error.details.row, 2);
          assert.equal(error.details.column, column);
          assert.ok(error.message.includes(column));
        }
        assert.deepEqual(Object.keys(await fg.commitDetails()), ['0']);
        assert.equal((await fg.read()).length, 1);
        assert.equal(await fg.getOnline(2), undefined);
        assert.deepEqual((await humle.fs.listStatus(`${fg.location}/_delta_log`)).entries.map((e) => e.name), ['00000000000000000000.json']);
        await assert.rejects(fg.insert([{ cc_num: 1, ts: t('2026-01-01T00:00:00Z'), amount: 5, category: 'a' }], { operation: 'insert' }), DuplicateRecordError);
        await assert.rejects(fg.getOnline('not a number'), /key 0/);
      }));

    test('definitions are checked; names are unique per version; delete removes every store', () =>
      withHumle(kind, async (humle) => {
        const fs = (await humle.createProject('fraud')).featureStore();
        await assert.rejects(fs.createFeatureGroup({ ...transactionsSpec, name: 'Bad-Name' }), InvalidFeatureGroupError);
        await assert.rejects(fs.createFeatureGroup({ ...transactionsSpec, primaryKey: [] }), InvalidFeatureGroupError);
        await assert.rejects(fs.createFeatureGroup({ ...transactionsSpec, primaryKey: ['nope'] }), InvalidFeatureGroupError);
        await assert.rejects(fs.createFeatureGroup({ ...transactionsSpec, eventTime: 'category' }), InvalidFeatureGroupError);
        await assert.rejects(fs.createFeatureGroup({ ...transactionsSpec, features: [{ name: 'cc_num', type: 'bigint' }, { name: 'x', type: 'varchar' }] }), InvalidFeatureGroupError);
        const fg = await fs.createFeatureGroup(transactionsSpec);
        await assert.rejects(fs.createFeatureGroup(transactionsSpec), FeatureGroupExistsError);
        assert.equal((await fs.getOrCreateFeatureGroup(transactionsSpec)).id, fg.id);
        await fg.addTag('owner', { team: 'risk' });
        assert.deepEqual(await fg.getTags(), { owner: { team: 'risk' } });
        assert.equal(await fg.deleteTag('owner'), true);
        await fg.insert([{ cc_num: 1, ts: t('2026-01-01T00:00:00Z'), amount: 1, category: 'a' }]);
        const location = fg.location;
        const table = fg.onlineTable;
        await fg.delete();
        await assert.rejects(fs.getFeatureGroup('transactions'), FeatureGroupNotFoundError);
        assert.equal(await humle.fs.exists(location), false);
        await assert.rejects(humle.fs.engine.read((tx) => tx.all(`SELECT * FROM ${table}`)));
        // The name and version are free again.
        const again = await fs.createFeatureGroup(transactionsSpec);
        assert.equal((await again.read()).length, 0);
      }));
  });
}
