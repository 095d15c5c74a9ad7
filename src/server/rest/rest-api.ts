import type { FastifyInstance, FastifyRequest } from 'fastify';
import { RouteNotFoundError } from '../../errors/request-errors.js';
import type { Principal } from '../../platform/principal.js';
import { authenticateKey, presentedApiKey } from '../authentication.js';
import { typedFailureOf } from '../request-failure.js';
import type { RouteModule } from '../route-module.js';
import type { ServerContext } from '../server-context.js';
import { ErrorBody, sendError, sendInternalError } from './error-body.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the REST scope's authentication hook before any handler runs. */
    principal: Principal | undefined;
  }
  interface FastifyContextConfig {
    /** A route answered without authentication (the OpenAPI document). */
    public?: boolean;
  }
}

/** The authenticated caller of a REST request. */
export function callerOf(request: FastifyRequest): Principal {
  if (request.principal === undefined) throw new Error('REST route reached without authentication');
  return request.principal;
}

/**
 * The JSON REST API under /api/v1: authentication before anything is read from the body (a request without a live
 * key costs one indexed read, never a parse), JSON bodies only, schema-validated, and errors as `{ code, message,
 * details }` with the status of their code. `areas` are its route modules (projects, API keys, and what later issues add).
 */
export function restApi(areas: readonly RouteModule[]): RouteModule {
  return {
    name: 'rest',
    async register(app: FastifyInstance, ctx: ServerContext) {
      app.addSchema(ErrorBody);
      // JSON only: Fastify's text/plain parser would hand a string to a route that expects an object.
      app.removeContentTypeParser('text/plain');
      app.decorateRequest('principal', undefined);
      app.addHook('onRequest', async (request) => {
        if (request.routeOptions.config.public === true) return;
        request.principal = await authenticateKey(ctx.humle.platform, presentedApiKey(request.headers));
      });
      app.setErrorHandler((error, request, reply) => {
        const typed = typedFailureOf(error);
        if (typed !== undefined) return sendError(reply, typed);
        request.log.error(error);
        return sendInternalError(reply);
      });
      app.setNotFoundHandler((request, reply) => sendError(reply, new RouteNotFoundError(`no route ${request.method} ${request.url.split('?')[0]}`)));
      for (const area of areas) await app.register(async (scope) => area.register(scope, ctx));
    },
  };
}
