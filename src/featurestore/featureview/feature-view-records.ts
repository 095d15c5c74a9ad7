import type { Transaction } from '../../db/engine.js';
import type { QueryPlan } from '../query/query-plan.js';
import { featureGroupIdsOf } from '../query/query-plan.js';
import type { OnDemandFeatureSpec } from '../transformation/on-demand-feature.js';

/** A model-dependent transformation function a view applies to some of its columns (see transformation/). */
export interface TransformationFunctionSpec {
  name: string;
  version?: number;
  /** The view's features it takes. */
  features: string[];
}

/** A feature view version as the metadata database holds it. */
export interface FeatureViewRecord {
  id: number;
  projectId: number;
  name: string;
  version: number;
  description: string;
  query: QueryPlan;
  labels: string[];
  transformationFunctions: TransformationFunctionSpec[];
  onDemandFeatures: OnDemandFeatureSpec[];
  inferenceHelperColumns: string[];
  trainingHelperColumns: string[];
  creator: string;
  createdAt: number;
}

const COLUMNS =
  'id, project_id, name, version, description, query, labels, transformation_functions, inference_helper_columns, training_helper_columns, creator, created_at';

interface Row {
  id: number;
  project_id: number;
  name: string;
  version: number;
  description: string;
  query: string;
  labels: string;
  transformation_functions: string;
  inference_helper_columns: string;
  training_helper_columns: string;
  creator: string;
  created_at: number;
}

function fromRow(row: Row, onDemandFeatures: OnDemandFeatureSpec[]): FeatureViewRecord {
  return {
    id: Number(row.id),
    projectId: Number(row.project_id),
    name: row.name,
    version: Number(row.version),
    description: row.description,
    query: JSON.parse(row.query) as QueryPlan,
    labels: JSON.parse(row.labels) as string[],
    transformationFunctions: JSON.parse(row.transformation_functions) as TransformationFunctionSpec[],
    onDemandFeatures,
    inferenceHelperColumns: JSON.parse(row.inference_helper_columns) as string[],
    trainingHelperColumns: JSON.parse(row.training_helper_columns) as string[],
    creator: row.creator,
    createdAt: Number(row.created_at),
  };
}

/** The SQL for `fv_feature_views`, `fv_feature_view_groups` and `fv_on_demand_features`. */
export class FeatureViewRecords {
  /** The view and the feature groups its query reads, in the caller's transaction. */
  async insert(tx: Transaction, record: FeatureViewRecord): Promise<void> {
    await tx.run(`INSERT INTO fv_feature_views (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, [
      record.id,
      record.projectId,
      record.name,
      record.version,
      record.description,
      JSON.stringify(record.query),
      JSON.stringify(record.labels),
      JSON.stringify(record.transformationFunctions),
      JSON.stringify(record.inferenceHelperColumns),
      JSON.stringify(record.trainingHelperColumns),
      record.creator,
      record.createdAt,
    ]);
    for (const fgId of featureGroupIdsOf(record.query)) await tx.run('INSERT INTO fv_feature_view_groups (fv_id, fg_id) VALUES (?, ?)', [record.id, fgId]);
    for (const [position, spec] of record.onDemandFeatures.entries()) {
      await tx.run('INSERT INTO fv_on_demand_features (fv_id, position, spec) VALUES (?, ?, ?)', [record.id, position, JSON.stringify(spec)]);
    }
  }

  private async withOnDemand(tx: Transaction, rows: Row[]): Promise<FeatureViewRecord[]> {
    const records: FeatureViewRecord[] = [];
    for (const row of rows) {
      const specs = await tx.all<{ spec: string }>('SELECT spec FROM fv_on_demand_features WHERE fv_id = ? ORDER BY position', [row.id]);
      records.push(fromRow(row, specs.map((s) => JSON.parse(s.spec) as OnDemandFeatureSpec)));
    }
    return records;
  }

  /** One version, or the newest when `version` is undefined. */
  async find(tx: Transaction, projectId: number, name: string, version?: number): Promise<FeatureViewRecord | undefined> {
    const row =
      version === undefined
        ? await tx.get<Row>(`SELECT ${COLUMNS} FROM fv_feature_views WHERE project_id = ? AND name = ? ORDER BY version DESC LIMIT 1`, [projectId, name])
        : await tx.get<Row>(`SELECT ${COLUMNS} FROM fv_feature_views WHERE project_id = ? AND name = ? AND version = ?`, [projectId, name, version]);
    return row === undefined ? undefined : (await this.withOnDemand(tx, [row]))[0];
  }

  /** Every version of `name`, or every view of the project, by name then version. */
  async list(tx: Transaction, projectId: number, name?: string): Promise<FeatureViewRecord[]> {
    const rows =
      name === undefined
        ? await tx.all<Row>(`SELECT ${COLUMNS} FROM fv_feature_views WHERE project_id = ? ORDER BY name, version`, [projectId])
        : await tx.all<Row>(`SELECT ${COLUMNS} FROM fv_feature_views WHERE project_id = ? AND name = ? ORDER BY version`, [projectId, name]);
    return this.withOnDemand(tx, rows);
  }

  async latestVersion(tx: Transaction, projectId: number, name: string): Promise<number> {
    const row = await tx.get<{ v: number | null }>('SELECT MAX(version) AS v FROM fv_feature_views WHERE project_id = ? AND name = ?', [projectId, name]);
    return row?.v === null || row?.v === undefined ? 0 : Number(row.v);
  }

  /** `name:version` of every view that reads the feature group. */
  async readersOf(tx: Transaction, fgId: number): Promise<string[]> {
    const rows = await tx.all<{ name: string; version: number }>(
      'SELECT v.name AS name, v.version AS version FROM fv_feature_view_groups g JOIN fv_feature_views v ON v.id = g.fv_id WHERE g.fg_id = ? ORDER BY v.name, v.version',
      [fgId],
    );
    return rows.map((r) => `${r.name}:${Number(r.version)}`);
  }

  /** Deletes the view; its rows in fv_feature_view_groups go with it (ON DELETE CASCADE). */
  async delete(tx: Transaction, id: number): Promise<boolean> {
    return (await tx.run('DELETE FROM fv_feature_views WHERE id = ?', [id])).changes > 0;
  }
}
