import { Type } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { queryOf, type QueryJson } from '../../featurestore/query/query-description.js';
import { API_KEY_SECURITY } from '../rest/api-key-security.js';
import { featureStoreFor } from '../rest/feature-store-access.js';
import { addFeatureStoreSchemas } from '../rest/featurestore-schemas.js';
import { addQuerySchemas } from '../rest/query-json.js';
import { sendReadStatement, tableFormatOf, TableFormatParam, tableResponse } from '../rest/table-formats.js';
import type { RouteModule } from '../route-module.js';
import type { ServerContext } from '../server-context.js';
import { humlePathsIn } from '../server-paths.js';
import { ProjectName } from './projects.js';

const Error = Type.Ref('Error');
const ProjectParams = Type.Object({ project: ProjectName }, { additionalProperties: false });
const QueryBody = Type.Object({ query: Type.Ref('Query') }, { additionalProperties: false });

const tags = ['queries'];
const security = API_KEY_SECURITY;

/**
 * Queries over a project's feature groups, described as JSON (the form of a feature view's query, with time travel
 * and a limit): read in any row format, or shown as the DuckDB SQL that reads them. This is what the remote SDK's
 * `query.read()` and `query.toSql()` call. Reads (featurestore:read).
 */
export const queryRoutes: RouteModule = {
  name: 'queries',
  async register(base: FastifyInstance, ctx: ServerContext) {
    const app = base.withTypeProvider<TypeBoxTypeProvider>();
    addFeatureStoreSchemas(app);
    addQuerySchemas(app);

    app.post(
      '/projects/:project/query',
      {
        schema: {
          tags,
          security,
          summary: 'Read a query: selections, point-in-time joins, filters, asOf / excludeUntil, limit; rows in the format asked for',
          params: ProjectParams,
          querystring: Type.Object({ format: Type.Optional(TableFormatParam) }, { additionalProperties: false }),
          body: QueryBody,
          response: { 200: tableResponse('the rows (no order)'), 400: Error, 401: Error, 403: Error, 404: Error, 406: Error },
        },
      },
      async (request, reply) => {
        const answer = tableFormatOf(request, request.query.format);
        const fs = await featureStoreFor(ctx, request, request.params.project, 'read');
        const { query } = await queryOf(fs, request.body.query as QueryJson);
        const columns = query.features.map((f) => ({ name: f.name, type: f.type }));
        const { sql, columns: resultColumns, failure } = await fs.queryStatement(query);
        return sendReadStatement(reply, answer, { statement: { sql, failure }, resultColumns, columns, emptyColumns: columns, arrowFrom: 'vectors' });
      },
    );

    app.post(
      '/projects/:project/query/sql',
      {
        schema: {
          tags,
          security,
          summary: 'The DuckDB SQL a query runs now (over the Parquet files of the versions it reads)',
          params: ProjectParams,
          body: QueryBody,
          response: { 200: Type.Object({ sql: Type.String() }), 400: Error, 401: Error, 403: Error, 404: Error },
        },
      },
      async (request) => {
        const fs = await featureStoreFor(ctx, request, request.params.project, 'read');
        const { query } = await queryOf(fs, request.body.query as QueryJson);
        // The embedded SQL reads block files in place; a caller of the server sees the humle paths of their files.
        return { sql: await humlePathsIn(await query.toSql(), ctx.humle.fs) };
      },
    );
  },
};
