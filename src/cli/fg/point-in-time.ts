import type { PointInTime } from '../../featurestore/feature-group.js';
import { UsageError } from '../usage-error.js';

/**
 * A point of a feature group's history as the command line writes it. Commander hands every option over as text,
 * so the two kinds are told apart here: digits alone are a commit id (`--as-of 3`), anything else is a time in
 * ISO-8601 (`--as-of 2026-01-01T12:00:00Z`; without a zone, local time). A year alone would be read as a commit
 * id, which is why times need at least a month.
 */
export function parsePointInTime(text: string, option: string): PointInTime {
  const trimmed = text.trim();
  if (/^\d+$/.test(trimmed)) {
    const commitId = Number(trimmed);
    if (!Number.isSafeInteger(commitId)) throw new UsageError(`${option}: commit id ${trimmed} is too large`, { [option]: text });
    return commitId;
  }
  if (!/^\d{4}-\d{2}/.test(trimmed) || Number.isNaN(Date.parse(trimmed))) {
    throw new UsageError(`${option} takes a commit id (digits) or an ISO-8601 time such as 2026-01-01T12:00:00Z, not ${JSON.stringify(text)}`, {
      [option]: text,
    });
  }
  return trimmed;
}
