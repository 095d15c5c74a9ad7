import { Type } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { TrainingDatasetNotFoundError } from '../../errors/featurestore-errors.js';
import type { FeatureView } from '../../featurestore/featureview/feature-view.js';
import type { TrainingData } from '../../sdk/feature-view.js';
import type { TrainingDatasetInfo } from '../../featurestore/trainingdataset/training-datasets.js';
import type { Table } from 'apache-arrow';
import { API_KEY_SECURITY } from '../rest/api-key-security.js';
import { featureViewFor } from '../rest/feature-store-access.js';
import { addFeatureStoreSchemas, EntityName, VersionText } from '../rest/featurestore-schemas.js';
import { addQuerySchemas } from '../rest/query-json.js';
import { viewTable, type ViewPart } from '../../featurestore/records/view-row-table.js';
import { sendViewStatement, sendViewTable, tableFormatOf, TableFormatParam, tableResponse } from '../rest/table-formats.js';
import { READ_OPTIONS, SPLIT_OPTIONS, viewReadOptions } from '../rest/view-read-json.js';
import type { RouteModule } from '../route-module.js';
import type { ServerContext } from '../server-context.js';
import { ProjectName } from './projects.js';

const Error = Type.Ref('Error');
const ViewParams = Type.Object({ project: ProjectName, name: EntityName, version: VersionText }, { additionalProperties: false });
const DatasetParams = Type.Object({ project: ProjectName, name: EntityName, version: VersionText, dataset: VersionText }, { additionalProperties: false });

const TrainingDatasetJson = Type.Object(
  {
    version: Type.Integer(),
    description: Type.String(),
    format: Type.Union([Type.Literal('parquet'), Type.Literal('csv'), Type.Literal('json')]),
    location: Type.String({ description: 'its directory in humle fs' }),
    splits: Type.Array(Type.Object({ name: Type.String(), rowCount: Type.Integer(), files: Type.Array(Type.String()) })),
    split: Type.Record(Type.String(), Type.Unknown(), { description: 'kind none, random (seed, test, validation) or time (ranges in microseconds)' }),
    commits: Type.Record(Type.String(), Type.Integer(), { description: 'feature group name:version → the commit read (-1: none yet)' }),
    columns: Type.Object({ features: Type.Array(Type.String()), labels: Type.Array(Type.String()), inputs: Type.Array(Type.String()) }),
    statistics: Type.Record(Type.String(), Type.Unknown(), { description: 'the train split’s statistics the transformations use' }),
    creator: Type.String(),
    createdAt: Type.String({ format: 'date-time' }),
  },
  { $id: 'TrainingDataset' },
);

function trainingDatasetJson(info: TrainingDatasetInfo) {
  // A time split's bounds are microseconds, bigints past 2^53: JSON gets their digits.
  const split = JSON.parse(JSON.stringify(info.split, (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value))) as Record<string, unknown>;
  return { ...info, split, statistics: { ...info.statistics }, createdAt: info.createdAt.toISOString() };
}

const CreateBody = Type.Object(
  {
    ...READ_OPTIONS,
    ...SPLIT_OPTIONS,
    trainingHelperColumns: Type.Optional(Type.Boolean()),
    format: Type.Optional(Type.Union([Type.Literal('parquet'), Type.Literal('csv'), Type.Literal('json')], { description: 'of the files; default parquet' })),
    description: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);

async function datasetOf(fv: FeatureView, version: number): Promise<TrainingDatasetInfo> {
  const info = (await fv.getTrainingDatasets()).find((d) => d.version === version);
  if (info === undefined) {
    throw new TrainingDatasetNotFoundError(`feature view ${fv.name} version ${fv.version} has no training dataset version ${version}`, { featureView: fv.name, version });
  }
  return info;
}

const tags = ['training datasets'];
const security = API_KEY_SECURITY;

/**
 * A feature view's materialized training datasets: files written in humle fs with the commits they read, so that
 * reading a version back gives the same rows whatever was inserted since. Data scientists, owners and data owners
 * create them (featurestore:write); every member reads them; deleting is for owners and data owners.
 */
export const trainingDatasetRoutes: RouteModule = {
  name: 'training datasets',
  async register(base: FastifyInstance, ctx: ServerContext) {
    const app = base.withTypeProvider<TypeBoxTypeProvider>();
    addFeatureStoreSchemas(app);
    addQuerySchemas(app);
    app.addSchema(TrainingDatasetJson);
    const datasets = '/projects/:project/featureviews/:name/:version/trainingdatasets';

    app.post(
      datasets,
      {
        schema: {
          tags,
          security,
          summary: 'Materialize a training dataset (the next version): read options, split options, file format',
          params: ViewParams,
          body: CreateBody,
          response: { 201: Type.Ref('TrainingDataset'), 400: Error, 401: Error, 403: Error, 404: Error },
        },
      },
      async (request, reply) => {
        const fv = await featureViewFor(ctx, request, request.params, 'createViews');
        const { startTime, endTime, extraFilter, primaryKey, eventTime, ...rest } = request.body;
        const read = await viewReadOptions(fv, { startTime, endTime, extraFilter, primaryKey, eventTime });
        return reply.code(201).send(trainingDatasetJson(await fv.createTrainingData({ ...read, ...rest })));
      },
    );

    app.get(
      datasets,
      {
        schema: { tags, security, summary: 'The training datasets of a feature view version', params: ViewParams, response: { 200: Type.Object({ items: Type.Array(Type.Ref('TrainingDataset')) }), 400: Error, 401: Error, 403: Error, 404: Error } },
      },
      async (request) => ({ items: (await (await featureViewFor(ctx, request, request.params, 'read')).getTrainingDatasets()).map(trainingDatasetJson) }),
    );

    app.get(
      `${datasets}/:dataset`,
      { schema: { tags, security, summary: 'One training dataset', params: DatasetParams, response: { 200: Type.Ref('TrainingDataset'), 400: Error, 401: Error, 403: Error, 404: Error } } },
      async (request) => trainingDatasetJson(await datasetOf(await featureViewFor(ctx, request, request.params, 'read'), Number(request.params.dataset))),
    );

    app.get(
      `${datasets}/:dataset/rows`,
      {
        schema: {
          tags,
          security,
          summary: 'A training dataset’s rows exactly as created, transformed with its statistics; a split one has a _split column',
          params: DatasetParams,
          querystring: Type.Object({ format: Type.Optional(TableFormatParam) }, { additionalProperties: false }),
          response: { 200: tableResponse('the rows'), 400: Error, 401: Error, 403: Error, 404: Error, 406: Error },
        },
      },
      async (request, reply) => {
        const answer = tableFormatOf(request, request.query.format);
        const fv = await featureViewFor(ctx, request, request.params, 'read');
        const version = Number(request.params.dataset);
        const info = await datasetOf(fv, version);
        // A dataset answered as stored is read and encoded by an answer worker, off the event loop.
        const statement = await fv.trainingDatasetStatement(version);
        if (statement !== null) return sendViewStatement(reply, answer, statement, info.split.kind !== 'none');
        const names = info.splits.map((s) => s.name);
        const arrow = { dataframe: 'arrow' as const };
        let parts: ViewPart<Table>[];
        if (info.split.kind === 'none') {
          parts = [await fv.getTrainingData(version, arrow)];
        } else {
          const split = (names.includes('validation') ? await fv.getTrainValidationTestSplit(version, arrow) : await fv.getTrainTestSplit(version, arrow)) as Record<string, TrainingData<Table>>;
          parts = names.map((name) => ({ part: name, ...split[name]! }));
        }
        return sendViewTable(reply, answer, viewTable(parts));
      },
    );

    app.delete(
      `${datasets}/:dataset`,
      { schema: { tags, security, summary: 'Delete a training dataset: its record, then its files (owner or data owner)', params: DatasetParams, response: { 204: Type.Null(), 400: Error, 401: Error, 403: Error, 404: Error } } },
      async (request, reply) => {
        await (await featureViewFor(ctx, request, request.params, 'write')).deleteTrainingDataset(Number(request.params.dataset));
        return reply.code(204).send(null);
      },
    );
  },
};
