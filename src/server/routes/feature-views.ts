import { Type, type Static } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { requestedSplit } from '../../featurestore/featureview/data-split.js';
import type { FeatureView } from '../../featurestore/featureview/feature-view.js';
import type { TrainTestSplitOptions, TrainValidationTestSplitOptions } from '../../sdk/feature-view.js';
import { formatFeatureType } from '../../featurestore/types/feature-type.js';
import { API_KEY_SECURITY } from '../rest/api-key-security.js';
import { featureStoreFor, featureViewFor } from '../rest/feature-store-access.js';
import { addFeatureStoreSchemas, EntityName, VersionText } from '../rest/featurestore-schemas.js';
import { describeQuery, queryOf, type QueryJson } from '../../featurestore/query/query-description.js';
import { addQuerySchemas } from '../rest/query-json.js';
import { viewTable, type ViewTable } from '../../featurestore/records/view-row-table.js';
import { sendViewStatement, sendViewTable, tableFormatOf, TableFormatParam, tableResponse } from '../rest/table-formats.js';
import { READ_OPTIONS, SPINE, SPLIT_OPTIONS, viewReadOptions } from '../rest/view-read-json.js';
import type { RouteModule } from '../route-module.js';
import type { ServerContext } from '../server-context.js';
import { ProjectName } from './projects.js';

const Error = Type.Ref('Error');
const Columns = Type.Array(Type.String());

const TransformationFunction = Type.Object(
  { name: Type.String({ minLength: 1 }), version: Type.Optional(Type.Integer({ minimum: 1 })), features: Type.Array(Type.String(), { minItems: 1 }) },
  { additionalProperties: false, description: 'built in: minMaxScaler, standardScaler, robustScaler, labelEncoder, oneHotEncoder; or registered in the server process' },
);
const OnDemandFeature = Type.Object(
  { name: EntityName, function: Type.String({ minLength: 1 }), version: Type.Optional(Type.Integer({ minimum: 1 })), features: Type.Array(Type.String()) },
  { additionalProperties: false, description: 'a function registered in the server process, of columns of the query' },
);

const FeatureViewSpec = Type.Object(
  {
    name: EntityName,
    version: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000, description: 'default: the next version' })),
    description: Type.Optional(Type.String()),
    query: Type.Ref('Query'),
    labels: Type.Optional(Columns),
    transformationFunctions: Type.Optional(Type.Array(TransformationFunction)),
    onDemandFeatures: Type.Optional(Type.Array(OnDemandFeature)),
    inferenceHelperColumns: Type.Optional(Columns),
    trainingHelperColumns: Type.Optional(Columns),
  },
  { additionalProperties: false, description: 'what fs.createFeatureView takes, with the query as JSON' },
);

const FeatureViewJson = Type.Object(
  {
    id: Type.Integer(),
    name: Type.String(),
    version: Type.Integer(),
    description: Type.String(),
    query: Type.Ref('Query'),
    labels: Columns,
    transformationFunctions: Type.Array(TransformationFunction),
    onDemandFeatures: Type.Array(OnDemandFeature),
    inferenceHelperColumns: Columns,
    trainingHelperColumns: Columns,
    features: Type.Array(
      Type.Object({
        name: Type.String(),
        type: Type.String(),
        featureGroup: Type.Object({ name: Type.String(), version: Type.Integer() }),
        primary: Type.Boolean(),
        eventTime: Type.Boolean(),
        label: Type.Boolean(),
        inferenceHelperColumn: Type.Boolean(),
        trainingHelperColumn: Type.Boolean(),
      }),
      { description: 'the columns of the view’s query, in order' },
    ),
    creator: Type.String(),
    createdAt: Type.String({ format: 'date-time' }),
  },
  { $id: 'FeatureView' },
);

function featureViewJson(fv: FeatureView): Static<typeof FeatureViewJson> {
  return {
    id: fv.id,
    name: fv.name,
    version: fv.version,
    description: fv.description,
    query: describeQuery(fv.query.plan),
    labels: [...fv.labels],
    transformationFunctions: fv.transformationFunctions.map((t) => ({ ...t, features: [...t.features] })),
    onDemandFeatures: fv.onDemandFeatures.map((o) => ({ ...o, features: [...o.features] })),
    inferenceHelperColumns: [...fv.inferenceHelperColumns],
    trainingHelperColumns: [...fv.trainingHelperColumns],
    features: fv.features.map((f) => ({ ...f, type: formatFeatureType(f.type), featureGroup: { name: f.featureGroup.name, version: f.featureGroup.version } })),
    creator: fv.creator,
    createdAt: fv.createdAt.toISOString(),
  };
}

const ProjectParams = Type.Object({ project: ProjectName }, { additionalProperties: false });
const NameParams = Type.Object({ project: ProjectName, name: EntityName }, { additionalProperties: false });
const ViewParams = Type.Object({ project: ProjectName, name: EntityName, version: VersionText }, { additionalProperties: false });
const FormatQuery = Type.Object({ format: Type.Optional(TableFormatParam) }, { additionalProperties: false });

const TrainingDataBody = Type.Object(
  { ...READ_OPTIONS, ...SPINE, ...SPLIT_OPTIONS, trainingHelperColumns: Type.Optional(Type.Boolean()) },
  { additionalProperties: false, description: 'read options; split options (sizes or time ranges) split the rows, named in the _split column' },
);
const BatchDataBody = Type.Object(
  {
    ...READ_OPTIONS,
    ...SPINE,
    inferenceHelperColumns: Type.Optional(Type.Boolean()),
    trainingDatasetVersion: Type.Optional(Type.Integer({ minimum: 1, description: 'whose statistics the transformations use; default the newest' })),
  },
  { additionalProperties: false },
);

const tags = ['feature views'];
const security = API_KEY_SECURITY;

/**
 * Feature views: named, versioned, immutable queries over feature groups with their labels, created from a JSON
 * query description; their training data (point in time correct, optionally split) and batch data, in the format
 * `Accept` or `?format=` asks for. Every member reads; data scientists, owners and data owners create views
 * (featurestore:write); deleting one is for owners and data owners.
 */
export const featureViewRoutes: RouteModule = {
  name: 'feature views',
  async register(base: FastifyInstance, ctx: ServerContext) {
    const app = base.withTypeProvider<TypeBoxTypeProvider>();
    addFeatureStoreSchemas(app);
    addQuerySchemas(app);
    app.addSchema(FeatureViewJson);
    const views = '/projects/:project/featureviews';

    app.get(
      views,
      {
        schema: {
          tags,
          security,
          summary: 'The feature views of the project (every version), or the versions of one name',
          params: ProjectParams,
          querystring: Type.Object({ name: Type.Optional(EntityName) }, { additionalProperties: false }),
          response: { 200: Type.Object({ items: Type.Array(Type.Ref('FeatureView')) }), 400: Error, 401: Error, 403: Error, 404: Error },
        },
      },
      async (request) => {
        const fs = await featureStoreFor(ctx, request, request.params.project, 'read');
        return { items: (await fs.getFeatureViews(request.query.name)).map(featureViewJson) };
      },
    );

    app.post(
      views,
      {
        schema: {
          tags,
          security,
          summary: 'Create a feature view version; the same definition again returns the existing version, another one is 409',
          params: ProjectParams,
          body: FeatureViewSpec,
          response: { 201: Type.Ref('FeatureView'), 400: Error, 401: Error, 403: Error, 404: Error, 409: Error },
        },
      },
      async (request, reply) => {
        const fs = await featureStoreFor(ctx, request, request.params.project, 'createViews');
        const { query, ...spec } = request.body;
        const fv = await fs.createFeatureView({ ...spec, query: (await queryOf(fs, query as QueryJson)).query });
        return reply.code(201).send(featureViewJson(fv));
      },
    );

    app.get(
      `${views}/:name`,
      { schema: { tags, security, summary: 'The newest version of a feature view', params: NameParams, response: { 200: Type.Ref('FeatureView'), 400: Error, 401: Error, 403: Error, 404: Error } } },
      async (request) => {
        const fs = await featureStoreFor(ctx, request, request.params.project, 'read');
        return featureViewJson(await fs.getFeatureView(request.params.name));
      },
    );

    app.get(
      `${views}/:name/:version`,
      { schema: { tags, security, summary: 'One version of a feature view', params: ViewParams, response: { 200: Type.Ref('FeatureView'), 400: Error, 401: Error, 403: Error, 404: Error } } },
      async (request) => featureViewJson(await featureViewFor(ctx, request, request.params, 'read')),
    );

    app.delete(
      `${views}/:name/:version`,
      {
        schema: { tags, security, summary: 'Delete a feature view version and its training datasets (owner or data owner)', params: ViewParams, response: { 204: Type.Null(), 400: Error, 401: Error, 403: Error, 404: Error } },
      },
      async (request, reply) => {
        await (await featureViewFor(ctx, request, request.params, 'write')).delete();
        return reply.code(204).send(null);
      },
    );

    app.post(
      `${views}/:name/:version/trainingdata`,
      {
        schema: {
          tags,
          security,
          summary: 'Training data in memory: features then labels (named in the Humle-Label-Columns header), point in time correct; with split options a _split column names each row’s part',
          params: ViewParams,
          querystring: FormatQuery,
          body: TrainingDataBody,
          response: { 200: tableResponse('the training rows'), 400: Error, 401: Error, 403: Error, 404: Error, 406: Error },
        },
      },
      async (request, reply) => {
        const answer = tableFormatOf(request, request.query.format);
        const fv = await featureViewFor(ctx, request, request.params, 'read');
        const { testSize, validationSize, seed, trainStart, trainEnd, validationStart, validationEnd, testStart, testEnd, trainingHelperColumns, ...read } = request.body;
        const options = { ...(await viewReadOptions(fv, read)), trainingHelperColumns, dataframe: 'arrow' as const };
        const split = { testSize, validationSize, seed, trainStart, trainEnd, validationStart, validationEnd, testStart, testEnd };
        const kind = requestedSplit(split);
        // A read that DuckDB alone makes is run and encoded by an answer worker, off the event loop.
        const statement = await fv.trainingDataStatement({ ...options, ...split }, kind);
        if (statement !== null) return sendViewStatement(reply, answer, statement, kind !== 'none');
        let table: ViewTable;
        switch (kind) {
          case 'none':
            table = viewTable([await fv.trainingData(options)]);
            break;
          case 'trainTest': {
            const { train, test } = await fv.trainTestSplit({ ...options, ...split } as TrainTestSplitOptions & { dataframe: 'arrow' });
            table = viewTable([{ part: 'train', ...train }, { part: 'test', ...test }]);
            break;
          }
          case 'trainValidationTest': {
            const { train, validation, test } = await fv.trainValidationTestSplit({ ...options, ...split } as TrainValidationTestSplitOptions & { dataframe: 'arrow' });
            table = viewTable([{ part: 'train', ...train }, { part: 'validation', ...validation }, { part: 'test', ...test }]);
            break;
          }
        }
        return sendViewTable(reply, answer, table);
      },
    );

    app.post(
      `${views}/:name/:version/batchdata`,
      {
        schema: {
          tags,
          security,
          summary: 'Batch data for scoring: the features without labels, transformed with a training dataset’s statistics',
          params: ViewParams,
          querystring: FormatQuery,
          body: BatchDataBody,
          response: { 200: tableResponse('the feature rows'), 400: Error, 401: Error, 403: Error, 404: Error, 406: Error },
        },
      },
      async (request, reply) => {
        const answer = tableFormatOf(request, request.query.format);
        const fv = await featureViewFor(ctx, request, request.params, 'read');
        const { inferenceHelperColumns, trainingDatasetVersion, ...read } = request.body;
        const options = { ...(await viewReadOptions(fv, read)), inferenceHelperColumns, trainingDatasetVersion, dataframe: 'arrow' as const };
        const statement = await fv.batchDataStatement(options);
        if (statement !== null) return sendViewStatement(reply, answer, statement, false);
        const batch = await fv.getBatchData(options);
        return sendViewTable(reply, answer, viewTable([{ features: batch, labels: null }]));
      },
    );
  },
};
