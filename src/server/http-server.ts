import Fastify, { type FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import type { Humle } from '../humle.js';
import { ProjectAccess } from '../platform/project-access.js';
import { restApi } from './rest/rest-api.js';
import { ronDbRest, RONDB_API_VERSION } from './rondb/rondb-rest.js';
import { acceptRawRequestTargets } from './raw-request-target.js';
import type { RouteModule } from './route-module.js';
import { apiKeyRoutes } from './routes/api-keys.js';
import { featureGroupCommitRoutes } from './routes/feature-group-commits.js';
import { featureGroupRowRoutes } from './routes/feature-group-rows.js';
import { featureGroupRoutes } from './routes/feature-groups.js';
import { featureVectorRoutes } from './routes/feature-vectors.js';
import { featureViewRoutes } from './routes/feature-views.js';
import { oauth2TokenRoutes } from './routes/oauth2-token.js';
import { openApiRoutes } from './routes/openapi.js';
import { projectUsageRoutes } from './routes/project-usage.js';
import { projectRoutes } from './routes/projects.js';
import { queryRoutes } from './routes/queries.js';
import { ServingViews } from './serving/serving-views.js';
import { trainingDatasetRoutes } from './routes/training-datasets.js';
import { checkTimeouts, fastifyTimeoutOptions, limitRequestBodies, type ServerTimeouts } from './connection-limits.js';
import type { ServerContext } from './server-context.js';
import { registerServerPaths } from './server-paths.js';
import { webHdfs } from './webhdfs/webhdfs-routes.js';

export interface HumleServerOptions {
  humle: Humle;
  /** Trust WebHDFS `user.name` without an API key (HDFS with security off); for tests and trusted networks only. */
  insecure?: boolean;
  /** Largest JSON body accepted, in bytes (413 beyond); WebHDFS uploads stream and have no limit. Default 1 MiB. */
  bodyLimit?: number;
  /**
   * Largest feature group insert body in CSV, NDJSON, Parquet or Arrow, in bytes (413 beyond); it goes to a temporary
   * file (Arrow: memory) before the insert reads it. JSON inserts keep `bodyLimit`. Default 256 MiB.
   */
  insertBodyLimit?: number;
  /** How long to wait for a client (ServerTimeouts; DEFAULT_TIMEOUTS for what is not given). */
  timeouts?: Partial<ServerTimeouts>;
}

/** The REST areas under /api/v1, each its own module. */
export const REST_AREAS: readonly RouteModule[] = [
  projectRoutes,
  projectUsageRoutes,
  apiKeyRoutes,
  oauth2TokenRoutes,
  featureGroupRoutes,
  featureGroupRowRoutes,
  featureGroupCommitRoutes,
  queryRoutes,
  featureViewRoutes,
  trainingDatasetRoutes,
  featureVectorRoutes,
  openApiRoutes,
];

/**
 * The Humle HTTP server as a Fastify instance (not listening yet): the REST API under /api/v1 and WebHDFS under
 * /webhdfs/v1, each an encapsulated module. Fastify because its per-request cost is low (schema-compiled
 * validation and serialization, a radix-tree router), which the serving endpoints will need.
 */
export async function buildServer(options: HumleServerOptions): Promise<FastifyInstance> {
  const timeouts = checkTimeouts(options.timeouts);
  const app = Fastify({
    ...fastifyTimeoutOptions(timeouts),
    bodyLimit: options.bodyLimit ?? 1024 * 1024,
    // Unknown fields are refused, not silently dropped, and a string is never coerced into a number or back.
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, useDefaults: true, allErrors: false } },
    // Idle keep-alive connections must not hold a closing server open.
    forceCloseConnections: 'idle',
    // Faults of the server (500s) go to stderr; pino's disabled levels cost nothing per request.
    logger: { level: 'error', stream: process.stderr },
  });
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: { title: 'Humle REST API', version: '1', description: 'Projects, members, API keys and the feature store (feature groups, feature views, training datasets, feature vectors) of a Humle server. WebHDFS is served beside it at /webhdfs/v1.' },
      components: {
        securitySchemes: {
          apiKey: { type: 'apiKey', in: 'header', name: 'X-API-KEY' },
          apiKeyAuthorization: { type: 'apiKey', in: 'header', name: 'Authorization', description: 'ApiKey <key>' },
        },
      },
    },
  });
  const ctx: ServerContext = {
    humle: options.humle,
    access: new ProjectAccess(options.humle.platform),
    insecure: options.insecure === true,
    insertBodyLimit: options.insertBodyLimit ?? 256 * 1024 * 1024,
    servingViews: new ServingViews(options.humle),
  };
  limitRequestBodies(app, timeouts);
  acceptRawRequestTargets(app);
  const unregisterServerPaths = registerServerPaths(options.humle.fs);
  app.addHook('onClose', async () => unregisterServerPaths());
  await app.register(async (scope) => restApi(REST_AREAS).register(scope, ctx), { prefix: '/api/v1' });
  await app.register(async (scope) => webHdfs.register(scope, ctx), { prefix: '/webhdfs/v1' });
  await app.register(async (scope) => ronDbRest.register(scope, ctx), { prefix: `/${RONDB_API_VERSION}` });
  return app;
}
