import { Type } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { InvalidArgumentError } from '../../errors/humle-error.js';
import type { OfflineColumn } from '../../featurestore/offline/offline-column.js';
import type { FeatureView } from '../../featurestore/featureview/feature-view.js';
import { formatFeatureType } from '../../featurestore/types/feature-type.js';
import { coercerFor } from '../../featurestore/types/value-coercion.js';
import { API_KEY_SECURITY } from '../rest/api-key-security.js';
import { featureViewFor, servingViewFor } from '../rest/feature-store-access.js';
import { EntityName, VersionText } from '../rest/featurestore-schemas.js';
import { jsonRow, jsonSafeValue } from '../rest/json-row.js';
import type { RouteModule } from '../route-module.js';
import type { ServerContext } from '../server-context.js';
import { ProjectName } from './projects.js';

const Error = Type.Ref('Error');
const ViewParams = Type.Object({ project: ProjectName, name: EntityName, version: VersionText }, { additionalProperties: false });
const Values = Type.Record(Type.String(), Type.Unknown());

/** At most this many entries per request: 256 make one lookup statement, and a body stays within the JSON limit anyway. */
const MAX_ENTRIES = 10_000;

const VectorsBody = Type.Object(
  {
    entry: Type.Optional(Type.Record(Type.String(), Type.Unknown(), { description: 'serving key → value, for one vector' })),
    entries: Type.Optional(Type.Array(Values, { minItems: 1, maxItems: MAX_ENTRIES, description: 'serving keys of many vectors, answered in order' })),
    passedFeatures: Type.Optional(
      Type.Union([Values, Type.Array(Type.Union([Values, Type.Null()]))], {
        description: 'values that replace looked-up features of the same names: one object for `entry`, one per entry (or null) for `entries`; other names are request parameters of on-demand features',
      }),
    ),
    returnType: Type.Optional(Type.Union([Type.Literal('list'), Type.Literal('object')], { description: 'default list' })),
    allowMissing: Type.Optional(Type.Boolean({ description: 'answer a vector whose feature groups lack a row with nulls (status MISSING) instead of 404' })),
    trainingDatasetVersion: Type.Optional(Type.Integer({ minimum: 1, description: 'whose statistics the transformations use; default the newest' })),
  },
  { additionalProperties: false },
);

const Columns = Type.Array(Type.Object({ name: Type.String(), type: Type.String() }), { description: 'the columns of every vector, in order' });

const VectorsJson = Type.Object({
  features: Columns,
  vectors: Type.Array(
    Type.Object({
      vector: Type.Union([Type.Array(Type.Unknown()), Values], { description: 'values as rows carry them in JSON (see Rows)' }),
      status: Type.Union([Type.Literal('COMPLETE'), Type.Literal('MISSING')]),
    }),
  ),
});

const tags = ['feature vectors'];
const security = API_KEY_SECURITY;

/**
 * Feature vectors of a feature view from the online store (HSFS get_feature_vector(s)): one entry of serving keys or
 * many, with passed features, per-vector status, and the view's transformations applied; and the inference helper
 * columns of entries; preparing serving (its vector columns). Reads (featurestore:read).
 */
export const featureVectorRoutes: RouteModule = {
  name: 'feature vectors',
  async register(base: FastifyInstance, ctx: ServerContext) {
    const app = base.withTypeProvider<TypeBoxTypeProvider>();

    app.post(
      '/projects/:project/featureviews/:name/:version/serving',
      {
        schema: {
          tags,
          security,
          summary: 'Prepare serving (HSFS init_serving): checks the view can serve, with the statistics of a training dataset; answers the columns of its vectors',
          params: ViewParams,
          body: Type.Object(
            { trainingDatasetVersion: Type.Optional(Type.Integer({ minimum: 1, description: 'whose statistics the transformations use; default the newest' })) },
            { additionalProperties: false },
          ),
          response: { 200: Type.Object({ features: Columns }), 400: Error, 401: Error, 403: Error, 404: Error, 409: Error },
        },
      },
      async (request) => {
        const fv = await featureViewFor(ctx, request, request.params, 'read');
        await fv.initServing(request.body.trainingDatasetVersion === undefined ? {} : { trainingDatasetVersion: request.body.trainingDatasetVersion });
        const { served } = await fv.featureVectorColumns();
        return { features: served.map((c) => ({ name: c.name, type: formatFeatureType(c.type) })) };
      },
    );

    app.post(
      '/projects/:project/featureviews/:name/:version/vectors',
      {
        schema: {
          tags,
          security,
          summary: 'Feature vectors of one entry or many; without allowMissing a missing row is 404 FEATURE_VECTOR_MISSING',
          params: ViewParams,
          body: VectorsBody,
          response: { 200: VectorsJson, 400: Error, 401: Error, 403: Error, 404: Error, 409: Error },
        },
      },
      async (request) => {
        const { entry, entries, passedFeatures, returnType, allowMissing, trainingDatasetVersion } = request.body;
        if ((entry === undefined) === (entries === undefined)) throw new InvalidArgumentError('give either entry or entries', {});
        const batch = entries ?? [entry!];
        const passed = passedFeatures === undefined ? undefined : Array.isArray(passedFeatures) ? passedFeatures : [passedFeatures];
        if (passed !== undefined && (passed.length !== batch.length || (entry !== undefined && Array.isArray(passedFeatures)))) {
          throw new InvalidArgumentError('passedFeatures is one object for entry, and an array with one object (or null) per entry for entries', { entries: batch.length });
        }
        // Another training dataset's statistics make another serving: prepared for this request alone.
        let fv: FeatureView;
        if (trainingDatasetVersion === undefined) fv = await servingViewFor(ctx, request, request.params);
        else {
          fv = await featureViewFor(ctx, request, request.params, 'read');
          await fv.initServing({ trainingDatasetVersion });
        }
        const { lookedUp, served } = await fv.featureVectorColumns();
        const vectors = await fv.getFeatureVectorsWithStatus(batch, {
          returnType: returnType ?? 'list',
          allowMissing,
          exactTimestamps: true,
          passedFeatures: passed?.map((values, i) => (values === null ? undefined : canonicalPassed(values, lookedUp, i))),
        });
        return {
          features: served.map((c) => ({ name: c.name, type: formatFeatureType(c.type) })),
          vectors: vectors.map(({ vector, status }) => ({
            vector: Array.isArray(vector) ? vector.map((value, i) => jsonSafeValue(served[i]!.type, value)) : jsonRow(served, vector),
            status,
          })),
        };
      },
    );

    app.post(
      '/projects/:project/featureviews/:name/:version/helpers',
      {
        schema: {
          tags,
          security,
          summary: 'The inference helper columns of entries (HSFS get_inference_helper(s)), objects by default',
          params: ViewParams,
          body: Type.Object(
            { entries: Type.Array(Values, { minItems: 1, maxItems: MAX_ENTRIES }), returnType: Type.Optional(Type.Union([Type.Literal('list'), Type.Literal('object')], { description: 'default object' })) },
            { additionalProperties: false },
          ),
          response: { 200: Type.Object({ features: Type.Array(Type.Object({ name: Type.String(), type: Type.String() })), helpers: Type.Array(Type.Union([Type.Array(Type.Unknown()), Values])) }), 400: Error, 401: Error, 403: Error, 404: Error, 409: Error },
        },
      },
      async (request) => {
        const fv = await servingViewFor(ctx, request, request.params);
        const columns = fv.features.filter((f) => f.inferenceHelperColumn);
        const helpers = await fv.getInferenceHelpers(request.body.entries, { returnType: request.body.returnType ?? 'object', exactTimestamps: true });
        return {
          features: columns.map((c) => ({ name: c.name, type: formatFeatureType(c.type) })),
          helpers: helpers.map((h) => (Array.isArray(h) ? h.map((value, i) => jsonSafeValue(columns[i]!.type, value)) : jsonRow(columns, h))),
        };
      },
    );
  },
};

/**
 * Passed features in the canonical form of the feature they replace, read as JSON values are (source text, as an
 * insert's): a served vector then carries one form per type whoever gave the value. Names that are no looked-up
 * feature stay as they are (request parameters of on-demand features).
 */
function canonicalPassed(values: Record<string, unknown>, columns: readonly OfflineColumn[], entry: number): Record<string, unknown> {
  const out: Record<string, unknown> = { ...values };
  for (const column of columns) {
    if (!(column.name in values)) continue;
    try {
      out[column.name] = coercerFor(column.type, { source: 'text' })(values[column.name]);
    } catch (reason) {
      if (typeof reason !== 'string') throw reason;
      throw new InvalidArgumentError(`passedFeatures of entry ${entry}, feature ${column.name}: ${reason}`, { entry, feature: column.name, reason });
    }
  }
  return out;
}
