import { InvalidArgumentError } from '../../../errors/humle-error.js';
import type { PointInTime } from './version-resolution.js';

/**
 * A point of a feature group's history written as text (a command-line option, a URL query parameter): digits alone
 * are a commit id (`3`), anything else is an ISO-8601 time (`2026-01-01T12:00:00Z`; without a zone, local time). A
 * year alone would be read as a commit id, which is why times need at least a month. `what` names the option or
 * parameter in the error.
 */
export function parsePointInTime(text: string, what: string): PointInTime {
  const trimmed = text.trim();
  if (/^\d+$/.test(trimmed)) {
    const commitId = Number(trimmed);
    if (!Number.isSafeInteger(commitId)) throw new InvalidArgumentError(`${what}: commit id ${trimmed} is too large`, { [what]: text });
    return commitId;
  }
  if (!/^\d{4}-\d{2}/.test(trimmed) || Number.isNaN(Date.parse(trimmed))) {
    throw new InvalidArgumentError(`${what} takes a commit id (digits) or an ISO-8601 time such as 2026-01-01T12:00:00Z, not ${JSON.stringify(text)}`, {
      [what]: text,
    });
  }
  return trimmed;
}
