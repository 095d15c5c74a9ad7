import { InvalidFeatureGroupError } from '../../errors/featurestore-errors.js';
import type { FeatureType } from '../types/feature-type.js';
import { formatFeatureType, parseFeatureType } from '../types/feature-type.js';

/** One column of a feature group. Plain data: safe to copy, compare and cache. */
export interface Feature {
  name: string;
  type: FeatureType;
  description: string;
  /** Part of the primary key (never null). */
  primary: boolean;
  /** The feature group's event time (never null); at most one feature has it. */
  eventTime: boolean;
  /** A partition column of the offline table. */
  partition: boolean;
}

/** A feature as the metadata database and the REST API hold it: the type in its HSFS text form (`decimal(10,2)`). */
export interface StoredFeature {
  name: string;
  type: string;
  description: string;
  primary: boolean;
  eventTime: boolean;
  partition: boolean;
}

/** A feature with the defaults a new feature has: no description, not a key, not the event time, not a partition. */
export function feature(name: string, type: FeatureType | string, flags: Partial<Omit<Feature, 'name' | 'type'>> = {}): Feature {
  return {
    name,
    type: typeof type === 'string' ? parseFeatureType(type) : type,
    description: flags.description ?? '',
    primary: flags.primary ?? false,
    eventTime: flags.eventTime ?? false,
    partition: flags.partition ?? false,
  };
}

export function toStored(f: Feature): StoredFeature {
  return { name: f.name, type: formatFeatureType(f.type), description: f.description, primary: f.primary, eventTime: f.eventTime, partition: f.partition };
}

/** Reads a stored feature back; anything malformed is refused as a bad definition, not half-read. */
export function fromStored(stored: StoredFeature): Feature {
  if (typeof stored !== 'object' || stored === null || typeof stored.name !== 'string' || typeof stored.type !== 'string') {
    throw new InvalidFeatureGroupError('a stored feature needs a name and a type', { feature: stored });
  }
  let type: FeatureType;
  try {
    type = parseFeatureType(stored.type);
  } catch (error) {
    throw new InvalidFeatureGroupError(`feature '${stored.name}': ${(error as Error).message}`, { feature: stored.name, type: stored.type });
  }
  return {
    name: stored.name,
    type,
    description: typeof stored.description === 'string' ? stored.description : '',
    primary: stored.primary === true,
    eventTime: stored.eventTime === true,
    partition: stored.partition === true,
  };
}

/** Whether a null (or missing) value is allowed: everything but the primary key and the event time. */
export function isNullable(f: Feature): boolean {
  return !f.primary && !f.eventTime;
}
