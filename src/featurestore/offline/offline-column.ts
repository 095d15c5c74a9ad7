import type { FeatureType } from '../types/feature-type.js';

/**
 * A column of an offline table as the file layer sees it: a name and a feature type. Rows handed to or read from
 * the file layer are arrays of canonical values (see `FeatureType`) in the order of such a column list.
 */
export interface OfflineColumn {
  readonly name: string;
  readonly type: FeatureType;
}
