import type { FeatureStoreContext } from '../../featurestore-context.js';
import { FeatureGroupRecords, type FeatureGroupRecord } from '../../metadata/feature-group-records.js';
import { CommitLog } from './commit-log.js';
import { DataFiles } from './data-files.js';
import { RecordIndex } from './record-index.js';

export interface VacuumResult {
  filesDeleted: number;
  bytesFreed: number;
  /** The oldest version time travel can read from now on. */
  oldestVersion: number;
}

/**
 * Deletes the data files that only versions older than the retention window need (Delta's VACUUM): a file removed
 * by version r serves versions before r only, so it goes once version r is older than `retainMs`. Every version
 * within the window stays readable; the versions before the newest removal vacuumed become unreadable, and time
 * travel to them is refused rather than answered from missing files.
 */
export async function vacuumTable(ctx: FeatureStoreContext, tableDir: string, record: FeatureGroupRecord, retainMs: number): Promise<VacuumResult> {
  const records = new FeatureGroupRecords(ctx.engine.dialect);
  const files = new DataFiles();
  const commits = new CommitLog();
  const index = new RecordIndex(ctx.engine.dialect);
  const cutoff = Date.now() - retainMs;
  const horizon = await ctx.engine.read((tx) => commits.versionAt(tx, record.id, cutoff));
  if (horizon === undefined) return { filesDeleted: 0, bytesFreed: 0, oldestVersion: record.oldestVersion };
  const expired = await ctx.engine.read((tx) => files.removedUpTo(tx, record.id, horizon));
  if (expired.length === 0) return { filesDeleted: 0, bytesFreed: 0, oldestVersion: record.oldestVersion };
  const oldestVersion = Math.max(record.oldestVersion, ...expired.map((f) => f.removedVersion!));
  await ctx.fs.transaction({ files: 0 }, async (ftx) => {
    // The oldest readable version moves first in the same transaction, so no reader is sent to a deleted file.
    await records.setOldestVersion(ftx.tx, record.id, oldestVersion);
    for (const file of expired) {
      await ftx.deleteFile(`${tableDir}/${file.path}`);
      await index.forgetFile(ftx.tx, record.id, file.id);
      await files.forget(ftx.tx, record.id, file.id);
    }
  });
  return { filesDeleted: expired.length, bytesFreed: expired.reduce((n, f) => n + f.sizeBytes, 0), oldestVersion };
}
