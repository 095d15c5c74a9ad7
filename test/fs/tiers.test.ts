import { test } from 'node:test';
import assert from 'node:assert/strict';
import { open as openFile, readFile as readLocal, rm, truncate as truncateLocal } from 'node:fs/promises';
import { describeEachEngine } from '../support/fs-fixture.js';
import type { FileSystem } from '../../src/fs/file-system.js';
import type { StorageTier } from '../../src/fs/file-status.js';
import { CorruptBlockError } from '../../src/errors/fs-errors.js';
import { assertTypedError, blockIdsOf, count, patternBytes, rejection } from './spec-helpers.js';

// Specification: where a file's bytes live. By default (HopsFS's DB policy) files of at most 1 KiB are kept in the
// inode row ('inline'), of at most 64 KiB in the small-file table ('small'), larger ones in blocks ('blocks'); a
// directory may set its own policy, inherited below it. Whatever the tier, and whenever a file changes tier, every
// byte reads back as written, and nothing is left behind in the tier it left.

const KiB = 1024;

async function writeWithWriter(fs: FileSystem, path: string, data: Buffer, chunk: number, options = {}): Promise<void> {
  const writer = await fs.create(path, options);
  for (let i = 0; i < data.length; i += chunk) await writer.write(data.subarray(i, i + chunk));
  assert.equal(await writer.close(), data.length);
}

async function appendBytes(fs: FileSystem, path: string, ...chunks: Buffer[]): Promise<void> {
  const writer = await fs.append(path);
  for (const c of chunks) await writer.write(c);
  await writer.close();
}

/** Where the namespace tables hold the file's bytes: inline column, small-file rows, block rows. */
async function placement(fs: FileSystem, path: string): Promise<{ inline: boolean; smallRows: number; blockRows: number }> {
  const { fileId } = await fs.getFileStatus(path);
  return {
    inline: (await count(fs, 'SELECT COUNT(*) AS n FROM fs_inodes WHERE id = ? AND inline_data IS NOT NULL', [fileId])) === 1,
    smallRows: await count(fs, 'SELECT COUNT(*) AS n FROM fs_small_files WHERE inode_id = ?', [fileId]),
    blockRows: await count(fs, 'SELECT COUNT(*) AS n FROM fs_blocks WHERE inode_id = ?', [fileId]),
  };
}

/** The file is in `tier`, reads back as `expected`, and its bytes are in that tier's storage only. */
async function assertFile(fs: FileSystem, path: string, tier: StorageTier, expected: Buffer): Promise<void> {
  const status = await fs.getFileStatus(path);
  assert.equal(status.storage, tier, `${path}: tier of a ${expected.length}-byte file`);
  assert.equal(status.length, expected.length, `${path}: length`);
  assert.equal(status.underConstruction, false);
  const data = await fs.readFile(path);
  assert.ok(data.equals(expected), `${path}: ${data.length} bytes read differ from the ${expected.length} written`);
  const where = await placement(fs, path);
  assert.equal(where.inline, tier === 'inline', `${path}: inline column set`);
  assert.equal(where.smallRows > 0, tier === 'small', `${path}: small-file rows`);
  assert.equal(where.blockRows > 0, tier === 'blocks', `${path}: block rows`);
}

async function assertHealthy(fs: FileSystem): Promise<void> {
  const report = await fs.fsck({ graceMs: 0 });
  assert.equal(report.healthy, true, `fsck: ${JSON.stringify(report)}`);
}

describeEachEngine('storage tiers', (withFs) => {
  test('the default tiers and their boundaries: 1024 inline, 1025 small, 65536 small, 65537 blocks', () =>
    withFs(async ({ fs }) => {
      const cases: [number, StorageTier][] = [
        [0, 'empty'],
        [1, 'inline'],
        [1024, 'inline'],
        [1025, 'small'],
        [64 * KiB, 'small'],
        [64 * KiB + 1, 'blocks'],
        [200 * KiB, 'blocks'],
      ];
      for (const [size, tier] of cases) {
        const data = patternBytes(size, size + 1);
        await fs.writeFile(`/whole/f${size}`, data);
        await assertFile(fs, `/whole/f${size}`, tier, data);
        await writeWithWriter(fs, `/streamed/f${size}`, data, 999);
        await assertFile(fs, `/streamed/f${size}`, tier, data);
      }
      assert.deepEqual(await fs.getStoragePolicy('/'), { inlineMax: 1024, smallMax: 64 * KiB, blockSize: 128 * KiB * KiB });
      await assertHealthy(fs);
    }));

  test('append grows a file from empty to inline to small to blocks and keeps every byte', () =>
    withFs(async ({ fs }) => {
      let expected = Buffer.alloc(0);
      await fs.writeFile('/g', expected);
      await assertFile(fs, '/g', 'empty', expected);
      const steps: [number, StorageTier][] = [
        [500, 'inline'],
        [524, 'inline'], // 1024
        [1, 'small'], // 1025
        [64 * KiB - 1025, 'small'], // 65536
        [1, 'blocks'], // 65537
        [5000, 'blocks'],
        [70_000, 'blocks'],
      ];
      for (const [i, [grow, tier]] of steps.entries()) {
        const more = patternBytes(grow, i + 10);
        await appendBytes(fs, '/g', more);
        expected = Buffer.concat([expected, more]);
        await assertFile(fs, '/g', tier, expected);
      }
      // One writer crossing both boundaries at once.
      const start = patternBytes(10, 99);
      await fs.writeFile('/h', start);
      const a = patternBytes(2000, 1);
      const b = patternBytes(70_000, 2);
      await appendBytes(fs, '/h', a, b);
      await assertFile(fs, '/h', 'blocks', Buffer.concat([start, a, b]));
      await assertHealthy(fs);
    }));

  test('a directory’s storage policy applies to new files below it, inherited by subdirectories', () =>
    withFs(async ({ fs }) => {
      const cold = { inlineMax: 0, smallMax: 0, blockSize: 4096 };
      await fs.mkdirs('/cold/sub/deeper');
      await fs.setStoragePolicy('/cold', cold);
      assert.deepEqual(await fs.getStoragePolicy('/cold/sub/deeper'), cold);
      assert.deepEqual(await fs.getStoragePolicy('/cold'), cold);
      const one = Buffer.from('x');
      await fs.writeFile('/cold/sub/deeper/one', one);
      await assertFile(fs, '/cold/sub/deeper/one', 'blocks', one);
      const ten = patternBytes(10_000, 3);
      await fs.writeFile('/cold/sub/ten', ten);
      await assertFile(fs, '/cold/sub/ten', 'blocks', ten);
      assert.equal((await fs.getFileStatus('/cold/sub/ten')).blockSize, 4096);
      assert.deepEqual((await blockIdsOf(fs, '/cold/sub/ten')).map((b) => b.length), [4096, 4096, 1808]);
      await fs.writeFile('/cold/empty', '');
      await assertFile(fs, '/cold/empty', 'empty', Buffer.alloc(0));
      await writeWithWriter(fs, '/cold/own-block-size', patternBytes(5000, 4), 700, { blockSize: 1024 });
      assert.deepEqual((await blockIdsOf(fs, '/cold/own-block-size')).map((b) => b.length), [1024, 1024, 1024, 1024, 904]);

      const mid = { inlineMax: 100, smallMax: 200, blockSize: 2048 };
      await fs.mkdirs('/cold/mid');
      await fs.setStoragePolicy('/cold/mid', mid); // the nearest policy wins
      for (const [size, tier] of [
        [100, 'inline'],
        [101, 'small'],
        [200, 'small'],
        [201, 'blocks'],
      ] as const) {
        const data = patternBytes(size, size);
        await fs.writeFile(`/cold/mid/f${size}`, data);
        await assertFile(fs, `/cold/mid/f${size}`, tier, data);
      }

      // A policy set later applies to the next change of an existing file: an append moves it to blocks.
      const small = patternBytes(5000, 5);
      await fs.writeFile('/later/s', small);
      await assertFile(fs, '/later/s', 'small', small);
      await fs.setStoragePolicy('/later', cold);
      const tail = patternBytes(10, 6);
      await appendBytes(fs, '/later/s', tail);
      await assertFile(fs, '/later/s', 'blocks', Buffer.concat([small, tail]));

      // A directory moved out of the policy's subtree leaves the policy behind; one with its own policy takes it along.
      await fs.mkdirs('/cold/leaving');
      await fs.rename('/cold/leaving', '/left');
      await fs.writeFile('/left/f', one);
      await assertFile(fs, '/left/f', 'inline', one);
      await fs.rename('/cold/mid', '/mid-moved');
      assert.deepEqual(await fs.getStoragePolicy('/mid-moved'), mid);
      await fs.rename('/mid-moved', '/cold/mid');

      await fs.setStoragePolicy('/cold', null);
      assert.deepEqual(await fs.getStoragePolicy('/cold/sub'), await fs.getStoragePolicy('/'));
      assert.deepEqual(await fs.getStoragePolicy('/cold/mid'), mid, 'a subdirectory’s own policy stays');
      await fs.writeFile('/cold/sub/after', one);
      await assertFile(fs, '/cold/sub/after', 'inline', one);
      await assertFile(fs, '/cold/sub/ten', 'blocks', ten); // existing files keep their tier
      await assertHealthy(fs);
    }));

  test('multi-block files read back byte-identical, whole and in ranges across block boundaries', () =>
    withFs(
      async ({ fs }) => {
        const data = patternBytes(300_000, 42);
        await fs.writeFile('/m/whole', data);
        await writeWithWriter(fs, '/m/streamed', data, 7777);
        for (const path of ['/m/whole', '/m/streamed']) {
          await assertFile(fs, path, 'blocks', data);
          assert.equal((await fs.getFileStatus(path)).blockSize, 64 * KiB);
          assert.deepEqual((await blockIdsOf(fs, path)).map((b) => b.length), [65536, 65536, 65536, 65536, 37856]);
          const ranges: [number, number | undefined][] = [
            [0, 65536],
            [65535, 2],
            [65536, 65536],
            [65530, 131100],
            [100, 299_800],
            [131_072, undefined],
            [299_999, 10],
            [300_000, 10],
            [400_000, 5],
            [123_456, 0],
          ];
          for (const [offset, length] of ranges) {
            const want = data.subarray(Math.min(offset, data.length), length === undefined ? data.length : Math.min(data.length, offset + length));
            const got = await fs.readFile(path, { offset, length });
            assert.ok(got.equals(want), `${path} [${offset}, +${length}]: got ${got.length} bytes, want ${want.length}`);
            const chunks: Buffer[] = [];
            for await (const c of await fs.open(path, { offset, length })) chunks.push(c as Buffer);
            assert.ok(Buffer.concat(chunks).equals(want), `${path} open [${offset}, +${length}]`);
          }
        }
        await assertHealthy(fs);
      },
      { storagePolicy: { blockSize: 64 * KiB } },
    ));

  test('exact multiples of the block size leave no empty block; overwrite moves a path between tiers and frees blocks', () =>
    withFs(
      async ({ fs }) => {
        const two = patternBytes(128 * KiB, 11);
        await writeWithWriter(fs, '/exact', two, 64 * KiB);
        assert.deepEqual((await blockIdsOf(fs, '/exact')).map((b) => b.length), [65536, 65536]);
        await writeWithWriter(fs, '/exact-odd-chunks', two, 10_000);
        assert.deepEqual((await blockIdsOf(fs, '/exact-odd-chunks')).map((b) => b.length), [65536, 65536]);
        const more = patternBytes(64 * KiB, 12);
        await appendBytes(fs, '/exact', more);
        assert.deepEqual((await blockIdsOf(fs, '/exact')).map((b) => b.length), [65536, 65536, 65536]);
        await assertFile(fs, '/exact', 'blocks', Buffer.concat([two, more]));

        const versions: [Buffer, StorageTier][] = [
          [patternBytes(200_000, 13), 'blocks'],
          [patternBytes(10, 14), 'inline'],
          [patternBytes(150_000, 15), 'blocks'],
          [patternBytes(3000, 16), 'small'],
          [Buffer.alloc(0), 'empty'],
          [patternBytes(70_000, 17), 'blocks'],
        ];
        for (const [bytes, tier] of versions) {
          await fs.writeFile('/over', bytes, { overwrite: true });
          await assertFile(fs, '/over', tier, bytes);
          await assertHealthy(fs); // the replaced version's blocks are gone from the block store
        }
        const last = patternBytes(100_000, 18);
        await writeWithWriter(fs, '/over', last, 33_333, { overwrite: true });
        await assertFile(fs, '/over', 'blocks', last);
        await assertHealthy(fs);
      },
      { storagePolicy: { blockSize: 64 * KiB } },
    ));

  test('a block is a plain file, readable in place at blockStore.localPath', () =>
    withFs(
      async ({ fs }) => {
        const single = patternBytes(100_000, 5);
        await fs.writeFile('/single', single);
        const [block] = await blockIdsOf(fs, '/single');
        assert.ok(block);
        assert.equal((await blockIdsOf(fs, '/single')).length, 1);
        const local = fs.blockStore.localPath(block.blockId);
        assert.ok(local, 'a local block store gives a path');
        assert.ok((await readLocal(local)).equals(single));

        const multi = patternBytes(100_000, 6);
        await fs.writeFile('/multi', multi, { blockSize: 30_000 });
        const blocks = await blockIdsOf(fs, '/multi');
        assert.deepEqual(blocks.map((b) => b.length), [30_000, 30_000, 30_000, 10_000]);
        let offset = 0;
        for (const b of blocks) {
          assert.ok((await readLocal(fs.blockStore.localPath(b.blockId)!)).equals(multi.subarray(offset, offset + b.length)));
          offset += b.length;
        }
      },
      { storagePolicy: { blockSize: 1024 * KiB } },
    ));

  test('a corrupted, shortened or missing block fails a whole-file read with CorruptBlockError', () =>
    withFs(async ({ fs }) => {
      const data = patternBytes(100_000, 7);
      for (const name of ['flipped', 'short', 'gone', 'third']) await fs.writeFile(`/c/${name}`, data, { blockSize: 30_000 });
      const flip = async (path: string, index: number, at: number) => {
        const b = (await blockIdsOf(fs, path))[index]!;
        const handle = await openFile(fs.blockStore.localPath(b.blockId)!, 'r+');
        try {
          const byte = Buffer.alloc(1);
          await handle.read(byte, 0, 1, at);
          byte[0] = byte[0]! ^ 0xff;
          await handle.write(byte, 0, 1, at);
        } finally {
          await handle.close();
        }
      };
      await flip('/c/flipped', 0, 500);
      await flip('/c/third', 2, 29_999);
      await truncateLocal(fs.blockStore.localPath((await blockIdsOf(fs, '/c/short'))[1]!.blockId)!, 100);
      await rm(fs.blockStore.localPath((await blockIdsOf(fs, '/c/gone'))[3]!.blockId)!);
      for (const name of ['flipped', 'short', 'gone', 'third']) {
        assertTypedError(await rejection(fs.readFile(`/c/${name}`), name), CorruptBlockError, 'FS_CORRUPT_BLOCK', `readFile ${name}`);
        const stream = await fs.open(`/c/${name}`);
        const error = await rejection(
          (async () => {
            for await (const chunk of stream) void chunk;
          })(),
          `open ${name}`,
        );
        assertTypedError(error, CorruptBlockError, 'FS_CORRUPT_BLOCK', `streaming ${name}`);
      }
      const report = await fs.fsck({ graceMs: 0 });
      assert.equal(report.healthy, false);
      assert.deepEqual(
        report.missingBlocks.map((m) => m.blockId),
        [(await blockIdsOf(fs, '/c/gone'))[3]!.blockId],
      );
    }));

  test('truncate across block boundaries and down through the tiers keeps the prefix', () =>
    withFs(
      async ({ fs }) => {
        const data = patternBytes(300_000, 8);
        await fs.writeFile('/t', data);
        const steps: [number, StorageTier, number[]][] = [
          [300_000, 'blocks', [65536, 65536, 65536, 65536, 37856]],
          [200_000, 'blocks', [65536, 65536, 65536, 3392]],
          [131_072, 'blocks', [65536, 65536]],
          [65_537, 'blocks', [65536, 1]],
          [65_536, 'small', []],
          [1025, 'small', []],
          [1024, 'inline', []],
          [1, 'inline', []],
          [0, 'empty', []],
        ];
        for (const [length, tier, blocks] of steps) {
          assert.equal(await fs.truncate('/t', length), true);
          await assertFile(fs, '/t', tier, data.subarray(0, length));
          assert.deepEqual((await blockIdsOf(fs, '/t')).map((b) => b.length), blocks, `blocks after truncate to ${length}`);
          await assertHealthy(fs); // the blocks a truncate drops are removed from the block store
        }
        // A truncated block file keeps accepting appends.
        await fs.writeFile('/u', data);
        await fs.truncate('/u', 100_000);
        const tail = patternBytes(40_000, 9);
        await appendBytes(fs, '/u', tail);
        await assertFile(fs, '/u', 'blocks', Buffer.concat([data.subarray(0, 100_000), tail]));
        assert.equal((await fs.readFile('/u', { offset: 99_990, length: 20 })).equals(Buffer.concat([data.subarray(99_990, 100_000), tail.subarray(0, 10)])), true);
        await assertHealthy(fs);
      },
      { storagePolicy: { blockSize: 64 * KiB } },
    ));

  test('concat joins files of mixed tiers, in order, into the tier the total calls for', () =>
    withFs(
      async ({ fs }) => {
        const parts = {
          t: patternBytes(100, 1), // inline
          s1: patternBytes(5000, 2), // small
          s2: patternBytes(70_000, 3), // blocks
          s3: patternBytes(10, 4), // inline
        };
        for (const [name, bytes] of Object.entries(parts)) await fs.writeFile(`/c/${name}`, bytes);
        await fs.concat('/c/t', ['/c/s1', '/c/s2', '/c/s3']);
        await assertFile(fs, '/c/t', 'blocks', Buffer.concat(Object.values(parts)));
        assert.deepEqual((await fs.listStatus('/c')).entries.map((e) => e.name), ['t']);
        assert.equal((await fs.getFileStatus('/c')).childrenNum, 1);

        // The total fits the database: inline + inline stays inline, then + small is small.
        const a = patternBytes(300, 5);
        const b = patternBytes(400, 6);
        const c = patternBytes(2000, 7);
        await fs.writeFile('/d/t', a);
        await fs.writeFile('/d/a', b);
        await fs.concat('/d/t', ['/d/a']);
        await assertFile(fs, '/d/t', 'inline', Buffer.concat([a, b]));
        await fs.writeFile('/d/b', c);
        await fs.concat('/d/t', ['/d/b']);
        await assertFile(fs, '/d/t', 'small', Buffer.concat([a, b, c]));

        // A block-tier source (written under an all-blocks policy since lifted) moves into the database when the total
        // fits there.
        await fs.setStoragePolicy('/d', { inlineMax: 0, smallMax: 0, blockSize: 1024 });
        const coldBytes = patternBytes(3000, 8);
        await fs.writeFile('/d/cold', coldBytes);
        await assertFile(fs, '/d/cold', 'blocks', coldBytes);
        await fs.setStoragePolicy('/d', null);
        await fs.concat('/d/t', ['/d/cold']);
        await assertFile(fs, '/d/t', 'small', Buffer.concat([a, b, c, coldBytes]));
        assert.equal(await fs.exists('/d/cold'), false);

        // Blocks + blocks: the blocks are relinked, partial ones included, and read across.
        const x = patternBytes(70_000, 9);
        const y = patternBytes(70_000, 10);
        await fs.writeFile('/e/x', x);
        await fs.writeFile('/e/y', y);
        await fs.concat('/e/x', ['/e/y']);
        const xy = Buffer.concat([x, y]);
        await assertFile(fs, '/e/x', 'blocks', xy);
        assert.deepEqual((await blockIdsOf(fs, '/e/x')).map((bl) => bl.length), [65536, 4464, 65536, 4464]);
        assert.ok((await fs.readFile('/e/x', { offset: 69_990, length: 70_020 })).equals(xy.subarray(69_990, 140_010)));
        await assertHealthy(fs);
      },
      { storagePolicy: { blockSize: 64 * KiB } },
    ));
});
