import type { FeatureStoreContext } from '../featurestore-context.js';
import { FeatureGroupRecords, type FeatureGroupRecord } from '../metadata/feature-group-records.js';
import { DataFiles, type DataFile } from '../offline/table/data-files.js';
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
  for (const source of resolved.sources) {
    rows.push(source.index === 0 && options.rootTable !== undefined ? { kind: 'table', name: options.rootTable } : await sourceRows(ctx, source));
  }
  return { resolved, sql: new QuerySql(resolved, rows) };
}

const dataFiles = new DataFiles();

async function sourceRows(ctx: FeatureStoreContext, source: QuerySource): Promise<SourceRows> {
  const { record, plan } = source;
  const scan = (files: readonly DataFile[]) => files.map((f) => ({ localPath: ctx.fs.blockStore.localPath(f.blockId)!, partitionValues: f.partitionValues }));
  const upTo = await resolveVersion(ctx, record, pointOf(plan.asOf));
  if (plan.excludeUntil === null) {
    if (upTo === undefined) return { kind: 'snapshot', files: [] };
    return { kind: 'snapshot', files: scan(await ctx.engine.read((tx) => dataFiles.liveAt(tx, record.id, upTo))) };
  }
  const start = pointOf(plan.excludeUntil)!;
  // A start before the first commit means from the beginning: every commit up to the end is a change.
  const after = start instanceof Date && (await isBeforeFirstCommit(ctx, record, start)) ? -1 : ((await resolveVersion(ctx, record, start)) ?? -1);
  if (upTo === undefined || upTo <= after) return { kind: 'changes', added: [], removed: [] };
  const { added, removed } = await ctx.engine.read((tx) => dataFiles.changedBetween(tx, record.id, after, upTo));
  return {
    kind: 'changes',
    added: scan(added.filter((f) => f.removedVersion === null || f.removedVersion > upTo)),
    removed: scan(removed.filter((f) => f.addedVersion <= after)),
  };
}
