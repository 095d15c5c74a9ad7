import type { FeatureViewFeature } from '../../sdk/feature-view.js';
import type { Query } from '../query/query.js';

/** The column lists that give a view's columns their roles. */
export interface ViewColumnRoles {
  labels: readonly string[];
  inferenceHelperColumns: readonly string[];
  trainingHelperColumns: readonly string[];
}

/** Every column of a view's query, labels and helper columns included, in order, with what it is to the view. */
export function featureViewFeatures(query: Query, roles: ViewColumnRoles): FeatureViewFeature[] {
  return query.columns.map(({ feature: f, featureGroup }) => ({
    name: f.name,
    type: f.type,
    featureGroup,
    primary: f.primary,
    eventTime: f.eventTime,
    label: roles.labels.includes(f.name),
    inferenceHelperColumn: roles.inferenceHelperColumns.includes(f.name),
    trainingHelperColumn: roles.trainingHelperColumns.includes(f.name),
  }));
}
