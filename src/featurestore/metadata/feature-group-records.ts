import type { Transaction } from '../../db/engine.js';
import type { Dialect } from '../../db/dialect.js';
import { fromStored, toStored, type Feature, type StoredFeature } from '../schema/feature.js';

/** A feature group version as the metadata database holds it. */
export interface FeatureGroupRecord {
  id: number;
  projectId: number;
  name: string;
  version: number;
  description: string;
  /** Empty until the first insert when the schema is inferred from data. */
  features: Feature[];
  primaryKey: string[];
  eventTime: string | null;
  partitionKey: string[];
  onlineEnabled: boolean;
  statisticsConfig: unknown;
  expectations: unknown;
  creator: string;
  createdAt: number;
  /** The newest Delta version of the offline table, -1 before the first commit. */
  deltaVersion: number;
  /** The oldest version time travel can read (vacuum removed the files of older ones). */
  oldestVersion: number;
}

const COLUMNS =
  'id, project_id, name, version, description, features, primary_key, event_time, partition_key, online_enabled, ' +
  'statistics_config, expectations, creator, created_at, delta_version, oldest_version';

interface Row {
  id: number;
  project_id: number;
  name: string;
  version: number;
  description: string;
  features: string;
  primary_key: string;
  event_time: string | null;
  partition_key: string;
  online_enabled: number;
  statistics_config: string;
  expectations: string;
  creator: string;
  created_at: number;
  delta_version: number;
  oldest_version: number;
}

function fromRow(row: Row): FeatureGroupRecord {
  return {
    id: Number(row.id),
    projectId: Number(row.project_id),
    name: row.name,
    version: Number(row.version),
    description: row.description,
    features: (JSON.parse(row.features) as StoredFeature[]).map(fromStored),
    primaryKey: JSON.parse(row.primary_key) as string[],
    eventTime: row.event_time,
    partitionKey: JSON.parse(row.partition_key) as string[],
    onlineEnabled: Number(row.online_enabled) === 1,
    statisticsConfig: JSON.parse(row.statistics_config),
    expectations: JSON.parse(row.expectations),
    creator: row.creator,
    createdAt: Number(row.created_at),
    deltaVersion: Number(row.delta_version),
    oldestVersion: Number(row.oldest_version),
  };
}

/** The SQL for `fg_feature_groups` and the small tables that hang off it (tags, schema history). */
export class FeatureGroupRecords {
  constructor(private readonly dialect: Dialect) {}

  async insert(tx: Transaction, record: FeatureGroupRecord): Promise<void> {
    await tx.run(`INSERT INTO fg_feature_groups (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, [
      record.id,
      record.projectId,
      record.name,
      record.version,
      record.description,
      JSON.stringify(record.features.map(toStored)),
      JSON.stringify(record.primaryKey),
      record.eventTime,
      JSON.stringify(record.partitionKey),
      record.onlineEnabled ? 1 : 0,
      JSON.stringify(record.statisticsConfig ?? null),
      JSON.stringify(record.expectations ?? null),
      record.creator,
      record.createdAt,
      record.deltaVersion,
      record.oldestVersion,
    ]);
  }

  async byId(tx: Transaction, id: number, lock = false): Promise<FeatureGroupRecord | undefined> {
    const row = await tx.get<Row>(`SELECT ${COLUMNS} FROM fg_feature_groups WHERE id = ?${lock ? this.dialect.forUpdate : ''}`, [id]);
    return row === undefined ? undefined : fromRow(row);
  }

  /** One version, or the newest when `version` is undefined. */
  async find(tx: Transaction, projectId: number, name: string, version?: number): Promise<FeatureGroupRecord | undefined> {
    const row =
      version === undefined
        ? await tx.get<Row>(`SELECT ${COLUMNS} FROM fg_feature_groups WHERE project_id = ? AND name = ? ORDER BY version DESC LIMIT 1`, [projectId, name])
        : await tx.get<Row>(`SELECT ${COLUMNS} FROM fg_feature_groups WHERE project_id = ? AND name = ? AND version = ?`, [projectId, name, version]);
    return row === undefined ? undefined : fromRow(row);
  }

  /** Every version of `name`, or every feature group of the project, by name then version. */
  async list(tx: Transaction, projectId: number, name?: string): Promise<FeatureGroupRecord[]> {
    const rows =
      name === undefined
        ? await tx.all<Row>(`SELECT ${COLUMNS} FROM fg_feature_groups WHERE project_id = ? ORDER BY name, version`, [projectId])
        : await tx.all<Row>(`SELECT ${COLUMNS} FROM fg_feature_groups WHERE project_id = ? AND name = ? ORDER BY version`, [projectId, name]);
    return rows.map(fromRow);
  }

  async latestVersion(tx: Transaction, projectId: number, name: string): Promise<number> {
    const row = await tx.get<{ v: number | null }>('SELECT MAX(version) AS v FROM fg_feature_groups WHERE project_id = ? AND name = ?', [projectId, name]);
    return row?.v === null || row?.v === undefined ? 0 : Number(row.v);
  }

  async setFeatures(tx: Transaction, id: number, features: readonly Feature[]): Promise<void> {
    await tx.run('UPDATE fg_feature_groups SET features = ? WHERE id = ?', [JSON.stringify(features.map(toStored)), id]);
  }

  async setDeltaVersion(tx: Transaction, id: number, version: number): Promise<void> {
    await tx.run('UPDATE fg_feature_groups SET delta_version = ? WHERE id = ?', [version, id]);
  }

  async setOldestVersion(tx: Transaction, id: number, version: number): Promise<void> {
    await tx.run('UPDATE fg_feature_groups SET oldest_version = ? WHERE id = ?', [version, id]);
  }

  async recordSchema(tx: Transaction, id: number, version: number, features: readonly Feature[], at: number): Promise<void> {
    await tx.run('INSERT INTO fg_schema_history (fg_id, version, features, changed_at) VALUES (?, ?, ?, ?)', [
      id,
      version,
      JSON.stringify(features.map(toStored)),
      at,
    ]);
  }

  /** The schema before the first commit (version -1), replaced: features appended before any insert. */
  async replaceSchemaBeforeFirstCommit(tx: Transaction, id: number, features: readonly Feature[], at: number): Promise<void> {
    await tx.run('DELETE FROM fg_schema_history WHERE fg_id = ? AND version = -1', [id]);
    await this.recordSchema(tx, id, -1, features, at);
  }

  /** The features as of each Delta version that changed them, oldest first. */
  async schemaHistory(tx: Transaction, id: number): Promise<{ version: number; features: Feature[]; changedAt: number }[]> {
    const rows = await tx.all<{ version: number; features: string; changed_at: number }>(
      'SELECT version, features, changed_at FROM fg_schema_history WHERE fg_id = ? ORDER BY version',
      [id],
    );
    return rows.map((r) => ({ version: Number(r.version), features: (JSON.parse(r.features) as StoredFeature[]).map(fromStored), changedAt: Number(r.changed_at) }));
  }

  async delete(tx: Transaction, id: number): Promise<void> {
    // Commits, files, index, tags and schema history go with it (ON DELETE CASCADE).
    await tx.run('DELETE FROM fg_feature_groups WHERE id = ?', [id]);
  }

  async setTag(tx: Transaction, id: number, name: string, value: unknown): Promise<void> {
    await tx.run(this.dialect.upsert('fg_tags', ['fg_id', 'name', 'value'], ['fg_id', 'name'], ['value']), [id, name, JSON.stringify(value)]);
  }

  async tags(tx: Transaction, id: number): Promise<Record<string, unknown>> {
    const rows = await tx.all<{ name: string; value: string }>('SELECT name, value FROM fg_tags WHERE fg_id = ? ORDER BY name', [id]);
    return Object.fromEntries(rows.map((r) => [r.name, JSON.parse(r.value)]));
  }

  async deleteTag(tx: Transaction, id: number, name: string): Promise<boolean> {
    return (await tx.run('DELETE FROM fg_tags WHERE fg_id = ? AND name = ?', [id, name])).changes > 0;
  }
}
