import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { describeEachEngine } from '../support/fs-fixture.js';
import { FileAlreadyExistsError, FileNotFoundError, FileTooLargeForDatabaseError } from '../../src/errors/fs-errors.js';
import { InvalidArgumentError } from '../../src/errors/humle-error.js';

// humle fs operations composed with the caller's own statements in one transaction (what the feature store needs
// to publish a Delta commit atomically), and staged local files adopted as blocks without a copy.

describeEachEngine('fs transactions', (withFs) => {
  test('files and the caller’s rows commit together', () =>
    withFs(async ({ fs }) => {
      await fs.mkdirs('/t/_log');
      await fs.engine.write((tx) => tx.run('CREATE TABLE IF NOT EXISTS t_marks (id BIGINT NOT NULL PRIMARY KEY)'));
      const staged = fs.stagingPath();
      writeFileSync(staged, 'PAR1 parquet bytes');
      const block = await fs.importBlock(staged);
      assert.equal(existsSync(staged), false, 'the staged file became the block');
      await fs.transaction({ files: 2 }, async (ftx) => {
        await ftx.writeFile('/t/_log/00000000000000000000.json', '{"commitInfo":{}}\n');
        await ftx.createFileFromBlocks('/t/part-0.parquet', [block]);
        await ftx.tx.run('INSERT INTO t_marks (id) VALUES (?)', [1]);
      });
      assert.equal((await fs.readFile('/t/_log/00000000000000000000.json')).toString(), '{"commitInfo":{}}\n');
      assert.equal((await fs.readFile('/t/part-0.parquet')).toString(), 'PAR1 parquet bytes');
      const status = await fs.getFileStatus('/t/part-0.parquet');
      assert.equal(status.length, block.length);
      assert.equal(status.storage, 'blocks');
      // The block is a plain local file another engine can read in place.
      assert.equal(readFileSync(fs.blockStore.localPath(block.blockId)!).toString(), 'PAR1 parquet bytes');
      const marks = await fs.engine.read((tx) => tx.all<{ id: number }>('SELECT id FROM t_marks'));
      assert.deepEqual(marks.map((m) => Number(m.id)), [1]);
    }));

  test('a failure anywhere in the unit leaves no file and no row', () =>
    withFs(async ({ fs }) => {
      await fs.mkdirs('/t/_log');
      await fs.engine.write((tx) => tx.run('CREATE TABLE IF NOT EXISTS t_marks (id BIGINT NOT NULL PRIMARY KEY)'));
      await assert.rejects(
        fs.transaction({ files: 2 }, async (ftx) => {
          await ftx.writeFile('/t/_log/00000000000000000000.json', 'x');
          await ftx.tx.run('INSERT INTO t_marks (id) VALUES (?)', [7]);
          throw new Error('the caller changed its mind');
        }),
        /changed its mind/,
      );
      assert.equal(await fs.exists('/t/_log/00000000000000000000.json'), false);
      const marks = await fs.engine.read((tx) => tx.all<{ id: number }>('SELECT id FROM t_marks'));
      assert.equal(marks.length, 0);
      assert.deepEqual((await fs.listStatus('/t/_log')).entries, []);
    }));

  test('a name that exists refuses the whole unit (Delta’s put-if-absent for commit files)', () =>
    withFs(async ({ fs }) => {
      await fs.mkdirs('/t/_log');
      await fs.writeFile('/t/_log/00000000000000000000.json', 'first writer');
      await assert.rejects(
        fs.transaction({ files: 1 }, (ftx) => ftx.writeFile('/t/_log/00000000000000000000.json', 'second writer')),
        FileAlreadyExistsError,
      );
      assert.equal((await fs.readFile('/t/_log/00000000000000000000.json')).toString(), 'first writer');
    }));

  test('refusals: missing parent, bytes too large for the database tiers, blocks over the block size, too few ids', () =>
    withFs(async ({ fs }) => {
      await assert.rejects(fs.transaction({ files: 1 }, (ftx) => ftx.writeFile('/nowhere/x', 'x')), FileNotFoundError);
      await fs.mkdirs('/blocksonly');
      await fs.setStoragePolicy('/blocksonly', { inlineMax: 0, smallMax: 0, blockSize: 1024 });
      await assert.rejects(fs.transaction({ files: 1 }, (ftx) => ftx.writeFile('/blocksonly/x', 'x')), FileTooLargeForDatabaseError);
      const staged = fs.stagingPath();
      writeFileSync(staged, Buffer.alloc(2048, 1));
      const block = await fs.importBlock(staged);
      await assert.rejects(fs.transaction({ files: 1 }, (ftx) => ftx.createFileFromBlocks('/blocksonly/big', [block])), /longer than the block size/);
      await assert.rejects(
        fs.transaction({ files: 1 }, async (ftx) => {
          await ftx.writeFile('/a', 'a');
          await ftx.writeFile('/b', 'b');
        }),
        InvalidArgumentError,
      );
      assert.equal(await fs.exists('/a'), false);
      assert.equal(await fs.exists('/blocksonly/big'), false);
      // The unreferenced block is garbage that fsck collects.
      const report = await fs.fsck({ repair: true, graceMs: 0 });
      assert.ok(report.orphanBlocks.includes(block.blockId));
    }));

  test('deleting a file inside a unit removes its blocks only after the commit', () =>
    withFs(async ({ fs }) => {
      await fs.mkdirs('/t');
      const staged = fs.stagingPath();
      writeFileSync(staged, 'data');
      const block = await fs.importBlock(staged);
      await fs.transaction({ files: 1 }, (ftx) => ftx.createFileFromBlocks('/t/f', [block]));
      const path = fs.blockStore.localPath(block.blockId)!;
      await assert.rejects(
        fs.transaction({ files: 0 }, async (ftx) => {
          assert.equal(await ftx.deleteFile('/t/f'), true);
          throw new Error('rolled back');
        }),
        /rolled back/,
      );
      assert.equal(existsSync(path), true, 'a rolled-back delete keeps the block');
      assert.equal(await fs.transaction({ files: 0 }, (ftx) => ftx.deleteFile('/t/f')), true);
      assert.equal(existsSync(path), false);
      assert.equal(await fs.exists('/t/f'), false);
    }));
});
