import type { FastifyInstance } from 'fastify';
import type { RouteModule } from '../route-module.js';

/** The OpenAPI 3 document of the REST API, built by @fastify/swagger from the routes' own schemas; public. */
export const openApiRoutes: RouteModule = {
  name: 'openapi',
  async register(app: FastifyInstance) {
    app.get('/openapi.json', { config: { public: true }, schema: { hide: true } }, async (_request, reply) => reply.type('application/json').send(app.swagger()));
  },
};
