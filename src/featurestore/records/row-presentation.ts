import type { OfflineColumn } from '../offline/offline-column.js';

/** How rows are handed to callers. */
export interface RowPresentation {
  /**
   * Timestamps as exact microseconds since the epoch (numbers, bigints past 2^53) instead of Dates, which keep only
   * milliseconds. Default false.
   */
  exactTimestamps?: boolean;
}

/** A canonical row (values in feature order) as the object a caller gets: feature name → value. */
export function presentRow(features: readonly OfflineColumn[], row: readonly unknown[], options: RowPresentation = {}): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const exact = options.exactTimestamps === true;
  for (let i = 0; i < features.length; i++) {
    const feature = features[i]!;
    const value = row[i] ?? null;
    out[feature.name] = !exact && feature.type.kind === 'timestamp' && value !== null ? new Date(Math.floor(Number(value) / 1000)) : value;
  }
  return out;
}
