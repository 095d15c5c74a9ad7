import type { ResolvedQuery } from '../query/resolved-query.js';
import type { Feature } from '../schema/feature.js';

/**
 * A serving key (HSFS `ServingKey`): a primary key feature of one of a view's feature groups, which an entry names
 * with the prefix of the group's join. A key that the group's join looks up from a left feature (HSFS `join_on`) is
 * not required: the left row gives it, unless the entry gives it.
 */
export interface ServingKey {
  /** What an entry calls it: the join's prefix and the feature's name. */
  name: string;
  source: number;
  /** The feature in its group. */
  feature: Feature;
  required: boolean;
  /** For a key that is not required: the left source and its feature whose value the join takes. */
  joinOn: { source: number; feature: string } | null;
}

/** Every source's primary key features, in source order and each group's key order. */
export function servingKeysOf(query: ResolvedQuery): ServingKey[] {
  const keys: ServingKey[] = [];
  for (const source of query.sources) {
    const join = query.joins.find((j) => j.right === source.index);
    for (const feature of source.record.features) {
      if (!feature.primary) continue;
      const k = join === undefined ? -1 : join.rightOn.findIndex((f) => f.name === feature.name);
      keys.push({
        name: source.prefix + feature.name,
        source: source.index,
        feature,
        required: k < 0,
        joinOn: k < 0 ? null : { source: join!.left, feature: join!.leftOn[k]!.name },
      });
    }
  }
  return keys;
}
