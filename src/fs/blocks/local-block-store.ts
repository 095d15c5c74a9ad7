import { createReadStream } from 'node:fs';
import { mkdir, open, opendir, rename, rm, stat, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import { crc32c } from '@node-rs/crc32';
import type { BlockSink, BlockStore, StoredBlock } from './block-store.js';

const BLOCK_PREFIX = 'blk_';
/** Blocks are spread over this many subdirectories so no directory grows huge (as datanodes do with subdirs). */
const FANOUT = 256;

/**
 * Blocks as plain files in a local directory: `<dir>/<id % 256 as hex>/blk_<id>`, written under `<dir>/tmp/` and
 * renamed into place after an fsync, so a block file that exists under its final name is whole.
 */
export class LocalBlockStore implements BlockStore {
  private readonly tmpDir: string;
  private readonly createdShards = new Set<string>();

  constructor(private readonly dir: string) {
    this.tmpDir = join(dir, 'tmp');
  }

  async init(): Promise<void> {
    await mkdir(this.tmpDir, { recursive: true });
  }

  private shardDir(blockId: number): string {
    return join(this.dir, (blockId % FANOUT).toString(16).padStart(2, '0'));
  }

  localPath(blockId: number): string {
    return join(this.shardDir(blockId), BLOCK_PREFIX + blockId);
  }

  async create(blockId: number): Promise<BlockSink> {
    const tmpPath = join(this.tmpDir, `${BLOCK_PREFIX}${blockId}.${randomBytes(4).toString('hex')}`);
    const handle: FileHandle = await open(tmpPath, 'wx');
    let length = 0;
    let checksum = 0;
    let closed = false;
    return {
      write: async (chunk: Buffer) => {
        checksum = crc32c(chunk, checksum);
        length += chunk.length;
        let written = 0;
        while (written < chunk.length) {
          const { bytesWritten } = await handle.write(chunk, written, chunk.length - written);
          written += bytesWritten;
        }
      },
      commit: async () => {
        await handle.sync();
        await handle.close();
        closed = true;
        await this.publish(tmpPath, blockId);
        return { length, checksum };
      },
      abort: async () => {
        if (!closed) await handle.close().catch(() => undefined);
        closed = true;
        await rm(tmpPath, { force: true });
      },
    };
  }

  stagingPath(): string {
    return join(this.tmpDir, `ext_${randomBytes(8).toString('hex')}`);
  }

  async importFile(blockId: number, path: string): Promise<{ length: number; checksum: number }> {
    const handle = await open(path, 'r');
    let length = 0;
    let checksum = 0;
    try {
      // The checksum needs every byte read once anyway; reading also warms the page cache for the first query.
      const buffer = Buffer.allocUnsafe(1 << 20);
      for (;;) {
        const { bytesRead } = await handle.read(buffer, 0, buffer.length, length);
        if (bytesRead === 0) break;
        checksum = crc32c(buffer.subarray(0, bytesRead), checksum);
        length += bytesRead;
      }
      await handle.sync();
    } finally {
      await handle.close();
    }
    await this.publish(path, blockId);
    return { length, checksum };
  }

  /** Renames a synced temporary file to the block's name, durably: the rename must survive a crash before the commit. */
  private async publish(tmpPath: string, blockId: number): Promise<void> {
    const shard = this.shardDir(blockId);
    if (!this.createdShards.has(shard)) {
      await mkdir(shard, { recursive: true });
      this.createdShards.add(shard);
    }
    await rename(tmpPath, this.localPath(blockId));
    const dirHandle = await open(shard, 'r');
    try {
      await dirHandle.sync();
    } finally {
      await dirHandle.close();
    }
  }

  read(blockId: number, offset: number, length: number): Readable {
    if (length === 0) return createReadStream('/dev/null');
    return createReadStream(this.localPath(blockId), { start: offset, end: offset + length - 1, highWaterMark: 1 << 20 });
  }

  async delete(blockIds: readonly number[]): Promise<void> {
    await Promise.all(blockIds.map((id) => rm(this.localPath(id), { force: true })));
  }

  async *list(): AsyncIterable<StoredBlock> {
    const top = await opendir(this.dir);
    for await (const shard of top) {
      if (!shard.isDirectory() || shard.name === 'tmp') continue;
      const shardPath = join(this.dir, shard.name);
      for await (const entry of await opendir(shardPath)) {
        if (!entry.name.startsWith(BLOCK_PREFIX)) continue;
        const blockId = Number(entry.name.slice(BLOCK_PREFIX.length));
        if (!Number.isSafeInteger(blockId)) continue;
        const info = await stat(join(shardPath, entry.name)).catch(() => undefined);
        if (info) yield { blockId, length: info.size, modifiedAt: info.mtimeMs };
      }
    }
  }

  async *listIncomplete(): AsyncIterable<{ name: string; modifiedAt: number }> {
    for await (const entry of await opendir(this.tmpDir)) {
      const info = await stat(join(this.tmpDir, entry.name)).catch(() => undefined);
      if (info) yield { name: entry.name, modifiedAt: info.mtimeMs };
    }
  }

  async deleteIncomplete(name: string): Promise<void> {
    await rm(join(this.tmpDir, name.replaceAll('/', '')), { force: true });
  }
}
