import type { Readable } from 'node:stream';

/** A block being written: bytes go to a temporary name until `commit` makes the block durable under its id. */
export interface BlockSink {
  write(chunk: Buffer): Promise<void>;
  /** Flushes to stable storage and publishes the block under its id; returns its length and CRC32C. */
  commit(): Promise<{ length: number; checksum: number }>;
  /** Drops the temporary bytes. */
  abort(): Promise<void>;
}

export interface StoredBlock {
  blockId: number;
  length: number;
  modifiedAt: number;
}

/**
 * Where large file bytes live. A block is immutable once committed and is referenced only by the database
 * transaction that closes its file; anything committed here but unreferenced there is garbage for fsck.
 * An object store fits the same shape: `create` → multipart upload, `commit` → complete, `listIncomplete` → pending
 * uploads, `localPath` → undefined (readers then use `read`).
 */
export interface BlockStore {
  create(blockId: number): Promise<BlockSink>;
  /** Streams `length` bytes of the block from `offset`. */
  read(blockId: number, offset: number, length: number): Readable;
  delete(blockIds: readonly number[]): Promise<void>;
  /** Every committed block (for fsck). */
  list(): AsyncIterable<StoredBlock>;
  /** Temporary leftovers of writes that never committed, with their age (for fsck). */
  listIncomplete(): AsyncIterable<{ name: string; modifiedAt: number }>;
  deleteIncomplete(name: string): Promise<void>;
  /** A path another engine (DuckDB) can open to read the block in place, when the store is a local directory. */
  localPath(blockId: number): string | undefined;
  /**
   * A fresh local path where another program (DuckDB writing Parquet) may write a file that `importFile` then turns
   * into a block; the store picks it so a local store can adopt the file by renaming it, without a copy. A file left
   * there by a crash is an incomplete write for fsck.
   */
  stagingPath(): string;
  /** Makes the file at `path` (from `stagingPath`) the durable block `blockId`; the file is gone from `path` after. */
  importFile(blockId: number, path: string): Promise<{ length: number; checksum: number }>;
}
