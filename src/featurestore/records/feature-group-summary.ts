import type { FeatureGroup } from '../../sdk/feature-group.js';
import { toStored, type StoredFeature } from '../schema/feature.js';

/**
 * A feature group as `humle fg create` and `describe` print it with --json and the REST API answers it (with more):
 * types in their HSFS text form (`decimal(10,2)`).
 */
export interface FeatureGroupSummary {
  name: string;
  version: number;
  description: string;
  primaryKey: string[];
  eventTime: string | null;
  partitionKey: string[];
  onlineEnabled: boolean;
  /** The offline table's directory in humle fs. */
  location: string;
  /** The online table's name in the database; null when the group is offline only. */
  onlineTable: string | null;
  /** Empty until the first insert when the schema is inferred. */
  features: StoredFeature[];
}

export function featureGroupSummary(fg: FeatureGroup): FeatureGroupSummary {
  return {
    name: fg.name,
    version: fg.version,
    description: fg.description,
    primaryKey: [...fg.primaryKey],
    eventTime: fg.eventTime,
    partitionKey: [...fg.partitionKey],
    onlineEnabled: fg.onlineEnabled,
    location: fg.location,
    onlineTable: fg.onlineTable,
    features: fg.features.map(toStored),
  };
}
