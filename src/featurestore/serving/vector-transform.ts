/**
 * What happens to a feature vector between the online store and the caller: model-dependent transformations (with
 * the statistics of the training dataset version given to `initServing`) and on-demand features (computed from
 * `passedFeatures`, which then also carry request parameters). It takes the vector in the view's feature order,
 * after passed features replaced looked-up values, and returns the vector to hand out in that order; it may change
 * the vector in place. Until transformations exist it is the identity.
 */
export type VectorTransform = (vector: unknown[], passedFeatures?: Record<string, unknown>) => unknown[];

export const identityTransform: VectorTransform = (vector) => vector;
