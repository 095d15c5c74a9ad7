import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { openEngine } from '../../src/db/open-engine.js';
import type { Engine, Migration } from '../../src/db/engine.js';
import { column } from '../../src/db/schema.js';
import { mysqlDialect } from '../../src/db/mysql/mysql-dialect.js';
import { fsMigrations } from '../../src/fs/fs-schema.js';
import { createTestStore, testEngines } from '../support/engines.js';

const migrations: Migration[] = [
  {
    version: 1,
    name: 'accounts',
    tables: [{ name: 't_accounts', columns: [column.bigint('id'), column.bigint('balance')], primaryKey: ['id'] }],
  },
  {
    version: 2,
    name: 'log',
    tables: [{ name: 't_log', columns: [column.bigint('id'), column.text('note', 100, { nullable: true })], primaryKey: ['id'] }],
  },
];

async function withEngine(kind: 'sqlite' | 'mysql', fn: (engine: Engine) => Promise<void>): Promise<void> {
  const store = await createTestStore(kind);
  const engine = await openEngine(store.dataDir, store.engine);
  try {
    await engine.migrate('test', migrations);
    await fn(engine);
  } finally {
    await engine.close();
    await store.dispose();
  }
}

for (const kind of testEngines()) {
  describe(`engine [${kind}]`, () => {
    test('migrations apply once, in order, and record their version', () =>
      withEngine(kind, async (engine) => {
        await engine.migrate('test', migrations); // second run is a no-op
        const row = await engine.read((tx) => tx.get<{ version: number }>('SELECT version FROM humle_schema_versions WHERE component = ?', ['test']));
        assert.equal(row?.version, 2);
        await engine.write((tx) => tx.run('INSERT INTO t_log (id, note) VALUES (?, ?)', [1, 'ok']));
      }));

    test('a failing unit rolls back alone while concurrent units commit', () =>
      withEngine(kind, async (engine) => {
        const results = await Promise.allSettled(
          Array.from({ length: 100 }, (_, i) =>
            engine.write(async (tx) => {
              await tx.run('INSERT INTO t_accounts (id, balance) VALUES (?, ?)', [i, 100]);
              if (i === 50) throw new Error('unit 50 fails after its insert');
              return i;
            }),
          ),
        );
        assert.equal(results.filter((r) => r.status === 'fulfilled').length, 99);
        const rows = await engine.read((tx) => tx.all<{ id: number }>('SELECT id FROM t_accounts ORDER BY id'));
        assert.equal(rows.length, 99);
        assert.ok(!rows.some((r) => Number(r.id) === 50), 'the failed unit left nothing behind');
      }));

    test('concurrent read-modify-write units lose no update', () =>
      withEngine(kind, async (engine) => {
        await engine.write((tx) => tx.run('INSERT INTO t_accounts (id, balance) VALUES (1, 0)'));
        await Promise.all(
          Array.from({ length: 200 }, () =>
            engine.write(async (tx) => {
              const row = await tx.get<{ balance: number }>(`SELECT balance FROM t_accounts WHERE id = 1${engine.dialect.forUpdate}`);
              await tx.run('UPDATE t_accounts SET balance = ? WHERE id = 1', [Number(row!.balance) + 1]);
            }),
          ),
        );
        const row = await engine.read((tx) => tx.get<{ balance: number }>('SELECT balance FROM t_accounts WHERE id = 1'));
        assert.equal(Number(row!.balance), 200);
      }));

    test('units that lock rows in opposite orders both complete (deadlocks are retried)', () =>
      withEngine(kind, async (engine) => {
        await engine.write(async (tx) => {
          await tx.run('INSERT INTO t_accounts (id, balance) VALUES (1, 0)');
          await tx.run('INSERT INTO t_accounts (id, balance) VALUES (2, 0)');
        });
        const transfer = (from: number, to: number) =>
          engine.write(async (tx) => {
            await tx.run('UPDATE t_accounts SET balance = balance - 1 WHERE id = ?', [from]);
            await new Promise((r) => setImmediate(r));
            await tx.run('UPDATE t_accounts SET balance = balance + 1 WHERE id = ?', [to]);
          });
        await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 === 0 ? transfer(1, 2) : transfer(2, 1))));
        const rows = await engine.read((tx) => tx.all<{ balance: number }>('SELECT balance FROM t_accounts ORDER BY id'));
        assert.deepEqual(rows.map((r) => Number(r.balance)), [0, 0]);
      }));

    test('binary values and 64-bit integers round-trip', () =>
      withEngine(kind, async (engine) => {
        const big = 2 ** 53 - 1;
        await engine.write((tx) => tx.run('INSERT INTO t_accounts (id, balance) VALUES (?, ?)', [big, -big]));
        const row = await engine.read((tx) => tx.get<{ id: number; balance: number }>('SELECT id, balance FROM t_accounts'));
        assert.equal(Number(row!.id), big);
        assert.equal(Number(row!.balance), -big);
      }));
  });
}

describe('MySQL dialect for RonDB', () => {
  test('ndbcluster tables are created ENGINE=ndbcluster and partitioned like HopsFS', () => {
    const ddl = mysqlDialect('ndbcluster').createTable(fsMigrations[0]!.tables.find((t) => t.name === 'fs_inodes')!);
    assert.equal(ddl.length, 1);
    assert.match(ddl[0]!, /ENGINE=ndbcluster/);
    assert.match(ddl[0]!, /PARTITION BY KEY \(`partition_id`\)$/);
    assert.match(ddl[0]!, /PRIMARY KEY \(`partition_id`, `parent_id`, `name`\)/);
    assert.match(ddl[0]!, /`name` VARCHAR\(255\) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin/);
  });

  test('the default is InnoDB without NDB partitioning', () => {
    const ddl = mysqlDialect('InnoDB').createTable(fsMigrations[0]!.tables.find((t) => t.name === 'fs_inodes')!);
    assert.match(ddl[0]!, /ENGINE=InnoDB/);
    assert.doesNotMatch(ddl[0]!, /PARTITION/);
  });
});
