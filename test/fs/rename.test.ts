import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describeEachEngine } from '../support/fs-fixture.js';
import type { FileSystem } from '../../src/fs/file-system.js';
import {
  DirectoryNotEmptyError,
  FileAlreadyExistsError,
  FileNotFoundError,
  InvalidOperationError,
  ParentNotDirectoryError,
} from '../../src/errors/fs-errors.js';
import { assertRefused, fsState, patternBytes, rejection } from './spec-helpers.js';

// Specification: rename moves any path to any path in one step; the entry keeps its identity (inode id), bytes,
// attributes and whole subtree. HDFS rename2 rules decide what may be at the destination. After a rename the old path
// is gone for every reader, however warm its path caches are.

/** The subtree below `root`, as relative paths with type, size and a content hash: what a move must preserve. */
async function subtree(fs: FileSystem, root: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (dir: string, rel: string): Promise<void> => {
    for await (const e of fs.list(dir)) {
      const r = `${rel}/${e.name}`;
      if (e.type === 'DIRECTORY') {
        out.push(`${r}/ children=${e.childrenNum} id=${e.fileId}`);
        await walk(e.path, r);
      } else {
        const sha = createHash('sha256').update(await fs.readFile(e.path)).digest('hex').slice(0, 12);
        out.push(`${r} ${e.length} ${e.storage} ${sha} id=${e.fileId}`);
      }
    }
  };
  await walk(root, '');
  return out;
}

async function assertGone(fs: FileSystem, path: string): Promise<void> {
  assert.equal(await fs.exists(path), false, `${path} still exists`);
  assert.ok((await rejection(fs.getFileStatus(path))) instanceof FileNotFoundError, `${path}: getFileStatus`);
}

async function assertHealthy(fs: FileSystem): Promise<void> {
  const report = await fs.fsck({ graceMs: 0 });
  assert.equal(report.healthy, true, `fsck: ${JSON.stringify(report)}`);
}

describeEachEngine('rename', (withFs) => {
  test('a file moves to any path, any depth, keeping its identity and bytes', () =>
    withFs(async ({ fs }) => {
      const bytes = patternBytes(3000, 1);
      await fs.writeFile('/a/f', bytes, { replication: 2, permission: 0o640 });
      await fs.setXAttr('/a/f', 'user.k', 'v');
      const original = await fs.getFileStatus('/a/f');
      await fs.mkdirs('/x/y/z');
      const hops = ['/x/y/z/g', '/top', '/a/back', '/x/y/z/g2'];
      let from = '/a/f';
      for (const to of hops) {
        await fs.rename(from, to);
        await assertGone(fs, from);
        const moved = await fs.getFileStatus(to);
        assert.equal(moved.fileId, original.fileId, `${to}: same inode`);
        assert.deepEqual(
          [moved.length, moved.replication, moved.permissionString, moved.owner, moved.modificationTime],
          [original.length, original.replication, original.permissionString, original.owner, original.modificationTime],
        );
        assert.ok((await fs.readFile(to)).equals(bytes));
        assert.equal((await fs.getXAttrs(to))['user.k']!.toString(), 'v');
        from = to;
      }
      assert.equal((await fs.getFileStatus('/a')).childrenNum, 0);
      assert.equal((await fs.getFileStatus('/x/y/z')).childrenNum, 1);
      assert.deepEqual((await fs.listStatus('/')).entries.map((e) => e.name), ['a', 'x']);
      await assertHealthy(fs);
    }));

  test('a directory moves with its whole subtree: between top-level directories, up to the top, down again', () =>
    withFs(async ({ fs }) => {
      for (const name of ['a', 'b', 'c']) await fs.writeFile(`/alpha/${name}/file`, patternBytes(100 + name.charCodeAt(0), name.charCodeAt(0)));
      await fs.writeFile('/alpha/d/e/f/deep', patternBytes(70_000, 9)); // blocks
      await fs.writeFile('/alpha/d/e/small', patternBytes(2000, 10));
      await fs.mkdirs('/alpha/empty');
      await fs.mkdirs('/beta');
      const before = await subtree(fs, '/alpha');
      const dPart = await subtree(fs, '/alpha/d');

      await fs.rename('/alpha', '/beta/alpha'); // a top-level entry (hash partition) moves under another
      await assertGone(fs, '/alpha');
      await assertGone(fs, '/alpha/d/e/f/deep');
      assert.deepEqual(await subtree(fs, '/beta/alpha'), before);

      await fs.rename('/beta/alpha/d', '/delta'); // from depth 2 to the top level
      assert.deepEqual(await subtree(fs, '/delta'), dPart);
      await fs.rename('/delta', '/gamma'); // top level to top level: a new name, a new partition
      assert.deepEqual(await subtree(fs, '/gamma'), dPart);
      await fs.rename('/gamma', '/beta/alpha/d'); // and back where it was
      assert.deepEqual(await subtree(fs, '/beta/alpha'), before);
      await fs.rename('/beta/alpha', '/alpha');
      assert.deepEqual(await subtree(fs, '/alpha'), before);
      assert.equal((await fs.getFileStatus('/beta')).childrenNum, 0);
      assert.deepEqual((await fs.listStatus('/')).entries.map((e) => e.name), ['alpha', 'beta']);
      await assertHealthy(fs);
    }));

  test('rename2: an existing destination is refused unless overwrite; then file→file and dir→empty dir replace it', () =>
    withFs(async ({ fs }) => {
      await fs.writeFile('/r/src', 'source');
      await fs.writeFile('/r/dst', patternBytes(100_000, 2)); // a blocks file: its blocks must be freed when replaced
      await fs.writeFile('/r/dir/child', 'child');
      await fs.mkdirs('/r/emptydir');
      await fs.writeFile('/r/full/x', 'x');
      await assertRefused(fs, () => fs.rename('/r/src', '/r/dst'), FileAlreadyExistsError, 'FS_ALREADY_EXISTS', 'file onto file');
      await assertRefused(fs, () => fs.rename('/r/dir', '/r/emptydir'), FileAlreadyExistsError, 'FS_ALREADY_EXISTS', 'dir onto dir');
      await assertRefused(fs, () => fs.rename('/r/dir', '/r/full', { overwrite: true }), DirectoryNotEmptyError, 'FS_DIRECTORY_NOT_EMPTY', 'dir onto non-empty dir');
      await assertRefused(fs, () => fs.rename('/r/src', '/r/emptydir', { overwrite: true }), InvalidOperationError, 'FS_INVALID_OPERATION', 'file onto dir');
      await assertRefused(fs, () => fs.rename('/r/dir', '/r/dst', { overwrite: true }), InvalidOperationError, 'FS_INVALID_OPERATION', 'dir onto file');

      const srcId = (await fs.getFileStatus('/r/src')).fileId;
      await fs.rename('/r/src', '/r/dst', { overwrite: true });
      await assertGone(fs, '/r/src');
      assert.equal((await fs.readFile('/r/dst')).toString(), 'source');
      assert.equal((await fs.getFileStatus('/r/dst')).fileId, srcId);
      assert.equal((await fs.getFileStatus('/r/dst')).storage, 'inline');

      const dirId = (await fs.getFileStatus('/r/dir')).fileId;
      await fs.rename('/r/dir', '/r/emptydir', { overwrite: true });
      await assertGone(fs, '/r/dir');
      assert.equal((await fs.getFileStatus('/r/emptydir')).fileId, dirId);
      assert.equal((await fs.readFile('/r/emptydir/child')).toString(), 'child');
      assert.deepEqual((await fs.listStatus('/r')).entries.map((e) => e.name), ['dst', 'emptydir', 'full']);
      assert.equal((await fs.getFileStatus('/r')).childrenNum, 3);

      // Overwrite across directories.
      await fs.writeFile('/s/other', 'other');
      await fs.rename('/s/other', '/r/dst', { overwrite: true });
      assert.equal((await fs.readFile('/r/dst')).toString(), 'other');
      assert.equal((await fs.getFileStatus('/s')).childrenNum, 0);
      assert.equal((await fs.getFileStatus('/r')).childrenNum, 3);
      await assertHealthy(fs);
    }));

  test('rename refuses its own subtree, the same path, a missing source or destination parent, and the root', () =>
    withFs(async ({ fs }) => {
      await fs.writeFile('/a/b/c/file', 'x');
      await fs.writeFile('/f', 'file');
      const refusals: [string, () => Promise<unknown>, abstract new (...args: never[]) => Error, string][] = [
        ['into its own child', () => fs.rename('/a', '/a/b/a'), InvalidOperationError, 'FS_INVALID_OPERATION'],
        ['into a new name below itself', () => fs.rename('/a', '/a/new'), InvalidOperationError, 'FS_INVALID_OPERATION'],
        ['deep into its own subtree, overwrite', () => fs.rename('/a/b', '/a/b/c/d/e', { overwrite: true }), InvalidOperationError, 'FS_INVALID_OPERATION'],
        ['a file below itself', () => fs.rename('/f', '/f/g'), InvalidOperationError, 'FS_INVALID_OPERATION'],
        ['the same directory', () => fs.rename('/a/b', '/a/b'), FileAlreadyExistsError, 'FS_ALREADY_EXISTS'],
        ['the same directory, trailing slash', () => fs.rename('/a/b/', '/a/b'), FileAlreadyExistsError, 'FS_ALREADY_EXISTS'],
        ['the same file with overwrite', () => fs.rename('/f', '/f', { overwrite: true }), FileAlreadyExistsError, 'FS_ALREADY_EXISTS'],
        ['onto its own parent', () => fs.rename('/a/b/c', '/a/b'), FileAlreadyExistsError, 'FS_ALREADY_EXISTS'],
        ['onto its own parent, overwrite', () => fs.rename('/a/b/c', '/a/b', { overwrite: true }), DirectoryNotEmptyError, 'FS_DIRECTORY_NOT_EMPTY'],
        ['onto an ancestor, overwrite', () => fs.rename('/a/b/c', '/a', { overwrite: true }), DirectoryNotEmptyError, 'FS_DIRECTORY_NOT_EMPTY'],
        ['a missing source', () => fs.rename('/a/nope', '/a/yes'), FileNotFoundError, 'FS_NOT_FOUND'],
        ['into a missing directory', () => fs.rename('/f', '/missing/f'), FileNotFoundError, 'FS_NOT_FOUND'],
        ['into a missing deep directory', () => fs.rename('/a', '/missing/x/y'), FileNotFoundError, 'FS_NOT_FOUND'],
        ['below a file', () => fs.rename('/a', '/f/a'), ParentNotDirectoryError, 'FS_PARENT_NOT_DIRECTORY'],
        ['the root', () => fs.rename('/', '/root2'), InvalidOperationError, 'FS_INVALID_OPERATION'],
        ['the root into itself', () => fs.rename('/', '/a/root'), InvalidOperationError, 'FS_INVALID_OPERATION'],
      ];
      for (const [what, call, Class, code] of refusals) await assertRefused(fs, call, Class, code, what);
      // Onto the root: refused (HDFS: "rename destination cannot be the root"), whichever way it is worded.
      const before = await fsState(fs);
      for (const options of [{}, { overwrite: true }]) {
        const error = await rejection(fs.rename('/a', '/', options), 'onto the root');
        assert.ok(error instanceof InvalidOperationError || error instanceof FileAlreadyExistsError, String(error));
      }
      assert.deepEqual(await fsState(fs), before);
    }));

  test('after a rename the old path is gone for warm caches, and a new entry under the old name is seen', () =>
    withFs(async ({ fs, reopen }) => {
      const other = await reopen(); // a second instance, with its own path hints
      await fs.writeFile('/old/d/f', 'v0');
      for (let i = 0; i < 8; i++) {
        for (let k = 0; k < 3; k++) {
          assert.equal((await fs.readFile('/old/d/f')).toString(), `v${i}`);
          assert.equal((await other.readFile('/old/d/f')).toString(), `v${i}`);
        }
        await (i % 2 === 0 ? fs : other).rename('/old', `/moved${i}`);
        for (const view of [fs, other]) {
          for (let k = 0; k < 3; k++) {
            await assertGone(view, '/old/d/f');
            await assertGone(view, '/old');
            assert.equal((await view.readFile(`/moved${i}/d/f`)).toString(), `v${i}`);
          }
        }
        await (i % 2 === 0 ? other : fs).writeFile('/old/d/f', `v${i + 1}`); // the same path, all-new inodes
      }
      for (let i = 0; i < 8; i++) assert.equal((await other.readFile(`/moved${i}/d/f`)).toString(), `v${i}`);
      assert.equal((await fs.readFile('/old/d/f')).toString(), 'v8');

      // Swapping two directories through a temporary name.
      await fs.writeFile('/x/f', 'X');
      await fs.writeFile('/y/f', 'Y');
      for (let i = 0; i < 4; i++) {
        await fs.rename('/x', '/tmp-swap');
        await fs.rename('/y', '/x');
        await fs.rename('/tmp-swap', '/y');
        const [x, y] = i % 2 === 0 ? ['Y', 'X'] : ['X', 'Y'];
        assert.equal((await fs.readFile('/x/f')).toString(), x);
        assert.equal((await other.readFile('/y/f')).toString(), y);
      }

      // A replaced destination: the name now means the source, in every instance.
      await fs.writeFile('/r/a/f', 'A');
      await fs.mkdirs('/r/b');
      assert.deepEqual((await other.listStatus('/r/b')).entries, []);
      await fs.rename('/r/a', '/r/b', { overwrite: true });
      assert.equal((await other.readFile('/r/b/f')).toString(), 'A');
      assert.equal((await fs.readFile('/r/b/f')).toString(), 'A');
      await assertGone(other, '/r/a');
      await assertHealthy(fs);
    }));

  test('a file being written can be renamed (itself or a directory above it); its writer closes it at the new path', () =>
    withFs(async ({ fs }) => {
      const writer = await fs.create('/w/f');
      await writer.write('first ');
      await fs.mkdirs('/v');
      await fs.rename('/w/f', '/v/g');
      assert.equal((await fs.getFileStatus('/v/g')).underConstruction, true);
      await fs.rename('/v', '/v2');
      await writer.write('second');
      await writer.close();
      assert.equal((await fs.readFile('/v2/g')).toString(), 'first second');
      assert.equal((await fs.getFileStatus('/v2/g')).underConstruction, false);
      await assertGone(fs, '/w/f');
      await assertHealthy(fs);
    }));

  test('a rename updates both parents’ modification times, not the moved entry’s', () =>
    withFs(async ({ fs }) => {
      await fs.writeFile('/p/f', 'x');
      await fs.mkdirs('/q');
      for (const p of ['/p', '/q', '/p/f']) await fs.setTimes(p, 1_000, 1_000);
      await fs.rename('/p/f', '/q/f');
      assert.ok((await fs.getFileStatus('/p')).modificationTime > 1_000);
      assert.ok((await fs.getFileStatus('/q')).modificationTime > 1_000);
      assert.equal((await fs.getFileStatus('/q/f')).modificationTime, 1_000);
    }));
});
