import type { FeatureStoreContext } from '../featurestore-context.js';
import type { FeatureViewRecord } from '../featureview/feature-view-records.js';
import { currentRecords } from '../query/query-inputs.js';
import { resolveQuery } from '../query/resolved-query.js';
import { VectorPlan } from './vector-plan.js';
import { VectorServer } from './vector-server.js';
import { identityTransform } from './vector-transform.js';

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
export async function initServing(ctx: FeatureStoreContext, view: FeatureViewRecord, options: ServingOptions): Promise<VectorServer> {
  const query = resolveQuery(view.query, await currentRecords(ctx, view.query));
  const plan = new VectorPlan(ctx.engine.dialect, view, query);
  // The transformation hook: model-dependent transformations and on-demand features of the view (with the statistics
  // of options.trainingDatasetVersion) replace the identity here.
  const transform = identityTransform;
  return new VectorServer(plan, await ctx.rowLookups(), transform, options.trainingDatasetVersion);
}
