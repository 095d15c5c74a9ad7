import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import { describeEachEngine, type FsFixture } from '../../support/fs-fixture.js';

const CHILD = fileURLToPath(new URL('./crash-child.js', import.meta.url));

/** Runs a scenario in a child process and SIGKILLs it `delayMs` after it prints `marker`. */
async function killDuring(f: FsFixture, scenario: string, marker: string, delayMs: number): Promise<void> {
  const child = spawn(process.execPath, [CHILD, scenario, f.store.dataDir, JSON.stringify(f.store.engine)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
  const lines = createInterface({ input: child.stdout });
  await new Promise<void>((resolve, reject) => {
    lines.on('line', (line) => {
      if (line === marker) resolve();
    });
    child.on('exit', (code) => reject(new Error(`child exited (${code}) before printing ${marker}`)));
  });
  await new Promise((r) => setTimeout(r, delayMs));
  child.kill('SIGKILL');
  assert.equal(await exited, 'SIGKILL');
}

/** A restarted file system that treats the killed process's leases and subtree operations as dead at once. */
const afterCrash = { limits: { leaseSoftLimitMs: 0, subtreeStaleMs: 0 } };

describeEachEngine('crash safety under SIGKILL', (withFs) => {
  test('a large create killed mid-write leaves committed files intact and only orphans for fsck', () =>
    withFs(async (f) => {
      await f.fs.writeFile('/keep.txt', 'committed before the crash');
      await f.fs.writeFile('/keep-big.bin', Buffer.alloc(600 * 1024, 7));
      await killDuring(f, 'large-create', 'writing', 50);
      const fs = await f.reopen(afterCrash);
      assert.equal((await fs.readFile('/keep.txt')).toString(), 'committed before the crash');
      assert.deepEqual(await fs.readFile('/keep-big.bin'), Buffer.alloc(600 * 1024, 7));
      const big = await fs.getFileStatus('/big.bin');
      assert.equal(big.underConstruction, true, 'the file the dead writer created exists, under construction');
      assert.equal(big.length, 0, 'none of its unpublished bytes are visible');
      const before = await fs.fsck({ graceMs: 0 });
      assert.ok(before.orphanBlocks.length + before.incompleteBlockFiles.length > 0, 'the sealed blocks are orphans');
      assert.equal(before.expiredLeases.length, 1);
      await fs.fsck({ graceMs: 0, repair: true });
      const after = await fs.fsck({ graceMs: 0 });
      assert.equal(after.healthy, true, JSON.stringify(after));
      assert.equal((await fs.getFileStatus('/big.bin')).underConstruction, false);
      const writer = await fs.append('/big.bin');
      await writer.write('recovered');
      await writer.close();
      assert.equal((await fs.readFile('/big.bin')).toString(), 'recovered');
    }));

  test('an append that migrates a small file to blocks, killed midway, leaves the old bytes', () =>
    withFs(async (f) => {
      const original = Buffer.alloc(1000, 0x61);
      await f.fs.writeFile('/small.txt', original);
      assert.equal((await f.fs.getFileStatus('/small.txt')).storage, 'inline');
      await killDuring(f, 'append-migrates', 'spilled', 20);
      const fs = await f.reopen(afterCrash);
      assert.deepEqual(await fs.readFile('/small.txt'), original);
      await fs.fsck({ graceMs: 0, repair: true });
      const report = await fs.fsck({ graceMs: 0 });
      assert.equal(report.healthy, true, JSON.stringify(report));
      const status = await fs.getFileStatus('/small.txt');
      assert.equal(status.storage, 'inline');
      assert.equal(status.underConstruction, false);
    }));

  test('a directory rename killed at a random moment leaves the directory in exactly one place, whole', () =>
    withFs(async (f) => {
      await f.fs.mkdirs('/right/deep');
      for (let i = 0; i < 20; i++) await f.fs.writeFile(`/left/dir/sub/f${i}`, `content ${i}`);
      for (const delay of [5, 37, 113]) {
        await killDuring(f, 'rename-loop', 'renaming', delay);
        const fs = await f.reopen(afterCrash);
        const atLeft = await fs.exists('/left/dir');
        const atRight = await fs.exists('/right/deep/dir');
        assert.notEqual(atLeft, atRight, 'the directory is in exactly one place');
        const where = atLeft ? '/left/dir' : '/right/deep/dir';
        for (let i = 0; i < 20; i++) assert.equal((await fs.readFile(`${where}/sub/f${i}`)).toString(), `content ${i}`);
        const report = await fs.fsck({ graceMs: 0 });
        assert.equal(report.healthy, true, JSON.stringify(report));
        await fs.close();
      }
    }));

  test('a recursive delete of a 10,000-entry subtree killed midway is consistent, then finished by fsck --repair', () =>
    withFs(async (f) => {
      await f.fs.writeFile('/outside.txt', 'stays');
      const dirs = 100;
      for (let d = 0; d < dirs; d++) {
        await Promise.all(Array.from({ length: 99 }, (_, i) => f.fs.writeFile(`/tree/d${d}/f${i}`, `${d}/${i}`)));
      }
      const summary = await f.fs.getContentSummary('/tree');
      assert.equal(summary.fileCount + summary.directoryCount, 10_001);
      await killDuring(f, 'delete-tree', 'progressed', 0);
      const fs = await f.reopen(afterCrash);
      assert.equal((await fs.readFile('/outside.txt')).toString(), 'stays');
      const midway = await fs.fsck({ graceMs: 0 });
      // Batches commit whole: counts and quotas agree with what is left; only the operation itself is unfinished.
      assert.deepEqual(midway.wrongChildCounts, []);
      assert.deepEqual(midway.unreachableInodes, []);
      assert.deepEqual(midway.missingBlocks, []);
      assert.equal(await fs.exists('/tree'), true, 'the kill came before the delete finished');
      assert.equal(midway.staleSubtreeOperations.length, 1, 'the killed delete is reported');
      const left = await fs.getContentSummary('/tree');
      assert.ok(left.fileCount + left.directoryCount < 10_001, 'part of the tree was deleted before the kill');
      await fs.fsck({ graceMs: 0, repair: true });
      assert.equal(await fs.exists('/tree'), false, 'repair finished the delete');
      const after = await fs.fsck({ graceMs: 0 });
      assert.equal(after.healthy, true, JSON.stringify(after));
      assert.equal((await fs.getFileStatus('/')).childrenNum, 1);
    }));
});
