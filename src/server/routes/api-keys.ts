import { Type } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import type { ApiKeyInfo } from '../../platform/api-keys.js';
import { API_KEY_SECURITY } from '../rest/api-key-security.js';
import { callerOf } from '../rest/rest-api.js';
import type { RouteModule } from '../route-module.js';
import type { ServerContext } from '../server-context.js';

// The scopes of platform/api-key-scopes.ts, spelled out so the schema keeps their literal types.
const Scope = Type.Union([
  Type.Literal('featurestore:read'),
  Type.Literal('featurestore:write'),
  Type.Literal('fs:read'),
  Type.Literal('fs:write'),
  Type.Literal('project:admin'),
]);
const KeyName = Type.String({ pattern: '^[A-Za-z0-9_.-]{1,64}$' });
const Error = Type.Ref('Error');

const ApiKey = Type.Object(
  { name: Type.String(), prefix: Type.String({ description: 'the public first part of the key' }), scopes: Type.Array(Scope), createdAt: Type.String({ format: 'date-time' }) },
  { $id: 'ApiKey' },
);

function keyJson(info: ApiKeyInfo) {
  return { name: info.name, prefix: info.prefix, scopes: info.scopes, createdAt: new Date(info.createdAt).toISOString() };
}

const tags = ['api keys'];
const security = API_KEY_SECURITY;

/**
 * The caller's own API keys. A key creates and revokes only keys no wider than itself (ApiKeyRegistry), so a narrow
 * key can neither mint a wider one nor take away the wider key its user relies on; the whole key is in the
 * creation's answer and nowhere else. Any key may list its user's keys: the listing shows names, public prefixes
 * and scopes, never a secret, and a narrow key needs it to see what it may revoke.
 */
export const apiKeyRoutes: RouteModule = {
  name: 'api keys',
  async register(base: FastifyInstance, ctx: ServerContext) {
    const app = base.withTypeProvider<TypeBoxTypeProvider>();
    app.addSchema(ApiKey);
    const keys = ctx.humle.platform.apiKeys;

    app.get(
      '/apikeys',
      { schema: { tags, security, summary: "The caller's API keys (never the keys themselves)", response: { 200: Type.Object({ items: Type.Array(Type.Ref('ApiKey')) }), 401: Error } } },
      async (request) => ({ items: (await keys.list(callerOf(request).user)).map(keyJson) }),
    );

    app.post(
      '/apikeys',
      {
        schema: {
          tags,
          security,
          summary: 'Create an API key for the caller; the answer holds the key, shown this once',
          body: Type.Object(
            { name: KeyName, scopes: Type.Optional(Type.Array(Scope, { minItems: 1, uniqueItems: true, description: "default: the calling key's scopes" })) },
            { additionalProperties: false },
          ),
          response: { 201: Type.Object({ key: Type.String(), name: Type.String(), prefix: Type.String(), scopes: Type.Array(Scope), createdAt: Type.String({ format: 'date-time' }) }), 400: Error, 401: Error, 403: Error, 409: Error },
        },
      },
      async (request, reply) => {
        const caller = callerOf(request);
        const created = await keys.create(caller.user, request.body.name, request.body.scopes ?? [...caller.scopes], caller.scopes);
        return reply.code(201).send({ key: created.key, ...keyJson(created) });
      },
    );

    app.delete(
      '/apikeys/:name',
      {
        schema: { tags, security, summary: 'Revoke one of the caller’s keys, one with no scope the calling key lacks; it fails from the next request on', params: Type.Object({ name: KeyName }, { additionalProperties: false }), response: { 204: Type.Null(), 401: Error, 403: Error, 404: Error } },
      },
      async (request, reply) => {
        const caller = callerOf(request);
        await keys.revoke(caller.user, request.params.name, caller.scopes);
        return reply.code(204).send(null);
      },
    );
  },
};
