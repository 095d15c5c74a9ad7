import type { FeatureViewRecord } from '../featureview/feature-view-records.js';
import type { Feature } from '../schema/feature.js';
import type { ResolvedTransformation } from './feature-transformer.js';
import { resolveOnDemandFeature, type ResolvedOnDemandFeature } from './on-demand-feature.js';
import type { TransformationFunctionRegistry } from './transformation-registry.js';
import type { StatisticKind } from './transformation-statistics.js';

/** A view's on-demand features and model-dependent transformations with their functions resolved. */
export interface ViewTransformations {
  onDemand: ResolvedOnDemandFeature[];
  transformations: ResolvedTransformation[];
  /** Query columns they read: a read must fetch them even when it does not return them. */
  inputs: ReadonlySet<string>;
  /** What to compute over the train split, per feature. */
  statistics: ReadonlyMap<string, ReadonlySet<StatisticKind>>;
}

/**
 * Resolves the view's functions in the registry and checks them against the query's columns: an unknown function
 * throws TransformationFunctionNotFoundError, a function that cannot take its features (a scaler on a string)
 * InvalidTransformationError. Creating a view runs it, so a bad definition is refused before it is stored.
 */
export function viewTransformations(
  registry: TransformationFunctionRegistry,
  view: Pick<FeatureViewRecord, 'transformationFunctions' | 'onDemandFeatures'>,
  columns: readonly Feature[],
): ViewTransformations {
  const byName = new Map(columns.map((c) => [c.name, c]));
  const onDemand = view.onDemandFeatures.map((spec) => resolveOnDemandFeature(registry, spec));
  const transformations = view.transformationFunctions.map((spec): ResolvedTransformation => {
    const definition = registry.get(spec.name, spec.version ?? 1);
    definition.checkInputs(spec.features.map((name) => byName.get(name)!));
    return { definition, features: spec.features };
  });
  const statistics = new Map<string, Set<StatisticKind>>();
  for (const t of transformations) {
    for (const name of t.features) {
      const kinds = statistics.get(name) ?? new Set<StatisticKind>();
      for (const kind of t.definition.statistics) kinds.add(kind);
      statistics.set(name, kinds);
    }
  }
  const inputs = new Set([...onDemand.flatMap((o) => o.spec.features), ...transformations.flatMap((t) => t.features)]);
  return { onDemand, transformations, inputs, statistics };
}
