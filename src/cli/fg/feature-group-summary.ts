import type { StoredFeature } from '../../featurestore/schema/feature.js';

/** What a feature plays in its group, for the text of `describe`. */
export function featureRoles(feature: StoredFeature): string {
  const roles: string[] = [];
  if (feature.primary) roles.push('primary key');
  if (feature.eventTime) roles.push('event time');
  if (feature.partition) roles.push('partition');
  return roles.join(', ');
}
