import type { DuckDBConnection } from '@duckdb/node-api';
import type { Table } from 'apache-arrow';
import type { FeatureStoreContext } from '../../featurestore-context.js';
import { FeatureGroupRecords, type FeatureGroupRecord } from '../../metadata/feature-group-records.js';
import type { Feature } from '../../schema/feature.js';
import { toArrowTable } from '../../records/arrow-table.js';
import { readDuckDBArrowTables } from '../duckdb/duckdb-arrow-result.js';
import { streamDuckDBRows } from '../duckdb/duckdb-result-rows.js';
import { ParquetFileError } from '../offline-store-errors.js';
import { withDuckDBConnection } from '../duckdb/duckdb-instance.js';
import { quoteIdentifier } from '../duckdb/duckdb-sql-quoting.js';
import { dataFileRelation } from './data-file-scan.js';
import { DataFiles, type DataFile } from './data-files.js';
import { findDamagedGroupFile } from './offline-table-location.js';

/** A DuckDB statement of a read, and the error a failure of it becomes (DuckDB's own error in). */
export interface ReadStatement {
  sql: string;
  failure: (error: Error) => Promise<Error>;
}

/**
 * Reads an offline table as of a Delta version: the version's live data files (one query on `fg_data_files`), read
 * in place from their blocks by DuckDB. Copy-on-write keeps each record in exactly one live file, so a snapshot
 * needs no deduplication. Files written before a feature was added read it as null.
 */
export class SnapshotReader {
  private readonly files = new DataFiles();
  private readonly records: FeatureGroupRecords;

  constructor(
    private readonly ctx: FeatureStoreContext,
    private readonly record: FeatureGroupRecord,
  ) {
    this.records = new FeatureGroupRecords(ctx.engine.dialect);
  }

  /** The features as of `version`: the newest schema recorded at or before it. */
  async featuresAt(version: number): Promise<Feature[]> {
    const history = await this.ctx.engine.read((tx) => this.records.schemaHistory(tx, this.record.id));
    let features = this.record.features;
    for (const entry of history) if (entry.version <= version) features = entry.features;
    return features;
  }

  /**
   * The table as of `version`, each row as `present` makes it of its canonical values (in the features' order) while
   * the rows stream out of DuckDB. Only what `present` returns is kept: at 10M rows, holding every row's value array
   * until the end as well doubled the live heap and made the garbage collector most of the read.
   */
  async read<T>(version: number, present: (features: readonly Feature[], row: readonly unknown[]) => T): Promise<T[]> {
    const { features, files } = await this.liveAt(version);
    return this.readFiles(files, features, (row) => present(features, row));
  }

  /** The table as of `version` as an Arrow table, straight from DuckDB's vectors (see duckdb-arrow-result.ts). */
  async readTable(version: number): Promise<Table> {
    const { features, files } = await this.liveAt(version);
    if (files.length === 0) return toArrowTable(features, []);
    return this.scan(files, features, async (connection, select, failure) => {
      const [table] = await readDuckDBArrowTables(connection, select, { features, partColumn: null, parts: 1 }, failure);
      return table!;
    });
  }

  /**
   * The rows of some data files, in the features' order: columns matched by name (a feature appended after a file
   * was written reads as null), partition columns from the files' partition values; each as `present` makes it.
   */
  async readFiles<T>(files: readonly DataFile[], features: readonly Feature[], present: (row: unknown[]) => T): Promise<T[]> {
    if (files.length === 0) return [];
    return this.scan(files, features, async (connection, select, failure) => {
      const rows: T[] = [];
      for await (const batch of streamDuckDBRows(connection, select, failure)) {
        for (const row of batch.rows) rows.push(present(row));
      }
      return rows;
    });
  }

  /**
   * The statement that reads the table as of `version` sorted by `orderBy` (feature names, each ascending, nulls
   * first), the first `limit` rows when given, with the features of its result and the error a failure of it
   * becomes; null when the version has no data files. For a reader that runs it elsewhere (the server's answer
   * workers): DuckDB sorts on its own threads, spilling to disk past its memory limit.
   */
  async sortedStatement(version: number, orderBy: readonly string[], limit: number | undefined): Promise<{ features: Feature[]; statement: ReadStatement | null }> {
    const { features, files } = await this.liveAt(version);
    if (files.length === 0) return { features, statement: null };
    const { select, failure } = this.scanStatement(files, features);
    const order = orderBy.length === 0 ? '' : ` ORDER BY ${orderBy.map((name) => `${quoteIdentifier(name)} ASC NULLS FIRST`).join(', ')}`;
    return { features, statement: { sql: `${select}${order}${limit === undefined ? '' : ` LIMIT ${limit}`}`, failure } };
  }

  /** The schema and the live data files of `version`. */
  private async liveAt(version: number): Promise<{ features: Feature[]; files: DataFile[] }> {
    const features = await this.featuresAt(version);
    const files = await this.ctx.engine.read((tx) => this.files.liveAt(tx, this.record.id, version));
    return { features, files };
  }

  /** Runs `read` with the statement that selects the files' rows and the error that a failed read becomes. */
  private scan<T>(
    files: readonly DataFile[],
    features: readonly Feature[],
    read: (connection: DuckDBConnection, select: string, failure: (error: Error) => Promise<Error>) => Promise<T>,
  ): Promise<T> {
    const { select, failure } = this.scanStatement(files, features);
    return withDuckDBConnection((connection) => read(connection, select, failure));
  }

  /** The statement that selects the files' rows, and the error that a failed read becomes. */
  private scanStatement(files: readonly DataFile[], features: readonly Feature[]): { select: string; failure: (error: Error) => Promise<Error> } {
    return { select: `SELECT * FROM ${this.relationOf(files, features)}`, failure: this.failureOf(files) };
  }

  /** The DuckDB relation that reads the files' rows as rows of `features` (see dataFileRelation). */
  relationOf(files: readonly DataFile[], features: readonly Feature[]): string {
    return dataFileRelation(
      files.map((f) => ({ localPath: this.ctx.fs.blockStore.localPath(f.blockId)!, partitionValues: f.partitionValues })),
      features,
    );
  }

  /** The error a failed read of the files becomes: a damaged file is named by its humle fs path; any other failure stays what DuckDB said. */
  failureOf(files: readonly DataFile[]): (error: Error) => Promise<Error> {
    const paths = files.map((f) => this.ctx.fs.blockStore.localPath(f.blockId)!);
    return async (error: Error): Promise<Error> =>
      (await this.damagedFile(files, error)) ?? new ParquetFileError(`cannot read the data files: ${error.message}`, { paths });
  }

  /** The file among `files` that made a read fail because it is damaged (see findDamagedDataFile), or undefined. */
  private async damagedFile(files: readonly DataFile[], error: Error): Promise<Error | undefined> {
    return findDamagedGroupFile(this.ctx, [{ record: this.record, files }], error);
  }
}
