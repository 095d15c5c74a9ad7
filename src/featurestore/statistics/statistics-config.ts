import { InvalidStatisticsConfigError } from '../../errors/featurestore-errors.js';
import type { Feature } from '../schema/feature.js';

/**
 * What statistics a feature group computes per commit: HSFS's `statistics_config`
 * (`{enabled, histograms, correlations, exact_uniqueness, columns}`), with camelCase names.
 */
export interface StatisticsConfig {
  /** Compute statistics at all (default true). */
  readonly enabled: boolean;
  /** Equal-width histograms of numeric features (default true). */
  readonly histograms: boolean;
  /** Pearson correlation between every pair of numeric features (default false: quadratic in their number). */
  readonly correlations: boolean;
  /** Exact distinct count, distinctness, uniqueness and entropy per feature (default false: a GROUP BY per feature). */
  readonly exactUniqueness: boolean;
  /** The features to describe; empty means all of them, as in HSFS. */
  readonly columns: readonly string[];
}

export const DEFAULT_STATISTICS_CONFIG: StatisticsConfig = Object.freeze({
  enabled: true,
  histograms: true,
  correlations: false,
  exactUniqueness: false,
  columns: Object.freeze([]) as readonly string[],
});

/** Keys accepted, each with the config field it sets: HSFS's snake_case spelling is read as well. */
const KEYS: Record<string, keyof StatisticsConfig> = {
  enabled: 'enabled',
  histograms: 'histograms',
  correlations: 'correlations',
  exactUniqueness: 'exactUniqueness',
  exact_uniqueness: 'exactUniqueness',
  columns: 'columns',
};

/**
 * Reads a user's statistics configuration: undefined or null for the defaults, `true`/`false` for the defaults
 * enabled or disabled (HSFS accepts a bare boolean), or an object with any of the fields. With `features`, the
 * columns must name features of the group; without (a schema still to be inferred), only their form is checked.
 * Anything malformed throws InvalidStatisticsConfigError; nothing is silently dropped.
 */
export function parseStatisticsConfig(input: unknown, features?: readonly Feature[]): StatisticsConfig {
  if (input === undefined || input === null) return DEFAULT_STATISTICS_CONFIG;
  if (typeof input === 'boolean') return { ...DEFAULT_STATISTICS_CONFIG, enabled: input };
  if (typeof input !== 'object' || Array.isArray(input)) {
    throw new InvalidStatisticsConfigError('a statistics config is an object {enabled, histograms, correlations, exactUniqueness, columns} or a boolean', {
      config: typeof input,
    });
  }
  const fields: { -readonly [K in keyof StatisticsConfig]?: StatisticsConfig[K] } = {};
  for (const [key, value] of Object.entries(input as Record<string, unknown>)) {
    const field = KEYS[key];
    if (field === undefined) {
      throw new InvalidStatisticsConfigError(`unknown statistics config key '${key}': use enabled, histograms, correlations, exactUniqueness or columns`, { key });
    }
    if (field in fields) throw new InvalidStatisticsConfigError(`the statistics config sets ${field} twice ('${key}')`, { key });
    if (value === undefined) continue;
    if (field === 'columns') fields.columns = parseColumns(value, features);
    else if (typeof value === 'boolean') fields[field] = value;
    else throw new InvalidStatisticsConfigError(`statistics config '${key}' must be a boolean`, { key, value: typeof value });
  }
  return { ...DEFAULT_STATISTICS_CONFIG, ...fields };
}

function parseColumns(value: unknown, features: readonly Feature[] | undefined): readonly string[] {
  if (!Array.isArray(value) || value.some((c) => typeof c !== 'string')) {
    throw new InvalidStatisticsConfigError('statistics config columns must be an array of feature names', {});
  }
  const columns = value as string[];
  if (new Set(columns).size !== columns.length) throw new InvalidStatisticsConfigError('statistics config columns name a feature twice', { columns });
  if (features !== undefined && features.length > 0) {
    for (const name of columns) {
      if (!features.some((f) => f.name === name)) {
        throw new InvalidStatisticsConfigError(`statistics config column '${name}' is not a feature of the group`, { column: name });
      }
    }
  }
  return [...columns];
}

/** The features a config describes, in feature order: all of them when `columns` is empty. */
export function featuresToDescribe(config: StatisticsConfig, features: readonly Feature[]): Feature[] {
  if (config.columns.length === 0) return [...features];
  const wanted = new Set(config.columns);
  // A configured column missing from `features` (statistics of a commit older than the feature) is skipped.
  return features.filter((f) => wanted.has(f.name));
}
