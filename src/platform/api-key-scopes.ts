import { InvalidArgumentError } from '../errors/humle-error.js';

/**
 * What a key may be used for, as Hopsworks scopes its API keys. Scopes only narrow: a key never does more than its
 * user's project roles allow, whatever its scopes.
 */
export const API_KEY_SCOPES = ['featurestore:read', 'featurestore:write', 'fs:read', 'fs:write', 'project:admin'] as const;

export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

export function isApiKeyScope(value: unknown): value is ApiKeyScope {
  return typeof value === 'string' && (API_KEY_SCOPES as readonly string[]).includes(value);
}

/** A list of scopes, checked and without duplicates, in the order of API_KEY_SCOPES. */
export function checkScopes(values: readonly unknown[]): ApiKeyScope[] {
  const unknown = values.filter((v) => !isApiKeyScope(v));
  if (unknown.length > 0 || values.length === 0) {
    throw new InvalidArgumentError(`scopes must be a non-empty list of: ${API_KEY_SCOPES.join(', ')}`, { unknown: unknown.map(String) });
  }
  return API_KEY_SCOPES.filter((scope) => values.includes(scope));
}

/**
 * The scopes of `wanted` that `held` lacks. A key manages only keys no wider than itself (it may create or revoke
 * such a key): otherwise a read-only key could mint a wider one, or revoke the wider key its user relies on.
 */
export function scopesBeyond(wanted: readonly ApiKeyScope[], held: ReadonlySet<ApiKeyScope>): ApiKeyScope[] {
  return wanted.filter((scope) => !held.has(scope));
}
