import type { FeatureGroupSpec } from '../featurestore/feature-group-spec.js';
import type { FeatureViewSpec } from '../featurestore/featureview/feature-view-spec.js';
import type { FeatureGroup } from './feature-group.js';
import type { FeatureView } from './feature-view.js';

/** A project's feature store (HSFS `FeatureStore`), embedded or on a server: its feature groups and feature views. */
export interface FeatureStore {
  /** `<project>_featurestore`, as Hopsworks names it. */
  readonly name: string;
  /** Creates a feature group version (the next one when the spec has no version). */
  createFeatureGroup(spec: FeatureGroupSpec): Promise<FeatureGroup>;
  /** A feature group version; the newest version when `version` is omitted (FeatureGroupNotFoundError otherwise). */
  getFeatureGroup(name: string, version?: number): Promise<FeatureGroup>;
  /** The given version (or the newest) if it exists, else a new one from `spec`. */
  getOrCreateFeatureGroup(spec: FeatureGroupSpec): Promise<FeatureGroup>;
  /** Every version of `name`, or every feature group of the project. */
  getFeatureGroups(name?: string): Promise<FeatureGroup[]>;
  /**
   * Creates a feature view version: the same definition again returns the existing version, another one is refused
   * (FeatureViewExistsError); without a version, the next one.
   */
  createFeatureView(spec: FeatureViewSpec): Promise<FeatureView>;
  /** A feature view version; the newest when `version` is omitted. */
  getFeatureView(name: string, version?: number): Promise<FeatureView>;
  /** The newest version with this definition, else a new version (with `version`: that version, created if missing). */
  getOrCreateFeatureView(spec: FeatureViewSpec): Promise<FeatureView>;
  /** Every version of `name`, or every feature view of the project. */
  getFeatureViews(name?: string): Promise<FeatureView[]>;
}
