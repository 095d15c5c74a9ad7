import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, writeFile as writeLocal, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describeEachEngine } from '../support/fs-fixture.js';
import type { FileSystem } from '../../src/fs/file-system.js';
import { DirectoryNotEmptyError, SubtreeLockedError } from '../../src/errors/fs-errors.js';
import { assertRefused, blockFiles, blockIdsOf, count, patternBytes, sql } from './spec-helpers.js';

// Specification: operations on subtrees larger than one transaction should hold (HopsFS's subtree operations):
// recursive delete, directory rename between quota directories and setQuota on a populated directory work on any
// size and leave a consistent namespace; while a subtree operation holds a directory, changes inside it are refused
// with a retriable SubtreeLockedError; an operation whose process died is taken over; fsck finds and repairs what
// a crash or a bug can leave behind.

const LIMITS = { smallSubtreeLimit: 50, subtreeBatchSize: 20 };

/** Runs `jobs` with at most `width` at a time. */
async function inParallel(width: number, jobs: (() => Promise<unknown>)[]): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < jobs.length) await jobs[next++]!();
    }),
  );
}

/**
 * 10 directories × 5 subdirectories × 5 small files (310 entries), plus a directory whose policy puts its 3 files in
 * 3 blocks each: 314 entries below `root`, far over smallSubtreeLimit.
 */
async function buildLargeTree(fs: FileSystem, root: string): Promise<{ entries: number; bytes: number }> {
  const jobs: (() => Promise<unknown>)[] = [];
  let bytes = 0;
  for (let d = 0; d < 10; d++) {
    for (let e = 0; e < 5; e++) {
      for (let f = 0; f < 5; f++) {
        const size = 10 + d + e + f;
        bytes += size;
        jobs.push(() => fs.writeFile(`${root}/d${d}/e${e}/f${f}`, patternBytes(size, d * 100 + e * 10 + f)));
      }
    }
  }
  await fs.mkdirs(`${root}/blk`);
  await fs.setStoragePolicy(`${root}/blk`, { inlineMax: 0, smallMax: 0, blockSize: 1024 });
  for (let i = 0; i < 3; i++) {
    bytes += 3000;
    jobs.push(() => fs.writeFile(`${root}/blk/b${i}`, patternBytes(3000, i)));
  }
  // Parents first, so that parallel creates do not race to make the same directories.
  for (let d = 0; d < 10; d++) for (let e = 0; e < 5; e++) await fs.mkdirs(`${root}/d${d}/e${e}`);
  await inParallel(8, jobs);
  return { entries: 314, bytes };
}

async function assertHealthy(fs: FileSystem): Promise<void> {
  const report = await fs.fsck({ graceMs: 0 });
  assert.equal(report.healthy, true, `fsck: ${JSON.stringify(report)}`);
}

async function assertNoSubtreeOperations(fs: FileSystem): Promise<void> {
  assert.equal(await count(fs, 'SELECT COUNT(*) AS n FROM fs_subtree_operations'), 0, 'subtree operation records left');
  assert.equal(await count(fs, 'SELECT COUNT(*) AS n FROM fs_inodes WHERE subtree_lock IS NOT NULL'), 0, 'subtree locks left');
}

/** Marks `path` as held by a subtree operation, as `SubtreeOperation.begin` does, with the given heartbeat time. */
async function holdSubtree(fs: FileSystem, path: string, id: string, kind: 'delete' | 'rename' | 'quota', heartbeatAt: number | null): Promise<void> {
  const { fileId } = await fs.getFileStatus(path);
  await sql(fs, 'UPDATE fs_inodes SET subtree_lock = ? WHERE id = ?', [id, fileId]);
  if (heartbeatAt !== null) {
    await sql(fs, 'INSERT INTO fs_subtree_operations (id, root_id, kind, path, heartbeat_at) VALUES (?, ?, ?, ?, ?)', [id, fileId, kind, path, heartbeatAt]);
  }
}

describeEachEngine('large subtrees', (withFs) => {
  test('recursive delete of a subtree larger than one transaction: refused without recursive, complete with it', () =>
    withFs(async ({ fs }) => {
      await fs.mkdirs('/q');
      await fs.setQuota('/q', { namespace: 10_000, space: 10_000_000 });
      const { entries } = await buildLargeTree(fs, '/q/big');
      await fs.writeFile('/q/keep/file', 'kept');
      assert.equal((await fs.getQuotaUsage('/q')).fileAndDirectoryCount, 1 + 1 + entries + 2);
      assert.equal((await fs.fsck({ graceMs: 0 })).blocks, 9);

      await assertRefused(fs, () => fs.delete('/q/big'), DirectoryNotEmptyError, 'FS_DIRECTORY_NOT_EMPTY', 'non-recursive delete of a large directory');
      await assertNoSubtreeOperations(fs);
      await fs.rename('/q/big', '/q/big2'); // a large directory renamed within one quota directory: one row moves
      await fs.rename('/q/big2', '/q/big');
      assert.ok((await fs.readFile('/q/big/d9/e4/f4')).equals(patternBytes(10 + 9 + 4 + 4, 944)));
      assert.equal(await fs.delete('/q/big', { recursive: true }), true);
      assert.equal(await fs.exists('/q/big'), false);
      assert.equal(await fs.exists('/q/big/d3/e2/f1'), false);
      assert.deepEqual((await fs.listStatus('/q')).entries.map((e) => e.name), ['keep']);
      assert.equal((await fs.getFileStatus('/q')).childrenNum, 1);
      assert.deepEqual(await fs.getQuotaUsage('/q'), { fileAndDirectoryCount: 3, quota: 10_000, spaceConsumed: 4, spaceQuota: 10_000_000 });
      assert.equal(await count(fs, 'SELECT COUNT(*) AS n FROM fs_inodes'), 4, 'root, /q, /q/keep, /q/keep/file');
      assert.deepEqual(await blockFiles(fs), [], 'every block of the deleted files is gone');
      await assertNoSubtreeOperations(fs);
      await assertHealthy(fs);
      // The name is free again.
      await fs.writeFile('/q/big/new', 'new');
      assert.equal((await fs.readFile('/q/big/new')).toString(), 'new');
    }, { limits: LIMITS }));

  test('setQuota on a large populated directory counts it; a large directory moves between quota directories', () =>
    withFs(async ({ fs }) => {
      const { entries, bytes } = await buildLargeTree(fs, '/qa/big');
      await fs.mkdirs('/qb');
      await fs.setQuota('/qa', { namespace: 1000 });
      await fs.setQuota('/qb', { namespace: 1000, space: 1_000_000 });
      assert.deepEqual(await fs.getQuotaUsage('/qa'), { fileAndDirectoryCount: 2 + entries, quota: 1000, spaceConsumed: bytes, spaceQuota: -1 });
      const summary = await fs.getContentSummary('/qa/big');
      assert.deepEqual([summary.fileCount + summary.directoryCount, summary.length], [1 + entries, bytes]);

      await fs.rename('/qa/big', '/qb/big');
      assert.deepEqual(await fs.getQuotaUsage('/qa'), { fileAndDirectoryCount: 1, quota: 1000, spaceConsumed: 0, spaceQuota: -1 });
      assert.deepEqual(await fs.getQuotaUsage('/qb'), { fileAndDirectoryCount: 2 + entries, quota: 1000, spaceConsumed: bytes, spaceQuota: 1_000_000 });
      assert.deepEqual(await fs.getContentSummary('/qb/big'), summary);
      assert.ok((await fs.readFile('/qb/big/d9/e4/f4')).equals(patternBytes(10 + 9 + 4 + 4, 944)));
      assert.ok((await fs.readFile('/qb/big/blk/b2')).equals(patternBytes(3000, 2)));
      await assertNoSubtreeOperations(fs);
      await assertHealthy(fs);

      await fs.setQuota('/qb/big', { namespace: 500 }); // its own quota, counted from the subtree
      assert.deepEqual(await fs.getQuotaUsage('/qb/big'), { fileAndDirectoryCount: 1 + entries, quota: 500, spaceConsumed: bytes, spaceQuota: -1 });
      await fs.rename('/qb/big', '/qa/big'); // a quota directory moves with its recorded usage
      assert.equal((await fs.getQuotaUsage('/qa')).fileAndDirectoryCount, 2 + entries);
      assert.equal((await fs.getQuotaUsage('/qb')).fileAndDirectoryCount, 1);
      assert.equal(await fs.delete('/qa/big', { recursive: true }), true);
      assert.equal((await fs.getQuotaUsage('/qa')).fileAndDirectoryCount, 1);
      await assertNoSubtreeOperations(fs);
      await assertHealthy(fs);
    }, { limits: LIMITS }));

  test('while a live subtree operation holds a directory, changes inside it are refused with SubtreeLockedError', () =>
    withFs(
      async ({ fs }) => {
        for (let i = 0; i < 3; i++) await fs.writeFile(`/outer/big/d${i}/f`, `${i}`);
        await fs.writeFile('/outer/big/d0/f2', 'f2');
        await fs.writeFile('/other/x', 'x');
        await holdSubtree(fs, '/outer/big', 'delete-live', 'delete', Date.now() + 60_000);
        const inside: [string, () => Promise<unknown>][] = [
          ['writeFile inside', () => fs.writeFile('/outer/big/d0/new', 'x')],
          ['overwrite inside', () => fs.writeFile('/outer/big/d0/f', 'x', { overwrite: true })],
          ['mkdirs inside', () => fs.mkdirs('/outer/big/newdir/deeper')],
          ['create inside', () => fs.create('/outer/big/d1/new')],
          ['append inside', () => fs.append('/outer/big/d0/f')],
          ['truncate inside', () => fs.truncate('/outer/big/d0/f', 0)],
          ['delete inside', () => fs.delete('/outer/big/d0/f')],
          ['delete the held directory', () => fs.delete('/outer/big', { recursive: true })],
          ['delete an ancestor', () => fs.delete('/outer', { recursive: true })],
          ['rename out of it', () => fs.rename('/outer/big/d0', '/other/d0')],
          ['rename into it', () => fs.rename('/other/x', '/outer/big/x')],
          ['rename the held directory', () => fs.rename('/outer/big', '/moved')],
          ['setPermission inside', () => fs.setPermission('/outer/big/d0', 0o700)],
          ['setXAttr inside', () => fs.setXAttr('/outer/big/d0/f', 'user.a', 'v')],
          ['setQuota inside', () => fs.setQuota('/outer/big/d1', { namespace: 10 })],
          ['setQuota on an ancestor', () => fs.setQuota('/outer', { namespace: 100 })],
          ['concat inside', () => fs.concat('/outer/big/d0/f', ['/outer/big/d0/f2'])],
        ];
        for (const [what, call] of inside) {
          const started = Date.now();
          const before = await count(fs, 'SELECT COUNT(*) AS n FROM fs_inodes');
          try {
            await call();
            assert.fail(`${what}: succeeded inside a held subtree`);
          } catch (error) {
            assert.ok(error instanceof SubtreeLockedError, `${what}: ${String(error)}`);
            assert.equal(error.code, 'FS_SUBTREE_LOCKED');
            assert.equal(error.retriable, true);
          }
          assert.equal(await count(fs, 'SELECT COUNT(*) AS n FROM fs_inodes'), before);
          assert.ok(Date.now() - started < 5000);
        }
        // The refusals above changed nothing (checked fully for a few).
        await assertRefused(fs, () => fs.writeFile('/outer/big/d2/g', 'g'), SubtreeLockedError, 'FS_SUBTREE_LOCKED', 'writeFile inside');
        await assertRefused(fs, () => fs.rename('/outer/big/d2', '/other/d2'), SubtreeLockedError, 'FS_SUBTREE_LOCKED', 'rename out');
        // Outside the held subtree, everything works at once.
        await fs.writeFile('/other/y', 'y');
        await fs.writeFile('/outer/sibling', 's');
        await fs.rename('/other/y', '/other/z');
        assert.equal((await fs.readFile('/outer/big/d1/f')).toString(), '1', 'reading inside is not a change');
        // Once the operation ends, the subtree is free.
        await sql(fs, 'DELETE FROM fs_subtree_operations');
        await sql(fs, 'UPDATE fs_inodes SET subtree_lock = NULL');
        await fs.writeFile('/outer/big/d0/new', 'x');
        await assertHealthy(fs);
      },
      { limits: { ...LIMITS, subtreeWaitMs: 30 } },
    ));

  test('an operation whose process died (stale heartbeat, or no record) is taken over by the next operation that meets it', () =>
    withFs(
      async ({ fs }) => {
        const stale = Date.now() - 60_000;
        // A rename or quota change that died: released, the namespace as it was.
        for (let i = 0; i < 3; i++) await fs.writeFile(`/a/big/d${i}/f`, `${i}`);
        await holdSubtree(fs, '/a/big', 'rename-dead', 'rename', stale);
        await fs.writeFile('/a/big/d0/new', 'after recovery');
        assert.deepEqual((await fs.listStatus('/a/big/d0')).entries.map((e) => e.name), ['f', 'new']);
        assert.equal((await fs.getFileStatus('/a/big')).childrenNum, 3);

        // A delete that died: finished by whoever meets it, quotas above charged, blocks freed.
        await fs.mkdirs('/b');
        await fs.setQuota('/b', { namespace: 10_000 });
        const { entries } = await buildLargeTree(fs, '/b/big');
        await fs.writeFile('/b/keep', 'k');
        assert.equal((await fs.getQuotaUsage('/b')).fileAndDirectoryCount, 3 + entries);
        await holdSubtree(fs, '/b/big', 'delete-dead', 'delete', stale);
        assert.equal(await fs.delete('/b/big/d0/e0/f0'), false, 'the delete was finished first: nothing left to delete');
        assert.equal(await fs.exists('/b/big'), false);
        assert.deepEqual(await fs.getQuotaUsage('/b'), { fileAndDirectoryCount: 2, quota: 10_000, spaceConsumed: 1, spaceQuota: -1 });
        assert.equal((await fs.getFileStatus('/b')).childrenNum, 1);

        // A mark whose record is gone altogether.
        await holdSubtree(fs, '/a/big/d1', 'ghost', 'delete', null);
        await fs.writeFile('/a/big/d1/new', 'x');
        assert.equal((await fs.readFile('/a/big/d1/f')).toString(), '1');

        await assertNoSubtreeOperations(fs);
        await assertHealthy(fs);
        assert.deepEqual(await blockFiles(fs), []);
      },
      { limits: { ...LIMITS, subtreeStaleMs: 100 } },
    ));

  test('fsck reports orphan and leftover block files, wrong counts and usage, stale operations and unreachable inodes, and repairs them', () =>
    withFs(
      async ({ fs, store }) => {
        await fs.mkdirs('/t');
        await fs.setQuota('/t', { namespace: 1000, space: 10_000_000 });
        for (let i = 0; i < 5; i++) await fs.writeFile(`/t/dir/f${i}`, patternBytes(100, i));
        await fs.writeFile('/t/blocks', patternBytes(100_000, 7)); // blocks
        await fs.writeFile('/t/lost/inner/file', patternBytes(80_000, 8)); // blocks, about to become unreachable
        await fs.writeFile('/t/lost/small', 'small');
        await fs.writeFile('/held/x', 'x');
        const clean = await fs.fsck({ graceMs: 0 });
        assert.equal(clean.healthy, true, JSON.stringify(clean));
        assert.deepEqual([clean.files, clean.directories, clean.blocks], [9, 6, 2]);

        // Damage of every repairable kind.
        const orphanPath = fs.blockStore.localPath(987_654)!;
        await mkdir(dirname(orphanPath), { recursive: true });
        await writeLocal(orphanPath, 'nobody references me');
        const leftover = join(store.dataDir, 'blocks', 'tmp', 'blk_123.deadbeef');
        await writeLocal(leftover, 'half a block');
        const dirId = (await fs.getFileStatus('/t/dir')).fileId;
        const tId = (await fs.getFileStatus('/t')).fileId;
        const lost = await fs.getFileStatus('/t/lost');
        const lostBlock = (await blockIdsOf(fs, '/t/lost/inner/file'))[0]!.blockId;
        const lostIds = [lost.fileId, (await fs.getFileStatus('/t/lost/inner')).fileId, (await fs.getFileStatus('/t/lost/inner/file')).fileId, (await fs.getFileStatus('/t/lost/small')).fileId];
        await sql(fs, 'UPDATE fs_inodes SET children = 99 WHERE id = ?', [dirId]);
        await sql(fs, 'UPDATE fs_quotas SET ns_used = 1, ds_used = 5 WHERE inode_id = ?', [tId]);
        await sql(fs, 'UPDATE fs_inodes SET parent_id = 999999, partition_id = 999999 WHERE id = ?', [lost.fileId]);
        await holdSubtree(fs, '/held', 'rename-dead', 'rename', Date.now() - 60_000);

        const young = await fs.fsck();
        assert.deepEqual(young.orphanBlocks, [], 'a young unreferenced block may be a writer’s: left alone within the grace period');
        const report = await fs.fsck({ graceMs: 0 });
        assert.equal(report.healthy, false);
        assert.equal(report.repaired, false);
        assert.deepEqual(report.orphanBlocks, [987_654]);
        assert.deepEqual(report.incompleteBlockFiles, ['blk_123.deadbeef']);
        assert.deepEqual(report.missingBlocks, []);
        assert.deepEqual(report.staleSubtreeOperations, [{ id: 'rename-dead', kind: 'rename', path: '/held' }]);
        assert.deepEqual(
          [...report.wrongChildCounts].sort((a, b) => a.inodeId - b.inodeId),
          [
            { inodeId: tId, recorded: 3, actual: 2 },
            { inodeId: dirId, recorded: 99, actual: 5 },
          ].sort((a, b) => a.inodeId - b.inodeId),
        );
        assert.deepEqual(report.wrongQuotaUsage, [
          { inodeId: tId, recorded: { names: 1, space: 5 }, actual: { names: 1 + 1 + 5 + 1, space: 500 + 100_000 } },
        ]);
        assert.deepEqual([...report.unreachableInodes].sort((a, b) => a - b), [...lostIds].sort((a, b) => a - b));
        assert.ok(existsSync(orphanPath), 'a report without repair changes nothing');

        const repaired = await fs.fsck({ graceMs: 0, repair: true });
        assert.equal(repaired.repaired, true);
        assert.equal(existsSync(orphanPath), false);
        assert.equal(existsSync(leftover), false);
        assert.equal(existsSync(fs.blockStore.localPath(lostBlock)!), false, 'the blocks of unreachable files are removed');
        assert.equal((await fs.getFileStatus('/t/dir')).childrenNum, 5);
        assert.equal((await fs.getFileStatus('/t')).childrenNum, 2);
        assert.deepEqual(await fs.getQuotaUsage('/t'), { fileAndDirectoryCount: 8, quota: 1000, spaceConsumed: 100_500, spaceQuota: 10_000_000 });
        assert.equal(await count(fs, `SELECT COUNT(*) AS n FROM fs_inodes WHERE id IN (${lostIds.join(',')})`), 0);
        await assertNoSubtreeOperations(fs);
        await fs.writeFile('/held/y', 'free again');
        await assertHealthy(fs);

        // A block the namespace references but the store lost is data loss: reported, not repairable.
        const [kept] = await blockIdsOf(fs, '/t/blocks');
        await rm(fs.blockStore.localPath(kept!.blockId)!);
        const lossReport = await fs.fsck({ graceMs: 0, repair: true });
        assert.equal(lossReport.healthy, false);
        assert.deepEqual(lossReport.missingBlocks, [{ inodeId: (await fs.getFileStatus('/t/blocks')).fileId, blockId: kept!.blockId }]);
        assert.deepEqual((await fs.fsck({ graceMs: 0 })).missingBlocks.length, 1);
      },
      { limits: { ...LIMITS, subtreeStaleMs: 100 } },
    ));
});
