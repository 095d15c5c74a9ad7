import { ProjectExistsError, ProjectNotFoundError } from '../errors/project-errors.js';
import { InvalidArgumentError } from '../errors/humle-error.js';
import { checkProjectName } from '../featurestore/project/project-name.js';
import { checkScopes, type ApiKeyScope } from '../platform/api-key-scopes.js';
import { checkKeyName } from '../platform/api-keys.js';
import type { ApiKey, HumleConnection, NewApiKey } from '../sdk/humle-connection.js';
import { RemoteContext } from './remote-context.js';
import { RemoteProject, type ProjectJson } from './remote-project.js';
import { RestClient, segment } from './rest-client.js';

/** What `Humle.connect` takes. */
export interface ConnectOptions {
  /** The server, e.g. `http://127.0.0.1:8080` (the REST API is under `/api/v1`). */
  url: string;
  /** An API key (`humle apikey create`); the connection acts as its user, within its scopes. */
  apiKey: string;
}

interface ApiKeyJson {
  name: string;
  prefix: string;
  scopes: ApiKeyScope[];
  createdAt: string;
}

function apiKeyOf(json: ApiKeyJson): ApiKey {
  return { name: json.name, prefix: json.prefix, scopes: json.scopes, createdAt: new Date(json.createdAt) };
}

/**
 * Humle on a server (`Humle.connect`): the same interface as the embedded SDK, over the REST API, as the user of an
 * API key. The server checks the key's scopes and the user's project roles on every call; names are checked here
 * first, as the embedded SDK checks them, so a bad one fails with the same error.
 */
export class RemoteHumle implements HumleConnection {
  private readonly client: RestClient;

  private constructor(private readonly ctx: RemoteContext) {
    this.client = ctx.client;
  }

  /** Connects and checks the key at once: a wrong or revoked key is AuthenticationError here, not at first use. */
  static async connect(options: ConnectOptions): Promise<RemoteHumle> {
    if (typeof options?.url !== 'string' || !/^https?:\/\//.test(options.url)) throw new InvalidArgumentError('url must be an http:// or https:// URL', { url: String(options?.url) });
    if (typeof options.apiKey !== 'string' || options.apiKey === '') throw new InvalidArgumentError('apiKey must be an API key', {});
    const client = new RestClient(options.url, options.apiKey);
    await client.json('GET', '/projects');
    return new RemoteHumle(new RemoteContext(client));
  }

  async createProject(name: string): Promise<RemoteProject> {
    checkProjectName(name);
    return new RemoteProject(this.ctx, await this.client.json<ProjectJson>('POST', '/projects', { json: { name } }));
  }

  async project(name: string): Promise<RemoteProject> {
    checkProjectName(name);
    return new RemoteProject(this.ctx, await this.client.json<ProjectJson>('GET', `/projects/${segment(name)}`));
  }

  async getOrCreateProject(name: string): Promise<RemoteProject> {
    try {
      return await this.project(name);
    } catch (error) {
      if (!(error instanceof ProjectNotFoundError)) throw error;
    }
    try {
      return await this.createProject(name);
    } catch (error) {
      // Another caller created it first: theirs is the one to use.
      if (error instanceof ProjectExistsError) return this.project(name);
      throw error;
    }
  }

  async listProjects(): Promise<RemoteProject[]> {
    const { items } = await this.client.json<{ items: ProjectJson[] }>('GET', '/projects');
    return items.map((json) => new RemoteProject(this.ctx, json));
  }

  async createApiKey(name: string, scopes?: readonly ApiKeyScope[]): Promise<NewApiKey> {
    checkKeyName(name);
    if (scopes !== undefined) checkScopes(scopes);
    const created = await this.client.json<ApiKeyJson & { key: string }>('POST', '/apikeys', { json: { name, scopes } });
    return { key: created.key, ...apiKeyOf(created) };
  }

  async listApiKeys(): Promise<ApiKey[]> {
    return (await this.client.json<{ items: ApiKeyJson[] }>('GET', '/apikeys')).items.map(apiKeyOf);
  }

  async revokeApiKey(name: string): Promise<void> {
    checkKeyName(name);
    await this.client.json('DELETE', `/apikeys/${segment(name)}`);
  }

  async close(): Promise<void> {
    this.client.close();
  }
}
