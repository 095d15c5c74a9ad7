import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { createConnection } from 'mysql2/promise';
import { CLI, describeCli, runProcess, snapshot } from './cli-harness.js';

interface FsckReport {
  healthy: boolean;
  repaired: boolean;
  files: number;
  orphanBlocks: number[];
  missingBlocks: { inodeId: number; blockId: number }[];
}

function hasScript(): boolean {
  try {
    execFileSync('script', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describeCli('humle fs setquota, fsck, usage errors, settings, progress', (withCli) => {
  test('quotas: setquota takes counts, sizes and none; exceeding one is exit code 6 and leaves nothing behind', () =>
    withCli(async (cli) => {
      await cli.withFs((fs) => fs.mkdirs('/q'));
      await cli.ok(['fs', 'setquota', '/q', '--namespace', '3']);
      await cli.withFs(async (fs) => {
        await fs.writeFile('/q/a', 'a');
        await fs.mkdirs('/q/b');
      });
      const before = await snapshot(cli);
      assert.equal((await cli.fails(6, ['fs', 'put', '-', '/q/c'], { input: 'c' })).code, 'FS_NS_QUOTA_EXCEEDED');
      assert.equal(await snapshot(cli), before, 'a refused put or mkdir leaves no file behind');
      assert.equal((await cli.ok(['fs', 'count', '-q', '/q'])).stdout.replace(/ +/g, ' '), ' 3 0 none inf 2 1 1 /q\n');

      assert.deepEqual(await cli.json(['fs', 'setquota', '/q', '--namespace', 'none', '--space', '1k']), {
        path: '/q',
        fileAndDirectoryCount: 3,
        quota: -1,
        spaceConsumed: 1,
        spaceQuota: 1024,
      });
      assert.equal((await cli.fails(6, ['fs', 'put', '-', '/q/big'], { input: Buffer.alloc(2000) })).code, 'FS_DS_QUOTA_EXCEEDED');
      assert.equal((await cli.fails(6, ['fs', 'put', '-f', '-', '/q/a'], { input: Buffer.alloc(2000) })).code, 'FS_DS_QUOTA_EXCEEDED');
      assert.equal(await snapshot(cli), before, 'a refused overwrite keeps the old bytes and leaves no temporary file');

      assert.equal((await cli.fails(2, ['fs', 'setquota', '/q', '--space', '12zz'])).code, 'USAGE');
    }));

  test('fsck reports a healthy file system, a lost block (exit 1), and repairs an orphan block', () =>
    withCli(async (cli) => {
      await cli.withFs(async (fs) => {
        await fs.writeFile('/keep', randomBytes(100 * 1024));
        await fs.writeFile('/lose', randomBytes(100 * 1024));
      });
      const healthy = await cli.ok(['fs', 'fsck', '/']);
      assert.match(healthy.stdout, /Total files:\t+2\n/);
      assert.match(healthy.stdout, /The filesystem under path '\/' is HEALTHY\n$/);

      // An orphan: a block file nothing references.
      const blocks = join(cli.store.dataDir, 'blocks');
      const orphanId = 987_654_321;
      const shard = join(blocks, (orphanId % 256).toString(16).padStart(2, '0'));
      mkdirSync(shard, { recursive: true });
      writeFileSync(join(shard, `blk_${orphanId}`), 'stray');
      const unhealthy = await cli.run(['--json', 'fs', 'fsck', '--grace', '0']);
      assert.equal(unhealthy.code, 1);
      assert.deepEqual((JSON.parse(unhealthy.stdout) as FsckReport).orphanBlocks, [orphanId]);
      assert.equal((JSON.parse(unhealthy.stderr) as { error: { code: string } }).error.code, 'FS_UNHEALTHY');
      const repaired = await cli.json<FsckReport>(['fs', 'fsck', '--repair', '--grace', '0']);
      assert.equal(repaired.repaired, true);
      assert.equal(existsSync(join(shard, `blk_${orphanId}`)), false);

      // Lost blocks cannot be repaired.
      for (const dir of readdirSync(blocks)) {
        if (dir === 'tmp') continue;
        for (const name of readdirSync(join(blocks, dir))) rmSync(join(blocks, dir, name));
      }
      const corrupt = await cli.run(['fs', 'fsck', '--repair']);
      assert.equal(corrupt.code, 1);
      assert.match(corrupt.stdout, /Missing blocks:\t+2\n/);
      assert.match(corrupt.stdout, /is CORRUPT\n$/);
      assert.equal(corrupt.stderr, "humle: the filesystem under path '/' is CORRUPT\n");
    }));

  test('usage errors exit with 2; settings come from flags, then HUMLE_* variables', () =>
    withCli(async (cli) => {
      for (const args of [
        ['fs', 'put', 'only-one'],
        ['fs', 'nonsense'],
        ['--db', 'postgres://x', 'fs', 'ls', '/'],
      ]) {
        const error = await cli.fails(2, args);
        assert.ok(['USAGE', 'INVALID_ARGUMENT'].includes(error.code), `${args.join(' ')}: ${error.code}`);
      }
      assert.equal((await cli.run(['fs'])).code, 2, 'a group without a subcommand prints help and fails');
      assert.equal((await cli.run(['fs', 'ls', '--nope'])).stderr, "humle: unknown option '--nope'\n");
      // Arguments are checked before the file system is opened: bad input does not even create a data directory.
      const fresh = join(cli.local, 'never-created');
      const bad = await runProcess(['--data', fresh, 'fs', 'chmod', 'u+q', '/x']);
      assert.equal(bad.code, 2);
      assert.equal(bad.stderr, 'humle: invalid mode "u+q": use octal (755) or symbolic (u+x,go-w)\n');
      assert.equal(existsSync(fresh), false);

      // From the environment alone: the same file system, the same user.
      const env = { HUMLE_DATA: cli.store.dataDir, HUMLE_DB: cli.store.url, HUMLE_USER: 'hdfs' };
      const made = await runProcess(['--json', 'fs', 'mkdir', '/from-env'], { env });
      assert.equal(made.code, 0, made.stderr);
      assert.equal((await cli.withFs((fs) => fs.getFileStatus('/from-env'))).owner, 'hdfs');
      // A flag wins over its variable.
      const asAlice = await runProcess(['--user', 'alice', 'fs', 'mkdir', '/by-alice'], { env });
      assert.equal(asAlice.code, 4, asAlice.stderr);
    }));

  test('a database the file system cannot use is an error (exit 1), reported at once rather than left hanging', { timeout: 30_000 }, () =>
    withCli(async (cli) => {
      // A schema-versions table of the wrong shape: the connection works, the migration fails.
      if (cli.kind === 'sqlite') {
        const db = new Database(join(cli.store.dataDir, 'humle.db'));
        db.exec('CREATE TABLE humle_schema_versions (unrelated INTEGER)');
        db.close();
      } else {
        const conn = await createConnection(cli.store.url);
        await conn.query('CREATE TABLE humle_schema_versions (unrelated INT)');
        await conn.end();
      }
      const error = await cli.fails(1, ['fs', 'ls', '/']);
      assert.match(error.message, /column.*version/i);
    }));

  test('put and get draw a progress bar for large files only on a terminal, and never with --json', { skip: !hasScript() }, () =>
    withCli(async (cli) => {
      // The bar is the CLI's, not the engine's: once is enough.
      if (cli.kind !== 'sqlite') return;
      const big = join(cli.local, 'big');
      writeFileSync(big, Buffer.alloc(9 * 1024 * 1024, 7));
      const base = [CLI, '--data', cli.store.dataDir, '--db', cli.store.url, '--user', 'hdfs', 'fs'];
      const quote = (args: string[]) => args.map((a) => `'${a}'`).join(' ');
      const onTerminal = (args: string[]) => execFileSync('script', ['-qec', `${quote([process.execPath, ...base, ...args])}`, '/dev/null'], { encoding: 'utf8' });
      assert.match(onTerminal(['put', big, '/big']), /big \[[^\]]*\] 100% \| 9\.0\/9\.0 MiB/);
      assert.doesNotMatch(onTerminal(['put', '-f', big, '/big', '--json']), /100%/);
      assert.match(onTerminal(['get', '/big', join(cli.local, 'back')]), /100%/);
    }));
});
