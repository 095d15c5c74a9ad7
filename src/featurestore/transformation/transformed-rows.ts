import type { Feature } from '../schema/feature.js';
import { FeatureTransformer } from './feature-transformer.js';
import type { TransformationStatistics } from './transformation-statistics.js';
import type { ViewTransformations } from './view-transformations.js';

/** The columns of a read's raw rows: each row its feature, label, then input values (see view-read.ts). */
export interface RawColumns {
  features: Feature[];
  labels: Feature[];
  inputs: Feature[];
}

/** A raw row as callers get it: its features (on-demand ones added, transformed) and its labels (transformed). */
export interface TransformedRow {
  features: unknown[];
  labels: unknown[];
}

/** What a read's rows become, column by column, and the function that makes one row so. */
export interface RowTransform {
  features: Feature[];
  labels: Feature[];
  apply(row: readonly unknown[]): TransformedRow;
}

/**
 * A view's on-demand features and transformations for the rows of a read, with the given statistics, through
 * FeatureTransformer: the code serving runs on feature vectors. Labels are transformed apart (a label encoder on the
 * label), without on-demand features; input-only columns are dropped. A row may carry more values after its
 * columns (a read's part): they are ignored.
 */
export function rowTransform(columns: RawColumns, view: ViewTransformations, statistics: TransformationStatistics): RowTransform {
  const featureCount = columns.features.length;
  const labelEnd = featureCount + columns.labels.length;
  if (view.onDemand.length === 0 && view.transformations.length === 0) {
    return {
      features: columns.features,
      labels: columns.labels,
      apply: (row) => ({ features: row.slice(0, featureCount), labels: row.slice(featureCount, labelEnd) }),
    };
  }
  const all = [...columns.features, ...columns.labels, ...columns.inputs];
  const features = new FeatureTransformer({ columns: all, keep: new Set(columns.features.map((f) => f.name)), onDemand: view.onDemand, transformations: view.transformations, statistics });
  const labels = new FeatureTransformer({ columns: all, keep: new Set(columns.labels.map((f) => f.name)), onDemand: [], transformations: view.transformations, statistics });
  return {
    features: [...features.outputFeatures],
    labels: [...labels.outputFeatures],
    apply: (row) => ({ features: features.transform(row), labels: labels.transform(row) }),
  };
}
