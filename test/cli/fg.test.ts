import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CommitSummary } from '../../src/featurestore/records/commit-summary.js';
import { readParquetFiles } from '../support/parquet-files.js';
import { describeCli, snapshot, type Cli } from './cli-harness.js';

/** `humle fg create transactions ...`: a bigint key, an event time with microseconds, a double and a string. */
const CREATE_TRANSACTIONS = [
  'fg',
  'create',
  'transactions',
  '--primary-key',
  'cc_num',
  '--event-time',
  'ts',
  '--online',
  '--description',
  'card transactions',
  '--feature',
  'cc_num:bigint:card number',
  '--feature',
  'ts:timestamp',
  '--feature',
  'amount:double',
  '--feature',
  'category:string:what was bought: goods or services',
];

const FIRST_CSV = ['cc_num,ts,amount,category', '1,2026-01-01T00:00:00.000001Z,10.5,food', '2,2026-01-01T12:00:00Z,99,"travel, far"', ''].join('\n');

/** Updates card 2 (same key and event time) and adds card 3; NDJSON timestamps may be epoch milliseconds. */
const SECOND_NDJSON = [
  '{"cc_num":2,"ts":"2026-01-01T12:00:00Z","amount":100.25,"category":"travel"}',
  '{"cc_num":3,"ts":1767312000000,"amount":3,"category":"say \\"hi\\""}',
  '',
].join('\n');

const CSV_AFTER_FIRST = [
  'cc_num,ts,amount,category',
  '1,2026-01-01T00:00:00.000001Z,10.5,food',
  '2,2026-01-01T12:00:00.000000Z,99,"travel, far"',
  '',
].join('\n');

const CSV_AFTER_SECOND = [
  'cc_num,ts,amount,category',
  '1,2026-01-01T00:00:00.000001Z,10.5,food',
  '2,2026-01-01T12:00:00.000000Z,100.25,travel',
  '3,2026-01-02T00:00:00.000000Z,3,"say ""hi"""',
  '',
].join('\n');

const JSON_AFTER_SECOND = [
  '{"cc_num":1,"ts":"2026-01-01T00:00:00.000001Z","amount":10.5,"category":"food"}',
  '{"cc_num":2,"ts":"2026-01-01T12:00:00.000000Z","amount":100.25,"category":"travel"}',
  '{"cc_num":3,"ts":"2026-01-02T00:00:00.000000Z","amount":3,"category":"say \\"hi\\""}',
  '',
].join('\n');

/** Writes a file into the test's local scratch directory and returns its path. */
function localFile(cli: Cli, name: string, text: string): string {
  const path = join(cli.local, name);
  writeFileSync(path, text);
  return path;
}

/** The transactions group with both commits: 0 from the CSV file, 1 from the NDJSON file. */
async function transactionsWithTwoCommits(cli: Cli): Promise<CommitSummary[]> {
  await cli.ok(CREATE_TRANSACTIONS);
  const first = await cli.json<CommitSummary>(['fg', 'insert', 'transactions', localFile(cli, 'first.csv', FIRST_CSV)]);
  const second = await cli.json<CommitSummary>(['fg', 'insert', 'transactions', localFile(cli, 'second.ndjson', SECOND_NDJSON)]);
  return [first, second];
}

/** Everything a refused command could have touched: the file system (project directories, Delta tables) and the groups. */
async function state(cli: Cli): Promise<string> {
  const list = await cli.run(['--json', 'fg', 'list']);
  const commits = await cli.run(['--json', 'fg', 'commits', 'transactions']);
  return [await snapshot(cli), list.stdout, list.code, commits.stdout, commits.code].join('\n');
}

describeCli('humle fg', (withCli) => {
  test('create with features: --json prints the definition; describe and list show types, key roles and the online table', () =>
    withCli(async (cli) => {
      const created = await cli.json<Record<string, unknown>>(CREATE_TRANSACTIONS);
      assert.deepEqual(created, {
        name: 'transactions',
        version: 1,
        description: 'card transactions',
        primaryKey: ['cc_num'],
        eventTime: 'ts',
        partitionKey: [],
        onlineEnabled: true,
        location: '/Projects/default/default_featurestore.db/transactions_1',
        onlineTable: created.onlineTable,
        features: [
          { name: 'cc_num', type: 'bigint', description: 'card number', primary: true, eventTime: false, partition: false },
          { name: 'ts', type: 'timestamp', description: '', primary: false, eventTime: true, partition: false },
          { name: 'amount', type: 'double', description: '', primary: false, eventTime: false, partition: false },
          { name: 'category', type: 'string', description: 'what was bought: goods or services', primary: false, eventTime: false, partition: false },
        ],
      });
      assert.equal(typeof created.onlineTable, 'string');

      // Without --feature the schema waits for the first insert; the next create of a name is its next version.
      await cli.ok(['fg', 'create', 'clicks', '--primary-key', 'user_id,page', '--version', '3']);
      const next = await cli.json<{ version: number; features: unknown[]; onlineTable: unknown }>(['fg', 'create', 'clicks', '--primary-key', 'user_id']);
      assert.equal(next.version, 4);
      assert.deepEqual(next.features, []);
      assert.equal(next.onlineTable, null);

      const described = await cli.json<Record<string, unknown>>(['fg', 'describe', 'transactions']);
      assert.deepEqual(described, { ...created, latestCommit: null });
      const text = (await cli.ok(['fg', 'describe', 'transactions'])).stdout;
      assert.match(text, /^transactions version 1\n/);
      assert.match(text, /^primary key: +cc_num$/m);
      assert.match(text, /^event time: +ts$/m);
      assert.match(text, new RegExp(`^online: +yes, table ${String(created.onlineTable)}$`, 'm'));
      assert.match(text, /^location: +\/Projects\/default\/default_featurestore\.db\/transactions_1$/m);
      assert.match(text, /^latest commit: +-$/m);
      assert.match(text, /^cc_num +bigint +primary key +card number$/m);
      assert.match(text, /^ts +timestamp +event time$/m);
      assert.match(text, /^category +string +what was bought: goods or services$/m);

      await cli.ok(['fg', 'insert', 'transactions', localFile(cli, 'first.csv', FIRST_CSV)]);
      assert.equal(
        (await cli.ok(['fg', 'list'])).stdout,
        [
          'NAME          VERSION  ONLINE  FEATURES  COMMITS',
          'clicks              3  no             0        0',
          'clicks              4  no             0        0',
          'transactions        1  yes            4        1',
          '',
        ].join('\n'),
      );
      assert.deepEqual(await cli.json(['fg', 'list', 'clicks']), [
        { name: 'clicks', version: 3, description: '', onlineEnabled: false, featureCount: 0, commitCount: 0 },
        { name: 'clicks', version: 4, description: '', onlineEnabled: false, featureCount: 0, commitCount: 0 },
      ]);
      const latest = (await cli.json<{ latestCommit: CommitSummary }>(['fg', 'describe', 'transactions'])).latestCommit;
      assert.deepEqual({ ...latest, committedOn: undefined }, { commitId: 0, committedOn: undefined, operation: 'upsert', rowsInserted: 2, rowsUpdated: 0, rowsDeleted: 0 });
    }));

  test('insert a CSV and an NDJSON file; read prints them back exactly as CSV and as NDJSON, in key order', () =>
    withCli(async (cli) => {
      const [first, second] = await transactionsWithTwoCommits(cli);
      assert.deepEqual(Object.keys(first!), ['commitId', 'committedOn', 'operation', 'rowsInserted', 'rowsUpdated', 'rowsDeleted']);
      assert.deepEqual({ ...first, committedOn: undefined }, { commitId: 0, committedOn: undefined, operation: 'upsert', rowsInserted: 2, rowsUpdated: 0, rowsDeleted: 0 });
      assert.deepEqual({ ...second, committedOn: undefined }, { commitId: 1, committedOn: undefined, operation: 'upsert', rowsInserted: 1, rowsUpdated: 1, rowsDeleted: 0 });
      assert.ok(!Number.isNaN(Date.parse(first!.committedOn)));

      assert.equal((await cli.ok(['fg', 'read', 'transactions'])).stdout, CSV_AFTER_SECOND);
      assert.equal((await cli.ok(['fg', 'read', 'transactions', '--format', 'json'])).stdout, JSON_AFTER_SECOND);
      // --json alone: rows on stdout are NDJSON, each line JSON.
      assert.equal((await cli.ok(['--json', 'fg', 'read', 'transactions'])).stdout, JSON_AFTER_SECOND);
      assert.equal((await cli.ok(['fg', 'read', 'transactions', '--limit', '1'])).stdout, CSV_AFTER_SECOND.split('\n').slice(0, 2).join('\n') + '\n');

      // The text summary of an insert names the commit.
      const third = await cli.ok(['fg', 'insert', 'transactions', localFile(cli, 'third.csv', 'cc_num,ts,amount,category\n4,2026-01-03,4,x\n'), '--mode', 'insert']);
      assert.match(third.stdout, /^Inserted .*third\.csv into transactions version 1: commit 2 \(insert\) at \S+: 1 rows inserted, 0 updated, 0 deleted\n$/);
    }));

  test('time travel: --as-of an older commit id or time; commits newest first; changes between commits', () =>
    withCli(async (cli) => {
      const [first] = await transactionsWithTwoCommits(cli);
      assert.equal((await cli.ok(['fg', 'read', 'transactions', '--as-of', '0'])).stdout, CSV_AFTER_FIRST);
      assert.equal((await cli.ok(['fg', 'read', 'transactions', '--as-of', first!.committedOn])).stdout, CSV_AFTER_FIRST);
      assert.equal((await cli.ok(['fg', 'read', 'transactions', '--as-of', '1'])).stdout, CSV_AFTER_SECOND);

      const commits = await cli.json<CommitSummary[]>(['fg', 'commits', 'transactions']);
      assert.deepEqual(
        commits.map((c) => [c.commitId, c.operation, c.rowsInserted, c.rowsUpdated, c.rowsDeleted]),
        [
          [1, 'upsert', 1, 1, 0],
          [0, 'upsert', 2, 0, 0],
        ],
      );
      assert.deepEqual(
        (await cli.json<CommitSummary[]>(['fg', 'commits', 'transactions', '--limit', '1'])).map((c) => c.commitId),
        [1],
      );
      const table = (await cli.ok(['fg', 'commits', 'transactions'])).stdout.split('\n');
      assert.match(table[0]!, /^COMMIT +COMMITTED ON +OPERATION +INSERTED +UPDATED +DELETED$/);
      assert.match(table[1]!, /^ +1 +\S+ +upsert +1 +1 +0$/);
      assert.match(table[2]!, /^ +0 +\S+ +upsert +2 +0 +0$/);

      const expected = [
        'cc_num,ts,amount,category,_change_type,_commit_version',
        '2,2026-01-01T12:00:00.000000Z,99,"travel, far",update_preimage,1',
        '2,2026-01-01T12:00:00.000000Z,100.25,travel,update_postimage,1',
        '3,2026-01-02T00:00:00.000000Z,3,"say ""hi""",insert,1',
        '',
      ].join('\n');
      assert.equal((await cli.ok(['fg', 'changes', 'transactions', '--from', '0', '--to', '1'])).stdout, expected);
      // --to defaults to the latest commit; --from takes a time too.
      assert.equal((await cli.ok(['fg', 'changes', 'transactions', '--from', first!.committedOn])).stdout, expected);
      assert.equal(
        (await cli.ok(['fg', 'changes', 'transactions', '--from', '0', '--format', 'json'])).stdout.split('\n')[1],
        '{"cc_num":2,"ts":"2026-01-01T12:00:00.000000Z","amount":100.25,"category":"travel","_change_type":"update_postimage","_commit_version":1}',
      );
      assert.equal((await cli.ok(['fg', 'changes', 'transactions', '--from', '1'])).stdout, 'cc_num,ts,amount,category,_change_type,_commit_version\n');
    }));

  test('stats shows the statistics of the latest commit or of --as-of one; --compute computes them now', () =>
    withCli(async (cli) => {
      await transactionsWithTwoCommits(cli);
      const latest = await cli.json<{ commitId: number; rowCount: number; features: { feature: string; min: unknown; max: unknown; nullCount: number }[] }>([
        'fg',
        'stats',
        'transactions',
      ]);
      assert.equal(latest.commitId, 1);
      assert.equal(latest.rowCount, 3);
      const amount = latest.features.find((f) => f.feature === 'amount')!;
      assert.deepEqual([amount.min, amount.max, amount.nullCount], [3, 100.25, 0]);
      assert.equal((await cli.json<{ rowCount: number }>(['fg', 'stats', 'transactions', '--as-of', '0'])).rowCount, 2);
      assert.equal((await cli.json<{ commitId: number }>(['fg', 'stats', 'transactions', '--compute'])).commitId, 1);
      const table = (await cli.ok(['fg', 'stats', 'transactions'])).stdout.split('\n');
      assert.match(table[0]!, /^commit 1, 3 rows, computed \S+$/);
      assert.match(table[1]!, /^FEATURE +TYPE +COUNT +NULLS +MIN +MAX +MEAN +STDDEV +~DISTINCT$/);
      assert.match(table.find((l) => l.startsWith('amount'))!, /^amount +double +3 +0 +3 +100\.25 /);
    }));

  test('read --output writes CSV, NDJSON or Parquet files; Parquet holds the features as columns with exact values', () =>
    withCli(async (cli) => {
      await transactionsWithTwoCommits(cli);
      const parquet = join(cli.local, 'snapshot.parquet');
      const result = await cli.json(['fg', 'read', 'transactions', '--output', parquet]);
      assert.deepEqual(result, { path: parquet, format: 'parquet', rows: 3 });
      const read = await readParquetFiles([parquet]);
      assert.deepEqual(read.columnNames, ['cc_num', 'ts', 'amount', 'category']);
      assert.deepEqual(read.rows, [
        [1, Date.UTC(2026, 0, 1) * 1000 + 1, 10.5, 'food'],
        [2, Date.UTC(2026, 0, 1, 12) * 1000, 100.25, 'travel'],
        [3, Date.UTC(2026, 0, 2) * 1000, 3, 'say "hi"'],
      ]);
      // As of the first commit, into a file named for its format; the format follows the extension.
      const old = join(cli.local, 'old.parquet');
      await cli.ok(['fg', 'read', 'transactions', '--as-of', '0', '--output', old]);
      assert.equal((await readParquetFiles([old])).rows.length, 2);

      const csv = join(cli.local, 'rows.csv');
      assert.match((await cli.ok(['fg', 'read', 'transactions', '--output', csv])).stdout, /^Wrote 3 rows to .*rows\.csv\n$/);
      assert.equal(readFileSync(csv, 'utf8'), CSV_AFTER_SECOND);
      const ndjson = join(cli.local, 'rows.ndjson');
      await cli.ok(['fg', 'read', 'transactions', '--output', ndjson]);
      assert.equal(readFileSync(ndjson, 'utf8'), JSON_AFTER_SECOND);
      // An existing file is replaced only with --force, and no temporary file is left either way.
      await cli.fails(5, ['fg', 'read', 'transactions', '--output', csv, '--format', 'json']);
      assert.equal(readFileSync(csv, 'utf8'), CSV_AFTER_SECOND);
      await cli.ok(['fg', 'read', 'transactions', '--output', csv, '--format', 'json', '--force']);
      assert.equal(readFileSync(csv, 'utf8'), JSON_AFTER_SECOND);
      assert.deepEqual(readdirSync(cli.local).filter((name) => name.includes('_COPYING_')), []);
    }));

  test('every type has one text form: exact bigints and decimals, dates, base64 binary, arrays, shortest floats, µs timestamps', () =>
    withCli(async (cli) => {
      await cli.ok([
        'fg',
        'create',
        'kinds',
        '--primary-key',
        'id',
        ...['id:bigint', 'day:date', 'price:decimal(10,2)', 'blob:binary', 'vec:array<double>', 'ids:array<bigint>', 'flag:boolean', 'ratio:float', 'note:string', 'n:int'].flatMap(
          (f) => ['--feature', f],
        ),
      ]);
      const rows = [
        '{"id":"9007199254740993","day":"2026-02-03","price":"12.5","blob":"aGVsbG8=","vec":[1.5,2],"ids":["9223372036854775807",1],"flag":true,"ratio":0.1,"note":"","n":-3}',
        '{"id":1,"day":null,"price":null,"blob":null,"vec":null,"ids":[],"flag":false,"ratio":null,"note":"two\\nlines","n":null}',
      ];
      await cli.ok(['fg', 'insert', 'kinds', localFile(cli, 'kinds.jsonl', rows.join('\n') + '\n')]);
      assert.equal(
        (await cli.ok(['fg', 'read', 'kinds', '--format', 'json'])).stdout,
        [
          '{"id":1,"day":null,"price":null,"blob":null,"vec":null,"ids":[],"flag":false,"ratio":null,"note":"two\\nlines","n":null}',
          '{"id":9007199254740993,"day":"2026-02-03","price":"12.50","blob":"aGVsbG8=","vec":[1.5,2],"ids":[9223372036854775807,1],"flag":true,"ratio":0.1,"note":"","n":-3}',
          '',
        ].join('\n'),
      );
      assert.equal(
        (await cli.ok(['fg', 'read', 'kinds'])).stdout,
        [
          'id,day,price,blob,vec,ids,flag,ratio,note,n',
          '1,,,,,[],false,,"two',
          'lines",',
          '9007199254740993,2026-02-03,12.50,aGVsbG8=,"[1.5,2]","[9223372036854775807,1]",true,0.1,"",-3',
          '',
        ].join('\n'),
      );
    }));

  test('bad input is refused with its exit code and changes nothing', () =>
    withCli(async (cli) => {
      await transactionsWithTwoCommits(cli);
      const before = await state(cli);
      const badRow = localFile(cli, 'bad.csv', 'cc_num,ts,amount,category\n5,2026-01-05T00:00:00Z,5,ok\n6,2026-01-05T00:00:00Z,not-a-number,bad\n');
      const ragged = localFile(cli, 'ragged.csv', 'cc_num,ts,amount,category\n5,2026-01-05T00:00:00Z\n');
      const unknownColumn = localFile(cli, 'unknown.ndjson', '{"cc_num":5,"ts":"2026-01-05T00:00:00Z","colour":"red"}\n');
      const notJson = localFile(cli, 'broken.ndjson', '{"cc_num":5,\n');
      const text = localFile(cli, 'rows.txt', 'cc_num\n1\n');
      const duplicate = localFile(cli, 'duplicate.csv', 'cc_num,ts,amount,category\n9,2026-01-09T00:00:00Z,9,new\n1,2026-01-01T00:00:00.000001Z,1,again\n');

      const unknownType = await cli.fails(2, ['fg', 'create', 'other', '--primary-key', 'id', '--feature', 'id:bigint', '--feature', 'x:varchar(3)']);
      assert.equal(unknownType.code, 'FEATURE_GROUP_INVALID');
      assert.match(unknownType.message, /unknown feature type "varchar\(3\)"/);
      assert.equal((await cli.fails(2, ['fg', 'create', 'other', '--feature', 'id:bigint'])).code, 'USAGE'); // no --primary-key
      assert.equal((await cli.fails(2, ['fg', 'create', 'other', '--primary-key', 'nope', '--feature', 'id:bigint'])).code, 'FEATURE_GROUP_INVALID');
      assert.equal((await cli.fails(2, ['fg', 'create', 'Other', '--primary-key', 'id'])).code, 'FEATURE_GROUP_INVALID');
      assert.equal((await cli.fails(2, ['fg', 'create', 'other', '--primary-key', 'id', '--feature', 'id'])).code, 'USAGE');
      assert.equal((await cli.fails(5, CREATE_TRANSACTIONS.concat(['--version', '1']))).code, 'FEATURE_GROUP_EXISTS');

      const invalid = await cli.fails(7, ['fg', 'insert', 'transactions', badRow]);
      assert.equal(invalid.code, 'FEATURE_INVALID_DATA');
      assert.deepEqual([invalid.details.row, invalid.details.column], [1, 'amount']);
      assert.equal((await cli.fails(7, ['fg', 'insert', 'transactions', ragged])).code, 'FEATURE_INVALID_DATA');
      assert.equal((await cli.fails(7, ['fg', 'insert', 'transactions', unknownColumn])).code, 'FEATURE_INVALID_DATA');
      assert.equal((await cli.fails(7, ['fg', 'insert', 'transactions', notJson])).code, 'FEATURE_INVALID_DATA');
      assert.equal((await cli.fails(2, ['fg', 'insert', 'transactions', text])).code, 'INVALID_ARGUMENT');
      assert.equal((await cli.fails(3, ['fg', 'insert', 'transactions', join(cli.local, 'missing.csv')])).code, 'ENOENT');
      assert.equal((await cli.fails(5, ['fg', 'insert', 'transactions', duplicate, '--mode', 'insert'])).code, 'FEATURE_DUPLICATE_RECORD');
      assert.equal((await cli.fails(2, ['fg', 'insert', 'transactions', duplicate, '--mode', 'merge'])).code, 'USAGE');

      assert.equal((await cli.fails(3, ['fg', 'insert', 'nope', duplicate])).code, 'FEATURE_GROUP_NOT_FOUND');
      assert.equal((await cli.fails(3, ['fg', 'describe', 'nope'])).code, 'FEATURE_GROUP_NOT_FOUND');
      assert.equal((await cli.fails(3, ['fg', 'describe', 'transactions', '--version', '2'])).code, 'FEATURE_GROUP_NOT_FOUND');
      assert.equal((await cli.fails(3, ['fg', 'list', 'nope'])).code, 'FEATURE_GROUP_NOT_FOUND');
      assert.equal((await cli.fails(3, ['fg', 'read', 'nope'])).code, 'FEATURE_GROUP_NOT_FOUND');
      assert.equal((await cli.fails(3, ['fg', 'delete', 'nope', '--version', '1'])).code, 'FEATURE_GROUP_NOT_FOUND');
      assert.equal((await cli.fails(3, ['fg', '--project', 'elsewhere', 'list'])).code, 'PROJECT_NOT_FOUND');
      assert.equal((await cli.fails(3, ['fg', '--project', 'elsewhere', 'insert', 'transactions', duplicate])).code, 'PROJECT_NOT_FOUND');
      assert.equal((await cli.fails(2, ['fg', '--project', 'no-dashes', 'list'])).code, 'INVALID_ARGUMENT');

      assert.equal((await cli.fails(3, ['fg', 'read', 'transactions', '--as-of', '7'])).code, 'FEATURE_COMMIT_NOT_FOUND');
      assert.equal((await cli.fails(3, ['fg', 'read', 'transactions', '--as-of', '2000-01-01T00:00:00Z'])).code, 'FEATURE_COMMIT_NOT_FOUND');
      assert.equal((await cli.fails(2, ['fg', 'read', 'transactions', '--as-of', 'yesterday'])).code, 'USAGE');
      assert.equal((await cli.fails(2, ['fg', 'read', 'transactions', '--format', 'parquet'])).code, 'USAGE');
      assert.equal((await cli.fails(2, ['fg', 'read', 'transactions', '--format', 'xml'])).code, 'USAGE');
      assert.equal((await cli.fails(2, ['fg', 'read', 'transactions', '--format', 'csv'])).code, 'USAGE'); // --json: stdout is NDJSON
      assert.equal((await cli.fails(3, ['fg', 'read', 'transactions', '--output', join(cli.local, 'no', 'such', 'dir.csv')])).code, 'ENOENT');
      assert.equal((await cli.fails(2, ['fg', 'changes', 'transactions'])).code, 'USAGE'); // no --from
      assert.equal((await cli.fails(2, ['fg', 'delete', 'transactions'])).code, 'USAGE'); // no --version

      assert.equal(await state(cli), before);
      assert.equal(existsSync(join(cli.local, 'no')), false);
    }));

  test('a bad definition on a fresh store creates nothing, not even the project', () =>
    withCli(async (cli) => {
      await cli.fails(2, ['fg', 'create', 'other', '--primary-key', 'id', '--feature', 'id:bigint', '--feature', 'x:varchar(3)']);
      await cli.fails(3, ['fg', 'describe', 'other']);
      assert.equal((await cli.fails(3, ['fg', 'list'])).code, 'PROJECT_NOT_FOUND');
      assert.deepEqual(await cli.withFs(async (fs) => fs.exists('/Projects/default')), false);
    }));

  test('--project (or HUMLE_PROJECT) chooses the project; create makes it on first use', () =>
    withCli(async (cli) => {
      await cli.ok(['fg', '--project', 'fraud', 'create', 'scores', '--primary-key', 'id']);
      await cli.ok(['fg', 'create', 'scores', '--primary-key', 'id', '--project', 'churn', '--version', '7'], { env: { HUMLE_PROJECT: 'fraud' } });
      const fraud = await cli.json<{ name: string; version: number }[]>(['fg', 'list'], { env: { HUMLE_PROJECT: 'fraud' } });
      assert.deepEqual(fraud.map((g) => [g.name, g.version]), [['scores', 1]]);
      const churn = await cli.json<{ location: string; version: number }>(['fg', '--project', 'churn', 'describe', 'scores']);
      assert.equal(churn.version, 7);
      assert.equal(churn.location, '/Projects/churn/churn_featurestore.db/scores_7');
      assert.equal((await cli.fails(3, ['fg', 'list'])).code, 'PROJECT_NOT_FOUND'); // the default project was never created
    }));

  test('delete removes the named version only: its metadata, offline table and reads', () =>
    withCli(async (cli) => {
      await transactionsWithTwoCommits(cli);
      await cli.ok([...CREATE_TRANSACTIONS, '--version', '2']);
      const location = (await cli.json<{ location: string }>(['fg', 'describe', 'transactions', '--version', '1'])).location;
      assert.deepEqual(await cli.json(['fg', 'delete', 'transactions', '--version', '1']), { name: 'transactions', version: 1, deleted: true });
      assert.deepEqual((await cli.json<{ version: number }[]>(['fg', 'list'])).map((g) => g.version), [2]);
      await cli.fails(3, ['fg', 'read', 'transactions', '--version', '1']);
      assert.equal(await cli.withFs((fs) => fs.exists(location)), false);
      assert.match((await cli.ok(['fg', 'delete', 'transactions', '--version', '2'])).stdout, /^Deleted feature group transactions version 2\n$/);
      assert.deepEqual(await cli.json(['fg', 'list']), []);
    }));

  test('--version before the command is still the program version', () =>
    withCli(async (cli) => {
      assert.match((await cli.ok(['--version'])).stdout, /^\d+\.\d+\.\d+/);
      assert.match((await cli.ok(['-V'])).stdout, /^\d+\.\d+\.\d+/);
    }));
});
