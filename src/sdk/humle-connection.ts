import type { ApiKeyScope } from '../platform/api-key-scopes.js';
import type { Project } from './project.js';

/** One of the connection user's API keys, as listings show it: never the key itself. */
export interface ApiKey {
  name: string;
  /** The public first part of the key, to tell keys apart. */
  prefix: string;
  scopes: ApiKeyScope[];
  createdAt: Date;
}

/** A key just made: the only time the whole key is seen (it is stored hashed). */
export interface NewApiKey extends ApiKey {
  key: string;
}

/**
 * Humle as user code sees it, whether embedded on a data directory (`Humle.open`) or on a Humle server over its REST
 * API (`Humle.connect`): the projects a user works in, and the user's API keys. Code typed against this interface
 * (and the Project, FeatureStore, FeatureGroup and FeatureView interfaces it leads to) runs against both; the
 * embedded SDK acts as the data directory's administrator, a connection to a server as the user of its key, whose
 * roles and key scopes the server enforces.
 */
export interface HumleConnection {
  /** Creates a project owned by the connection's user (on a server: the key's user, with the project:admin scope). */
  createProject(name: string): Promise<Project>;
  /** A project the connection sees (ProjectNotFoundError otherwise, also for a server's project the user is not in). */
  project(name: string): Promise<Project>;
  getOrCreateProject(name: string): Promise<Project>;
  /** Embedded: every project; on a server: the projects the key's user is a member of. */
  listProjects(): Promise<Project[]>;
  /**
   * A new API key for the connection's user (embedded: created as a user if new). Default scopes: embedded every
   * scope; on a server the calling key's, and a key never gets a scope the calling key lacks.
   */
  createApiKey(name: string, scopes?: readonly ApiKeyScope[]): Promise<NewApiKey>;
  listApiKeys(): Promise<ApiKey[]>;
  /** Revokes one of the user's keys by name; a server refuses a revoked key from the next request on. */
  revokeApiKey(name: string): Promise<void>;
  close(): Promise<void>;
}
