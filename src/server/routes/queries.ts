import { Type } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { parsePointInTime } from '../../featurestore/offline/table/point-in-time-text.js';
import type { PointInTime } from '../../featurestore/offline/table/version-resolution.js';
import { API_KEY_SECURITY } from '../rest/api-key-security.js';
import { featureStoreFor } from '../rest/feature-store-access.js';
import { addFeatureStoreSchemas } from '../rest/featurestore-schemas.js';
import { addQuerySchemas, queryOf, type QueryJson } from '../rest/query-json.js';
import { sendTable, tableFormatOf, TableFormatParam, tableResponse } from '../rest/table-formats.js';
import type { RouteModule } from '../route-module.js';
import type { ServerContext } from '../server-context.js';
import { ProjectName } from './projects.js';

const Error = Type.Ref('Error');

const Point = Type.Union([Type.Integer({ minimum: 0, description: 'a commit id' }), Type.String({ minLength: 1, maxLength: 64, description: 'a commit id (digits) or an ISO-8601 time' })]);

const ReadBody = Type.Object(
  {
    query: Type.Ref('Query'),
    asOf: Type.Optional(Point),
    excludeUntil: Type.Optional(Point),
    limit: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000_000 })),
  },
  { additionalProperties: false, description: 'a query as a feature view takes it; asOf: the snapshot read (default the latest); excludeUntil: only the records of the left group that commits after it wrote (HSFS as_of(..., exclude_until))' },
);

function point(value: number | string, what: string): PointInTime {
  return typeof value === 'number' ? value : parsePointInTime(value, what);
}

const tags = ['queries'];

/**
 * Reads of a query over feature groups without a feature view (HSFS `fg.select(...).join(...).read()`, `fg.as_of()`):
 * the query in the JSON form views take, and the point in time and limit the SDK's Query takes. Every member with
 * featurestore:read reads.
 */
export const queryRoutes: RouteModule = {
  name: 'queries',
  async register(base: FastifyInstance, ctx: ServerContext) {
    const app = base.withTypeProvider<TypeBoxTypeProvider>();
    addFeatureStoreSchemas(app);
    addQuerySchemas(app);

    app.post(
      '/projects/:project/queries/read',
      {
        schema: {
          tags,
          security: API_KEY_SECURITY,
          summary: 'The rows of a query (no order), as of a commit or time, or only what commits after excludeUntil wrote',
          params: Type.Object({ project: ProjectName }, { additionalProperties: false }),
          querystring: Type.Object({ format: Type.Optional(TableFormatParam) }, { additionalProperties: false }),
          body: ReadBody,
          response: { 200: tableResponse('the rows'), 400: Error, 401: Error, 403: Error, 404: Error, 406: Error },
        },
      },
      async (request, reply) => {
        const answer = tableFormatOf(request, request.query.format);
        const fs = await featureStoreFor(ctx, request, request.params.project, 'read');
        const { asOf, excludeUntil, limit } = request.body;
        let { query } = await queryOf(fs, request.body.query as QueryJson);
        if (asOf !== undefined) query = query.asOf(point(asOf, 'asOf'), excludeUntil === undefined ? {} : { excludeUntil: point(excludeUntil, 'excludeUntil') });
        else if (excludeUntil !== undefined) query = query.pullChanges(point(excludeUntil, 'excludeUntil'), new Date().toISOString());
        if (limit !== undefined) query = query.limit(limit);
        const columns = query.features.map((f) => ({ name: f.name, type: f.type }));
        return sendTable(reply, answer, { columns, rows: await query.read({ exactTimestamps: true }) });
      },
    );
  },
};
