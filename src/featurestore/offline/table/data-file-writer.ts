import { randomUUID } from 'node:crypto';
import type { BlockRef } from '../../../fs/content/content-store.js';
import type { FeatureStoreContext } from '../../featurestore-context.js';
import { addFileAction, type DeltaAddFile } from '../delta/delta-actions.js';
import type { OfflineColumn } from '../offline-column.js';
import type { ParquetWriteResult, RowsToDrop } from '../parquet/parquet-file-writer.js';
import { parquetWriterThread } from '../parquet/parquet-writer-thread.js';
import { findDamagedDataFile } from './damaged-data-files.js';
import type { DataFile } from './data-files.js';
import type { PartitionValues } from './partitioning.js';

/** The partition of an existing file: its values, and the directory its path is in. */
function partitionOf(file: DataFile): { values: PartitionValues; directory: string } {
  const slash = file.path.lastIndexOf('/');
  return { values: file.partitionValues, directory: slash === -1 ? '' : file.path.slice(0, slash) };
}

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
 * Writes a commit's data files: Parquet by DuckDB (on the Parquet writer thread) into a staging path of the block
 * store, adopted as a block. The file is in no directory yet: the commit's transaction publishes it, or fsck
 * collects the block.
 *
 * `staged` collects the staging path while DuckDB writes, so the caller can remove a half-written file when the
 * commit fails; once the file is a block its path leaves the list.
 */
export class DataFileWriter {
  constructor(
    private readonly ctx: FeatureStoreContext,
    /** The table's directory in humle fs: a damaged file that a rewrite or merge reads is named by its path there. */
    private readonly tableDir: string,
  ) {}

  /** A new file of `rows` (canonical rows in `columns` order) in a partition ({} and '' when unpartitioned). */
  async write(
    columns: readonly OfflineColumn[],
    rows: readonly (readonly unknown[])[],
    partition: { values: PartitionValues; directory: string },
    staged: string[],
  ): Promise<WrittenFile> {
    return (await this.adopt(staged, true, partition, (path) => parquetWriterThread.write(path, columns, rows)))!;
  }

  /** A copy of the live file `from` without the records `drop` names; undefined when none is left. */
  async rewrite(columns: readonly OfflineColumn[], from: DataFile, drop: RowsToDrop, staged: string[]): Promise<(WrittenFile & { rowsDropped: number }) | undefined> {
    let rowsDropped = 0;
    const written = await this.adopt(staged, true, partitionOf(from), async (path) => {
      const result = await this.reading([from], () => parquetWriterThread.rewrite(path, this.localPath(from), columns, drop));
      rowsDropped = result?.rowsDropped ?? 0;
      return result;
    });
    return written === undefined ? undefined : { ...written, rowsDropped };
  }

  /** One file with the rows of several (compaction: the same data, so its `add` says `dataChange: false`). */
  async merge(columns: readonly OfflineColumn[], from: readonly DataFile[], staged: string[]): Promise<WrittenFile> {
    // Compaction merges files of one partition only.
    return (await this.adopt(staged, false, partitionOf(from[0]!), (path) =>
      this.reading(from, () => parquetWriterThread.merge(path, from.map((f) => this.localPath(f)), columns)),
    ))!;
  }

  /** Runs a write that reads live files; if it fails because one of them is damaged, the error names that file. */
  private async reading<T>(files: readonly DataFile[], write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (error) {
      if (!(error instanceof Error)) throw error;
      throw (await findDamagedDataFile(this.ctx.fs.blockStore, [{ tableDir: this.tableDir, files }], error)) ?? error;
    }
  }

  private localPath(file: DataFile): string {
    return this.ctx.fs.blockStore.localPath(file.blockId)!;
  }

  /** Writes a file to a staging path and adopts it as a block; undefined when the write wrote nothing. */
  private async adopt(
    staged: string[],
    dataChange: boolean,
    partition: { values: PartitionValues; directory: string },
    writeTo: (stagingPath: string) => Promise<ParquetWriteResult | undefined>,
  ): Promise<WrittenFile | undefined> {
    const stagingPath = this.ctx.fs.stagingPath();
    staged.push(stagingPath);
    const result = await writeTo(stagingPath);
    if (result === undefined) {
      staged.splice(staged.indexOf(stagingPath), 1);
      return undefined;
    }
    const block = await this.ctx.fs.importBlock(stagingPath);
    staged.splice(staged.indexOf(stagingPath), 1);
    const name = `part-${randomUUID()}-c000.snappy.parquet`;
    const path = partition.directory === '' ? name : `${partition.directory}/${name}`;
    const file: DataFile = {
      id: await this.ctx.dataFileIds.takeOne(),
      path,
      blockId: block.blockId,
      sizeBytes: block.length,
      rowCount: result.rowCount,
      addedVersion: -1,
      removedVersion: null,
      partitionValues: partition.values,
      // The block store computed it while adopting the file: recording it costs the commit nothing more.
      checksum: block.checksum,
    };
    const add = addFileAction({ path, size: block.length, modificationTime: Date.now(), stats: result.stats, partitionValues: partition.values, dataChange }).add;
    return { file, block, add };
  }
}
