import { Type } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { API_KEY_SECURITY } from '../rest/api-key-security.js';
import { callerOf } from '../rest/rest-api.js';
import type { RouteModule } from '../route-module.js';
import type { ServerContext } from '../server-context.js';
import { ProjectName } from './projects.js';

const Error = Type.Ref('Error');
const Bytes = Type.Integer({ minimum: 0 });
const Limit = (description: string) => Type.Union([Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER }), Type.Null()], { description });

const ProjectQuota = Type.Object(
  {
    space: Limit('bytes × replication allowed below /Projects/{project}; null: no limit'),
    spaceUsed: Bytes,
    files: Limit('files and directories allowed, the project directory included (HDFS namespace quota); null: no limit'),
    filesUsed: Type.Integer({ minimum: 0 }),
  },
  { $id: 'ProjectQuota', description: "the quotas of the project's directory in humle fs and what counts against them" },
);

const FeatureGroupUsage = Type.Object(
  {
    name: Type.String(),
    version: Type.Integer(),
    online: Type.Union(
      [Type.Object({ rows: Type.Integer({ minimum: 0 }), dataBytes: Bytes, indexBytes: Bytes, bytes: Bytes }), Type.Null()],
      { description: 'the online table: exact row count, bytes as the database accounts for them; null when not online-enabled' },
    ),
    offline: Type.Object(
      { directory: Type.String(), bytes: Bytes, files: Type.Integer({ minimum: 0 }) },
      { description: 'the Delta table directory in humle fs: data files and log, every version still on disk' },
    ),
  },
  { $id: 'FeatureGroupUsage' },
);

const ProjectUsage = Type.Object(
  {
    project: Type.String(),
    featureGroups: Type.Array(Type.Ref('FeatureGroupUsage')),
    fs: Type.Object({ directory: Type.String(), bytes: Bytes, spaceConsumed: Bytes, files: Type.Integer({ minimum: 0 }), directories: Type.Integer({ minimum: 0 }) }),
    quota: Type.Ref('ProjectQuota'),
  },
  { $id: 'ProjectUsage', description: 'what a project takes: online and offline storage per feature group version, its humle fs totals and quotas' },
);

const ProjectParams = Type.Object({ project: ProjectName }, { additionalProperties: false });

const tags = ['projects'];
const security = API_KEY_SECURITY;

/**
 * Per-project usage (what RonDB's ndbinfo memory tables give Hopsworks per project) and quotas. Any member reads the
 * usage; only the owner, with a project:admin key, sets quotas. A project the caller is not in is 404
 * PROJECT_NOT_FOUND, as a missing one.
 */
export const projectUsageRoutes: RouteModule = {
  name: 'project usage',
  async register(base: FastifyInstance, ctx: ServerContext) {
    const app = base.withTypeProvider<TypeBoxTypeProvider>();
    app.addSchema(ProjectQuota);
    app.addSchema(FeatureGroupUsage);
    app.addSchema(ProjectUsage);

    app.get(
      '/projects/:project/usage',
      {
        schema: {
          tags,
          security,
          summary: 'Online rows and bytes and offline bytes and files per feature group version, humle fs totals and quotas of a project',
          params: ProjectParams,
          response: { 200: Type.Ref('ProjectUsage'), 400: Error, 401: Error, 404: Error },
        },
      },
      async (request) => {
        const view = await ctx.access.project(callerOf(request), request.params.project);
        return (await ctx.humle.project(view.name)).usage();
      },
    );

    app.put(
      '/projects/:project/quota',
      {
        schema: {
          tags,
          security,
          summary: "Set or remove (null) the project's space and files quotas (owner, project:admin scope); fields left out keep their value",
          params: ProjectParams,
          body: Type.Object(
            { space: Type.Optional(Limit('bytes × replication, e.g. 10737418240 for 10 GiB')), files: Type.Optional(Limit('files and directories')) },
            { additionalProperties: false, minProperties: 1 },
          ),
          response: { 200: Type.Ref('ProjectQuota'), 400: Error, 401: Error, 403: Error, 404: Error },
        },
      },
      async (request) => ctx.access.setQuota(callerOf(request), request.params.project, request.body),
    );
  },
};
