import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeEachEngine } from '../support/fs-fixture.js';
import type { FileSystem } from '../../src/fs/file-system.js';
import {
  FileAlreadyExistsError,
  FileNotFoundError,
  InvalidOperationError,
  InvalidPathError,
  IsDirectoryError,
  ParentNotDirectoryError,
} from '../../src/errors/fs-errors.js';
import { HumleError, InvalidArgumentError } from '../../src/errors/humle-error.js';
import { assertRefused, assertTypedError, fsState, rejection } from './spec-helpers.js';

// Specification: every malformed or impossible request is refused with its own typed error and stable code, before
// it changes anything: the tree (as the API shows it), the metadata tables and the block store are as they were.

/** A value of the wrong type, passed where the API's types would not allow it (as an untyped caller could). */
const wrong = (v: unknown) => v as never;

/** A small tree with every kind of entry: directories, an empty directory, inline/small files. */
async function seed(fs: FileSystem): Promise<void> {
  await fs.writeFile('/data/file', 'hello');
  await fs.writeFile('/data/small', Buffer.alloc(5000, 7));
  await fs.writeFile('/data/sub/inner.txt', 'inner');
  await fs.mkdirs('/empty');
  await fs.setXAttr('/data/file', 'user.tag', 'v1');
}

/** Every path-taking operation, with otherwise valid arguments. */
function pathOperations(fs: FileSystem): [string, (p: string) => Promise<unknown>][] {
  return [
    ['exists', (p) => fs.exists(p)],
    ['getFileStatus', (p) => fs.getFileStatus(p)],
    ['listStatus', (p) => fs.listStatus(p)],
    ['getContentSummary', (p) => fs.getContentSummary(p)],
    ['getQuotaUsage', (p) => fs.getQuotaUsage(p)],
    ['mkdirs', (p) => fs.mkdirs(p)],
    ['writeFile', (p) => fs.writeFile(p, 'x')],
    ['create', (p) => fs.create(p)],
    ['append', (p) => fs.append(p)],
    ['readFile', (p) => fs.readFile(p)],
    ['open', (p) => fs.open(p)],
    ['delete', (p) => fs.delete(p, { recursive: true })],
    ['rename from', (p) => fs.rename(p, '/data/renamed')],
    ['rename to', (p) => fs.rename('/data/file', p)],
    ['truncate', (p) => fs.truncate(p, 0)],
    ['concat target', (p) => fs.concat(p, ['/data/file'])],
    ['concat source', (p) => fs.concat('/data/small', [p])],
    ['setPermission', (p) => fs.setPermission(p, 0o700)],
    ['setOwner', (p) => fs.setOwner(p, 'bob')],
    ['setTimes', (p) => fs.setTimes(p, 1, 1)],
    ['setReplication', (p) => fs.setReplication(p, 2)],
    ['setStoragePolicy', (p) => fs.setStoragePolicy(p, null)],
    ['getStoragePolicy', (p) => fs.getStoragePolicy(p)],
    ['setQuota', (p) => fs.setQuota(p, { namespace: 10 })],
    ['setXAttr', (p) => fs.setXAttr(p, 'user.a', 'v')],
    ['getXAttrs', (p) => fs.getXAttrs(p)],
    ['listXAttrs', (p) => fs.listXAttrs(p)],
    ['removeXAttr', (p) => fs.removeXAttr(p, 'user.tag')],
    ['recoverLease', (p) => fs.recoverLease(p)],
  ];
}

describeEachEngine('bad input is refused with typed errors and changes nothing', (withFs) => {
  test('invalid paths: relative, empty components, . and .., NUL, ":", over-long names, non-strings, too deep', () =>
    withFs(async ({ fs }) => {
      await seed(fs);
      const invalid: [string, unknown][] = [
        ['relative', 'data/file'],
        ['empty string', ''],
        ['bare name', 'file'],
        ['empty component', '/data//file'],
        ['leading double slash', '//data'],
        ['dot component', '/data/./file'],
        ['dot-dot component', '/data/../data/file'],
        ['root dot', '/.'],
        ['root dot-dot', '/..'],
        ['trailing dot', '/data/.'],
        ['NUL', '/data/fi\0le'],
        ['colon', '/data/a:b'],
        ['256-byte ASCII name', `/data/${'x'.repeat(256)}`],
        ['256-byte two-byte-character name', `/data/${'é'.repeat(128)}`],
        ['256-byte four-byte-character name', `/data/${'😀'.repeat(64)}`],
        ['deeper than 1000 components', '/d'.repeat(1001)],
        ['number', 42],
        ['null', null],
        ['undefined', undefined],
        ['object', { path: '/data' }],
        ['array', ['/data']],
      ];
      const before = await fsState(fs);
      for (const [op, call] of pathOperations(fs)) {
        for (const [what, path] of invalid) {
          const error = await rejection(call(wrong(path)), `${op}(${what})`);
          assertTypedError(error, InvalidPathError, 'FS_INVALID_PATH', `${op}(${what})`);
        }
      }
      assert.deepEqual(await fsState(fs), before, 'refused invalid paths changed the file system');
    }));

  test('names of exactly 255 bytes, trailing slashes and unusual characters are valid', () =>
    withFs(async ({ fs }) => {
      const names = ['x'.repeat(255), `${'é'.repeat(127)}x`, `${'😀'.repeat(63)}abc`, 'with space', 'tab\there', 'semi;colon', '#hash%percent'];
      for (const name of names) {
        assert.equal(Buffer.byteLength(name) <= 255, true);
        await fs.writeFile(`/ok/${name}`, name);
      }
      const listed = (await fs.listStatus('/ok/')).entries.map((e) => e.name).sort();
      assert.deepEqual(listed, [...names].sort());
      for (const name of names) assert.equal((await fs.readFile(`/ok/${name}`)).toString(), name);
      assert.equal((await fs.getFileStatus('/ok/')).path, '/ok');
      assert.equal(await fs.mkdirs('/ok/dir/'), true);
      assert.equal((await fs.getFileStatus('/ok/dir')).type, 'DIRECTORY');
    }));

  test('a missing path or missing parent is FileNotFoundError', () =>
    withFs(async ({ fs }) => {
      await seed(fs);
      const missing: [string, () => Promise<unknown>][] = [
        ['writeFile without createParent', () => fs.writeFile('/nope/f', 'x', { createParent: false })],
        ['create without createParent', () => fs.create('/nope/f', { createParent: false })],
        ['writeFile without createParent, deep', () => fs.writeFile('/data/nope/deeper/f', 'x', { createParent: false })],
        ['readFile', () => fs.readFile('/data/nope')],
        ['open', () => fs.open('/data/nope')],
        ['getFileStatus below a missing dir', () => fs.getFileStatus('/nope/deeper')],
        ['listStatus', () => fs.listStatus('/nope')],
        ['getContentSummary', () => fs.getContentSummary('/nope')],
        ['getQuotaUsage', () => fs.getQuotaUsage('/nope')],
        ['append', () => fs.append('/data/nope')],
        ['rename of a missing source', () => fs.rename('/data/nope', '/data/x')],
        ['rename into a missing directory', () => fs.rename('/data/file', '/nope/file')],
        ['rename into a missing deep directory', () => fs.rename('/data/file', '/data/nope/deeper/file')],
        ['truncate', () => fs.truncate('/nope', 0)],
        ['concat with a missing source', () => fs.concat('/data/file', ['/data/nope'])],
        ['concat to a missing target', () => fs.concat('/nope', ['/data/file'])],
        ['setPermission', () => fs.setPermission('/nope', 0o700)],
        ['setOwner', () => fs.setOwner('/nope', 'bob')],
        ['setTimes', () => fs.setTimes('/nope', 1, 1)],
        ['setReplication', () => fs.setReplication('/nope', 2)],
        ['setStoragePolicy', () => fs.setStoragePolicy('/nope', null)],
        ['getStoragePolicy', () => fs.getStoragePolicy('/nope')],
        ['setQuota', () => fs.setQuota('/nope', { namespace: 5 })],
        ['setXAttr', () => fs.setXAttr('/nope', 'user.a', 'v')],
        ['getXAttrs', () => fs.getXAttrs('/nope')],
        ['listXAttrs', () => fs.listXAttrs('/nope')],
        ['removeXAttr', () => fs.removeXAttr('/nope', 'user.a')],
        ['recoverLease', () => fs.recoverLease('/nope')],
      ];
      for (const [what, call] of missing) await assertRefused(fs, call, FileNotFoundError, 'FS_NOT_FOUND', what);
      // Asking about, or deleting, what is not there is an answer, not an error.
      const before = await fsState(fs);
      assert.equal(await fs.exists('/nope/deeper'), false);
      assert.equal(await fs.delete('/nope'), false);
      assert.equal(await fs.delete('/data/nope/deeper', { recursive: true }), false);
      assert.deepEqual(await fsState(fs), before);
    }));

  test('a file where a directory is needed is ParentNotDirectoryError; a directory where a file is needed is IsDirectoryError', () =>
    withFs(async ({ fs }) => {
      await seed(fs);
      const notDir: [string, () => Promise<unknown>][] = [
        ['writeFile below a file', () => fs.writeFile('/data/file/x', 'y')],
        ['writeFile two below a file', () => fs.writeFile('/data/file/a/b', 'y')],
        ['create below a file', () => fs.create('/data/file/x')],
        ['mkdirs below a file', () => fs.mkdirs('/data/file/x')],
        ['mkdirs two below a file', () => fs.mkdirs('/data/file/x/y')],
        ['rename into a file', () => fs.rename('/data/sub', '/data/file/sub')],
        ['rename two below a file', () => fs.rename('/data/sub', '/data/file/a/b')],
      ];
      for (const [what, call] of notDir) await assertRefused(fs, call, ParentNotDirectoryError, 'FS_PARENT_NOT_DIRECTORY', what);

      const isDir: [string, () => Promise<unknown>][] = [
        ['readFile of a directory', () => fs.readFile('/data')],
        ['open of a directory', () => fs.open('/data')],
        ['append to a directory', () => fs.append('/data/sub')],
        ['truncate a directory', () => fs.truncate('/data/sub', 0)],
        ['concat a directory as source', () => fs.concat('/data/file', ['/data/sub'])],
        ['concat to a directory', () => fs.concat('/data/sub', ['/data/file'])],
        ['recoverLease of a directory', () => fs.recoverLease('/data')],
      ];
      for (const [what, call] of isDir) await assertRefused(fs, call, IsDirectoryError, 'FS_IS_DIRECTORY', what);

      // Looking up a path through a file finds nothing there (HDFS: FileNotFound, or ParentNotDirectory on newer versions).
      for (const [what, call] of [
        ['getFileStatus through a file', () => fs.getFileStatus('/data/file/x')],
        ['readFile through a file', () => fs.readFile('/data/file/x')],
        ['listStatus through a file', () => fs.listStatus('/data/file/x')],
      ] as const) {
        const error = await rejection(call(), what);
        assert.ok(error instanceof FileNotFoundError || error instanceof ParentNotDirectoryError, `${what}: ${String(error)}`);
      }
      assert.equal(await fs.exists('/data/file/x'), false);

      const invalidOp: [string, () => Promise<unknown>][] = [
        ['setQuota on a file', () => fs.setQuota('/data/file', { namespace: 10 })],
        ['setStoragePolicy on a file', () => fs.setStoragePolicy('/data/file', { inlineMax: 0, smallMax: 0, blockSize: 4096 })],
        ['delete the root', () => fs.delete('/', { recursive: true })],
        ['concat a file to itself', () => fs.concat('/data/file', ['/data/file'])],
        ['concat the same source twice', () => fs.concat('/data/file', ['/data/small', '/data/small'])],
      ];
      for (const [what, call] of invalidOp) await assertRefused(fs, call, InvalidOperationError, 'FS_INVALID_OPERATION', what);
    }));

  test('creating what already exists is FileAlreadyExistsError', () =>
    withFs(async ({ fs }) => {
      await seed(fs);
      const exists: [string, () => Promise<unknown>][] = [
        ['writeFile over a file', () => fs.writeFile('/data/file', 'x')],
        ['create over a file', () => fs.create('/data/file')],
        ['writeFile over a directory, even with overwrite', () => fs.writeFile('/data/sub', 'x', { overwrite: true })],
        ['create over a directory, even with overwrite', () => fs.create('/data/sub', { overwrite: true })],
        ['writeFile over a non-empty directory with overwrite', () => fs.writeFile('/data', 'x', { overwrite: true })],
        ['writeFile of the root', () => fs.writeFile('/', 'x', { overwrite: true })],
        ['mkdirs over a file', () => fs.mkdirs('/data/file')],
        ['rename onto an existing file', () => fs.rename('/data/file', '/data/sub/inner.txt')],
        ['rename onto an existing directory', () => fs.rename('/data/sub', '/empty')],
      ];
      for (const [what, call] of exists) await assertRefused(fs, call, FileAlreadyExistsError, 'FS_ALREADY_EXISTS', what);
      assert.equal((await fs.readFile('/data/file')).toString(), 'hello');
    }));

  test('arguments of the wrong type or out of range are InvalidArgumentError', () =>
    withFs(async ({ fs }) => {
      await seed(fs);
      const bad: [string, () => Promise<unknown>][] = [
        ['readFile negative offset', () => fs.readFile('/data/file', { offset: -1 })],
        ['readFile fractional offset', () => fs.readFile('/data/file', { offset: 1.5 })],
        ['readFile NaN offset', () => fs.readFile('/data/file', { offset: NaN })],
        ['readFile string offset', () => fs.readFile('/data/file', { offset: wrong('2') })],
        ['readFile negative length', () => fs.readFile('/data/file', { length: -1 })],
        ['readFile fractional length', () => fs.readFile('/data/file', { length: 2.5 })],
        ['open negative offset', () => fs.open('/data/small', { offset: -10 })],
        ['truncate to a negative length', () => fs.truncate('/data/file', -1)],
        ['truncate to a fractional length', () => fs.truncate('/data/file', 1.5)],
        ['truncate to NaN', () => fs.truncate('/data/file', NaN)],
        ['truncate beyond the end', () => fs.truncate('/data/file', 6)],
        ['setPermission negative', () => fs.setPermission('/data/file', -1)],
        ['setPermission fractional', () => fs.setPermission('/data/file', 420.5)],
        ['setPermission above 0o1777', () => fs.setPermission('/data/file', 0o2000)],
        ['setPermission NaN', () => fs.setPermission('/data/file', NaN)],
        ['setPermission as a string', () => fs.setPermission('/data/file', wrong('755'))],
        ['mkdirs fractional permission', () => fs.mkdirs('/newdir', { permission: 1.5 })],
        ['mkdirs negative permission', () => fs.mkdirs('/newdir/a/b', { permission: -1 })],
        ['mkdirs permission above 0o1777', () => fs.mkdirs('/newdir', { permission: 0o10000 })],
        ['writeFile permission above 0o1777', () => fs.writeFile('/newdir/f', 'x', { permission: 0o7777 })],
        ['writeFile replication 0', () => fs.writeFile('/newdir/f', 'x', { replication: 0 })],
        ['writeFile negative replication', () => fs.writeFile('/newdir/f', 'x', { replication: -1 })],
        ['writeFile fractional replication', () => fs.writeFile('/newdir/f', 'x', { replication: 1.5 })],
        ['writeFile replication above 512', () => fs.writeFile('/newdir/f', 'x', { replication: 513 })],
        ['writeFile blockSize below 1 KiB', () => fs.writeFile('/newdir/f', 'x', { blockSize: 100 })],
        ['writeFile fractional blockSize', () => fs.writeFile('/newdir/f', 'x', { blockSize: 4096.5 })],
        ['create replication 0', () => fs.create('/newdir/f', { replication: 0 })],
        ['create over an existing file with a bad replication', () => fs.create('/data/file', { overwrite: true, replication: 0 })],
        ['setReplication 0', () => fs.setReplication('/data/file', 0)],
        ['setReplication fractional', () => fs.setReplication('/data/file', 2.5)],
        ['setReplication above 512', () => fs.setReplication('/data/file', 513)],
        ['setReplication NaN', () => fs.setReplication('/data/file', NaN)],
        ['setTimes mtime below -1', () => fs.setTimes('/data/file', -2, -1)],
        ['setTimes fractional atime', () => fs.setTimes('/data/file', 1, 1.5)],
        ['setTimes NaN', () => fs.setTimes('/data/file', NaN, 1)],
        ['setQuota negative namespace', () => fs.setQuota('/data', { namespace: -5 })],
        ['setQuota fractional space', () => fs.setQuota('/data', { space: 1.5 })],
        ['setQuota NaN namespace', () => fs.setQuota('/data', { namespace: NaN })],
        ['listStatus limit 0', () => fs.listStatus('/data', { limit: 0 })],
        ['listStatus negative limit', () => fs.listStatus('/data', { limit: -1 })],
        ['listStatus fractional limit', () => fs.listStatus('/data', { limit: 1.5 })],
        ['concat without sources', () => fs.concat('/data/file', [])],
        ['concat with sources not an array', () => fs.concat('/data/file', wrong('/data/small'))],
        ['setOwner with neither owner nor group', () => fs.setOwner('/data/file')],
        ['setOwner empty owner', () => fs.setOwner('/data/file', '')],
        ['setOwner owner with a space', () => fs.setOwner('/data/file', 'a b')],
        ['setOwner group with a colon', () => fs.setOwner('/data/file', undefined, 'x:y')],
        ['setOwner owner not a string', () => fs.setOwner('/data/file', wrong(7))],
        ['setStoragePolicy inlineMax above 1 KiB', () => fs.setStoragePolicy('/data', { inlineMax: 2000, smallMax: 3000, blockSize: 4096 })],
        ['setStoragePolicy smallMax below inlineMax', () => fs.setStoragePolicy('/data', { inlineMax: 10, smallMax: 5, blockSize: 4096 })],
        ['setStoragePolicy blockSize below 1 KiB', () => fs.setStoragePolicy('/data', { inlineMax: 0, smallMax: 0, blockSize: 100 })],
        ['setStoragePolicy negative inlineMax', () => fs.setStoragePolicy('/data', { inlineMax: -1, smallMax: 0, blockSize: 4096 })],
      ];
      for (const [what, call] of bad) await assertRefused(fs, call, InvalidArgumentError, 'INVALID_ARGUMENT', what);
    }));

  test('file data of the wrong type is InvalidArgumentError, not a raw TypeError', () =>
    withFs(async ({ fs }) => {
      await seed(fs);
      for (const [what, data] of [
        ['a number', 42],
        ['null', null],
        ['an object', { a: 1 }],
      ] as const) {
        await assertRefused(fs, () => fs.writeFile('/newdir/f', wrong(data)), InvalidArgumentError, 'INVALID_ARGUMENT', `writeFile of ${what}`);
      }
      const writer = await fs.create('/data/w');
      const error = await rejection(writer.write(wrong(42)), 'writer.write(42)');
      assert.ok(error instanceof InvalidArgumentError, `writer.write(42): ${String(error)}`);
      await writer.abort();
    }));

  test('every refusal is a HumleError with a code, and the file system keeps working after many refusals', () =>
    withFs(async ({ fs }) => {
      await seed(fs);
      const calls: (() => Promise<unknown>)[] = [
        () => fs.readFile('relative'),
        () => fs.writeFile('/data/file', 'x'),
        () => fs.mkdirs('/data/file/x'),
        () => fs.readFile('/data'),
        () => fs.truncate('/data/file', -1),
        () => fs.rename('/data', '/data/sub/data'),
        () => fs.delete('/data'),
      ];
      for (let round = 0; round < 3; round++) {
        for (const call of calls) {
          const error = await rejection(call());
          assert.ok(error instanceof HumleError, String(error));
          assert.match(error.code, /^[A-Z_]+$/);
          assert.equal(typeof error.message, 'string');
          assert.deepEqual(JSON.parse(JSON.stringify(error)).code, error.code, 'errors serialize with their code');
        }
      }
      await fs.writeFile('/data/after', 'still works');
      assert.equal((await fs.readFile('/data/after')).toString(), 'still works');
      assert.equal((await fs.getFileStatus('/data')).childrenNum, 4);
    }));
});
