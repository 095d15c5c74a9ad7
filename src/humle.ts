import { InvalidArgumentError } from './errors/humle-error.js';
import { FileSystem, type FileSystemOptions } from './fs/file-system.js';
import type { FsckOptions } from './fs/fsck.js';
import { runHumleFsck, type HumleFsckReport } from './humle-fsck.js';
import { FeatureStoreContext } from './featurestore/featurestore-context.js';
import { featureStoreMigrations } from './featurestore/metadata/featurestore-schema.js';
import { Project } from './featurestore/project/project.js';
import { ProjectRegistry } from './featurestore/project/project-registry.js';
import { API_KEY_SCOPES, type ApiKeyScope } from './platform/api-key-scopes.js';
import type { ApiKeyInfo } from './platform/api-keys.js';
import { Platform } from './platform/platform.js';
import { checkUserName } from './platform/user-name.js';
import { RemoteHumle, type ConnectOptions } from './remote/remote-humle.js';
import type { ApiKey, HumleConnection, NewApiKey } from './sdk/humle-connection.js';

export type HumleOptions = Pick<FileSystemOptions, 'dataDir' | 'engine' | 'user' | 'groups' | 'readWorkers'> & {
  /**
   * Worker threads that share feature vector lookups with the calling thread, each with its own read-only SQLite
   * connection (default 1; started at the first `initServing`). MySQL lookups use the engine's pool instead.
   */
  servingWorkers?: number;
};

/**
 * Humle embedded: humle fs and the feature store on one database, in this process (SQLite in `dataDir` unless an
 * engine is given). `Humle.open({ dataDir })` → `project(name)` → `featureStore()`. It acts as the data directory's
 * administrator for the user it was opened for: it sees every project and makes users on first use.
 */
export class Humle implements HumleConnection {
  private readonly projects: ProjectRegistry;

  private constructor(
    private readonly ctx: FeatureStoreContext,
    projects: ProjectRegistry,
    /** Users, API keys and project members (what the server authenticates and authorizes with). */
    readonly platform: Platform,
  ) {
    this.projects = projects;
  }

  static async open(options: HumleOptions): Promise<Humle> {
    const servingWorkers = options.servingWorkers ?? 1;
    if (!Number.isInteger(servingWorkers) || servingWorkers < 0 || servingWorkers > 64) {
      throw new InvalidArgumentError('servingWorkers must be an integer in [0, 64]', { servingWorkers });
    }
    const fs = await FileSystem.open(options);
    try {
      await fs.engine.migrate('featurestore', featureStoreMigrations);
      const ctx = new FeatureStoreContext(fs.engine, fs, servingWorkers);
      const projects = new ProjectRegistry(ctx);
      return new Humle(ctx, projects, await Platform.open(fs.engine, fs, projects));
    } catch (error) {
      await fs.close();
      throw error;
    }
  }

  /**
   * Humle on a server (`humle server`), over its REST API, as the user of an API key: the same interface as the
   * embedded Humle's, with the server's typed errors as the embedded SDK's classes. A wrong or revoked key fails here.
   */
  static connect(options: ConnectOptions): Promise<HumleConnection> {
    return RemoteHumle.connect(options);
  }

  /** humle fs, as the user Humle was opened for. */
  get fs(): FileSystem {
    return this.ctx.userFs;
  }

  /**
   * Checks humle fs (see FileSystem.fsck; superuser only) and then every feature group's offline table: each live
   * data file against the length and checksum its commit recorded, and the Delta log against the live files.
   */
  fsck(options: FsckOptions = {}): Promise<HumleFsckReport> {
    return runHumleFsck(this.ctx, this.fs, options);
  }

  /** Creates a project owned by the user Humle was opened for (its owner member; see Platform.createProject). */
  async createProject(name: string): Promise<Project> {
    return new Project(this.ctx, this.platform, await this.platform.createProject(name, this.ctx.user));
  }

  /** An existing project (ProjectNotFoundError otherwise). */
  async project(name: string): Promise<Project> {
    return new Project(this.ctx, this.platform, await this.projects.get(name));
  }

  async getOrCreateProject(name: string): Promise<Project> {
    const found = await this.projects.find(name);
    return found !== undefined ? new Project(this.ctx, this.platform, found) : this.createProject(name);
  }

  async listProjects(): Promise<Project[]> {
    return (await this.projects.list()).map((record) => new Project(this.ctx, this.platform, record));
  }

  /** A new API key for the user Humle was opened for (made a user if it is not one); every scope by default. */
  async createApiKey(name: string, scopes: readonly ApiKeyScope[] = API_KEY_SCOPES): Promise<NewApiKey> {
    await this.platform.users.ensure(this.keyUser());
    const created = await this.platform.apiKeys.create(this.keyUser(), name, scopes);
    return { key: created.key, ...apiKeyOf(created) };
  }

  async listApiKeys(): Promise<ApiKey[]> {
    return (await this.platform.apiKeys.list(this.keyUser())).map(apiKeyOf);
  }

  revokeApiKey(name: string): Promise<void> {
    return this.platform.apiKeys.revoke(this.keyUser(), name);
  }

  /** The user whose keys these are: Humle's user, which must be a platform user name to hold keys. */
  private keyUser(): string {
    return checkUserName(this.ctx.user);
  }

  async close(): Promise<void> {
    // Statistics still being computed for acknowledged commits finish first.
    await this.ctx.statisticsJobs.drain();
    await this.ctx.closeRowLookups();
    await this.ctx.userFs.close();
  }
}

function apiKeyOf(info: ApiKeyInfo): ApiKey {
  return { name: info.name, prefix: info.prefix, scopes: info.scopes, createdAt: new Date(info.createdAt) };
}
