import { Type, type Static } from 'typebox';
import type { VectorRequestOptions } from './served-view.js';

/** RonDB's request fields; `metadataOptions`, `options` and `passedFeatures` may be null or absent, as HSFS sends them. */
const MetadataOptions = Type.Union([Type.Object({ featureName: Type.Optional(Type.Boolean()), featureType: Type.Optional(Type.Boolean()) }), Type.Null()]);
const Options = Type.Union([Type.Object({ validatePassedFeatures: Type.Optional(Type.Boolean()), includeDetailedStatus: Type.Optional(Type.Boolean()) }), Type.Null()]);
const Entry = Type.Record(Type.String(), Type.Unknown());
const Passed = Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()]);
const Common = {
  featureStoreName: Type.String({ minLength: 1, maxLength: 200 }),
  featureViewName: Type.String({ minLength: 1, maxLength: 200 }),
  featureViewVersion: Type.Integer({ minimum: 1 }),
  metadataOptions: Type.Optional(MetadataOptions),
  options: Type.Optional(Options),
};

/** POST /0.1.0/feature_store */
export const FeatureStoreRequest = Type.Object({ ...Common, entries: Entry, passedFeatures: Type.Optional(Passed) });
export type FeatureStoreRequest = Static<typeof FeatureStoreRequest>;

/** POST /0.1.0/batch_feature_store: entries and passed features per vector, in request order. */
export const BatchFeatureStoreRequest = Type.Object({
  ...Common,
  entries: Type.Array(Entry),
  passedFeatures: Type.Optional(Type.Union([Type.Array(Passed), Type.Null()])),
});
export type BatchFeatureStoreRequest = Static<typeof BatchFeatureStoreRequest>;

/** The flags of a request (RonDB: each false unless given). */
export function vectorRequestOptions(request: FeatureStoreRequest | BatchFeatureStoreRequest): VectorRequestOptions {
  return {
    featureName: request.metadataOptions?.featureName === true,
    featureType: request.metadataOptions?.featureType === true,
    validatePassedFeatures: request.options?.validatePassedFeatures === true,
    includeDetailedStatus: request.options?.includeDetailedStatus === true,
  };
}
