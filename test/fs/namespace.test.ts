import { test } from 'node:test';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { describeEachEngine } from '../support/fs-fixture.js';
import { FileAlreadyExistsError, FileNotFoundError, ParentNotDirectoryError, DirectoryNotEmptyError } from '../../src/errors/fs-errors.js';

describeEachEngine('namespace operations', (withFs) => {
  test('mkdirs creates missing parents and reports directories', () =>
    withFs(async ({ fs }) => {
      assert.equal(await fs.mkdirs('/a/b/c'), true);
      assert.equal(await fs.mkdirs('/a/b/c'), true, 'mkdirs of an existing directory succeeds');
      const status = await fs.getFileStatus('/a/b');
      assert.equal(status.type, 'DIRECTORY');
      assert.equal(status.childrenNum, 1);
      assert.equal(status.owner, 'hdfs');
      assert.equal(status.permissionString, 'drwxr-xr-x');
      assert.deepEqual((await fs.listStatus('/a')).entries.map((e) => e.name), ['b']);
    }));

  test('listStatus pages in name order with startAfter and limit', () =>
    withFs(async ({ fs }) => {
      const names = Array.from({ length: 25 }, (_, i) => `f${String(i).padStart(2, '0')}`);
      for (const n of [...names].reverse()) await fs.writeFile(`/d/${n}`, n);
      const first = await fs.listStatus('/d', { limit: 10 });
      assert.deepEqual(first.entries.map((e) => e.name), names.slice(0, 10));
      assert.equal(first.hasMore, true);
      const rest = await fs.listStatus('/d', { startAfter: 'f09', limit: 100 });
      assert.deepEqual(rest.entries.map((e) => e.name), names.slice(10));
      assert.equal(rest.hasMore, false);
      const all: string[] = [];
      for await (const e of fs.list('/d', 7)) all.push(e.name);
      assert.deepEqual(all, names);
      assert.deepEqual((await fs.listStatus('/d/f03')).entries.map((e) => e.path), ['/d/f03'], 'a file lists as itself');
    }));

  test('names are case-sensitive and ordered by bytes on every engine', () =>
    withFs(async ({ fs }) => {
      for (const n of ['b', 'B', 'a', 'é', 'Z']) await fs.writeFile(`/case/${n}`, n);
      assert.deepEqual((await fs.listStatus('/case')).entries.map((e) => e.name), ['B', 'Z', 'a', 'b', 'é']);
      assert.equal((await fs.readFile('/case/B')).toString(), 'B');
    }));

  test('create refuses an existing path unless overwrite, and a file as a parent', () =>
    withFs(async ({ fs }) => {
      await fs.writeFile('/f', 'one');
      await assert.rejects(fs.writeFile('/f', 'two'), FileAlreadyExistsError);
      await fs.writeFile('/f', 'three', { overwrite: true });
      assert.equal((await fs.readFile('/f')).toString(), 'three');
      await assert.rejects(fs.writeFile('/f/child', 'x'), ParentNotDirectoryError);
      await assert.rejects(fs.mkdirs('/f/sub'), ParentNotDirectoryError);
      await assert.rejects(fs.mkdirs('/f'), FileAlreadyExistsError);
      await assert.rejects(fs.writeFile('/missing/x', 'x', { createParent: false }), FileNotFoundError);
      assert.equal(await fs.exists('/missing'), false);
    }));

  test('delete removes files and directories; non-empty needs recursive', () =>
    withFs(async ({ fs }) => {
      await fs.writeFile('/d/e/f', 'x');
      await assert.rejects(fs.delete('/d'), DirectoryNotEmptyError);
      assert.equal(await fs.exists('/d/e/f'), true, 'a refused delete changes nothing');
      assert.equal(await fs.delete('/d/e/f'), true);
      assert.equal(await fs.delete('/d/e/f'), false, 'deleting a missing path returns false');
      assert.equal(await fs.delete('/d', { recursive: true }), true);
      assert.equal(await fs.exists('/d'), false);
      assert.equal((await fs.getFileStatus('/')).childrenNum, 0);
    }));

  test('getContentSummary counts files, directories, bytes', () =>
    withFs(async ({ fs }) => {
      await fs.writeFile('/p/a', Buffer.alloc(10));
      await fs.writeFile('/p/q/b', Buffer.alloc(2000));
      await fs.mkdirs('/p/r');
      const summary = await fs.getContentSummary('/p');
      assert.deepEqual(summary, { length: 2010, fileCount: 2, directoryCount: 3, quota: -1, spaceConsumed: 2010, spaceQuota: -1 });
    }));

  test('setTimes, setPermission, setOwner change the inode', () =>
    withFs(async ({ fs }) => {
      await fs.writeFile('/t', 'x');
      await fs.setTimes('/t', 1_000_000, -1);
      const before = await fs.getFileStatus('/t');
      assert.equal(before.modificationTime, 1_000_000);
      await fs.setPermission('/t', 0o600);
      await fs.setOwner('/t', 'alice', 'staff');
      const after = await fs.getFileStatus('/t');
      assert.equal(after.permissionString, '-rw-------');
      assert.equal(after.owner, 'alice');
      assert.equal(after.group, 'staff');
      assert.equal(after.accessTime, before.accessTime);
    }));

  test('a stale path hint never gives a wrong answer: another namenode renames and recreates the path', () =>
    withFs(async ({ fs, reopen }) => {
      const other = await reopen(); // a second "namenode": its own hint cache, the same database
      const deep = '/' + Array.from({ length: 40 }, (_, i) => `level${i}`).join('/');
      await fs.writeFile(`${deep}/file`, 'first');
      assert.equal((await fs.readFile(`${deep}/file`)).toString(), 'first'); // fs now holds hints for all 41 levels
      await other.rename('/level0', '/moved');
      await other.writeFile(`${deep}/file`, 'second'); // same path, all-new inodes
      assert.equal((await fs.readFile(`${deep}/file`)).toString(), 'second');
      assert.equal((await fs.readFile(`/moved${deep.slice('/level0'.length)}/file`)).toString(), 'first');
      await other.delete('/level0', { recursive: true });
      assert.equal(await fs.exists(`${deep}/file`), false);
    }));

  test('bad open options are refused before anything is opened or created', () =>
    withFs(async ({ store }) => {
      const { FileSystem } = await import('../../src/fs/file-system.js');
      const fresh = join(store.dataDir, 'never-created');
      await assert.rejects(FileSystem.open({ dataDir: fresh, engine: { kind: 'sqlite' }, readWorkers: -1 }), /readWorkers/);
      await assert.rejects(FileSystem.open({ dataDir: fresh, engine: { kind: 'sqlite' }, storagePolicy: { blockSize: 1 } }), /blockSize/);
      assert.equal(existsSync(fresh), false);
    }));
});

