import type { Transaction } from '../../db/engine.js';
import { InvalidArgumentError } from '../../errors/humle-error.js';
import { INLINE_DATA_MAX } from '../fs-schema.js';
import type { Inode } from '../inode.js';

/**
 * Which tier a file's bytes go to, by size: ≤ inlineMax in the inode row, ≤ smallMax in the small-file table, larger
 * in blocks of blockSize. HopsFS's `DB` storage policy with its 1 KB / 64 KB tiers is the default; a directory may set
 * its own, inherited by everything below it (inlineMax = smallMax = 0 keeps all bytes in blocks).
 */
export interface StoragePolicy {
  inlineMax: number;
  smallMax: number;
  blockSize: number;
}

export const DEFAULT_BLOCK_SIZE = 128 * 1024 * 1024;
export const DEFAULT_STORAGE_POLICY: StoragePolicy = { inlineMax: 1024, smallMax: 64 * 1024, blockSize: DEFAULT_BLOCK_SIZE };

export function validateStoragePolicy(policy: StoragePolicy): void {
  const { inlineMax, smallMax, blockSize } = policy;
  if (!Number.isInteger(inlineMax) || inlineMax < 0 || inlineMax > INLINE_DATA_MAX) {
    throw new InvalidArgumentError(`inlineMax must be an integer in [0, ${INLINE_DATA_MAX}]`, { inlineMax });
  }
  if (!Number.isInteger(smallMax) || smallMax < inlineMax || smallMax > 16 * 1024 * 1024) {
    throw new InvalidArgumentError('smallMax must be an integer in [inlineMax, 16 MiB]', { smallMax });
  }
  if (!Number.isInteger(blockSize) || blockSize < 1024 || blockSize > 2 ** 40) {
    throw new InvalidArgumentError('blockSize must be an integer in [1 KiB, 1 TiB]', { blockSize });
  }
}

/** The policy in force for a new file in `dirs` (root first): the nearest directory that sets one, else the default. */
export async function effectiveStoragePolicy(tx: Transaction, dirs: readonly Inode[], fallback: StoragePolicy): Promise<StoragePolicy> {
  for (let i = dirs.length - 1; i >= 0; i--) {
    const dir = dirs[i]!;
    if (dir.storagePolicy !== 1) continue;
    const row = await tx.get<{ inline_max: number; small_max: number; block_size: number }>(
      'SELECT inline_max, small_max, block_size FROM fs_storage_policies WHERE inode_id = ?',
      [dir.id],
    );
    if (row) return { inlineMax: row.inline_max, smallMax: row.small_max, blockSize: Number(row.block_size) };
  }
  return fallback;
}
