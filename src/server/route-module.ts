import type { FastifyInstance } from 'fastify';
import type { ServerContext } from './server-context.js';

/**
 * A part of the HTTP API registered on its own: the REST areas under /api/v1 (projects, API keys, the feature store's
 * groups, views, training datasets and vectors) each export one, and so does WebHDFS. `register` runs inside an
 * encapsulated Fastify scope, so a module's hooks, content parsers and error handler do not leak into the others.
 */
export interface RouteModule {
  name: string;
  register(app: FastifyInstance, ctx: ServerContext): Promise<void>;
}
