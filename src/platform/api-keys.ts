import type { Engine, Transaction } from '../db/engine.js';
import { InvalidArgumentError } from '../errors/humle-error.js';
import { AccessDeniedError, ApiKeyExistsError, ApiKeyNotFoundError } from '../errors/platform-errors.js';
import { bumpAccessGenerationIn } from './access-generation.js';
import { issueApiKey, secretMatches, splitApiKey } from './api-key-secret.js';
import { checkScopes, scopesBeyond, type ApiKeyScope } from './api-key-scopes.js';
import type { UserRegistry } from './users.js';

/** What is kept about a key: never the key itself. */
export interface ApiKeyInfo {
  name: string;
  user: string;
  /** The public first part of the key, to tell keys apart in listings. */
  prefix: string;
  scopes: ApiKeyScope[];
  createdAt: number;
}

/** A key as returned by `create`: the only time the whole key is seen. */
export interface CreatedApiKey extends ApiKeyInfo {
  key: string;
}

interface KeyRow {
  prefix: string;
  secret_hash: Buffer;
  user_name: string;
  name: string;
  scopes: string;
  created_at: number;
}

const KEY_NAME = /^[A-Za-z0-9_.-]{1,64}$/;

function infoOf(row: KeyRow): ApiKeyInfo {
  return { name: row.name, user: row.user_name, prefix: row.prefix, scopes: row.scopes.split(',') as ApiKeyScope[], createdAt: Number(row.created_at) };
}

export function checkKeyName(name: unknown): string {
  if (typeof name !== 'string' || !KEY_NAME.test(name)) {
    throw new InvalidArgumentError('an API key name has 1 to 64 letters, digits, _, . or -', { name: String(name).slice(0, 80) });
  }
  return name;
}

function refuseWider(scopes: readonly ApiKeyScope[], actingScopes: ReadonlySet<ApiKeyScope>, action: 'grant' | 'revoke'): void {
  const wider = scopesBeyond(scopes, actingScopes);
  if (wider.length === 0) return;
  const what = action === 'grant' ? 'a key cannot grant scopes it lacks' : 'a key cannot revoke a key with scopes it lacks';
  throw new AccessDeniedError(`${what}: ${wider.join(', ')}`, { scopes: wider });
}

/**
 * API keys: issued to a user with scopes, named per user, revoked by deleting their row. `actingScopes` is the
 * scopes of the key a create or revoke comes through (a server request); without it the call is the
 * administrator's (the CLI, the SDK on a data directory), which may manage any key.
 */
export class ApiKeyRegistry {
  constructor(
    private readonly engine: Engine,
    private readonly users: UserRegistry,
  ) {}

  async create(user: string, name: string, scopes: readonly unknown[], actingScopes?: ReadonlySet<ApiKeyScope>): Promise<CreatedApiKey> {
    checkKeyName(name);
    const checked = checkScopes(scopes);
    if (actingScopes !== undefined) refuseWider(checked, actingScopes, 'grant');
    const issued = issueApiKey();
    const createdAt = Date.now();
    await this.engine.write(async (tx) => {
      await this.users.requireIn(tx, user);
      if ((await tx.get('SELECT prefix FROM hm_api_keys WHERE user_name = ? AND name = ?', [user, name])) !== undefined) {
        throw new ApiKeyExistsError(`${user} already has an API key named ${name}`, { name });
      }
      await tx.run('INSERT INTO hm_api_keys (prefix, secret_hash, user_name, name, scopes, created_at) VALUES (?, ?, ?, ?, ?, ?)', [
        issued.prefix,
        issued.secretHash,
        user,
        name,
        checked.join(','),
        createdAt,
      ]);
    });
    return { key: issued.key, name, user, prefix: issued.prefix, scopes: checked, createdAt };
  }

  async list(user: string): Promise<ApiKeyInfo[]> {
    const rows = await this.engine.read((tx) =>
      tx.all<KeyRow>('SELECT prefix, secret_hash, user_name, name, scopes, created_at FROM hm_api_keys WHERE user_name = ? ORDER BY name', [user]),
    );
    return rows.map(infoOf);
  }

  async revoke(user: string, name: string, actingScopes?: ReadonlySet<ApiKeyScope>): Promise<void> {
    checkKeyName(name);
    await this.engine.write(async (tx) => {
      // Read and deleted in one unit, locked on MySQL, so the scopes checked are those of the row deleted.
      const row = await tx.get<{ scopes: string }>(`SELECT scopes FROM hm_api_keys WHERE user_name = ? AND name = ?${this.engine.dialect.forUpdate}`, [user, name]);
      if (row === undefined) throw new ApiKeyNotFoundError(`no API key named ${name}`, { name });
      if (actingScopes !== undefined) refuseWider(row.scopes.split(',') as ApiKeyScope[], actingScopes, 'revoke');
      await tx.run('DELETE FROM hm_api_keys WHERE user_name = ? AND name = ?', [user, name]);
      await bumpAccessGenerationIn(tx);
    });
  }

  /** The live key a presented key string stands for; undefined for a malformed, unknown or revoked one. */
  async verifyIn(tx: Transaction, key: string): Promise<ApiKeyInfo | undefined> {
    const parts = splitApiKey(key);
    if (parts === undefined) return undefined;
    const row = await tx.get<KeyRow>('SELECT prefix, secret_hash, user_name, name, scopes, created_at FROM hm_api_keys WHERE prefix = ?', [parts.prefix]);
    if (row === undefined || !secretMatches(parts.secret, Buffer.from(row.secret_hash))) return undefined;
    return infoOf(row);
  }
}
