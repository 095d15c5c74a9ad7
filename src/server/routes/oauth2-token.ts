import { Type } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { AuthenticationError } from '../../errors/platform-errors.js';
import type { RouteModule } from '../route-module.js';
import type { ServerContext } from '../server-context.js';

/** How long a client may use the token before asking again; the key behind it can be revoked at any time regardless. */
const EXPIRES_IN_SECONDS = 3600;

/**
 * An OAuth2 token endpoint (RFC 6749 client credentials grant) whose credential is an API key, and whose access token
 * is that key once verified. It exists for Hadoop's WebHDFS client: its only way to send a bearer token is an OAuth2
 * access-token provider, and ConfCredentialBasedAccessTokenProvider fetches the token here (see the README's WebHDFS
 * section for the configuration). The token then arrives as `Authorization: Bearer <key>`, which every route accepts.
 */
export const oauth2TokenRoutes: RouteModule = {
  name: 'oauth2 token',
  async register(base: FastifyInstance, ctx: ServerContext) {
    const app = base.withTypeProvider<TypeBoxTypeProvider>();
    app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(body as string)));
    });
    app.post(
      '/oauth2/token',
      {
        config: { public: true },
        schema: {
          tags: ['authentication'],
          summary: 'OAuth2 client credentials grant: client_secret is an API key; the access token is usable as a Bearer token',
          consumes: ['application/x-www-form-urlencoded'],
          body: Type.Object({ grant_type: Type.Literal('client_credentials'), client_secret: Type.String(), client_id: Type.Optional(Type.String()) }),
          response: {
            200: Type.Object({ access_token: Type.String(), token_type: Type.Literal('Bearer'), expires_in: Type.Integer() }),
            400: Type.Ref('Error'),
            401: Type.Ref('Error'),
          },
        },
      },
      async (request) => {
        const key = request.body.client_secret;
        const principal = await ctx.humle.platform.authenticate(key).catch(() => undefined);
        if (principal === undefined) throw new AuthenticationError('invalid client credentials');
        return { access_token: key, token_type: 'Bearer' as const, expires_in: EXPIRES_IN_SECONDS };
      },
    );
  },
};
