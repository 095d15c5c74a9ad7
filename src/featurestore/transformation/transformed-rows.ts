import type { Feature } from '../schema/feature.js';
import { FeatureTransformer } from './feature-transformer.js';
import type { TransformationStatistics } from './transformation-statistics.js';
import type { ViewTransformations } from './view-transformations.js';

/** Rows of a view read as callers get them: features (on-demand ones added, transformed) and labels (transformed). */
export interface TransformedRows {
  features: Feature[];
  labels: Feature[];
  parts: { features: unknown[][]; labels: unknown[][] }[];
}

/** Raw rows of a read: each row its feature, label, then input values (see view-read.ts). */
export interface RawRows {
  features: Feature[];
  labels: Feature[];
  inputs: Feature[];
  parts: unknown[][][];
}

/**
 * Applies a view's on-demand features and transformations to the rows of a read, with the given statistics, through
 * FeatureTransformer: the code serving runs on feature vectors. Labels are transformed apart (a label encoder on the
 * label), without on-demand features; input-only columns are dropped.
 */
export function transformRows(rows: RawRows, view: ViewTransformations, statistics: TransformationStatistics): TransformedRows {
  const columns = [...rows.features, ...rows.labels, ...rows.inputs];
  const featureCount = rows.features.length;
  const labelEnd = featureCount + rows.labels.length;
  if (view.onDemand.length === 0 && view.transformations.length === 0) {
    return {
      features: rows.features,
      labels: rows.labels,
      parts: rows.parts.map((part) => ({ features: part.map((r) => r.slice(0, featureCount)), labels: part.map((r) => r.slice(featureCount, labelEnd)) })),
    };
  }
  const features = new FeatureTransformer({ columns, keep: new Set(rows.features.map((f) => f.name)), onDemand: view.onDemand, transformations: view.transformations, statistics });
  const labels = new FeatureTransformer({ columns, keep: new Set(rows.labels.map((f) => f.name)), onDemand: [], transformations: view.transformations, statistics });
  return {
    features: [...features.outputFeatures],
    labels: [...labels.outputFeatures],
    parts: rows.parts.map((part) => ({ features: part.map((r) => features.transform(r)), labels: part.map((r) => labels.transform(r)) })),
  };
}
