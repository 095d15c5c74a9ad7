import type { OfflineColumn } from '../../featurestore/offline/offline-column.js';
import { floatText } from '../../featurestore/records/ndjson-text.js';
import type { FeatureType } from '../../featurestore/types/feature-type.js';
import { toJsonSafeValue, type JsonValue } from '../../featurestore/types/json-safe-value.js';

/**
 * A row as a JSON object, by one rule for every answer of the server (statistics and validation reports carry
 * values the same way, see toJsonSafeValue): what JSON.parse reads back exactly. Floats are the shortest decimal of
 * their float32, as the CLI writes them, rather than the widened double's digits.
 */
export function jsonRow(columns: readonly OfflineColumn[], row: Readonly<Record<string, unknown>>): Record<string, JsonValue> {
  const out: Record<string, JsonValue> = {};
  for (const column of columns) out[column.name] = jsonSafeValue(column.type, row[column.name]);
  return out;
}

/** One value by that rule. */
export function jsonSafeValue(type: FeatureType, value: unknown): JsonValue {
  if (value === null || value === undefined) return null;
  if (type.kind === 'float') return Number(floatText(value as number));
  if (type.kind === 'array' && type.element.kind === 'float') return (value as number[]).map((v) => Number(floatText(v)));
  return toJsonSafeValue(type, value);
}
