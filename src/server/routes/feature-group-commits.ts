import { Type } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { StatisticsNotFoundError } from '../../errors/featurestore-errors.js';
import type { FeatureGroupStatistics } from '../../featurestore/statistics/feature-statistics.js';
import { parsePointInTime } from '../../featurestore/offline/table/point-in-time-text.js';
import { commitHistory, commitSummary } from '../../featurestore/records/commit-summary.js';
import { API_KEY_SECURITY } from '../rest/api-key-security.js';
import { featureGroupFor } from '../rest/feature-store-access.js';
import { addFeatureStoreSchemas, CountText, EntityName, PointInTimeText, VersionText } from '../rest/featurestore-schemas.js';
import type { RouteModule } from '../route-module.js';
import type { ServerContext } from '../server-context.js';
import { ProjectName } from './projects.js';

const Error = Type.Ref('Error');
const GroupParams = Type.Object({ project: ProjectName, name: EntityName, version: VersionText }, { additionalProperties: false });

const Statistics = Type.Object(
  {
    commitId: Type.Integer({ description: 'the commit whose snapshot they describe' }),
    computedAt: Type.String({ format: 'date-time' }),
    rowCount: Type.Integer(),
    config: Type.Record(Type.String(), Type.Unknown()),
    features: Type.Array(Type.Record(Type.String(), Type.Unknown()), {
      description: 'per feature: count, nullCount, completeness, approxDistinct, min, max, mean, stddev, histogram, topValues, ... as the type has them',
    }),
  },
  { $id: 'FeatureGroupStatistics' },
);

function statisticsJson(statistics: FeatureGroupStatistics & { commitId: number }) {
  return { ...statistics, computedAt: new Date(statistics.computedAt).toISOString(), config: { ...statistics.config }, features: statistics.features.map((f) => ({ ...f })) };
}

const ValidationReport = Type.Object(
  {
    id: Type.Integer(),
    validatedAt: Type.String({ format: 'date-time' }),
    success: Type.Boolean(),
    commitId: Type.Union([Type.Integer(), Type.Null()], { description: 'null when the batch was rejected' }),
    ingestionResult: Type.Union([Type.Literal('INGESTED'), Type.Literal('REJECTED')]),
    report: Type.Record(Type.String(), Type.Unknown(), { description: 'success, evaluatedAt, rowCount, statistics, results (one per expectation)' }),
  },
  { $id: 'ValidationReport' },
);

const tags = ['feature group commits'];
const security = API_KEY_SECURITY;

/**
 * What a feature group's commits made and their upkeep: the commit history, statistics per commit, validation
 * reports of inserts, compaction and vacuum. Reading needs featurestore:read; computing statistics, compacting and
 * vacuuming are writes (owners and data owners).
 */
export const featureGroupCommitRoutes: RouteModule = {
  name: 'feature group commits',
  async register(base: FastifyInstance, ctx: ServerContext) {
    const app = base.withTypeProvider<TypeBoxTypeProvider>();
    addFeatureStoreSchemas(app);
    app.addSchema(Statistics);
    app.addSchema(ValidationReport);
    const group = '/projects/:project/featuregroups/:name/:version';

    app.get(
      `${group}/commits`,
      {
        schema: {
          tags,
          security,
          summary: 'The commits, newest first (HSFS commit_details)',
          params: GroupParams,
          querystring: Type.Object({ limit: Type.Optional(CountText) }, { additionalProperties: false }),
          response: { 200: Type.Object({ items: Type.Array(Type.Ref('Commit')) }), 400: Error, 401: Error, 403: Error, 404: Error },
        },
      },
      async (request) => {
        const fg = await featureGroupFor(ctx, request, request.params, 'read');
        return { items: await commitHistory(fg, request.query.limit === undefined ? 1000 : Number(request.query.limit)) };
      },
    );

    app.get(
      `${group}/statistics`,
      {
        schema: {
          tags,
          security,
          summary: 'The statistics of a commit’s snapshot (the latest by default); 404 when that commit has none (disabled, or still being computed)',
          params: GroupParams,
          querystring: Type.Object({ asOf: Type.Optional(PointInTimeText) }, { additionalProperties: false }),
          response: { 200: Type.Ref('FeatureGroupStatistics'), 400: Error, 401: Error, 403: Error, 404: Error },
        },
      },
      async (request) => {
        const fg = await featureGroupFor(ctx, request, request.params, 'read');
        const asOf = request.query.asOf === undefined ? undefined : parsePointInTime(request.query.asOf, 'asOf');
        const statistics = await fg.getStatistics({ asOf });
        if (statistics === undefined) throw new StatisticsNotFoundError(`feature group ${fg.name} version ${fg.version} has no statistics for that commit`, { asOf: request.query.asOf ?? null });
        return statisticsJson(statistics);
      },
    );

    app.post(
      `${group}/statistics`,
      {
        schema: {
          tags,
          security,
          summary: 'Compute the statistics of the latest commit now, whatever the statistics config says, and store them',
          params: GroupParams,
          response: { 200: Type.Ref('FeatureGroupStatistics'), 400: Error, 401: Error, 403: Error, 404: Error },
        },
      },
      async (request) => {
        const fg = await featureGroupFor(ctx, request, request.params, 'write');
        const statistics = await fg.computeStatistics();
        if (statistics === undefined) throw new StatisticsNotFoundError(`feature group ${fg.name} version ${fg.version} has no commit to describe`, {});
        return statisticsJson(statistics);
      },
    );

    app.get(
      `${group}/validations`,
      {
        schema: {
          tags,
          security,
          summary: 'Validation reports of inserts against the expectations, newest first (HSFS get_validation_history)',
          params: GroupParams,
          querystring: Type.Object(
            { limit: Type.Optional(CountText), ingestionResult: Type.Optional(Type.Union([Type.Literal('INGESTED'), Type.Literal('REJECTED')])) },
            { additionalProperties: false },
          ),
          response: { 200: Type.Object({ items: Type.Array(Type.Ref('ValidationReport')) }), 400: Error, 401: Error, 403: Error, 404: Error },
        },
      },
      async (request) => {
        const fg = await featureGroupFor(ctx, request, request.params, 'read');
        const { limit, ingestionResult } = request.query;
        const reports = await fg.getValidationHistory({ ...(limit === undefined ? {} : { limit: Number(limit) }), ...(ingestionResult === undefined ? {} : { ingestionResult }) });
        return {
          items: reports.map((r) => ({
            id: r.id,
            validatedAt: new Date(r.validatedAt).toISOString(),
            success: r.success,
            commitId: r.commitId,
            ingestionResult: r.ingestionResult,
            report: { ...r.report },
          })),
        };
      },
    );

    app.post(
      `${group}/compact`,
      {
        schema: {
          tags,
          security,
          summary: 'Merge the small data files of the latest version (Delta OPTIMIZE; inserts also do it by themselves)',
          params: GroupParams,
          response: { 200: Type.Object({ commit: Type.Union([Type.Ref('Commit'), Type.Null()], { description: 'null when there was nothing to merge' }) }), 400: Error, 401: Error, 403: Error, 404: Error },
        },
      },
      async (request) => {
        const commit = await (await featureGroupFor(ctx, request, request.params, 'write')).compact();
        return { commit: commit === undefined ? null : commitSummary(commit) };
      },
    );

    app.post(
      `${group}/vacuum`,
      {
        schema: {
          tags,
          security,
          summary: 'Delete data files only versions older than the retention needs (Delta VACUUM); older versions become unreadable',
          params: GroupParams,
          body: Type.Object({ retainMs: Type.Optional(Type.Integer({ minimum: 0, description: 'retention in milliseconds; default 7 days' })) }, { additionalProperties: false }),
          response: { 200: Type.Object({ filesDeleted: Type.Integer(), bytesFreed: Type.Integer(), oldestVersion: Type.Integer() }), 400: Error, 401: Error, 403: Error, 404: Error },
        },
      },
      async (request) => {
        const fg = await featureGroupFor(ctx, request, request.params, 'write');
        return fg.vacuum(request.body.retainMs === undefined ? {} : { retain: request.body.retainMs });
      },
    );
  },
};
