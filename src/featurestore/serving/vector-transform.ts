/**
 * What happens to a feature vector between the online store and the caller: model-dependent transformations (with
 * the statistics of the training dataset version given to `initServing`) and on-demand features (computed from
 * `passedFeatures`, which then also carry request parameters). It takes the vector in the view's feature order,
 * after passed features replaced looked-up values, and returns the vector to hand out (the view's FeatureTransformer
 * when it has functions, see init-serving.ts; the identity otherwise).
 */
export type VectorTransform = (vector: unknown[], passedFeatures?: Record<string, unknown>) => unknown[];

export const identityTransform: VectorTransform = (vector) => vector;
