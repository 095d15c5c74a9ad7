import { Readable } from 'node:stream';
import { crc32c } from '@node-rs/crc32';
import { CorruptBlockError } from '../../errors/fs-errors.js';
import type { BlockStore } from '../blocks/block-store.js';
import type { BlockRef } from './content-store.js';

/** What a read found in the namespace: the bytes themselves (database tiers) or the blocks to stream. */
export type FileContent = { kind: 'bytes'; data: Buffer } | { kind: 'blocks'; blocks: BlockRef[]; size: number };

/**
 * Streams `length` bytes from `offset` over the file's blocks, in order. A block read whole is checked against the
 * CRC32C recorded when it was written; a missing or short block is a CorruptBlockError, never silent short data.
 */
export function streamBlocks(store: BlockStore, path: string, blocks: readonly BlockRef[], offset: number, length: number): Readable {
  async function* chunks(): AsyncGenerator<Buffer> {
    let blockStart = 0;
    let remaining = length;
    for (const block of blocks) {
      const blockEnd = blockStart + block.length;
      if (remaining > 0 && offset < blockEnd) {
        const from = Math.max(0, offset - blockStart);
        const take = Math.min(block.length - from, remaining);
        const whole = from === 0 && take === block.length;
        let crc = 0;
        let got = 0;
        try {
          for await (const chunk of store.read(block.blockId, from, take) as AsyncIterable<Buffer>) {
            if (whole) crc = crc32c(chunk, crc);
            got += chunk.length;
            yield chunk;
          }
        } catch (error) {
          const code = (error as NodeJS.ErrnoException).code;
          if (code === 'ENOENT') throw new CorruptBlockError(`block ${block.blockId} of ${path} is missing`, { path, blockId: block.blockId });
          throw error;
        }
        if (got !== take) throw new CorruptBlockError(`block ${block.blockId} of ${path} is shorter than recorded`, { path, blockId: block.blockId });
        if (whole && crc !== block.checksum) {
          throw new CorruptBlockError(`block ${block.blockId} of ${path} fails its checksum`, { path, blockId: block.blockId });
        }
        remaining -= take;
      }
      blockStart = blockEnd;
      if (remaining <= 0) break;
    }
  }
  return Readable.from(chunks(), { objectMode: false });
}
