import { InvalidFeatureGroupError, SchemaIncompatibleError } from '../../../errors/featurestore-errors.js';
import type { FeatureStoreContext } from '../../featurestore-context.js';
import { FeatureGroupRecords, type FeatureGroupRecord } from '../../metadata/feature-group-records.js';
import { onlineTableDefinition, onlineTableName } from '../../online/online-table.js';
import type { Feature } from '../../schema/feature.js';
import { evolveSchema } from '../../schema/feature-schema.js';
import { parseFeatureType, type FeatureType } from '../../types/feature-type.js';
import { commitInfoAction, metadataAction, type DeltaAction } from '../delta/delta-actions.js';
import { deltaCommitPath, parseDeltaCommit, serializeDeltaCommit } from '../delta/delta-log.js';
import { CommitLog } from './commit-log.js';

/**
 * Adds nullable features to a feature group (HSFS `append_features`), the one schema change existing data can
 * follow: old rows read the new features as null. Once the table has commits, the change is a Delta commit of its
 * own (`ADD COLUMNS`, new metaData, no data), recorded in the schema history, so time travel to an earlier version
 * still sees the earlier schema.
 */
export async function appendFeatures(
  ctx: FeatureStoreContext,
  tableDir: string,
  record: FeatureGroupRecord,
  additions: readonly { name: string; type: string | FeatureType; description?: string }[],
): Promise<FeatureGroupRecord> {
  if (record.features.length === 0) {
    throw new InvalidFeatureGroupError(`feature group ${record.name} has no schema yet: its first insert defines it`, { name: record.name });
  }
  if (!Array.isArray(additions) || additions.length === 0) throw new InvalidFeatureGroupError('appendFeatures needs at least one feature', {});
  const incoming: Feature[] = additions.map((a) => {
    if (typeof a !== 'object' || a === null) throw new InvalidFeatureGroupError('a feature must be an object with a name and a type', { feature: a });
    let type: FeatureType;
    try {
      type = typeof a.type === 'string' ? parseFeatureType(a.type) : a.type;
    } catch (error) {
      throw new InvalidFeatureGroupError(`feature '${String(a.name)}': ${(error as Error).message}`, { feature: a.name });
    }
    return { name: a.name, type, description: a.description ?? '', primary: false, eventTime: false, partition: false };
  });
  for (const f of incoming) {
    if (record.features.some((existing) => existing.name === f.name)) {
      throw new SchemaIncompatibleError(`feature group ${record.name} has a feature ${f.name} already`, { feature: f.name });
    }
  }
  const { features, added } = evolveSchema(record.features, incoming);

  // The online columns first: DDL commits on its own on MySQL, and a nullable column nobody reads yet is harmless.
  if (record.onlineEnabled) {
    const table = onlineTableName(record.projectId, record.name, record.version);
    const definition = onlineTableDefinition(table, features);
    for (const feature of added) {
      const column = definition.columns.find((c) => c.name === feature.name)!;
      try {
        await ctx.engine.write((tx) => tx.run(ctx.engine.dialect.addColumn(table, column)));
      } catch (error) {
        // A retry of an append that failed after its DDL finds the column there.
        if (!/duplicate column/i.test((error as Error).message)) throw error;
      }
    }
  }

  const records = new FeatureGroupRecords(ctx.engine.dialect);
  const commits = new CommitLog();
  const base = record.deltaVersion;
  const version = base + 1;
  const now = Date.now();
  // The Delta table keeps its id across metadata changes: read it from the first commit.
  const tableId = base < 0 ? undefined : firstMetadataId(await ctx.fs.readFile(`${tableDir}/${deltaCommitPath(0)}`));
  await ctx.fs.transaction({ files: 1 }, async (ftx) => {
    const locked = await records.byId(ftx.tx, record.id, true);
    if (locked === undefined || locked.deltaVersion !== base || JSON.stringify(locked.features) !== JSON.stringify(record.features)) {
      throw new SchemaIncompatibleError(`feature group ${record.name} changed while its features were being appended; try again`, { name: record.name });
    }
    await records.setFeatures(ftx.tx, record.id, features);
    if (base < 0) {
      // No commit yet: the first insert's metaData will carry these features. A group created with its features
      // has their history row at -1 already.
      await records.replaceSchemaBeforeFirstCommit(ftx.tx, record.id, features, now);
      return;
    }
    const columns = features.map((f) => ({ name: f.name, type: f.type }));
    const actions: DeltaAction[] = [
      metadataAction({
        columns,
        id: tableId,
        partitionColumns: record.partitionKey,
        name: `${record.name}_${record.version}`,
        description: record.description,
        createdTime: record.createdAt,
      }),
      commitInfoAction({
        timestamp: now,
        operation: 'ADD COLUMNS',
        operationParameters: { columns: added.map((f) => ({ column: { name: f.name, type: f.type.kind, nullable: true } })) },
        readVersion: base,
      }),
    ];
    await ftx.writeFile(`${tableDir}/${deltaCommitPath(version)}`, serializeDeltaCommit(actions));
    await commits.add(ftx.tx, record.id, { commitId: version, committedOn: now, operation: 'ADD COLUMNS', rowsInserted: 0, rowsUpdated: 0, rowsDeleted: 0 });
    await records.recordSchema(ftx.tx, record.id, version, features, now);
    await records.setDeltaVersion(ftx.tx, record.id, version);
  });
  return { ...record, features, deltaVersion: base < 0 ? base : version };
}

function firstMetadataId(commit: Buffer): string | undefined {
  for (const action of parseDeltaCommit(commit, 0)) if ('metaData' in action) return action.metaData.id;
  return undefined;
}
