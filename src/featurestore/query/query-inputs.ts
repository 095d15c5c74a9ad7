import type { FeatureStoreContext } from '../featurestore-context.js';
import { FeatureGroupRecords, type FeatureGroupRecord } from '../metadata/feature-group-records.js';
import { ParquetFileError } from '../offline/offline-store-errors.js';
import { DataFiles, type DataFile } from '../offline/table/data-files.js';
import { findDamagedGroupFile } from '../offline/table/offline-table-location.js';
import { isBeforeFirstCommit, resolveVersion } from '../offline/table/version-resolution.js';
import { featureGroupIdsOf, pointOf, type QueryPlan } from './query-plan.js';
import { QuerySql, type SourceRows } from './query-sql.js';
import { resolveQuery, type QuerySource, type ResolvedQuery } from './resolved-query.js';

/**
 * What running a plan needs from the database: each group's current metadata, the plan resolved against it, and
 * each source's data files at the version it reads. Only file paths leave the database; DuckDB reads the rows.
 */
export interface PreparedQuery {
  resolved: ResolvedQuery;
  sql: QuerySql;
  /**
   * The error a failed DuckDB run of the query becomes: a damaged data file of one of its groups, named by its humle
   * fs path (DataFileDamagedError), or else a ParquetFileError with what DuckDB said.
   */
  failure(error: Error): Promise<Error>;
}

export async function currentRecords(ctx: FeatureStoreContext, plan: QueryPlan): Promise<Map<number, FeatureGroupRecord>> {
  const records = new FeatureGroupRecords(ctx.engine.dialect);
  const found = new Map<number, FeatureGroupRecord>();
  await ctx.engine.read(async (tx) => {
    for (const id of featureGroupIdsOf(plan)) {
      const record = await records.byId(tx, id);
      if (record !== undefined) found.set(id, record);
    }
  });
  return found;
}

/** `rootTable` replaces the root group's rows by a temporary table of the connection (a spine). */
export async function prepareQuery(ctx: FeatureStoreContext, plan: QueryPlan, options: { rootTable?: string } = {}): Promise<PreparedQuery> {
  const resolved = resolveQuery(plan, await currentRecords(ctx, plan));
  const rows: SourceRows[] = [];
  const read: { record: FeatureGroupRecord; files: DataFile[] }[] = [];
  for (const source of resolved.sources) {
    if (source.index === 0 && options.rootTable !== undefined) {
      rows.push({ kind: 'table', name: options.rootTable });
      continue;
    }
    const { scan, files } = await sourceRows(ctx, source);
    rows.push(scan);
    read.push({ record: source.record, files });
  }
  const failure = async (error: Error): Promise<Error> => {
    return (await findDamagedGroupFile(ctx, read, error)) ?? new ParquetFileError(`the offline query failed: ${error.message}`, {});
  };
  return { resolved, sql: new QuerySql(resolved, rows), failure };
}

const dataFiles = new DataFiles();

async function sourceRows(ctx: FeatureStoreContext, source: QuerySource): Promise<{ scan: SourceRows; files: DataFile[] }> {
  const { record, plan } = source;
  const scan = (files: readonly DataFile[]) => files.map((f) => ({ localPath: ctx.fs.blockStore.localPath(f.blockId)!, partitionValues: f.partitionValues }));
  const upTo = await resolveVersion(ctx, record, pointOf(plan.asOf));
  if (plan.excludeUntil === null) {
    if (upTo === undefined) return { scan: { kind: 'snapshot', files: [] }, files: [] };
    const live = await ctx.engine.read((tx) => dataFiles.liveAt(tx, record.id, upTo));
    return { scan: { kind: 'snapshot', files: scan(live) }, files: live };
  }
  const start = pointOf(plan.excludeUntil)!;
  // A start before the first commit means from the beginning: every commit up to the end is a change.
  const after = start instanceof Date && (await isBeforeFirstCommit(ctx, record, start)) ? -1 : ((await resolveVersion(ctx, record, start)) ?? -1);
  if (upTo === undefined || upTo <= after) return { scan: { kind: 'changes', added: [], removed: [] }, files: [] };
  const changed = await ctx.engine.read((tx) => dataFiles.changedBetween(tx, record.id, after, upTo));
  const added = changed.added.filter((f) => f.removedVersion === null || f.removedVersion > upTo);
  const removed = changed.removed.filter((f) => f.addedVersion <= after);
  return { scan: { kind: 'changes', added: scan(added), removed: scan(removed) }, files: [...added, ...removed] };
}
