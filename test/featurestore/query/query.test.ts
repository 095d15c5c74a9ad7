import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { testEngines } from '../../support/engines.js';
import { withHumle } from '../../support/humle-fixture.js';
import {
  AmbiguousFeatureError,
  FeatureNotFoundError,
  InvalidFilterError,
  InvalidJoinError,
  InvalidQueryError,
} from '../../../src/errors/featurestore-errors.js';
import type { Humle } from '../../../src/humle.js';
import type { FeatureStore } from '../../../src/featurestore/feature-store.js';
import type { Filter } from '../../../src/featurestore/query/filter.js';

const t = (iso: string) => new Date(`2026-01-${iso}Z`);
const pause = () => new Promise((resolve) => setTimeout(resolve, 5));

/** Rows as sorted JSON lines: queries have no order. */
function lines(rows: Record<string, unknown>[]): string[] {
  return rows.map((r) => JSON.stringify(r, (_, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v))).sort();
}

/**
 * Card fraud: labelled transactions (the left group), profiles that change over time, merchants (no event time),
 * and one row of every filterable type.
 */
async function fraudStore(humle: Humle): Promise<FeatureStore> {
  const fs = (await humle.createProject('fraud')).featureStore();
  const transactions = await fs.createFeatureGroup({
    name: 'transactions',
    primaryKey: ['tid'],
    eventTime: 'ts',
    features: [
      { name: 'tid', type: 'bigint' },
      { name: 'ts', type: 'timestamp' },
      { name: 'cc_num', type: 'bigint' },
      { name: 'merchant', type: 'string' },
      { name: 'amount', type: 'double' },
      { name: 'is_fraud', type: 'boolean' },
    ],
  });
  await transactions.insert([
    { tid: 1, ts: t('02T10:00:00'), cc_num: 7, merchant: 'ikea', amount: 20, is_fraud: false },
    { tid: 2, ts: t('04T10:00:00'), cc_num: 7, merchant: 'apple', amount: 900, is_fraud: true },
    { tid: 3, ts: t('03T12:00:00'), cc_num: 8, merchant: 'ikea', amount: 55.5, is_fraud: false },
    { tid: 4, ts: t('01T00:00:00'), cc_num: 9, merchant: "o'neil", amount: 12, is_fraud: false },
  ]);
  const profiles = await fs.createFeatureGroup({
    name: 'profiles',
    primaryKey: ['cc_num'],
    eventTime: 'ts',
    features: [
      { name: 'cc_num', type: 'bigint' },
      { name: 'ts', type: 'timestamp' },
      { name: 'credit_limit', type: 'int' },
      { name: 'city', type: 'string' },
    ],
  });
  await profiles.insert([
    { cc_num: 7, ts: t('01T00:00:00'), credit_limit: 1000, city: 'Oslo' },
    { cc_num: 7, ts: t('04T10:00:00'), credit_limit: 5000, city: 'Bergen' }, // exactly at tid 2's time
    { cc_num: 8, ts: t('05T00:00:00'), credit_limit: 300, city: 'Lund' }, // after tid 3: no value yet then
  ]);
  const merchants = await fs.createFeatureGroup({
    name: 'merchants',
    primaryKey: ['merchant'],
    features: [
      { name: 'merchant', type: 'string' },
      { name: 'category', type: 'string' },
    ],
  });
  await merchants.insert([
    { merchant: 'ikea', category: 'home' },
    { merchant: 'apple', category: 'electronics' },
    { merchant: 'zara', category: 'clothes' },
  ]);
  return fs;
}

for (const kind of testEngines()) {
  describe(`queries [${kind}]`, () => {
    test('selectAll, select and selectExcept choose and order the columns; fg.feature carries the schema fields', () =>
      withHumle(kind, async (humle) => {
        const fs = await fraudStore(humle);
        const transactions = await fs.getFeatureGroup('transactions');
        assert.deepEqual(transactions.selectAll().features.map((f) => f.name), ['tid', 'ts', 'cc_num', 'merchant', 'amount', 'is_fraud']);
        assert.deepEqual(lines(await transactions.select(['amount', 'tid']).read()), lines([
          { amount: 20, tid: 1 },
          { amount: 900, tid: 2 },
          { amount: 55.5, tid: 3 },
          { amount: 12, tid: 4 },
        ]));
        assert.deepEqual(Object.keys((await transactions.selectExcept(['ts', 'cc_num', 'is_fraud']).read())[0]!), ['tid', 'merchant', 'amount']);
        assert.equal((await transactions.selectAll().read()).length, 4);

        const amount = transactions.feature('amount');
        assert.deepEqual([amount.name, amount.type, amount.primary, amount.eventTime], ['amount', { kind: 'double' }, false, false]);
        assert.equal(transactions.feature('ts').eventTime, true);
        assert.deepEqual(amount.featureGroup, { id: transactions.id, name: 'transactions', version: 1 });

        assert.throws(() => transactions.feature('nope'), FeatureNotFoundError);
        assert.throws(() => transactions.select(['amount', 'nope']), (e: FeatureNotFoundError) => e instanceof FeatureNotFoundError && e.details.feature === 'nope');
        assert.throws(() => transactions.selectExcept(['nope']), FeatureNotFoundError);
        assert.throws(() => transactions.select([]), InvalidQueryError);
        const empty = await fs.createFeatureGroup({ name: 'inferred_later', primaryKey: ['id'] });
        assert.throws(() => empty.selectAll(), InvalidQueryError);
      }));

    test('a point-in-time join: each left row gets the right row with equal key and the latest event time at or before its own', () =>
      withHumle(kind, async (humle) => {
        const fs = await fraudStore(humle);
        const transactions = await fs.getFeatureGroup('transactions');
        const profiles = await fs.getFeatureGroup('profiles');
        // Default keys: the right group's primary key (cc_num), found by name in the left group.
        const query = transactions.select(['tid', 'ts', 'amount']).join(profiles.select(['credit_limit', 'city']));
        assert.deepEqual(query.features.map((f) => f.name), ['tid', 'ts', 'amount', 'credit_limit', 'city']);
        assert.deepEqual(lines(await query.read()), lines([
          { tid: 1, ts: t('02T10:00:00'), amount: 20, credit_limit: 1000, city: 'Oslo' },
          { tid: 2, ts: t('04T10:00:00'), amount: 900, credit_limit: 5000, city: 'Bergen' }, // equal times match
          { tid: 3, ts: t('03T12:00:00'), amount: 55.5, credit_limit: null, city: null }, // profile only later
          { tid: 4, ts: t('01T00:00:00'), amount: 12, credit_limit: null, city: null }, // no profile at all
        ]));
        const sql = await query.toSql();
        assert.match(sql, /ASOF LEFT JOIN "s1" ON "0:cc_num" = "1:cc_num" AND "0:__et" >= "1:__et"/);
        assert.match(sql, /read_parquet\(\['[^']+'\], union_by_name = true\)/);

        // inner drops the rows without a match; a late, older profile row fills the gap once it arrives.
        const inner = transactions.select(['tid']).join(profiles.select(['city']), { joinType: 'inner' });
        assert.deepEqual(lines(await inner.read()), lines([{ tid: 1, city: 'Oslo' }, { tid: 2, city: 'Bergen' }]));
        await profiles.insert([{ cc_num: 8, ts: t('03T00:00:00'), credit_limit: 200, city: 'Malmö' }]);
        assert.deepEqual(lines(await inner.read()), lines([{ tid: 1, city: 'Oslo' }, { tid: 2, city: 'Bergen' }, { tid: 3, city: 'Malmö' }]));

        // ttl: a value older than the left row's time minus the ttl is no match (tid 1 is 34 h after the Oslo row).
        const fresh = transactions.select(['tid']).join(profiles.select(['city']), { ttl: 24 * 3600_000 });
        assert.deepEqual(lines(await fresh.read()), lines([{ tid: 1, city: null }, { tid: 2, city: 'Bergen' }, { tid: 3, city: 'Malmö' }, { tid: 4, city: null }]));
        const freshInner = transactions.select(['tid']).join(profiles.select(['city']), { ttl: 24 * 3600_000, joinType: 'inner' });
        assert.deepEqual(lines(await freshInner.read()), lines([{ tid: 2, city: 'Bergen' }, { tid: 3, city: 'Malmö' }]));
      }));

    test('partitioned groups join like any other: partition columns come from the files\' partition values', () =>
      withHumle(kind, async (humle) => {
        const fs = (await humle.createProject('parts')).featureStore();
        const orders = await fs.createFeatureGroup({
          name: 'orders',
          primaryKey: ['oid'],
          eventTime: 'ts',
          partitionKey: ['country'],
          features: [
            { name: 'oid', type: 'bigint' },
            { name: 'ts', type: 'timestamp' },
            { name: 'country', type: 'string' },
            { name: 'shop', type: 'bigint' },
          ],
        });
        const shops = await fs.createFeatureGroup({
          name: 'shops',
          primaryKey: ['shop', 'country'],
          eventTime: 'ts',
          partitionKey: ['country'],
          features: [
            { name: 'shop', type: 'bigint' },
            { name: 'country', type: 'string' },
            { name: 'ts', type: 'timestamp' },
            { name: 'rating', type: 'double' },
          ],
        });
        await shops.insert([
          { shop: 1, country: 'SE', ts: t('01T00:00:00'), rating: 4 },
          { shop: 1, country: 'NO', ts: t('01T00:00:00'), rating: 2 },
          { shop: 1, country: 'SE', ts: t('03T00:00:00'), rating: 5 },
        ]);
        await orders.insert([
          { oid: 10, ts: t('02T00:00:00'), country: 'SE', shop: 1 },
          { oid: 11, ts: t('04T00:00:00'), country: 'SE', shop: 1 },
          { oid: 12, ts: t('02T00:00:00'), country: 'NO', shop: 1 },
        ]);
        // The join keys include the partition column of both groups.
        const query = orders.selectAll().join(shops.select(['rating']));
        assert.deepEqual(lines(await query.read()), lines([
          { oid: 10, ts: t('02T00:00:00'), country: 'SE', shop: 1, rating: 4 },
          { oid: 11, ts: t('04T00:00:00'), country: 'SE', shop: 1, rating: 5 },
          { oid: 12, ts: t('02T00:00:00'), country: 'NO', shop: 1, rating: 2 },
        ]));
        const filtered = orders.select(['oid']).filter(orders.feature('country').eq('NO'));
        assert.deepEqual(await filtered.read(), [{ oid: 12 }]);
      }));

    test('keys by on, leftOn/rightOn; prefixes; a key of the same name is returned once; plain joins without event times', () =>
      withHumle(kind, async (humle) => {
        const fs = await fraudStore(humle);
        const transactions = await fs.getFeatureGroup('transactions');
        const profiles = await fs.getFeatureGroup('profiles');
        const merchants = await fs.getFeatureGroup('merchants');
        // The right group has no event time: a plain join on the key.
        const byMerchant = transactions.select(['tid', 'merchant']).join(merchants.selectAll(), { on: ['merchant'] });
        assert.deepEqual(byMerchant.features.map((f) => f.name), ['tid', 'merchant', 'category']);
        assert.deepEqual(lines(await byMerchant.read()), lines([
          { tid: 1, merchant: 'ikea', category: 'home' },
          { tid: 2, merchant: 'apple', category: 'electronics' },
          { tid: 3, merchant: 'ikea', category: 'home' },
          { tid: 4, merchant: "o'neil", category: null },
        ]));
        assert.doesNotMatch(await byMerchant.toSql(), /ASOF/);

        // leftOn/rightOn of different names keep both columns; a prefix renames the right group's features.
        const codes = await fs.createFeatureGroup({
          name: 'merchant_codes',
          primaryKey: ['name'],
          features: [
            { name: 'name', type: 'string' },
            { name: 'category', type: 'string' },
          ],
        });
        await codes.insert([{ name: 'ikea', category: 'furniture' }]);
        const twice = byMerchant.join(codes.selectAll(), { leftOn: ['merchant'], rightOn: ['name'], prefix: 'code_', joinType: 'inner' });
        assert.deepEqual(lines(await twice.read()), lines([
          { tid: 1, merchant: 'ikea', category: 'home', code_name: 'ikea', code_category: 'furniture' },
          { tid: 3, merchant: 'ikea', category: 'home', code_name: 'ikea', code_category: 'furniture' },
        ]));

        // Right and full plain joins: the key column is the first non-null of both sides.
        const right = merchants.selectAll().join(codes.select(['name', 'category']), { leftOn: ['merchant'], rightOn: ['name'], joinType: 'right', prefix: 'c_' });
        assert.deepEqual(lines(await right.read()), lines([{ merchant: 'ikea', category: 'home', c_name: 'ikea', c_category: 'furniture' }]));
        const others = await fs.createFeatureGroup({
          name: 'merchant_ratings',
          primaryKey: ['merchant'],
          features: [
            { name: 'merchant', type: 'string' },
            { name: 'rating', type: 'int' },
          ],
        });
        await others.insert([{ merchant: 'ikea', rating: 4 }, { merchant: 'lidl', rating: 3 }]);
        const full = merchants.select(['merchant', 'category']).join(others.selectAll(), { joinType: 'full' });
        assert.deepEqual(full.features.map((f) => f.name), ['merchant', 'category', 'rating']);
        assert.deepEqual(lines(await full.read()), lines([
          { merchant: 'ikea', category: 'home', rating: 4 },
          { merchant: 'apple', category: 'electronics', rating: null },
          { merchant: 'zara', category: 'clothes', rating: null },
          { merchant: 'lidl', category: null, rating: 3 },
        ]));
        assert.deepEqual(lines(await merchants.select(['merchant']).join(others.selectAll(), { joinType: 'right' }).read()), lines([
          { merchant: 'ikea', rating: 4 },
          { merchant: 'lidl', rating: 3 },
        ]));

        // Nested joins: the inner query's joins key on its own group, and every time is the left row's.
        const nested = transactions.select(['tid']).join(profiles.select(['city']).join(merchants.select(['category']), { leftOn: ['city'], rightOn: ['merchant'] }));
        assert.deepEqual(nested.features.map((f) => f.name), ['tid', 'city', 'category']);
        assert.equal((await nested.read()).length, 4);
      }));

    test('joins that cannot be made are refused with typed errors naming the problem', () =>
      withHumle(kind, async (humle) => {
        const fs = await fraudStore(humle);
        const transactions = await fs.getFeatureGroup('transactions');
        const profiles = await fs.getFeatureGroup('profiles');
        const merchants = await fs.getFeatureGroup('merchants');
        // Both have ts: the same name twice needs a prefix.
        assert.throws(
          () => transactions.selectAll().join(profiles.selectAll()),
          (e: AmbiguousFeatureError) => e instanceof AmbiguousFeatureError && e.details.column === 'ts' && /prefix/.test(e.message),
        );
        assert.deepEqual(transactions.selectAll().join(profiles.selectAll(), { prefix: 'p_' }).features.map((f) => f.name).slice(-3), ['p_ts', 'p_credit_limit', 'p_city']);
        const noKey = await fs.createFeatureGroup({ name: 'weather', primaryKey: ['station'], features: [{ name: 'station', type: 'string' }, { name: 'temp', type: 'double' }] });
        await noKey.insert([{ station: 'x', temp: 1 }]);
        assert.throws(() => transactions.select(['tid']).join(noKey.selectAll()), (e: InvalidJoinError) => e instanceof InvalidJoinError && /no common key/.test(e.message));
        assert.throws(() => transactions.select(['tid']).join(merchants.selectAll(), { leftOn: ['amount'], rightOn: ['merchant'] }), /keys must have the same type/);
        assert.throws(() => transactions.select(['tid']).join(merchants.selectAll(), { leftOn: ['merchant'], rightOn: [] as string[] }), InvalidJoinError);
        assert.throws(() => transactions.select(['tid']).join(merchants.selectAll(), { leftOn: ['merchant'] }), InvalidJoinError);
        assert.throws(() => transactions.select(['tid']).join(merchants.selectAll(), { on: ['merchant'], leftOn: ['merchant'], rightOn: ['merchant'] }), InvalidJoinError);
        assert.throws(() => transactions.select(['tid']).join(merchants.selectAll(), { on: ['nope'] }), FeatureNotFoundError);
        assert.throws(() => transactions.select(['tid']).join(merchants.selectAll(), { joinType: 'cross' as 'left' }), InvalidJoinError);
        assert.throws(() => transactions.select(['tid']).join(merchants.selectAll(), { prefix: 'Bad Prefix' }), InvalidJoinError);
        assert.throws(() => transactions.select(['tid']).join(merchants.selectAll(), { ttl: 1000 }), /ttl bounds a point-in-time join/);
        assert.throws(() => transactions.select(['tid']).join(profiles.select(['city']), { ttl: -5 }), InvalidJoinError);
        for (const joinType of ['right', 'full'] as const) {
          assert.throws(() => transactions.select(['tid']).join(profiles.select(['city']), { joinType }), /point-in-time join .* is inner or left/);
        }
        assert.throws(() => transactions.select(['tid']).join(profiles.select(['city']).limit(1)), /limit applies to the whole query/);
        assert.throws(() => transactions.select(['tid']).join({} as never), InvalidJoinError);
      }));

    test('filters: every predicate, on the left and the joined groups, values checked against the feature type', () =>
      withHumle(kind, async (humle) => {
        const fs = (await humle.createProject('filters')).featureStore();
        const fg = await fs.createFeatureGroup({
          name: 'typed',
          primaryKey: ['id'],
          eventTime: 'at',
          features: [
            { name: 'id', type: 'int' },
            { name: 'at', type: 'timestamp' },
            { name: 'big', type: 'bigint' },
            { name: 'ratio', type: 'float' },
            { name: 'price', type: 'decimal(10,2)' },
            { name: 'name', type: 'string' },
            { name: 'day', type: 'date' },
            { name: 'flag', type: 'boolean' },
            { name: 'raw', type: 'binary' },
            { name: 'vec', type: 'array<double>' },
          ],
        });
        await fg.insert([
          { id: 1, at: t('01T00:00:00'), big: 2n ** 60n, ratio: 0.1, price: '10.50', name: 'anna', day: '2026-01-01', flag: true, raw: Buffer.from([1]), vec: [1] },
          { id: 2, at: t('02T00:00:00'), big: 5, ratio: 0.5, price: '99.99', name: "o'hara", day: '2026-02-01', flag: false, raw: Buffer.from([2]), vec: null },
          { id: 3, at: t('03T00:00:00'), big: null, ratio: null, price: null, name: '50%_off', day: null, flag: null, raw: null, vec: [3] },
        ]);
        const ids = async (filter: Filter) =>
          (await fg.select(['id']).filter(filter).read()).map((r) => r.id).sort();
        const f = (name: string) => fg.feature(name);
        assert.deepEqual(await ids(f('id').eq(2)), [2]);
        assert.deepEqual(await ids(f('id').ne(2)), [1, 3]);
        assert.deepEqual(await ids(f('id').lt(2)), [1]);
        assert.deepEqual(await ids(f('id').le(2)), [1, 2]);
        assert.deepEqual(await ids(f('id').gt(2)), [3]);
        assert.deepEqual(await ids(f('id').ge(2)), [2, 3]);
        assert.deepEqual(await ids(f('id').in([1, 3, 7])), [1, 3]);
        assert.deepEqual(await ids(f('big').eq(2n ** 60n)), [1], 'bigints past 2^53 compare exactly');
        assert.deepEqual(await ids(f('big').gt('6')), [1], 'a bigint takes an integer string');
        assert.deepEqual(await ids(f('ratio').eq(0.1)), [1], 'a float compares as a float');
        assert.deepEqual(await ids(f('price').ge('10.5')), [1, 2]);
        assert.deepEqual(await ids(f('price').lt(50)), [1]);
        assert.deepEqual(await ids(f('name').eq("o'hara")), [2], 'quotes in values are quoted');
        assert.deepEqual(await ids(f('name').like('%a')), [1, 2]);
        assert.deepEqual(await ids(f('name').like('50\\%\\_%')), [3], 'backslash escapes % and _');
        assert.deepEqual(await ids(f('name').like("o'%")), [2]);
        assert.deepEqual(await ids(f('day').lt('2026-01-15')), [1]);
        assert.deepEqual(await ids(f('at').ge(t('02T00:00:00'))), [2, 3]);
        assert.deepEqual(await ids(f('at').lt('2026-01-02T00:00:00Z')), [1]);
        assert.deepEqual(await ids(f('at').eq(1_767_225_600_000_000n)), [1], 'a bigint is epoch microseconds');
        assert.deepEqual(await ids(f('flag').eq(false)), [2]);
        assert.deepEqual(await ids(f('raw').eq(Buffer.from([2]))), [2]);
        assert.deepEqual(await ids(f('vec').isNull()), [2]);
        assert.deepEqual(await ids(f('price').isNull()), [3]);
        assert.deepEqual(await ids(f('price').isNotNull()), [1, 2]);
        assert.deepEqual(await ids(f('id').eq(1).or(f('name').like('50%'))), [1, 3]);
        assert.deepEqual(await ids(f('id').ge(2).and(f('flag').eq(false).or(f('flag').isNull()))), [2, 3]);
        assert.deepEqual(await ids(f('id').gt(1).and(f('id').lt(3))), [2]);
        // Several filter calls: all must hold; ne and comparisons are false on null (SQL).
        assert.deepEqual((await fg.select(['id']).filter(f('id').ge(1)).filter(f('big').ne(5)).read()).map((r) => r.id), [1]);

        // Wrong value types and operators the type lacks are refused when the predicate is built.
        const refused = (build: () => unknown, pattern: RegExp) => assert.throws(build, (e: InvalidFilterError) => e instanceof InvalidFilterError && pattern.test(e.message));
        refused(() => f('name').eq(5), /typed\.name \(string\) eq: .*string/);
        refused(() => f('id').gt('10'), /typed\.id \(int\) gt/);
        refused(() => f('id').eq(2 ** 40), /outside the int range/);
        refused(() => f('at').gt('not a time'), /typed\.at \(timestamp\) gt/);
        refused(() => f('price').eq('1.234'), /fraction digits|decimal/);
        refused(() => f('day').eq('2026-02-30'), /typed\.day \(date\) eq/);
        refused(() => f('id').like('1%'), /applies to string features/);
        refused(() => f('flag').lt(true), /cannot order boolean/);
        refused(() => f('vec').eq([1]), /does not apply to arrays/);
        refused(() => f('id').in([]), /non-empty array/);
        refused(() => f('id').eq(null), /isNull/);
        refused(() => f('id').eq(undefined), /isNull/);
        assert.throws(() => fg.select(['id']).filter({ op: 'eq' } as never), InvalidFilterError);
        assert.throws(() => f('id').eq(1).and('x' as never), InvalidFilterError);

        // A filter must name a group of the query, once.
        const other = await fs.createFeatureGroup({ name: 'other', primaryKey: ['id'], features: [{ name: 'id', type: 'int' }, { name: 'v', type: 'int' }] });
        await other.insert([{ id: 1, v: 1 }]);
        assert.throws(() => fg.select(['id']).filter(other.feature('v').eq(1)), /does not read/);
        const selfJoin = fg.select(['id']).join(fg.select(['name']), { prefix: 'again_' });
        assert.throws(() => selfJoin.filter(f('name').eq('anna')), AmbiguousFeatureError);

        // Filters on the joined group, and filters given to the joined query, apply to the result.
        const joined = fg.select(['id']).join(other.select(['v']), { on: ['id'] });
        assert.deepEqual((await joined.filter(other.feature('v').eq(1)).read()).map((r) => r.id), [1]);
        assert.deepEqual((await fg.select(['id']).join(other.select(['v']).filter(other.feature('v').isNotNull()), { on: ['id'] }).read()).map((r) => r.id), [1]);
        assert.match(await joined.filter(f('name').eq("x'y")).toSql(), /"0:name" = 'x''y'/);
      }));

    test('asOf reads each group as of a commit or a time; pullChanges reads what commits wrote; limit; Arrow output', () =>
      withHumle(kind, async (humle) => {
        const fs = await fraudStore(humle);
        const transactions = await fs.getFeatureGroup('transactions');
        const profiles = await fs.getFeatureGroup('profiles');
        await pause();
        const beforeChanges = new Date();
        await pause();
        const c1 = await transactions.insert([
          { tid: 5, ts: t('06T00:00:00'), cc_num: 7, merchant: 'ikea', amount: 1, is_fraud: false },
          { tid: 1, ts: t('02T10:00:00'), cc_num: 7, merchant: 'ikea', amount: 21, is_fraud: false }, // updated
        ]);
        await profiles.insert([{ cc_num: 7, ts: t('05T00:00:00'), credit_limit: 9000, city: 'Tromsø' }]);
        await pause();
        const afterAll = new Date();

        const tids = async (q: ReturnType<typeof transactions.select>) => (await q.read()).map((r) => r.tid).sort();
        assert.deepEqual(await tids(transactions.select(['tid']).asOf(0)), [1, 2, 3, 4]);
        assert.deepEqual(await tids(transactions.select(['tid']).asOf(c1.commitId)), [1, 2, 3, 4, 5]);
        assert.deepEqual(await tids(transactions.select(['tid']).asOf(beforeChanges)), [1, 2, 3, 4]);

        // A time applies to every group; a commit id names one group's commit, so it is set before joining.
        const joined = transactions.select(['tid', 'amount']).join(profiles.select(['city']));
        assert.throws(() => joined.asOf(0), InvalidQueryError);
        const cities = async (q: typeof joined) => (await q.read()).map((r) => `${r.tid}:${r.amount}:${r.city}`).sort();
        assert.deepEqual(await cities(joined.asOf(beforeChanges)), ['1:20:Oslo', '2:900:Bergen', '3:55.5:null', '4:12:null']);
        assert.deepEqual(await cities(joined), ['1:21:Oslo', '2:900:Bergen', '3:55.5:null', '4:12:null', '5:1:Tromsø']);
        assert.deepEqual(await cities(transactions.select(['tid', 'amount']).asOf(0).join(profiles.select(['city']))), ['1:20:Oslo', '2:900:Bergen', '3:55.5:null', '4:12:null']);

        // Incremental: only the left group's records written after the start, joined as of the end.
        assert.deepEqual(await cities(joined.pullChanges(beforeChanges, afterAll)), ['1:21:Oslo', '5:1:Tromsø']);
        assert.deepEqual(await cities(transactions.select(['tid', 'amount']).pullChanges(0, c1.commitId).join(profiles.select(['city']))), ['1:21:Oslo', '5:1:Tromsø']);
        assert.deepEqual((await cities(joined.asOf(afterAll, { excludeUntil: new Date(0) }))).length, 5, 'a start before the first commit reads everything');
        assert.throws(() => transactions.select(['tid']).join(profiles.select(['city']).pullChanges(0, 1)), /incremental read/);
        assert.throws(() => transactions.select(['tid']).asOf('not a time'), InvalidQueryError);

        assert.equal((await transactions.selectAll().limit(2).read()).length, 2);
        assert.equal((await joined.limit(0).read()).length, 0);
        assert.throws(() => joined.limit(-1), InvalidQueryError);
        assert.throws(() => joined.limit(1.5), InvalidQueryError);

        const table = await joined.read({ dataframe: 'arrow' });
        assert.equal(table.numRows, 5);
        const types = Object.fromEntries(table.schema.fields.map((field) => [field.name, String(field.type)]));
        assert.deepEqual(types, { tid: 'Int64', amount: 'Float64', city: 'Utf8' });
        assert.deepEqual((await transactions.select(['ts']).filter(transactions.feature('tid').eq(1)).read({ exactTimestamps: true }))[0], { ts: 1_767_348_000_000_000 });
        await assert.rejects(joined.read({ dataframe: 'pandas' as 'arrow' }), /dataframe must be/);
      }));

    test('event times of different types join on one clock; appended features read null where files lack them', () =>
      withHumle(kind, async (humle) => {
        const fs = (await humle.createProject('clock')).featureStore();
        const events = await fs.createFeatureGroup({ name: 'events', primaryKey: ['id'], eventTime: 'at', features: [{ name: 'id', type: 'int' }, { name: 'at', type: 'timestamp' }] });
        const daily = await fs.createFeatureGroup({ name: 'daily', primaryKey: ['id'], eventTime: 'day', features: [{ name: 'id', type: 'int' }, { name: 'day', type: 'date' }, { name: 'd', type: 'int' }] });
        const millis = await fs.createFeatureGroup({ name: 'millis', primaryKey: ['id'], eventTime: 'ms', features: [{ name: 'id', type: 'int' }, { name: 'ms', type: 'bigint' }, { name: 'm', type: 'int' }] });
        await events.insert([{ id: 1, at: t('02T00:00:00') }, { id: 1, at: t('02T23:59:59') }, { id: 1, at: t('01T23:59:59.999') }]);
        await daily.insert([{ id: 1, day: '2026-01-02', d: 2 }, { id: 1, day: '2026-01-01', d: 1 }]);
        await millis.insert([{ id: 1, ms: t('02T00:00:00').getTime(), m: 2 }, { id: 1, ms: t('01T00:00:00').getTime(), m: 1 }]);
        const rows = await events.selectAll().join(daily.select(['d'])).join(millis.select(['m'])).read({ exactTimestamps: true });
        assert.deepEqual(lines(rows), lines([
          { id: 1, at: t('01T23:59:59.999').getTime() * 1000, d: 1, m: 1 },
          { id: 1, at: t('02T00:00:00').getTime() * 1000, d: 2, m: 2 }, // a date starts at 00:00 UTC
          { id: 1, at: t('02T23:59:59').getTime() * 1000, d: 2, m: 2 },
        ]));

        await daily.appendFeatures([{ name: 'note', type: 'string' }]);
        await daily.insert([{ id: 1, day: '2026-01-03', d: 3, note: 'new' }]);
        const withNote = await events.select(['at']).join(daily.select(['d', 'note'])).read();
        assert.deepEqual(withNote.map((r) => r.note).sort(), [null, null, null]);
        await events.insert([{ id: 1, at: t('03T01:00:00') }]);
        assert.deepEqual((await events.select(['at']).join(daily.select(['d', 'note'])).read()).map((r) => `${r.d}:${r.note}`).sort(), ['1:null', '2:null', '2:null', '3:new']);
        assert.deepEqual((await daily.select(['d', 'note']).asOf(0).read()).map((r) => r.note), [null, null], 'a version before the feature existed reads it as null');
      }));
  });
}
