import type { BlockStore } from '../../../fs/blocks/block-store.js';
import { DataFileDamagedError } from '../offline-store-errors.js';
import { blockDamage } from './data-file-check.js';
import type { DataFile } from './data-files.js';

/** Data files of one offline table that an operation read. */
export interface TableDataFiles {
  /** The table's humle fs directory, which names its files to the caller. */
  tableDir: string;
  files: readonly DataFile[];
}

/**
 * After DuckDB failed on data files: the first of them whose block is not what its commit wrote (missing, another
 * length, failing its checksum) as a DataFileDamagedError naming its humle fs path, or undefined when all are intact
 * (the failure was something else). Only a failure pays for the check. The files DuckDB's message names (it names
 * a file by its block's local path) are checked first, so a large table is read whole only when the message names
 * none.
 */
export async function findDamagedDataFile(blocks: BlockStore, tables: readonly TableDataFiles[], failure: Error): Promise<DataFileDamagedError | undefined> {
  const candidates = tables.flatMap((t) => t.files.map((file) => ({ path: `${t.tableDir}/${file.path}`, file, named: namesBlock(failure.message, blocks.localPath(file.blockId)) })));
  candidates.sort((a, b) => Number(b.named) - Number(a.named));
  for (const { path, file } of candidates) {
    const damage = await blockDamage(blocks, file);
    if (damage !== undefined) {
      return new DataFileDamagedError(`the data file ${path} is damaged: ${damage} (humle fs fsck lists every damaged file)`, { path, reason: damage });
    }
  }
  return undefined;
}

/** Whether `message` names the local file `localPath` (and not a longer name it is the start of: blk_1 in blk_12). */
function namesBlock(message: string, localPath: string | undefined): boolean {
  if (localPath === undefined) return false;
  for (let at = message.indexOf(localPath); at !== -1; at = message.indexOf(localPath, at + 1)) {
    if (!/[0-9]/.test(message.charAt(at + localPath.length))) return true;
  }
  return false;
}
