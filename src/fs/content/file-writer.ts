import { Writable } from 'node:stream';
import { InvalidOperationError, LeaseExpiredError } from '../../errors/fs-errors.js';
import { InvalidArgumentError } from '../../errors/humle-error.js';
import type { BlockSink } from '../blocks/block-store.js';
import type { FsCore } from '../fs-core.js';
import { FileStore } from '../inode.js';
import type { BlockRef } from './content-store.js';
import { dropLease, renewLease } from './leases.js';
import type { StoragePolicy } from './storage-policy.js';

/** What a writer knows about its file when it starts: the file's state at create or append time. */
export interface WriterStart {
  inodeId: number;
  path: string;
  holder: string;
  policy: StoragePolicy;
  blockSize: number;
  replication: number;
  /** Bytes already in the file (0 for create). */
  baseSize: number;
  baseStore: FileStore;
  baseBlockCount: number;
}

/**
 * File data as a Buffer (a view, not a copy, of a Uint8Array). Anything but bytes or a string, as an untyped caller
 * may pass, is an InvalidArgumentError here, before anything changes, rather than a raw TypeError from Buffer.from
 * (or an array of numbers silently taken as bytes).
 */
export function fileBytes(data: unknown): Buffer {
  if (typeof data === 'string') return Buffer.from(data);
  if (Buffer.isBuffer(data)) return data;
  if (data instanceof Uint8Array) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  throw new InvalidArgumentError('file data must be a Buffer, a Uint8Array or a string', { type: data === null ? 'null' : typeof data });
}

/**
 * Streams bytes into a file opened by `create` or `append`. Bytes stay in memory while the file still fits the
 * database tiers; past the small-file limit they go to blocks (a file being appended to moves there with its old
 * bytes). Nothing is visible to readers until `close`, whose one transaction publishes the bytes, the new length and
 * the blocks, charges the space quota and releases the lease. A writer that dies leaves the file as it was.
 */
export class FileWriter {
  private buffered: Buffer[] = [];
  private written = 0;
  private sink: BlockSink | undefined;
  private sinkBytes = 0;
  private sinkBlockId = 0;
  private readonly sealed: BlockRef[] = [];
  private spilled: boolean;
  private state: 'open' | 'closed' | 'aborted' = 'open';
  private queue: Promise<void> = Promise.resolve();
  private readonly renewTimer: NodeJS.Timeout;

  constructor(
    private readonly core: FsCore,
    private readonly start: WriterStart,
  ) {
    this.spilled = start.baseStore === FileStore.Blocks;
    const renewEvery = Math.max(50, Math.floor(core.limits.leaseSoftLimitMs / 3));
    this.renewTimer = setInterval(() => void renewLease(core, start.inodeId, start.holder).catch(() => undefined), renewEvery);
    this.renewTimer.unref();
  }

  get path(): string {
    return this.start.path;
  }

  /** Bytes written through this writer so far. */
  get bytesWritten(): number {
    return this.written;
  }

  write(data: Buffer | Uint8Array | string): Promise<void> {
    if (this.state !== 'open') return Promise.reject(new InvalidOperationError(`writer for ${this.path} is ${this.state}`));
    let chunk: Buffer;
    try {
      chunk = fileBytes(data);
    } catch (error) {
      return Promise.reject(error);
    }
    // Writes are applied in call order even when the caller does not await each one.
    this.queue = this.queue.then(() => this.apply(chunk));
    return this.queue;
  }

  private async apply(chunk: Buffer): Promise<void> {
    this.written += chunk.length;
    if (!this.spilled) {
      this.buffered.push(chunk);
      if (this.start.baseSize + this.written <= this.start.policy.smallMax) return;
      await this.spill();
      return;
    }
    await this.toBlocks(chunk);
  }

  /** The file outgrew the database tiers: its old bytes (when appending) and the buffered ones go to blocks. */
  private async spill(): Promise<void> {
    this.spilled = true;
    const pending = this.buffered;
    this.buffered = [];
    if (this.start.baseSize > 0) {
      const base = await this.core.engine.read(async (tx) => {
        const inode = await this.core.inodes.byId(tx, this.start.inodeId);
        if (inode === undefined || inode.leaseHolder !== this.start.holder) throw this.leaseLost();
        return this.core.contents.readDb(tx, inode);
      });
      await this.toBlocks(base);
    }
    for (const chunk of pending) await this.toBlocks(chunk);
  }

  private async toBlocks(chunk: Buffer): Promise<void> {
    let offset = 0;
    while (offset < chunk.length) {
      if (this.sink === undefined) {
        this.sinkBlockId = await this.core.blockIds.takeOne();
        this.sink = await this.core.blocks.create(this.sinkBlockId);
        this.sinkBytes = 0;
      }
      const take = Math.min(chunk.length - offset, this.start.blockSize - this.sinkBytes);
      await this.sink.write(offset === 0 && take === chunk.length ? chunk : chunk.subarray(offset, offset + take));
      this.sinkBytes += take;
      offset += take;
      if (this.sinkBytes === this.start.blockSize) await this.seal();
    }
  }

  private async seal(): Promise<void> {
    const sink = this.sink;
    if (sink === undefined) return;
    this.sink = undefined;
    const { length, checksum } = await sink.commit();
    this.sealed.push({ blockId: this.sinkBlockId, length, checksum });
  }

  private leaseLost(): LeaseExpiredError {
    return new LeaseExpiredError(`lost the lease on ${this.path}: the file was deleted or recovered by another writer`, { path: this.path });
  }

  /** Publishes everything written; returns the file's new length. */
  async close(): Promise<number> {
    if (this.state !== 'open') throw new InvalidOperationError(`writer for ${this.path} is ${this.state}`);
    try {
      await this.queue;
      await this.seal();
    } catch (error) {
      await this.abort();
      throw error;
    }
    this.state = 'closed';
    clearInterval(this.renewTimer);
    const { core, start } = this;
    const newSize = start.baseSize + this.written;
    try {
      await core.engine.write(async (tx) => {
        const locked = await core.inodes.lockByIds(tx, [start.inodeId]);
        const inode = locked.get(start.inodeId);
        if (inode === undefined || inode.leaseHolder !== start.holder) throw this.leaseLost();
        const ancestors = await core.ancestorsOf(tx, inode);
        await core.quotas.charge(tx, ancestors, 0, (newSize - start.baseSize) * inode.replication, start.path);
        const mtime = core.now();
        if (!this.spilled) {
          const base = start.baseSize > 0 ? await core.contents.readDb(tx, inode) : undefined;
          const data = Buffer.concat(base ? [base, ...this.buffered] : this.buffered);
          if (inode.fileStore === FileStore.Small) await core.contents.deleteDb(tx, inode.id);
          const content = await core.contents.writeDb(tx, inode.id, data, start.policy);
          await core.inodes.setContent(tx, inode.id, { size: newSize, ...content, mtime });
        } else {
          if (inode.fileStore === FileStore.Small) await core.contents.deleteDb(tx, inode.id);
          const firstIndex = inode.fileStore === FileStore.Blocks ? start.baseBlockCount : 0;
          await core.contents.addBlocks(tx, inode.id, firstIndex, this.sealed);
          await core.inodes.setContent(tx, inode.id, { size: newSize, fileStore: FileStore.Blocks, inlineData: null, mtime });
        }
        await dropLease(core, tx, inode.id);
      });
    } catch (error) {
      await this.release();
      throw error;
    }
    return newSize;
  }

  /** Gives up: the bytes written are dropped and the file stays as it was before this writer. */
  async abort(): Promise<void> {
    if (this.state === 'aborted') return;
    const wasOpen = this.state === 'open';
    this.state = 'aborted';
    clearInterval(this.renewTimer);
    await this.queue.catch(() => undefined);
    if (wasOpen) await this.release();
  }

  private async release(): Promise<void> {
    await this.sink?.abort().catch(() => undefined);
    this.sink = undefined;
    await this.core.discardBlocks(this.sealed.map((b) => b.blockId));
    await this.core.engine
      .write(async (tx) => {
        const inode = await this.core.inodes.byId(tx, this.start.inodeId);
        if (inode !== undefined && inode.leaseHolder === this.start.holder) await dropLease(this.core, tx, inode.id);
      })
      .catch(() => undefined);
  }

  /** A Node.js Writable over this writer: `pipeline(source, writer.stream())` writes and closes the file. */
  stream(): Writable {
    return new Writable({
      write: (chunk: Buffer, _encoding, callback) => {
        this.write(chunk).then(() => callback(), callback);
      },
      final: (callback) => {
        this.close().then(() => callback(), callback);
      },
      destroy: (error, callback) => {
        if (error && this.state === 'open') this.abort().then(() => callback(error), () => callback(error));
        else callback(error);
      },
    });
  }
}
