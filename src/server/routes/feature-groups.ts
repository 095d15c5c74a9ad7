import { Type, type Static } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import type { FeatureGroup } from '../../featurestore/feature-group.js';
import { featureGroupSummary } from '../../featurestore/records/feature-group-summary.js';
import { API_KEY_SECURITY } from '../rest/api-key-security.js';
import { featureGroupFor, featureStoreFor } from '../rest/feature-store-access.js';
import { EntityName, VersionText } from '../rest/featurestore-schemas.js';
import type { RouteModule } from '../route-module.js';
import type { ServerContext } from '../server-context.js';
import { ProjectName } from './projects.js';

const Error = Type.Ref('Error');

/** A feature as a definition gives it: the type in its HSFS text form. */
const FeatureSpec = Type.Object(
  { name: Type.String({ maxLength: 63 }), type: Type.String({ maxLength: 200, description: 'HSFS type: int, bigint, double, decimal(10,2), timestamp, array<double>, ...' }), description: Type.Optional(Type.String()) },
  { additionalProperties: false },
);

const StatisticsConfig = Type.Union([
  Type.Boolean(),
  Type.Object(
    {
      enabled: Type.Optional(Type.Boolean()),
      histograms: Type.Optional(Type.Boolean()),
      correlations: Type.Optional(Type.Boolean()),
      exactUniqueness: Type.Optional(Type.Boolean()),
      columns: Type.Optional(Type.Array(Type.String())),
    },
    { additionalProperties: false },
  ),
]);

const ExpectationValue = Type.Union([Type.Number(), Type.String(), Type.Boolean()], { description: 'in any form an insert takes for the feature’s type' });
const Mostly = Type.Optional(Type.Number({ minimum: 0, maximum: 1 }));
const Expectation = Type.Union([
  Type.Object({ kind: Type.Literal('notNull'), feature: Type.String(), mostly: Mostly }, { additionalProperties: false }),
  Type.Object(
    {
      kind: Type.Literal('between'),
      feature: Type.String(),
      min: Type.Optional(ExpectationValue),
      max: Type.Optional(ExpectationValue),
      strictMin: Type.Optional(Type.Boolean()),
      strictMax: Type.Optional(Type.Boolean()),
      mostly: Mostly,
    },
    { additionalProperties: false },
  ),
  Type.Object({ kind: Type.Literal('inSet'), feature: Type.String(), values: Type.Array(ExpectationValue), mostly: Mostly }, { additionalProperties: false }),
  Type.Object({ kind: Type.Literal('matchesRegex'), feature: Type.String(), pattern: Type.String(), flags: Type.Optional(Type.String()), mostly: Mostly }, { additionalProperties: false }),
  Type.Object({ kind: Type.Literal('unique'), features: Type.Array(Type.String(), { minItems: 1 }), mostly: Mostly }, { additionalProperties: false }),
]);
const Expectations = Type.Union([
  Type.Array(Expectation),
  Type.Object(
    {
      expectations: Type.Array(Expectation),
      validationIngestionPolicy: Type.Optional(Type.Union([Type.Literal('always'), Type.Literal('strict')])),
      runValidation: Type.Optional(Type.Boolean()),
    },
    { additionalProperties: false },
  ),
]);

const FeatureGroupSpec = Type.Object(
  {
    name: EntityName,
    version: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000, description: 'default: one more than the newest version' })),
    description: Type.Optional(Type.String()),
    primaryKey: Type.Array(Type.String(), { minItems: 1 }),
    eventTime: Type.Optional(Type.String()),
    partitionKey: Type.Optional(Type.Array(Type.String())),
    onlineEnabled: Type.Optional(Type.Boolean()),
    features: Type.Optional(Type.Array(FeatureSpec, { description: 'the schema; inferred from the first insert when omitted' })),
    statisticsConfig: Type.Optional(StatisticsConfig),
    expectations: Type.Optional(Expectations),
  },
  { additionalProperties: false, description: 'what fs.createFeatureGroup takes' },
);

const FeatureGroupJson = Type.Object(
  {
    id: Type.Integer(),
    name: Type.String(),
    version: Type.Integer(),
    description: Type.String(),
    primaryKey: Type.Array(Type.String()),
    eventTime: Type.Union([Type.String(), Type.Null()]),
    partitionKey: Type.Array(Type.String()),
    onlineEnabled: Type.Boolean(),
    location: Type.String({ description: 'the offline Delta table’s directory in humle fs' }),
    onlineTable: Type.Union([Type.String(), Type.Null()], { description: 'the online table’s name in the database; null when offline only' }),
    features: Type.Array(
      Type.Object({ name: Type.String(), type: Type.String(), description: Type.String(), primary: Type.Boolean(), eventTime: Type.Boolean(), partition: Type.Boolean() }),
    ),
    statisticsConfig: Type.Record(Type.String(), Type.Unknown()),
    expectations: Type.Record(Type.String(), Type.Unknown()),
    creator: Type.String(),
    createdAt: Type.String({ format: 'date-time' }),
  },
  { $id: 'FeatureGroup' },
);

function featureGroupJson(fg: FeatureGroup): Static<typeof FeatureGroupJson> {
  return {
    id: fg.id,
    ...featureGroupSummary(fg),
    statisticsConfig: { ...fg.statisticsConfig },
    expectations: { ...fg.expectationSuite },
    creator: fg.creator,
    createdAt: fg.createdAt.toISOString(),
  };
}

const ProjectParams = Type.Object({ project: ProjectName }, { additionalProperties: false });
const NameParams = Type.Object({ project: ProjectName, name: EntityName }, { additionalProperties: false });
const GroupParams = Type.Object({ project: ProjectName, name: EntityName, version: VersionText }, { additionalProperties: false });
const TagName = Type.String({ pattern: '^[A-Za-z0-9_.-]{1,63}$' });
const TagParams = Type.Object({ project: ProjectName, name: EntityName, version: VersionText, tag: TagName }, { additionalProperties: false });

const tags = ['feature groups'];
const security = API_KEY_SECURITY;

/**
 * Feature groups of a project's feature store: their definitions, versions, appended features and tags. Members read
 * them; owners and data owners (with featurestore:write) create, change and delete them.
 */
export const featureGroupRoutes: RouteModule = {
  name: 'feature groups',
  async register(base: FastifyInstance, ctx: ServerContext) {
    const app = base.withTypeProvider<TypeBoxTypeProvider>();
    app.addSchema(FeatureGroupJson);
    const groups = '/projects/:project/featuregroups';

    app.get(
      groups,
      {
        schema: {
          tags,
          security,
          summary: 'The feature groups of the project (every version), or the versions of one name',
          params: ProjectParams,
          querystring: Type.Object({ name: Type.Optional(EntityName) }, { additionalProperties: false }),
          response: { 200: Type.Object({ items: Type.Array(Type.Ref('FeatureGroup')) }), 400: Error, 401: Error, 403: Error, 404: Error },
        },
      },
      async (request) => {
        const fs = await featureStoreFor(ctx, request, request.params.project, 'read');
        return { items: (await fs.getFeatureGroups(request.query.name)).map(featureGroupJson) };
      },
    );

    app.post(
      groups,
      {
        schema: {
          tags,
          security,
          summary: 'Create a feature group version (owner or data owner)',
          params: ProjectParams,
          body: FeatureGroupSpec,
          response: { 201: Type.Ref('FeatureGroup'), 400: Error, 401: Error, 403: Error, 404: Error, 409: Error },
        },
      },
      async (request, reply) => {
        const fs = await featureStoreFor(ctx, request, request.params.project, 'write');
        const fg = await fs.createFeatureGroup(request.body);
        return reply.code(201).send(featureGroupJson(fg));
      },
    );

    app.get(
      `${groups}/:name`,
      { schema: { tags, security, summary: 'The newest version of a feature group', params: NameParams, response: { 200: Type.Ref('FeatureGroup'), 400: Error, 401: Error, 403: Error, 404: Error } } },
      async (request) => {
        const fs = await featureStoreFor(ctx, request, request.params.project, 'read');
        return featureGroupJson(await fs.getFeatureGroup(request.params.name));
      },
    );

    app.get(
      `${groups}/:name/:version`,
      { schema: { tags, security, summary: 'One version of a feature group', params: GroupParams, response: { 200: Type.Ref('FeatureGroup'), 400: Error, 401: Error, 403: Error, 404: Error } } },
      async (request) => {
        return featureGroupJson(await featureGroupFor(ctx, request, request.params, 'read'));
      },
    );

    app.delete(
      `${groups}/:name/:version`,
      {
        schema: {
          tags,
          security,
          summary: 'Delete a feature group version: metadata, offline and online tables (refused while feature views read it)',
          params: GroupParams,
          response: { 204: Type.Null(), 400: Error, 401: Error, 403: Error, 404: Error, 409: Error },
        },
      },
      async (request, reply) => {
        await (await featureGroupFor(ctx, request, request.params, 'write')).delete();
        return reply.code(204).send(null);
      },
    );

    app.post(
      `${groups}/:name/:version/features`,
      {
        schema: {
          tags,
          security,
          summary: 'Append nullable features (existing rows read them as null)',
          params: GroupParams,
          body: Type.Object({ features: Type.Array(FeatureSpec, { minItems: 1 }) }, { additionalProperties: false }),
          response: { 200: Type.Ref('FeatureGroup'), 400: Error, 401: Error, 403: Error, 404: Error },
        },
      },
      async (request) => {
        const fg = await featureGroupFor(ctx, request, request.params, 'write');
        await fg.appendFeatures(request.body.features);
        return featureGroupJson(fg);
      },
    );

    app.get(
      `${groups}/:name/:version/tags`,
      {
        schema: { tags, security, summary: 'The tags of a feature group version, name → JSON value', params: GroupParams, response: { 200: Type.Record(Type.String(), Type.Unknown()), 400: Error, 401: Error, 403: Error, 404: Error } },
      },
      async (request) => {
        return (await featureGroupFor(ctx, request, request.params, 'read')).getTags();
      },
    );

    app.put(
      `${groups}/:name/:version/tags/:tag`,
      {
        schema: {
          tags,
          security,
          summary: 'Set a tag to a JSON value',
          params: TagParams,
          body: Type.Object({ value: Type.Unknown() }, { additionalProperties: false, required: ['value'] }),
          response: { 204: Type.Null(), 400: Error, 401: Error, 403: Error, 404: Error },
        },
      },
      async (request, reply) => {
        await (await featureGroupFor(ctx, request, request.params, 'write')).addTag(request.params.tag, request.body.value);
        return reply.code(204).send(null);
      },
    );

    app.delete(
      `${groups}/:name/:version/tags/:tag`,
      { schema: { tags, security, summary: 'Remove a tag (no error when it is not set)', params: TagParams, response: { 204: Type.Null(), 400: Error, 401: Error, 403: Error, 404: Error } } },
      async (request, reply) => {
        await (await featureGroupFor(ctx, request, request.params, 'write')).deleteTag(request.params.tag);
        return reply.code(204).send(null);
      },
    );
  },
};
