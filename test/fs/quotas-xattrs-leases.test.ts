import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachEngine } from '../support/fs-fixture.js';
import type { FileSystem } from '../../src/fs/file-system.js';
import {
  InvalidOperationError,
  LeaseExpiredError,
  LeaseHeldError,
  NamespaceQuotaExceededError,
  SpaceQuotaExceededError,
  XAttrError,
} from '../../src/errors/fs-errors.js';
import { assertRefused, assertTypedError, count, fsState, patternBytes, rejection, sleep } from './spec-helpers.js';

// Specification: directory quotas (HDFS namespace and space quotas), extended attributes (HDFS xattrs with HopsFS's
// limits) and single-writer leases.

const NS = 'FS_NS_QUOTA_EXCEEDED';
/** A short lease soft limit, long enough that a live writer (renewing every third of it) never looks dead. */
const LEASE_MS = 400;
const DS = 'FS_DS_QUOTA_EXCEEDED';

async function assertHealthy(fs: FileSystem): Promise<void> {
  const report = await fs.fsck({ graceMs: 0 });
  assert.equal(report.healthy, true, `fsck: ${JSON.stringify(report)}`);
}

/** What getQuotaUsage reports must equal what a walk of the subtree counts. */
async function assertUsageMatchesContent(fs: FileSystem, path: string): Promise<void> {
  const usage = await fs.getQuotaUsage(path);
  const summary = await fs.getContentSummary(path);
  assert.equal(usage.fileAndDirectoryCount, summary.fileCount + summary.directoryCount, `${path}: names`);
  assert.equal(usage.spaceConsumed, summary.spaceConsumed, `${path}: space`);
  assert.equal(usage.quota, summary.quota);
  assert.equal(usage.spaceQuota, summary.spaceQuota);
}

async function write(fs: FileSystem, path: string, ...chunks: (string | Buffer)[]): Promise<void> {
  const writer = await fs.append(path);
  for (const c of chunks) await writer.write(c);
  await writer.close();
}

describeEachEngine('quotas', (withFs) => {
  test('a namespace quota counts the directory and every name below it; a refused create changes nothing', () =>
    withFs(async ({ fs }) => {
      await fs.mkdirs('/q');
      await fs.writeFile('/outside', 'o');
      await fs.setQuota('/q', { namespace: 4 });
      assert.deepEqual(await fs.getQuotaUsage('/q'), { fileAndDirectoryCount: 1, quota: 4, spaceConsumed: 0, spaceQuota: -1 });
      for (const n of ['a', 'b', 'c']) await fs.writeFile(`/q/${n}`, n);
      assert.equal((await fs.getQuotaUsage('/q')).fileAndDirectoryCount, 4);
      for (const [what, call] of [
        ['writeFile', () => fs.writeFile('/q/d', 'd')],
        ['create', () => fs.create('/q/d')],
        ['mkdirs', () => fs.mkdirs('/q/x')],
        ['writeFile with implied parents', () => fs.writeFile('/q/x/y/z', 'z')],
        ['rename in', () => fs.rename('/outside', '/q/outside')],
      ] as const) {
        await assertRefused(fs, call, NamespaceQuotaExceededError, NS, what);
      }
      assert.equal(await fs.delete('/q/c'), true);
      assert.equal((await fs.getQuotaUsage('/q')).fileAndDirectoryCount, 3);
      await assertRefused(fs, () => fs.mkdirs('/q/x/y'), NamespaceQuotaExceededError, NS, 'mkdirs -p needing two names with one left');
      assert.equal(await fs.mkdirs('/q/x'), true);
      assert.deepEqual(await fs.getQuotaUsage('/q'), { fileAndDirectoryCount: 4, quota: 4, spaceConsumed: 2, spaceQuota: -1 });
      const summary = await fs.getContentSummary('/q');
      assert.deepEqual(summary, { length: 2, fileCount: 2, directoryCount: 2, quota: 4, spaceConsumed: 2, spaceQuota: -1 });
      await assertHealthy(fs);
    }));

  test('a space quota counts length × replication; creates, appends, replication changes and writers that would pass it are refused', () =>
    withFs(async ({ fs }) => {
      await fs.mkdirs('/s');
      await fs.setQuota('/s', { space: 10_000 });
      await fs.writeFile('/s/a', patternBytes(6000, 1));
      await assertRefused(fs, () => fs.writeFile('/s/b', patternBytes(5000, 2)), SpaceQuotaExceededError, DS, 'writeFile past the quota');
      await assertRefused(fs, () => fs.writeFile('/s/b', patternBytes(2001, 2), { replication: 2 }), SpaceQuotaExceededError, DS, 'replicated past the quota');
      await assertRefused(fs, () => fs.setReplication('/s/a', 2), SpaceQuotaExceededError, DS, 'setReplication past the quota');
      await assertRefused(fs, () => write(fs, '/s/a', patternBytes(4001, 3)), SpaceQuotaExceededError, DS, 'append past the quota');
      await fs.writeFile('/s/b', patternBytes(2000, 2), { replication: 2 }); // exactly at the quota
      assert.deepEqual(await fs.getQuotaUsage('/s'), { fileAndDirectoryCount: 3, quota: -1, spaceConsumed: 10_000, spaceQuota: 10_000 });
      await assertRefused(fs, () => fs.writeFile('/s/c', 'x'), SpaceQuotaExceededError, DS, 'one byte past the quota');
      await fs.writeFile('/s/empty', ''); // names are not space
      assert.equal(await fs.delete('/s/empty'), true);
      assert.equal(await fs.delete('/s/b'), true);
      assert.equal((await fs.getQuotaUsage('/s')).spaceConsumed, 6000);

      // A writer whose bytes go to blocks: refused at close, the file keeps its old bytes, the blocks are freed.
      await fs.setQuota('/s', { space: 100_000 });
      await fs.writeFile('/s/big', patternBytes(10_000, 4));
      await assertRefused(fs, () => write(fs, '/s/big', patternBytes(50_000, 5), patternBytes(50_000, 6)), SpaceQuotaExceededError, DS, 'a block writer past the quota');
      const created = await fs.create('/s/new');
      await created.write(patternBytes(90_000, 7));
      assertTypedError(await rejection(created.close()), SpaceQuotaExceededError, DS, 'a new file past the quota');
      const status = await fs.getFileStatus('/s/new');
      assert.deepEqual([status.length, status.underConstruction], [0, false], 'the refused writer leaves the file empty and closed');
      await assertUsageMatchesContent(fs, '/s');
      await assertHealthy(fs);
    }));

  test('usage follows deletes, truncates, concats and renames in and out, a populated directory between quota directories included', () =>
    withFs(async ({ fs }) => {
      await fs.mkdirs('/qa');
      await fs.mkdirs('/qb');
      await fs.mkdirs('/free');
      await fs.setQuota('/qa', { namespace: 100, space: 1_000_000 });
      await fs.setQuota('/qb', { namespace: 100, space: 1_000_000 });
      await fs.writeFile('/qa/f', patternBytes(1000, 1));
      await fs.writeFile('/free/g', patternBytes(500, 2), { replication: 3 });
      for (let i = 0; i < 6; i++) await fs.writeFile(`/qa/dir/sub${i % 2}/file${i}`, patternBytes(100 * (i + 1), i));
      await fs.writeFile('/qa/dir/blocks', patternBytes(70_000, 9));
      const check = async () => {
        for (const p of ['/qa', '/qb']) await assertUsageMatchesContent(fs, p);
        await assertHealthy(fs);
      };
      await check();
      assert.deepEqual(await fs.getQuotaUsage('/qa'), { fileAndDirectoryCount: 12, quota: 100, spaceConsumed: 1000 + 2100 + 70_000, spaceQuota: 1_000_000 });

      await fs.rename('/qa/f', '/qb/f'); // a file between quota directories
      await fs.rename('/free/g', '/qa/g'); // in
      await check();
      assert.equal((await fs.getQuotaUsage('/qa')).spaceConsumed, 1500 + 2100 + 70_000);
      await fs.rename('/qa/g', '/free/g'); // out
      await fs.rename('/qa/dir', '/qb/dir'); // a populated directory between quota directories
      await check();
      assert.deepEqual(await fs.getQuotaUsage('/qa'), { fileAndDirectoryCount: 1, quota: 100, spaceConsumed: 0, spaceQuota: 1_000_000 });
      assert.deepEqual(await fs.getQuotaUsage('/qb'), { fileAndDirectoryCount: 12, quota: 100, spaceConsumed: 1000 + 2100 + 70_000, spaceQuota: 1_000_000 });
      assert.equal(await count(fs, 'SELECT COUNT(*) AS n FROM fs_subtree_operations'), 0);
      await fs.rename('/qb/dir', '/free/dir'); // and out of every quota
      await check();
      await fs.rename('/free/dir', '/qa/dir');
      await fs.rename('/qa/dir/sub0', '/qa/sub0'); // within one quota directory: no change
      await check();

      await fs.truncate('/qa/dir/blocks', 1000);
      await fs.concat('/qa/dir/sub1/file1', ['/qa/dir/sub1/file3']); // one name less, the same bytes
      await check();
      assert.equal(await fs.delete('/qa/dir', { recursive: true }), true);
      await check();
      assert.deepEqual(await fs.getQuotaUsage('/qa'), { fileAndDirectoryCount: 5, quota: 100, spaceConsumed: 100 + 300 + 500, spaceQuota: 1_000_000 });
    }));

  test('a directory’s own quota moves with it; nested quotas are all charged', () =>
    withFs(async ({ fs }) => {
      await fs.mkdirs('/outer/inner');
      await fs.mkdirs('/other');
      await fs.setQuota('/outer', { namespace: 10 });
      await fs.setQuota('/outer/inner', { namespace: 3 });
      await fs.setQuota('/other', { namespace: 5 });
      await fs.writeFile('/outer/inner/a', 'a');
      await fs.writeFile('/outer/inner/b', 'b');
      await assertRefused(fs, () => fs.writeFile('/outer/inner/c', 'c'), NamespaceQuotaExceededError, NS, 'the inner quota');
      assert.equal((await fs.getQuotaUsage('/outer')).fileAndDirectoryCount, 4);
      await fs.rename('/outer/inner', '/other/inner');
      assert.equal((await fs.getQuotaUsage('/outer')).fileAndDirectoryCount, 1);
      assert.equal((await fs.getQuotaUsage('/other')).fileAndDirectoryCount, 4);
      assert.deepEqual(await fs.getQuotaUsage('/other/inner'), { fileAndDirectoryCount: 3, quota: 3, spaceConsumed: 2, spaceQuota: -1 });
      await fs.writeFile('/other/x', 'x');
      await fs.setQuota('/outer', { namespace: 5 });
      await assertRefused(fs, () => fs.rename('/other', '/outer/other'), NamespaceQuotaExceededError, NS, 'a quota directory into a smaller quota');
      await fs.setQuota('/outer', { namespace: 6 });
      await fs.rename('/other', '/outer/other');
      assert.equal((await fs.getQuotaUsage('/outer')).fileAndDirectoryCount, 6);
      await assertHealthy(fs);
    }));

  test('a populated directory that would pass the destination’s quota is refused, and stays usable', () =>
    withFs(
      async ({ fs }) => {
        await fs.mkdirs('/small');
        await fs.setQuota('/small', { namespace: 3 });
        for (let i = 0; i < 5; i++) await fs.writeFile(`/big/dir/f${i}`, `${i}`);
        await assertRefused(fs, () => fs.rename('/big/dir', '/small/dir'), NamespaceQuotaExceededError, NS, 'a 6-name directory into a 3-name quota');
        await fs.writeFile('/big/dir/after', 'usable at once'); // no subtree lock left behind
        await fs.rename('/big/dir', '/big/dir2');
        await assertHealthy(fs);
      },
      { limits: { subtreeWaitMs: 500 } },
    ));

  test('setQuota on a populated directory counts what is there; a quota may be set below usage; null clears', () =>
    withFs(async ({ fs }) => {
      for (let i = 0; i < 5; i++) await fs.writeFile(`/p/d${i % 2}/f${i}`, patternBytes(1000, i));
      await fs.setQuota('/p', { namespace: 5, space: 4000 }); // usage: 8 names, 5000 bytes
      assert.deepEqual(await fs.getQuotaUsage('/p'), { fileAndDirectoryCount: 8, quota: 5, spaceConsumed: 5000, spaceQuota: 4000 });
      await assertRefused(fs, () => fs.writeFile('/p/more', ''), NamespaceQuotaExceededError, NS, 'over a quota set below usage');
      assert.equal(await fs.delete('/p/d0/f0'), true, 'deleting is always allowed');
      await fs.setQuota('/p', { namespace: null }); // keeps the space quota
      assert.deepEqual(await fs.getQuotaUsage('/p'), { fileAndDirectoryCount: 7, quota: -1, spaceConsumed: 4000, spaceQuota: 4000 });
      await fs.writeFile('/p/more', '');
      await assertRefused(fs, () => fs.writeFile('/p/bytes', 'x'), SpaceQuotaExceededError, DS, 'the remaining space quota');
      await fs.setQuota('/p', { space: null });
      assert.deepEqual(await fs.getQuotaUsage('/p'), { fileAndDirectoryCount: 8, quota: -1, spaceConsumed: 4000, spaceQuota: -1 });
      assert.equal(await count(fs, 'SELECT COUNT(*) AS n FROM fs_quotas'), 0);
      await fs.writeFile('/p/bytes', patternBytes(100_000, 9));
      const summary = await fs.getContentSummary('/p');
      assert.deepEqual([summary.quota, summary.spaceQuota, summary.spaceConsumed], [-1, -1, 104_000]);
      await assertHealthy(fs);
    }));
});

describeEachEngine('extended attributes', (withFs) => {
  test('set, get, list and remove, on files and directories; they follow renames and go with deletes', () =>
    withFs(async ({ fs }) => {
      await fs.writeFile('/x/f', 'f');
      const binary = Buffer.from([0, 1, 2, 255, 0, 128]);
      await fs.setXAttr('/x/f', 'user.text', 'hello');
      await fs.setXAttr('/x/f', 'user.bin', binary);
      await fs.setXAttr('/x/f', 'user.empty', '');
      await fs.setXAttr('/x', 'user.onDir', 'd');
      assert.deepEqual(await fs.listXAttrs('/x/f'), ['user.bin', 'user.empty', 'user.text']);
      const all = await fs.getXAttrs('/x/f');
      assert.deepEqual(Object.keys(all).sort(), ['user.bin', 'user.empty', 'user.text']);
      assert.ok(all['user.bin']!.equals(binary));
      assert.equal(all['user.empty']!.length, 0);
      assert.deepEqual(Object.keys(await fs.getXAttrs('/x/f', ['user.text'])), ['user.text']);
      assert.equal((await fs.getXAttrs('/x'))['user.onDir']!.toString(), 'd');
      await fs.setXAttr('/x/f', 'user.text', 'replaced');
      assert.equal((await fs.getXAttrs('/x/f', ['user.text']))['user.text']!.toString(), 'replaced');
      await fs.removeXAttr('/x/f', 'user.empty');
      assert.deepEqual(await fs.listXAttrs('/x/f'), ['user.bin', 'user.text']);
      await fs.rename('/x', '/y');
      assert.equal((await fs.getXAttrs('/y/f', ['user.text']))['user.text']!.toString(), 'replaced');
      assert.deepEqual(await fs.listXAttrs('/y'), ['user.onDir']);
      await fs.delete('/y/f');
      await fs.writeFile('/y/f', 'new');
      assert.deepEqual(await fs.listXAttrs('/y/f'), [], 'a new file at the same path has none');
    }));

  test('flags, missing names, the 32-per-inode limit, the 13,500-byte value limit and bad namespaces are XAttrErrors that change nothing', () =>
    withFs(async ({ fs }) => {
      await fs.writeFile('/f', 'f');
      await fs.setXAttr('/f', 'user.a', '1');
      const refuse = (what: string, call: () => Promise<unknown>) => assertRefused(fs, call, XAttrError, 'FS_XATTR', what);
      await refuse('create flag on an existing name', () => fs.setXAttr('/f', 'user.a', '2', { flag: 'create' }));
      await refuse('replace flag on a missing name', () => fs.setXAttr('/f', 'user.b', '2', { flag: 'replace' }));
      await refuse('remove a missing name', () => fs.removeXAttr('/f', 'user.b'));
      await refuse('get a missing name', () => fs.getXAttrs('/f', ['user.b']));
      await fs.setXAttr('/f', 'user.a', '2', { flag: 'replace' });
      await fs.setXAttr('/f', 'user.b', '3', { flag: 'create' });

      for (const name of ['system.x', 'security.x', 'raw.x', 'foo.x', 'nodot', '.x', 'user.', 'user.nul\0', `user.${'n'.repeat(256)}`]) {
        await refuse(`set ${JSON.stringify(name.slice(0, 20))}`, () => fs.setXAttr('/f', name, 'v'));
        await refuse(`get ${JSON.stringify(name.slice(0, 20))}`, () => fs.getXAttrs('/f', [name]));
        await refuse(`remove ${JSON.stringify(name.slice(0, 20))}`, () => fs.removeXAttr('/f', name));
      }
      await fs.setXAttr('/f', `user.${'n'.repeat(255)}`, 'long name');

      const max = patternBytes(13_500, 1);
      await fs.setXAttr('/f', 'user.max', max);
      assert.ok((await fs.getXAttrs('/f', ['user.max']))['user.max']!.equals(max));
      await refuse('a 13,501-byte value', () => fs.setXAttr('/f', 'user.over', patternBytes(13_501, 2)));
      await refuse('replacing with a 13,501-byte value', () => fs.setXAttr('/f', 'user.max', patternBytes(13_501, 2)));

      await fs.setXAttr('/f', 'trusted.t', 't'); // trusted.* count toward the limit too
      const have = (await fs.listXAttrs('/f')).length;
      for (let i = have; i < 32; i++) await fs.setXAttr('/f', `user.k${i}`, `${i}`);
      assert.equal((await fs.listXAttrs('/f')).length, 32);
      await refuse('a 33rd attribute', () => fs.setXAttr('/f', 'user.one-too-many', 'x'));
      await refuse('a 33rd attribute, trusted', () => fs.setXAttr('/f', 'trusted.one-too-many', 'x'));
      await fs.setXAttr('/f', 'user.a', 'replacing does not add'); // still allowed at the limit
      await fs.removeXAttr('/f', 'user.b');
      await fs.setXAttr('/f', 'user.one-more', 'fits again');
      assert.equal((await fs.listXAttrs('/f')).length, 32);
      await fs.writeFile('/g', 'g');
      await fs.setXAttr('/g', 'user.a', 'the limit is per inode');
    }));
});

describeEachEngine('leases', (withFs) => {
  test('while a writer is open, a second writer (append or create with overwrite) is refused, from any instance', () =>
    withFs(async ({ fs, reopen }) => {
      const other = await reopen();
      await fs.writeFile('/l/f', 'base');
      const writer = await fs.append('/l/f');
      await writer.write(' more');
      assert.equal((await fs.getFileStatus('/l/f')).underConstruction, true);
      assert.equal((await fs.readFile('/l/f')).toString(), 'base', 'readers see the last closed version');
      for (const [who, view] of [
        ['same instance', fs],
        ['other instance', other],
      ] as const) {
        await assertRefused(fs, () => view.append('/l/f'), LeaseHeldError, 'FS_LEASE_HELD', `${who}: append`);
        await assertRefused(fs, () => view.create('/l/f', { overwrite: true }), LeaseHeldError, 'FS_LEASE_HELD', `${who}: create overwrite`);
        await assertRefused(fs, () => view.writeFile('/l/f', 'x', { overwrite: true }), LeaseHeldError, 'FS_LEASE_HELD', `${who}: writeFile overwrite`);
      }
      assert.equal(await other.recoverLease('/l/f'), false, 'a live lease is not recovered');
      await writer.close();
      assert.equal((await fs.readFile('/l/f')).toString(), 'base more');
      assert.equal((await fs.getFileStatus('/l/f')).underConstruction, false);

      const created = await fs.create('/l/new');
      await assertRefused(fs, () => other.create('/l/new', { overwrite: true }), LeaseHeldError, 'FS_LEASE_HELD', 'create over a file being created');
      await created.abort(); // an aborted writer releases its lease at once
      assert.equal((await fs.getFileStatus('/l/new')).underConstruction, false);
      await write(other, '/l/new', 'second writer');
      assert.equal((await fs.readFile('/l/new')).toString(), 'second writer');
      assert.equal(await count(fs, 'SELECT COUNT(*) AS n FROM fs_leases'), 0);
    }));

  test('a file being written: truncate and concat are refused; deleting it ends the writer, whose close then fails', () =>
    withFs(async ({ fs }) => {
      await fs.writeFile('/l/f', 'base bytes');
      await fs.writeFile('/l/g', 'other');
      const writer = await fs.append('/l/f');
      await writer.write(patternBytes(100_000, 1)); // past the small-file tier: into blocks
      await assertRefused(fs, () => fs.truncate('/l/f', 1), LeaseHeldError, 'FS_LEASE_HELD', 'truncate of a file being written');
      const concatError = await rejection(fs.concat('/l/g', ['/l/f']), 'concat of a file being written');
      assert.ok(concatError instanceof LeaseHeldError || concatError instanceof InvalidOperationError, String(concatError));
      assert.equal((await fs.readFile('/l/g')).toString(), 'other');
      assert.equal(await fs.delete('/l/f'), true);
      assertTypedError(await rejection(writer.close(), 'close after delete'), LeaseExpiredError, 'FS_LEASE_EXPIRED', 'close after delete');
      assert.equal(await fs.exists('/l/f'), false);
      assert.equal(await count(fs, 'SELECT COUNT(*) AS n FROM fs_leases'), 0);
      await assertHealthy(fs); // the writer's blocks are not left behind
    }));

  test('a dead writer’s lease expires: another writer takes over and the file keeps its last closed bytes', () =>
    withFs(
      async ({ fs, reopen }) => {
        await fs.writeFile('/d/appended', 'kept');
        const dead = await reopen(); // a client that dies: its instance closes, its writers are never closed
        const w1 = await dead.create('/d/created');
        await w1.write('lost');
        const w2 = await dead.append('/d/appended');
        await w2.write(' lost');
        await dead.close();
        await assertRefused(fs, () => fs.append('/d/appended'), LeaseHeldError, 'FS_LEASE_HELD', 'before expiry');
        await sleep(LEASE_MS + 300);
        await write(fs, '/d/appended', ' new');
        assert.equal((await fs.readFile('/d/appended')).toString(), 'kept new');
        await fs.writeFile('/d/created', 'replaced', { overwrite: true });
        assert.equal((await fs.readFile('/d/created')).toString(), 'replaced');
        assert.equal((await fs.getFileStatus('/d/created')).underConstruction, false);
        await w1.abort();
        await w2.abort();
        await assertHealthy(fs);
      },
      { limits: { leaseSoftLimitMs: LEASE_MS } },
    ));

  test('a writer that stopped renewing loses its lease to a taker; its close then fails and publishes nothing', () =>
    withFs(
      async ({ fs, reopen }) => {
        // The slow writer renews every 20 s; to the taker, silence of more than LEASE_MS means a dead writer.
        const slow = await reopen({ limits: { leaseSoftLimitMs: 60_000 } });
        await fs.writeFile('/s/f', 'base');
        const writer = await slow.append('/s/f');
        await writer.write(' slow');
        await sleep(LEASE_MS + 300);
        await write(fs, '/s/f', ' taker');
        assertTypedError(await rejection(writer.close()), LeaseExpiredError, 'FS_LEASE_EXPIRED', 'the old writer closes');
        assert.equal((await fs.readFile('/s/f')).toString(), 'base taker');

        const second = await slow.create('/s/g');
        await second.write(patternBytes(100_000, 1)); // into blocks
        await sleep(LEASE_MS + 300);
        await fs.writeFile('/s/g', 'overwritten', { overwrite: true });
        assertTypedError(await rejection(second.close()), LeaseExpiredError, 'FS_LEASE_EXPIRED', 'the old creator closes');
        assert.equal((await fs.readFile('/s/g')).toString(), 'overwritten');
        await assertHealthy(fs); // the old writer's blocks were not left behind
      },
      { limits: { leaseSoftLimitMs: LEASE_MS } },
    ));

  test('recoverLease closes a dead writer’s file once its lease expired; fsck reports and repairs expired leases', () =>
    withFs(
      async ({ fs, reopen }) => {
        await fs.writeFile('/r/f', 'closed bytes');
        await fs.writeFile('/r/g', 'other');
        const dead = await reopen();
        const w1 = await dead.append('/r/f');
        await w1.write(' never published');
        const w2 = await dead.append('/r/g');
        await dead.close();
        assert.equal(await fs.recoverLease('/r/f'), false, 'not yet expired');
        assert.equal((await fs.getFileStatus('/r/f')).underConstruction, true);
        await sleep(LEASE_MS + 300);
        assert.equal(await fs.recoverLease('/r/f'), true);
        const status = await fs.getFileStatus('/r/f');
        assert.deepEqual([status.underConstruction, status.length], [false, 12]);
        assert.equal((await fs.readFile('/r/f')).toString(), 'closed bytes');
        assert.equal(await fs.recoverLease('/r/f'), true, 'a closed file needs no recovery');

        const report = await fs.fsck();
        assert.equal(report.healthy, false);
        assert.deepEqual(report.expiredLeases.map((l) => l.inodeId), [(await fs.getFileStatus('/r/g')).fileId]);
        const before = await fsState(fs);
        assert.equal((await fs.fsck({ repair: true })).repaired, true);
        assert.notDeepEqual(await fsState(fs), before);
        assert.equal((await fs.getFileStatus('/r/g')).underConstruction, false);
        assert.equal((await fs.readFile('/r/g')).toString(), 'other');
        await assertHealthy(fs);
        await w1.abort();
        await w2.abort();
      },
      { limits: { leaseSoftLimitMs: LEASE_MS } },
    ));
});
