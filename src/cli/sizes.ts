import { UsageError } from './usage-error.js';

const PREFIXES = ['k', 'm', 'g', 't', 'p', 'e'] as const;

/**
 * Parses a byte count as Hadoop's command lines take it (TraditionalBinaryPrefix): `1024`, `10g`, `1.5m`; the
 * suffixes are binary (k = 1024). `what` names the value in the error message.
 */
export function parseSize(text: string, what: string): number {
  const match = /^(\d+(?:\.\d+)?)([kmgtpe])?b?$/i.exec(text.trim());
  if (match === null) throw new UsageError(`${what} must be a number of bytes such as 1024, 64m or 10g, not ${JSON.stringify(text)}`, { [what]: text });
  const power = match[2] === undefined ? 0 : PREFIXES.indexOf(match[2].toLowerCase() as (typeof PREFIXES)[number]) + 1;
  const value = Math.floor(Number(match[1]) * 1024 ** power);
  if (!Number.isSafeInteger(value)) throw new UsageError(`${what} is too large: ${text}`, { [what]: text });
  return value;
}

/** A non-negative integer count (no size suffix makes sense for it). */
export function parseCount(text: string, what: string): number {
  if (!/^\d+$/.test(text.trim())) throw new UsageError(`${what} must be a non-negative integer, not ${JSON.stringify(text)}`, { [what]: text });
  const value = Number(text);
  if (!Number.isSafeInteger(value)) throw new UsageError(`${what} is too large: ${text}`, { [what]: text });
  return value;
}

/**
 * Formats a byte count the way `hdfs dfs -du -h` does (TraditionalBinaryPrefix.long2String with one decimal):
 * `100`, `1.5 K`, `2 M`, so scripts written against hdfs read the same columns.
 */
export function formatSize(bytes: number): string {
  if (bytes < 0) return '-' + formatSize(-bytes);
  if (bytes < 1024) return String(bytes);
  let power = 1;
  while (power < PREFIXES.length && bytes >= 1024 ** (power + 1)) power++;
  let unit = 1024 ** power;
  if (bytes % unit === 0) return `${bytes / unit} ${PREFIXES[power - 1]!.toUpperCase()}`;
  let text = (bytes / unit).toFixed(1);
  if (text.startsWith('1024') && power < PREFIXES.length) {
    power++;
    unit *= 1024;
    text = (bytes / unit).toFixed(1);
  }
  return `${text} ${PREFIXES[power - 1]!.toUpperCase()}`;
}
