import type { IncomingHttpHeaders } from 'node:http';
import { AuthenticationError } from '../errors/platform-errors.js';
import type { Platform } from '../platform/platform.js';
import type { Principal } from '../platform/principal.js';

/**
 * The API key a request presents: `X-API-KEY: <key>` (as RonDB's REST server), `Authorization: ApiKey <key>` (as
 * Hopsworks), or `Authorization: Bearer <key>` (what Hadoop's WebHDFS client sends with its OAuth2 token provider).
 */
export function presentedApiKey(headers: IncomingHttpHeaders): string | undefined {
  const header = headers['x-api-key'];
  if (typeof header === 'string' && header !== '') return header.trim();
  const authorization = headers.authorization;
  if (typeof authorization === 'string') {
    const match = /^(?:ApiKey|Bearer)\s+(\S+)\s*$/i.exec(authorization);
    if (match !== null) return match[1];
  }
  return undefined;
}

/** The caller of a request with a key; 401 (AuthenticationError) without one or with a key that is not live. */
export async function authenticateKey(platform: Platform, key: string | undefined): Promise<Principal> {
  if (key === undefined) {
    throw new AuthenticationError('authentication required: send an API key as X-API-KEY: <key> or Authorization: ApiKey <key>');
  }
  return platform.authenticate(key);
}
