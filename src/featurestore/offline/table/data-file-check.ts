import { crc32c } from '@node-rs/crc32';
import type { Readable } from 'node:stream';
import type { BlockStore } from '../../../fs/blocks/block-store.js';
import type { DataFile } from './data-files.js';

/**
 * Whether bytes are what a data file's commit recorded: its length, and its CRC32C when one was recorded (files
 * written before checksums were recorded are checked by length only). Returns why not, or undefined when they are.
 * A stream that fails with ENOENT is a missing file.
 */
export async function bytesDamage(bytes: Readable, file: Pick<DataFile, 'sizeBytes' | 'checksum'>): Promise<string | undefined> {
  let length = 0;
  let crc = 0;
  try {
    for await (const chunk of bytes as AsyncIterable<Buffer>) {
      length += chunk.length;
      if (file.checksum !== null) crc = crc32c(chunk, crc);
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'it is missing';
    throw error;
  }
  if (length > file.sizeBytes) return `it is longer than the ${file.sizeBytes} bytes its commit recorded`;
  if (length < file.sizeBytes) return `it has ${length} bytes; its commit recorded ${file.sizeBytes}`;
  if (file.checksum !== null && crc !== file.checksum) return 'its bytes fail the checksum its commit recorded';
  return undefined;
}

/**
 * Why the block a data file's reads use (DuckDB reads it in place) is not what the commit wrote, or undefined. One
 * byte past the recorded length is asked for, so that a longer block shows.
 */
export function blockDamage(blocks: BlockStore, file: DataFile): Promise<string | undefined> {
  return bytesDamage(blocks.read(file.blockId, 0, file.sizeBytes + 1), file);
}
