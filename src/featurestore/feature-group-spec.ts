import { checkPartitionKey } from './offline/table/partitioning.js';
import { InvalidFeatureGroupError } from '../errors/featurestore-errors.js';
import { InvalidArgumentError } from '../errors/humle-error.js';
import type { Feature } from './schema/feature.js';
import { validateFeatureGroupSchema } from './schema/feature-schema.js';
import { parseFeatureType, type FeatureType } from './types/feature-type.js';

/** What `createFeatureGroup` takes, with HSFS's names. */
export interface FeatureGroupSpec {
  name: string;
  /** Default: one more than the newest existing version, or 1. */
  version?: number;
  description?: string;
  primaryKey: string[];
  /** The feature that says when a row's values became true (timestamp, date, or bigint epoch milliseconds). */
  eventTime?: string;
  partitionKey?: string[];
  /** Keep the latest row per primary key in the online store (default false, as HSFS). */
  onlineEnabled?: boolean;
  /** The schema; inferred from the first insert when omitted. */
  features?: { name: string; type: string | FeatureType; description?: string }[];
  statisticsConfig?: unknown;
  expectations?: unknown;
}

/** Feature group names: as feature names (they name online tables and directories), at most 63 characters. */
const GROUP_NAME = /^[a-z][a-z0-9_]{0,62}$/;

/** The checked parts of a spec: the name, the version (if given), the keys, and the features if given. */
export interface CheckedSpec {
  name: string;
  version: number | undefined;
  description: string;
  primaryKey: string[];
  eventTime: string | null;
  partitionKey: string[];
  onlineEnabled: boolean;
  features: Feature[];
}

function stringList(value: unknown, what: string): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) throw new InvalidFeatureGroupError(`${what} must be an array of feature names`, { [what]: value });
  return [...(value as string[])];
}

export function checkFeatureGroupSpec(spec: FeatureGroupSpec): CheckedSpec {
  if (typeof spec !== 'object' || spec === null) throw new InvalidArgumentError('a feature group spec must be an object');
  if (typeof spec.name !== 'string' || !GROUP_NAME.test(spec.name)) {
    throw new InvalidFeatureGroupError(
      'a feature group name has 1 to 63 lowercase letters, digits or underscores and starts with a letter',
      { name: typeof spec.name === 'string' ? spec.name.slice(0, 80) : typeof spec.name },
    );
  }
  if (spec.version !== undefined && (!Number.isInteger(spec.version) || spec.version < 1 || spec.version > 1_000_000)) {
    throw new InvalidFeatureGroupError('version must be a positive integer', { version: spec.version });
  }
  if (spec.description !== undefined && typeof spec.description !== 'string') throw new InvalidFeatureGroupError('description must be a string', {});
  const primaryKey = stringList(spec.primaryKey, 'primaryKey');
  if (primaryKey.length === 0) throw new InvalidFeatureGroupError('a feature group needs a primary key: name at least one feature in primaryKey', {});
  if (new Set(primaryKey).size !== primaryKey.length) throw new InvalidFeatureGroupError('primaryKey names a feature twice', { primaryKey });
  if (spec.eventTime !== undefined && spec.eventTime !== null && typeof spec.eventTime !== 'string') {
    throw new InvalidFeatureGroupError('eventTime must be a feature name', { eventTime: spec.eventTime });
  }
  const eventTime = spec.eventTime ?? null;
  if (eventTime !== null && primaryKey.includes(eventTime)) {
    throw new InvalidFeatureGroupError(`'${eventTime}' cannot be both the event time and part of the primary key`, { eventTime });
  }
  const partitionKey = stringList(spec.partitionKey, 'partitionKey');
  if (spec.onlineEnabled !== undefined && typeof spec.onlineEnabled !== 'boolean') throw new InvalidFeatureGroupError('onlineEnabled must be a boolean', {});
  let features: Feature[] = [];
  if (spec.features !== undefined) {
    if (!Array.isArray(spec.features)) throw new InvalidFeatureGroupError('features must be an array of { name, type, description? }', {});
    features = spec.features.map((f) => {
      if (typeof f !== 'object' || f === null) throw new InvalidFeatureGroupError('a feature must be an object with a name and a type', { feature: f });
      let type: FeatureType;
      try {
        type = typeof f.type === 'string' ? parseFeatureType(f.type) : f.type;
      } catch (error) {
        throw new InvalidFeatureGroupError(`feature '${String(f.name)}': ${(error as Error).message}`, { feature: f.name });
      }
      return {
        name: f.name,
        type,
        description: f.description ?? '',
        primary: primaryKey.includes(f.name),
        eventTime: f.name === eventTime,
        partition: partitionKey.includes(f.name),
      };
    });
    for (const name of [...primaryKey, ...(eventTime === null ? [] : [eventTime]), ...partitionKey]) {
      if (!features.some((f) => f.name === name)) throw new InvalidFeatureGroupError(`'${name}' is named as a key but is not among the features`, { feature: name });
    }
    validateFeatureGroupSchema(features);
    checkPartitionKey(features, partitionKey);
  }
  return {
    name: spec.name,
    version: spec.version,
    description: spec.description ?? '',
    primaryKey,
    eventTime,
    partitionKey,
    onlineEnabled: spec.onlineEnabled ?? false,
    features,
  };
}
