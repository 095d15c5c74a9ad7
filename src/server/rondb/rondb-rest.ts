import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AccessDeniedError, AuthenticationError } from '../../errors/platform-errors.js';
import { MalformedJsonError, PayloadTooLargeError, UnsupportedMediaTypeError } from '../../errors/request-errors.js';
import { presentedApiKey } from '../authentication.js';
import { typedFailureOf } from '../request-failure.js';
import type { RouteModule } from '../route-module.js';
import type { ServerContext } from '../server-context.js';
import { BatchRequest, batchOperations } from './batch-operations.js';
import { CallerCache } from './caller-cache.js';
import { BatchFeatureStoreRequest, FeatureStoreRequest, vectorRequestOptions } from './feature-vector-requests.js';
import { PkReadBody, pkRead } from './pk-read.js';
import {
  BAD_REQUEST,
  FEATURE_STORE_NOT_SHARED,
  INTERNAL,
  NOT_FOUND,
  PAYLOAD_TOO_LARGE,
  RonDbError,
  sendRonDbError,
  UNAUTHORIZED,
  UNSUPPORTED_MEDIA_TYPE,
} from './rondb-error.js';
import { ServedViews } from './served-views.js';

/** RonDB's API version: the routes' prefix, as its REST server mounts them. */
export const RONDB_API_VERSION = '0.1.0';

/** Any failure of a RonDB route as RonDB answers it (see rondb-error.ts). */
function ronDbErrorOf(error: unknown): RonDbError | undefined {
  if (error instanceof RonDbError) return error;
  const typed = typedFailureOf(error);
  if (typed === undefined) return undefined;
  if (typed instanceof AuthenticationError) return UNAUTHORIZED.error(typed.message);
  if (typed instanceof AccessDeniedError) return FEATURE_STORE_NOT_SHARED.error(typed.message);
  if (typed instanceof PayloadTooLargeError) return PAYLOAD_TOO_LARGE.error(typed.message);
  if (typed instanceof UnsupportedMediaTypeError) return UNSUPPORTED_MEDIA_TYPE.error(typed.message);
  if (typed instanceof MalformedJsonError) return BAD_REQUEST.error(`Error: ${typed.message}`);
  return BAD_REQUEST.error(typed.message);
}

function sendJson(reply: FastifyReply, status: number, body: string): FastifyReply {
  return reply.code(status).type('application/json').send(body);
}

/**
 * The RonDB REST API server's routes (logicalclocks/rondb, rest-api-server README and README_feature_store), so
 * clients written for Hopsworks' online feature server work unchanged: feature vectors (`feature_store`,
 * `batch_feature_store`) and primary-key reads (`{db}/{table}/pk-read`, `batch`) under /0.1.0. API keys as for
 * /api/v1 (`X-API-KEY`, which RonDB reads, or `Authorization: ApiKey`); every route reads the feature store, so a key
 * needs featurestore:read. Authentication runs before the body is parsed, with verified keys cached as RonDB caches
 * them (caller-cache.ts). Request bodies are checked by compiled
 * schemas; answers are written as JSON text by writers prepared per view (served-view.ts).
 */
export const ronDbRest: RouteModule = {
  name: 'rondb',
  async register(app: FastifyInstance, ctx: ServerContext) {
    const views = new ServedViews(ctx.servingViews);
    const callers = new CallerCache(ctx.humle.platform);
    // RonDB reads JSON whatever the content type says; Fastify's text parser would hand a string to the schemas.
    app.removeContentTypeParser('text/plain');
    app.decorateRequest('principal', undefined);
    app.addHook('onRequest', async (request) => {
      if (request.routeOptions.config.public === true) return;
      const caller = await callers.caller(presentedApiKey(request.headers));
      caller.requireScope('featurestore:read');
      request.principal = caller;
    });
    app.setErrorHandler((error, request, reply) => {
      const known = ronDbErrorOf(error);
      if (known !== undefined) return sendRonDbError(reply, known);
      request.log.error(error);
      return sendRonDbError(reply, INTERNAL.error('internal server error'));
    });
    app.setNotFoundHandler((request, reply) => sendRonDbError(reply, NOT_FOUND.error(`no route ${request.method} ${request.url.split('?')[0]}`)));

    const caller = (request: FastifyRequest) => request.principal!;

    // RonDB's liveness route; it reveals nothing, so it needs no key (and measures the stack's own cost: bench/).
    app.get('/ping', { config: { public: true } }, async (_request, reply) => reply.type('text/plain').send('Hello, World!'));

    app.post<{ Body: FeatureStoreRequest }>('/feature_store', { schema: { body: FeatureStoreRequest } }, async (request, reply) => {
      const body = request.body;
      const view = await views.get(caller(request), body.featureStoreName, body.featureViewName, body.featureViewVersion);
      return sendJson(reply, 200, await view.single(body.entries, body.passedFeatures, vectorRequestOptions(body)));
    });

    app.post<{ Body: BatchFeatureStoreRequest }>('/batch_feature_store', { schema: { body: BatchFeatureStoreRequest } }, async (request, reply) => {
      const body = request.body;
      const view = await views.get(caller(request), body.featureStoreName, body.featureViewName, body.featureViewVersion);
      return sendJson(reply, 200, await view.batch(body.entries, body.passedFeatures, vectorRequestOptions(body)));
    });

    app.post<{ Params: { db: string; table: string }; Body: PkReadBody }>('/:db/:table/pk-read', { schema: { body: PkReadBody } }, async (request, reply) => {
      const result = await pkRead(ctx.humle, caller(request), request.params.db, request.params.table, request.body);
      return sendJson(reply, result.status, result.body);
    });

    app.post<{ Body: BatchRequest }>('/batch', { schema: { body: BatchRequest } }, async (request, reply) => {
      return sendJson(reply, 200, await batchOperations(ctx.humle, caller(request), request.body));
    });
  },
};
