import { randomUUID } from 'node:crypto';
import type { BlockRef } from '../../../fs/content/content-store.js';
import type { FeatureStoreContext } from '../../featurestore-context.js';
import type { Feature } from '../../schema/feature.js';
import { addFileAction, type DeltaAddFile } from '../delta/delta-actions.js';
import { writeParquetFile } from '../parquet/parquet-file-writer.js';
import type { DataFile } from './data-files.js';

/** Rows per data file: a file stays one block and a rewrite touches a bounded amount of data. */
export const MAX_ROWS_PER_FILE = 1_000_000;

/**
 * A data file written for a commit: its row, its block, and its Delta `add` action. Its `addedVersion` is the
 * commit's, known only inside the commit's transaction (concurrent commits may take the version planned for).
 */
export interface WrittenFile {
  file: DataFile;
  block: BlockRef;
  add: DeltaAddFile;
}

/**
 * Writes a commit's data files: Parquet by DuckDB into a staging path of the block store, adopted as a block. The
 * file is in no directory yet: the commit's transaction publishes it, or fsck collects the block.
 */
export class DataFileWriter {
  constructor(private readonly ctx: FeatureStoreContext) {}

  /**
   * `staged` collects the staging path while DuckDB writes, so the caller can remove a half-written file when the
   * commit fails; once the file is a block its path leaves the list.
   */
  async write(
    columns: readonly { name: string; type: Feature['type'] }[],
    rows: readonly (readonly unknown[])[],
    staged: string[],
    options: { dataChange?: boolean } = {},
  ): Promise<WrittenFile> {
    const stagingPath = this.ctx.fs.stagingPath();
    staged.push(stagingPath);
    const result = await writeParquetFile(stagingPath, columns, rows);
    const block = await this.ctx.fs.importBlock(stagingPath);
    staged.splice(staged.indexOf(stagingPath), 1);
    const path = `part-${randomUUID()}-c000.snappy.parquet`;
    const file: DataFile = {
      id: await this.ctx.dataFileIds.takeOne(),
      path,
      blockId: block.blockId,
      sizeBytes: block.length,
      rowCount: result.rowCount,
      addedVersion: -1,
      removedVersion: null,
    };
    const add = addFileAction({ path, size: block.length, modificationTime: Date.now(), stats: result.stats, dataChange: options.dataChange }).add;
    return { file, block, add };
  }
}
