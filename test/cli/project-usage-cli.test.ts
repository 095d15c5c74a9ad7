import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatSize } from '../../src/cli/sizes.js';
import { listedFiles } from '../support/listed-files.js';
import { describeCli, type Cli } from './cli-harness.js';

interface Usage {
  featureGroups: { name: string; version: number; online: { rows: number; bytes: number } | null; offline: { directory: string; bytes: number; files: number } }[];
  fs: { bytes: number; files: number; directories: number };
  quota: { space: number | null; spaceUsed: number; files: number | null; filesUsed: number };
}

/** A CSV of orders `from` .. `to - 1` in the scratch directory. */
function ordersCsv(cli: Cli, name: string, from: number, to: number): string {
  const path = join(cli.local, name);
  const lines = ['id,amount'];
  for (let id = from; id < to; id++) lines.push(`${id},${id / 4}`);
  writeFileSync(path, lines.join('\n') + '\n');
  return path;
}

/** What humle fs lists below `dir`, read in this process. */
function listed(cli: Cli, dir: string) {
  return cli.withFs((fs) => listedFiles(fs, dir));
}

describeCli('humle project usage and quota', (withCli) => {
  test('usage prints a table per feature group version (or JSON) that follows inserts', () =>
    withCli(async (cli) => {
      await cli.ok(['project', 'create', 'shop', '--owner', 'alice']);
      await cli.ok(['fg', 'create', 'orders', '--project', 'shop', '--primary-key', 'id', '--online', '--feature', 'id:bigint', '--feature', 'amount:double']);
      await cli.ok(['fg', 'create', 'events', '--project', 'shop', '--primary-key', 'id']);
      await cli.ok(['fg', 'insert', 'orders', ordersCsv(cli, 'a.csv', 0, 300), '--project', 'shop']);

      const usage = await cli.json<Usage>(['project', 'usage', 'shop']);
      assert.deepEqual(usage.featureGroups.map((g) => [g.name, g.version, g.online?.rows ?? null]), [
        ['events', 1, null],
        ['orders', 1, 300],
      ]);
      const orders = usage.featureGroups[1]!;
      const offline = await listed(cli, orders.offline.directory);
      assert.deepEqual([orders.offline.bytes, orders.offline.files], [offline.bytes, offline.files]);
      const all = await listed(cli, '/Projects/shop');
      assert.deepEqual([usage.fs.bytes, usage.fs.files], [all.bytes, all.files]);

      // Columns are two spaces apart at least; sizes read as `hdfs dfs -du -h` prints them.
      const lines = (await cli.ok(['project', 'usage', 'shop'])).stdout.split('\n');
      assert.deepEqual(lines[0]!.split(/ {2,}/), ['FEATURE GROUP', 'VERSION', 'ONLINE ROWS', 'ONLINE BYTES', 'OFFLINE BYTES', 'OFFLINE FILES']);
      assert.deepEqual(lines[1]!.split(/ {2,}/), ['events', '1', '-', '-', '0', '0']);
      assert.deepEqual(lines[2]!.split(/ {2,}/), ['orders', '1', '300', formatSize(orders.online!.bytes), formatSize(orders.offline.bytes), '2']);
      assert.deepEqual(lines.slice(3), [
        '',
        `/Projects/shop: ${formatSize(all.bytes)} in ${all.files} files and ${usage.fs.directories} directories`,
        `quotas of shop: space none (${formatSize(all.bytes)} used), files and directories none (${usage.quota.filesUsed} used)`,
        '',
      ]);

      await cli.ok(['fg', 'insert', 'orders', ordersCsv(cli, 'b.csv', 300, 600), '--project', 'shop']);
      const after = await cli.json<Usage>(['project', 'usage', 'shop']);
      assert.equal(after.featureGroups[1]!.online!.rows, 600);
      assert.ok(after.featureGroups[1]!.offline.bytes > orders.offline.bytes);
      assert.equal((await cli.fails(3, ['project', 'usage', 'nope'])).code, 'PROJECT_NOT_FOUND');
    }));

  test('quota sets, removes and clears limits for the owner or the superuser; others and bad options are refused; an insert beyond the space quota fails whole', () =>
    withCli(async (cli) => {
      await cli.ok(['project', 'create', 'shop', '--owner', 'alice']);
      await cli.ok(['project', 'add-member', 'shop', 'bob', '--role', 'data_owner']);
      const set = await cli.json<Usage['quota']>(['project', 'quota', 'shop', '--space', '10g', '--files', '1000']);
      assert.deepEqual([set.space, set.files], [10 * 2 ** 30, 1000]);
      const summary = await cli.withFs((fs) => fs.getContentSummary('/Projects/shop'));
      assert.deepEqual([summary.spaceQuota, summary.quota], [10 * 2 ** 30, 1000]);
      assert.match((await cli.ok(['project', 'quota', 'shop', '--files', 'none'], { user: 'alice' })).stdout, /^quotas of shop: space 10 G \(0 used\), files and directories none \(\d+ used\)\n$/);

      assert.equal((await cli.fails(4, ['project', 'quota', 'shop', '--space', '1'], { user: 'bob' })).code, 'ACCESS_DENIED');
      assert.equal((await cli.fails(2, ['project', 'quota', 'shop'])).code, 'USAGE');
      assert.equal((await cli.fails(2, ['project', 'quota', 'shop', '--clear', '--space', '1g'])).code, 'USAGE');
      assert.equal((await cli.fails(2, ['project', 'quota', 'shop', '--space', 'lots'])).code, 'USAGE');
      assert.equal((await cli.fails(3, ['project', 'quota', 'nope', '--space', '1g'])).code, 'PROJECT_NOT_FOUND');
      assert.deepEqual((await cli.json<Usage>(['project', 'usage', 'shop'])).quota.space, 10 * 2 ** 30);

      await cli.ok(['fg', 'create', 'orders', '--project', 'shop', '--primary-key', 'id', '--online', '--feature', 'id:bigint', '--feature', 'amount:double']);
      await cli.ok(['fg', 'insert', 'orders', ordersCsv(cli, 'a.csv', 0, 10), '--project', 'shop']);
      const used = (await cli.json<Usage>(['project', 'usage', 'shop'])).quota.spaceUsed;
      await cli.ok(['project', 'quota', 'shop', '--space', String(used + 100)]);
      const commits = (await cli.ok(['fg', 'commits', 'orders', '--project', 'shop'])).stdout;
      assert.equal((await cli.fails(6, ['fg', 'insert', 'orders', ordersCsv(cli, 'b.csv', 10, 5000), '--project', 'shop'])).code, 'FS_DS_QUOTA_EXCEEDED');
      assert.equal((await cli.ok(['fg', 'commits', 'orders', '--project', 'shop'])).stdout, commits);
      assert.equal((await cli.json<Usage>(['project', 'usage', 'shop'])).featureGroups[0]!.online!.rows, 10);

      const cleared = await cli.json<Usage['quota']>(['project', 'quota', 'shop', '--clear']);
      assert.deepEqual([cleared.space, cleared.files], [null, null]);
      await cli.ok(['fg', 'insert', 'orders', ordersCsv(cli, 'b.csv', 10, 5000), '--project', 'shop']);
    }));
});
