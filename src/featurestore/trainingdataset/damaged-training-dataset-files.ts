import type { BlockStore } from '../../fs/blocks/block-store.js';
import { DataFileDamagedError } from '../offline/offline-store-errors.js';
import { bytesDamage } from '../offline/table/data-file-check.js';
import { offlineQueryFailure } from '../query/offline-query-runner.js';
import type { TrainingDatasetFile } from './training-dataset-records.js';

/**
 * The error of a failed read of a training dataset's files. A data owner may write the dataset's directory in humle fs:
 * a file truncated or overwritten there gets new blocks and its old block (the one the dataset reads) is discarded.
 * So when DuckDB fails, the blocks the record names are checked (only a failure pays for it), and the first damaged
 * one is a DataFileDamagedError naming its humle fs path; when all are intact the failure was something else.
 */
export async function trainingDatasetReadFailure(blocks: BlockStore, files: readonly TrainingDatasetFile[], failure: Error): Promise<Error> {
  for (const file of files) {
    const damage = await trainingDatasetFileDamage(blocks, file);
    if (damage !== undefined) {
      return new DataFileDamagedError(`the training dataset file ${file.path} is damaged: ${damage} (it changed after the dataset was made; make a new version)`, {
        path: file.path,
        reason: damage,
      });
    }
  }
  return offlineQueryFailure(failure);
}

/** Why a file's block is not what the dataset wrote, or undefined; one byte past the recorded length shows a longer one. */
function trainingDatasetFileDamage(blocks: BlockStore, file: TrainingDatasetFile): Promise<string | undefined> {
  if (file.length === undefined) {
    // Made before lengths were recorded: only a missing block can be told.
    return bytesDamage(blocks.read(file.blockId, 0, 1), { sizeBytes: 0, checksum: null }).then((damage) => (damage === 'it is missing' ? damage : undefined));
  }
  return bytesDamage(blocks.read(file.blockId, 0, file.length + 1), { sizeBytes: file.length, checksum: file.checksum ?? null });
}
