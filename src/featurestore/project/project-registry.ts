import { ProjectExistsError, ProjectNotFoundError } from '../../errors/project-errors.js';
import type { Engine } from '../../db/engine.js';
import type { FileSystem } from '../../fs/file-system.js';
import type { IdAllocator } from '../../fs/namespace/id-allocator.js';
import { checkProjectName, featureStoreDirectory, projectDirectory } from './project-name.js';
import type { ProjectRecord } from './project-record.js';

/**
 * What the registry uses of the feature store's context (FeatureStoreContext has it), named here so that the
 * offline tables, which look a project's name up by id, do not import the context's whole world back.
 */
export interface ProjectRegistryContext {
  readonly engine: Engine;
  readonly fs: FileSystem;
  readonly projectIds: IdAllocator;
  readonly user: string;
}

interface ProjectRow {
  id: number;
  name: string;
  owner: string;
  created_at: number;
}

function fromRow(row: ProjectRow): ProjectRecord {
  return { id: Number(row.id), name: row.name, owner: row.owner, createdAt: Number(row.created_at) };
}

/** Projects: one row each, and their directories in humle fs. */
export class ProjectRegistry {
  constructor(private readonly ctx: ProjectRegistryContext) {}

  async find(name: string): Promise<ProjectRecord | undefined> {
    checkProjectName(name);
    const row = await this.ctx.engine.read((tx) => tx.get<ProjectRow>('SELECT id, name, owner, created_at FROM hm_projects WHERE name = ?', [name]));
    return row === undefined ? undefined : fromRow(row);
  }

  async findById(id: number): Promise<ProjectRecord | undefined> {
    const row = await this.ctx.engine.read((tx) => tx.get<ProjectRow>('SELECT id, name, owner, created_at FROM hm_projects WHERE id = ?', [id]));
    return row === undefined ? undefined : fromRow(row);
  }

  async get(name: string): Promise<ProjectRecord> {
    const record = await this.find(name);
    if (record === undefined) throw new ProjectNotFoundError(`project ${name} not found`, { project: name });
    return record;
  }

  async list(): Promise<ProjectRecord[]> {
    const rows = await this.ctx.engine.read((tx) => tx.all<ProjectRow>('SELECT id, name, owner, created_at FROM hm_projects ORDER BY name'));
    return rows.map(fromRow);
  }

  /**
   * Creates the project row and its directories. The directories come first (mkdirs is idempotent), so a crash
   * between the two leaves empty directories that the next create of the same name reuses, never a project row
   * without its directories.
   */
  async create(name: string, owner: string = this.ctx.user): Promise<ProjectRecord> {
    checkProjectName(name);
    if ((await this.find(name)) !== undefined) throw new ProjectExistsError(`project ${name} already exists`, { project: name });
    await this.ctx.fs.mkdirs(projectDirectory(name));
    await this.ctx.fs.mkdirs(featureStoreDirectory(name));
    const id = await this.ctx.projectIds.takeOne();
    const record: ProjectRecord = { id, name, owner, createdAt: Date.now() };
    try {
      await this.ctx.engine.write((tx) =>
        tx.run('INSERT INTO hm_projects (id, name, owner, created_at) VALUES (?, ?, ?, ?)', [id, name, record.owner, record.createdAt]),
      );
    } catch (error) {
      if ((await this.find(name)) !== undefined) throw new ProjectExistsError(`project ${name} already exists`, { project: name });
      throw error;
    }
    return record;
  }
}
