import type { FeatureStoreContext } from '../featurestore-context.js';
import type { FeatureViewRecord } from '../featureview/feature-view-records.js';
import { currentRecords } from '../query/query-inputs.js';
import { resolveQuery } from '../query/resolved-query.js';
import { VectorPlan } from './vector-plan.js';
import { VectorServer } from './vector-server.js';
import { identityTransform } from './vector-transform.js';
import type { FeatureTransformer } from '../transformation/feature-transformer.js';

export interface ServingOptions {
  /**
   * The training dataset version whose transformation statistics the model-dependent transformations use (HSFS
   * `init_serving(training_dataset_version)`); kept for the transform.
   */
  trainingDatasetVersion?: number;
}

/**
 * Prepares a view for serving (HSFS `init_serving`): its query resolved against the groups' current metadata, the
 * vector plan, the online store's lookups, and the transform applied to every vector.
 */
export async function initServing(
  ctx: FeatureStoreContext,
  view: FeatureViewRecord,
  options: ServingOptions,
  /**
   * The view's model-dependent transformations and on-demand features for vectors of these columns, with the
   * statistics of `options.trainingDatasetVersion`; undefined when the view has none.
   */
  transformerFor: (columns: readonly string[]) => Promise<FeatureTransformer | undefined>,
): Promise<VectorServer> {
  const query = resolveQuery(view.query, await currentRecords(ctx, view.query));
  const plan = new VectorPlan(ctx.engine.dialect, view, query);
  const transformer = await transformerFor(plan.vector.map((p) => plan.columns[p]!.name));
  const transform = transformer === undefined ? identityTransform : (vector: unknown[], passed?: Record<string, unknown>) => transformer.transform(vector, passed);
  return new VectorServer(plan, await ctx.rowLookups(), transform, transformer?.outputFeatures, options.trainingDatasetVersion);
}
