import { HumleError } from '../../../errors/humle-error.js';
import type { FileSystem } from '../../../fs/file-system.js';
import type { FeatureStoreContext } from '../../featurestore-context.js';
import { FeatureGroupRecords, type FeatureGroupRecord } from '../../metadata/feature-group-records.js';
import { ProjectRegistry } from '../../project/project-registry.js';
import { decodeDeltaPath, encodeDeltaPath, type DeltaAddFile } from '../delta/delta-actions.js';
import { deltaCommitPath, parseDeltaCommit, replayDeltaLog, type DeltaCommit } from '../delta/delta-log.js';
import { blockDamage, bytesDamage } from './data-file-check.js';
import { DataFiles, type DataFile } from './data-files.js';
import { offlineTableDirectory } from './offline-table-location.js';

/** Something of an offline table that is not what the feature store's commits wrote. */
export interface OfflineTableProblem {
  /** The table's humle fs directory. */
  table: string;
  /** The humle fs path of the damaged data file or Delta commit file (the table's directory for the log as a whole). */
  path: string;
  problem: string;
}

export interface OfflineTablesReport {
  tables: number;
  /** Live data files checked (those of each table's latest version). */
  dataFiles: number;
  /** Live data files written before checksums were recorded: their length is checked, not their bytes. */
  dataFilesWithoutChecksum: number;
  corrupt: OfflineTableProblem[];
}

const dataFiles = new DataFiles();

/**
 * The feature store's part of fsck: every feature group's offline table against what its commits recorded in the
 * metadata database. For each live data file, both copies of the truth readers use must hold the bytes the commit
 * wrote (length, and the CRC32C when recorded): the block the feature store's reads use (DuckDB reads it in place)
 * and the file at its path in humle fs (what Spark and delta-rs read over WebHDFS). The Delta log must have every
 * commit file, each must parse, and its replay must list exactly the live files, with their recorded sizes.
 * `fs` must see everything (the superuser's view): a damaged table is reported, never skipped for lack of access.
 */
export async function checkOfflineTables(ctx: FeatureStoreContext, fs: FileSystem): Promise<OfflineTablesReport> {
  const report: OfflineTablesReport = { tables: 0, dataFiles: 0, dataFilesWithoutChecksum: 0, corrupt: [] };
  const records = new FeatureGroupRecords(ctx.engine.dialect);
  for (const project of await new ProjectRegistry(ctx).list()) {
    const groups = await ctx.engine.read((tx) => records.list(tx, project.id));
    for (const record of groups) {
      if (record.deltaVersion < 0) continue; // no commit yet: no table to check
      report.tables++;
      const table = offlineTableDirectory(project.name, record.name, record.version);
      const live = await ctx.engine.read((tx) => dataFiles.liveAt(tx, record.id, record.deltaVersion));
      for (const file of live) {
        report.dataFiles++;
        if (file.checksum === null) report.dataFilesWithoutChecksum++;
        const path = `${table}/${file.path}`;
        for (const problem of await dataFileProblems(fs, path, file)) report.corrupt.push({ table, path, problem });
      }
      report.corrupt.push(...(await deltaLogProblems(fs, table, record, live)));
    }
  }
  return report;
}

async function dataFileProblems(fs: FileSystem, path: string, file: DataFile): Promise<string[]> {
  const problems: string[] = [];
  const block = await blockDamage(fs.blockStore, file);
  if (block !== undefined) problems.push(`the block the feature store reads (${file.blockId}): ${block}`);
  const atPath = await fileDamage(fs, path, file);
  if (atPath !== undefined) problems.push(`the file in humle fs: ${atPath}`);
  return problems;
}

/** Why the file at `path` is not the bytes the commit wrote, or undefined. */
async function fileDamage(fs: FileSystem, path: string, file: DataFile): Promise<string | undefined> {
  try {
    return await bytesDamage(await fs.open(path), file);
  } catch (error) {
    // Missing, a directory, a block humle fs itself finds damaged: each is a reason, said in the fs's own words.
    if (error instanceof HumleError) return error.message;
    throw error;
  }
}

/** The Delta log's commits 0..deltaVersion, each present and parsed, replayed to exactly the live files. */
async function deltaLogProblems(fs: FileSystem, table: string, record: FeatureGroupRecord, live: readonly DataFile[]): Promise<OfflineTableProblem[]> {
  const problems: OfflineTableProblem[] = [];
  const commits: DeltaCommit[] = [];
  for (let version = 0; version <= record.deltaVersion; version++) {
    const path = `${table}/${deltaCommitPath(version)}`;
    try {
      commits.push({ version, actions: parseDeltaCommit(await fs.readFile(path), version) });
    } catch (error) {
      if (!(error instanceof HumleError)) throw error;
      problems.push({ table, path, problem: `Delta commit ${version}: ${error.message}` });
    }
  }
  if (problems.length > 0) return problems; // a replay over a gap says nothing more
  let files: ReadonlyMap<string, DeltaAddFile>;
  try {
    files = replayDeltaLog(commits).files;
  } catch (error) {
    if (!(error instanceof HumleError)) throw error;
    return [{ table, path: `${table}/_delta_log`, problem: `the Delta log does not replay: ${error.message}` }];
  }
  const expected = new Map(live.map((f) => [encodeDeltaPath(f.path), f]));
  for (const [logPath, file] of expected) {
    const add = files.get(logPath);
    if (add === undefined) problems.push({ table, path: `${table}/${file.path}`, problem: `the Delta log's version ${record.deltaVersion} does not list this live file` });
    else if (add.size !== file.sizeBytes) {
      problems.push({ table, path: `${table}/${file.path}`, problem: `the Delta log records ${add.size} bytes for it; its commit recorded ${file.sizeBytes}` });
    }
  }
  for (const logPath of files.keys()) {
    if (!expected.has(logPath)) {
      problems.push({ table, path: `${table}/${decodeDeltaPath(logPath)}`, problem: `the Delta log's version ${record.deltaVersion} lists a file the feature store did not commit` });
    }
  }
  return problems;
}
