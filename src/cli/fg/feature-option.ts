import { UsageError } from '../usage-error.js';

/** One `--feature` of `humle fg create`, as createFeatureGroup takes it. */
export interface FeatureOption {
  name: string;
  type: string;
  description?: string;
}

/**
 * Parses `name:type[:description]`. Types never contain a colon (`decimal(10,2)`, `array<double>`), so the first
 * colon ends the name and the second the type; the description is the rest and may contain colons. Whether the type
 * exists is the feature store's to say (one list of types, one message).
 */
export function parseFeatureOption(text: string): FeatureOption {
  const first = text.indexOf(':');
  if (first <= 0) throw new UsageError(`--feature takes name:type[:description], such as amount:double, not ${JSON.stringify(text)}`, { feature: text });
  const name = text.slice(0, first).trim();
  const rest = text.slice(first + 1);
  const second = rest.indexOf(':');
  const type = (second === -1 ? rest : rest.slice(0, second)).trim();
  if (name === '' || type === '') throw new UsageError(`--feature takes name:type[:description], such as amount:double, not ${JSON.stringify(text)}`, { feature: text });
  return second === -1 ? { name, type } : { name, type, description: rest.slice(second + 1) };
}

/** Commander's collector for a repeated option: every `--feature` in the order given. */
export function collectFeatureOption(text: string, previous: FeatureOption[] = []): FeatureOption[] {
  return [...previous, parseFeatureOption(text)];
}
