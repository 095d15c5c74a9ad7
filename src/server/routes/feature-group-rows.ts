import { Type } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { InvalidArgumentError } from '../../errors/humle-error.js';
import type { CommitDetails } from '../../sdk/feature-group.js';
import { JsonRows } from '../../featurestore/input/read-feature-data.js';
import { parsePointInTime } from '../../featurestore/offline/table/point-in-time-text.js';
import { commitSummary } from '../../featurestore/records/commit-summary.js';
import { formatFeatureType } from '../../featurestore/types/feature-type.js';
import { orderedChangesStatement, orderedSnapshotStatement } from '../../featurestore/records/offline-rows.js';
import { API_KEY_SECURITY } from '../rest/api-key-security.js';
import { featureGroupFor } from '../rest/feature-store-access.js';
import { addFeatureStoreSchemas, CountText, EntityName, PointInTimeText, VersionText } from '../rest/featurestore-schemas.js';
import { acceptStreamedBodies, streamedFormatOf, withStreamedBody } from '../rest/insert-body.js';
import { jsonRow } from '../rest/json-row.js';
import { sendReadStatement, tableFormatOf, TableFormatParam, tableResponse } from '../rest/table-formats.js';
import type { RouteModule } from '../route-module.js';
import type { ServerContext } from '../server-context.js';
import { ProjectName } from './projects.js';

const Error = Type.Ref('Error');
const GroupParams = Type.Object({ project: ProjectName, name: EntityName, version: VersionText }, { additionalProperties: false });
const Operation = Type.Union([Type.Literal('upsert'), Type.Literal('insert')], { description: 'upsert (default) replaces records with the same key; insert refuses keys that exist (409)' });
const Row = Type.Record(Type.String(), Type.Unknown());

const InsertJson = Type.Union([
  Type.Array(Row, { description: 'the rows' }),
  Type.Object({ rows: Type.Array(Row), operation: Type.Optional(Operation) }, { additionalProperties: false }),
]);
const InsertQuery = Type.Object(
  {
    operation: Type.Optional(Operation),
    format: Type.Optional(
      Type.Union([Type.Literal('parquet'), Type.Literal('arrow'), Type.Literal('csv'), Type.Literal('ndjson')], { description: 'the format of an application/octet-stream body' }),
    ),
    waitForStatistics: Type.Optional(Type.Union([Type.Literal('true'), Type.Literal('false')], { description: 'answer once the commit’s statistics are stored' })),
  },
  { additionalProperties: false },
);

/** The OpenAPI request body of an insert: JSON checked by its schema, the streamed formats as they come. */
const insertBody = {
  content: {
    'application/json': { schema: InsertJson },
    'application/x-ndjson': { schema: Type.Unknown({ description: 'one JSON object per line' }) },
    'text/csv': { schema: Type.Unknown({ description: 'a header row, then one record per row; an empty field is null' }) },
    'application/vnd.apache.parquet': { schema: Type.Unknown({ description: 'a Parquet file' }) },
    'application/vnd.apache.arrow.stream': { schema: Type.Unknown({ description: 'Arrow IPC, stream format' }) },
    'application/vnd.apache.arrow.file': { schema: Type.Unknown({ description: 'Arrow IPC, file format' }) },
    'application/octet-stream': { schema: Type.Unknown({ description: 'with ?format=parquet (or arrow, csv, ndjson)' }) },
  },
};

const tags = ['feature group rows'];
const security = API_KEY_SECURITY;

/**
 * The rows of a feature group version: inserts (JSON, NDJSON, CSV, Parquet, Arrow IPC bodies, each one commit or
 * nothing), deletes by key, reads of the offline table as of a commit or time and changes between commits, in the
 * format `Accept` or `?format=` asks for, and lookups of the online table by key. Reads need featurestore:read; writes an owner or data owner with
 * featurestore:write.
 */
export const featureGroupRowRoutes: RouteModule = {
  name: 'feature group rows',
  async register(base: FastifyInstance, ctx: ServerContext) {
    const app = base.withTypeProvider<TypeBoxTypeProvider>();
    addFeatureStoreSchemas(app);
    const group = '/projects/:project/featuregroups/:name/:version';

    // Its own scope: only the insert route takes bodies other than JSON.
    await app.register(async (scope) => {
      acceptStreamedBodies(scope);
      scope.withTypeProvider<TypeBoxTypeProvider>().post(
        `${group}/rows`,
        {
          schema: {
            tags,
            security,
            summary: 'Insert rows as one commit; a bad row anywhere changes nothing (400 naming row, column and reason)',
            params: GroupParams,
            querystring: InsertQuery,
            body: insertBody,
            response: { 201: Type.Ref('Commit'), 400: Error, 401: Error, 403: Error, 404: Error, 409: Error, 413: Error, 415: Error },
          },
        },
        async (request, reply) => {
          const fg = await featureGroupFor(ctx, request, request.params, 'write');
          const { query } = request;
          const streamed = streamedFormatOf(request, query.format);
          let commit: CommitDetails;
          if (streamed === undefined) {
            const body = request.body as { rows: Record<string, unknown>[]; operation?: 'upsert' | 'insert' } | Record<string, unknown>[];
            const rows = Array.isArray(body) ? body : body.rows;
            const given = Array.isArray(body) ? undefined : body.operation;
            if (given !== undefined && query.operation !== undefined && given !== query.operation) {
              throw new InvalidArgumentError('the body and the query name different operations', { body: given, query: query.operation });
            }
            commit = await fg.insert(new JsonRows(rows), { operation: given ?? query.operation, wait: query.waitForStatistics === 'true' });
          } else {
            const options = { operation: query.operation, wait: query.waitForStatistics === 'true' };
            commit = await withStreamedBody(request, reply, streamed, ctx.insertBodyLimit, (data) => fg.insert(data, options));
          }
          return reply.code(201).send(commitSummary(commit));
        },
      );
    });

    app.get(
      `${group}/rows`,
      {
        schema: {
          tags,
          security,
          summary: 'The offline rows as of a commit or time (the latest by default), in primary key then event time order',
          params: GroupParams,
          querystring: Type.Object({ asOf: Type.Optional(PointInTimeText), limit: Type.Optional(CountText), format: Type.Optional(TableFormatParam) }, { additionalProperties: false }),
          response: { 200: tableResponse('the rows'), 400: Error, 401: Error, 403: Error, 404: Error, 406: Error },
        },
      },
      async (request, reply) => {
        const { asOf, limit, format } = request.query;
        const answer = tableFormatOf(request, format);
        const fg = await featureGroupFor(ctx, request, request.params, 'read');
        const point = asOf === undefined ? undefined : parsePointInTime(asOf, 'asOf');
        const count = limit === undefined ? undefined : Number(limit);
        return sendReadStatement(reply, answer, { ...(await orderedSnapshotStatement(fg, point, count)), arrowFrom: 'values' });
      },
    );

    app.get(
      `${group}/changes`,
      {
        schema: {
          tags,
          security,
          summary: 'What the commits after `from` up to `to` inserted, updated (pre- and post-image) or deleted, with _change_type and _commit_version',
          params: GroupParams,
          querystring: Type.Object({ from: PointInTimeText, to: Type.Optional(PointInTimeText), format: Type.Optional(TableFormatParam) }, { additionalProperties: false }),
          response: { 200: tableResponse('the changed rows, commit by commit'), 400: Error, 401: Error, 403: Error, 404: Error, 406: Error },
        },
      },
      async (request, reply) => {
        const { from, to, format } = request.query;
        const answer = tableFormatOf(request, format);
        const fg = await featureGroupFor(ctx, request, request.params, 'read');
        const read = await orderedChangesStatement(fg, parsePointInTime(from, 'from'), to === undefined ? undefined : parsePointInTime(to, 'to'));
        return sendReadStatement(reply, answer, { ...read, arrowFrom: 'values' });
      },
    );

    app.post(
      `${group}/online`,
      {
        schema: {
          tags,
          security,
          summary: 'The online rows of primary keys (an object of the key features, or the value of a one-feature key), in order; null where there is none',
          params: GroupParams,
          body: Type.Object({ keys: Type.Array(Type.Unknown(), { minItems: 1, maxItems: 10_000 }) }, { additionalProperties: false }),
          response: { 200: Type.Object({ columns: Type.Array(Type.Object({ name: Type.String(), type: Type.String() })), rows: Type.Array(Type.Union([Row, Type.Null()])) }), 400: Error, 401: Error, 403: Error, 404: Error },
        },
      },
      async (request) => {
        const fg = await featureGroupFor(ctx, request, request.params, 'read');
        const rows = await fg.getOnlineBatch(request.body.keys, { exactTimestamps: true });
        return {
          columns: fg.features.map((f) => ({ name: f.name, type: formatFeatureType(f.type) })),
          rows: rows.map((row) => (row === undefined ? null : jsonRow(fg.features, row))),
        };
      },
    );

    app.post(
      `${group}/rows/delete`,
      {
        schema: {
          tags,
          security,
          summary: 'Delete records by key as one commit (HSFS delete_records): a key with the event time deletes that record, the primary key alone every record of the entity',
          params: GroupParams,
          body: Type.Object({ keys: Type.Array(Row, { minItems: 1 }) }, { additionalProperties: false }),
          response: {
            200: Type.Object({ commit: Type.Union([Type.Ref('Commit'), Type.Null()], { description: 'null when no key matched a record (nothing committed)' }) }),
            400: Error,
            401: Error,
            403: Error,
            404: Error,
          },
        },
      },
      async (request) => {
        const fg = await featureGroupFor(ctx, request, request.params, 'write');
        const commit = await fg.removeRows(request.body.keys);
        return { commit: commit === undefined ? null : commitSummary(commit) };
      },
    );
  },
};
