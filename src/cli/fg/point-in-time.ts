import type { PointInTime } from '../../sdk/feature-group.js';
import { InvalidArgumentError } from '../../errors/humle-error.js';
import { parsePointInTime as parsePointInTimeText } from '../../featurestore/offline/table/point-in-time-text.js';
import { UsageError } from '../usage-error.js';

/** A point of a feature group's history as an option gives it (see point-in-time-text.ts); a bad one is a usage error. */
export function parsePointInTime(text: string, option: string): PointInTime {
  try {
    return parsePointInTimeText(text, option);
  } catch (error) {
    if (error instanceof InvalidArgumentError) throw new UsageError(error.message, error.details);
    throw error;
  }
}
