import type { SqlValue } from '../../db/engine.js';
import { InvalidServingKeyError, MissingServingKeyError, UnknownServingKeyError } from '../../errors/featurestore-errors.js';
import { toSqlFor } from '../online/online-table.js';
import { coercerFor } from '../types/value-coercion.js';
import type { ServingKey } from './serving-keys.js';

interface Slot {
  name: string;
  required: boolean;
  coerce: (value: unknown) => unknown;
  toSql: (value: unknown) => SqlValue;
}

/**
 * Turns entries (serving key name → value) into the parameters of a vector statement: one slot per distinct key name
 * (groups whose keys share a name, unprefixed, look up the same value), each checked and coerced like an inserted
 * value of its feature. A key that is not required reads as null when not given: the join then takes the left value.
 */
export class ServingEntries {
  readonly slots: readonly Slot[];
  private readonly byName: ReadonlyMap<string, number>;
  private readonly names: string[];

  constructor(keys: readonly ServingKey[]) {
    const slots: Slot[] = [];
    const byName = new Map<string, number>();
    for (const key of keys) {
      const existing = byName.get(key.name);
      if (existing !== undefined) {
        // A name required by one group is required of the entry.
        if (key.required) slots[existing]!.required = true;
        continue;
      }
      byName.set(key.name, slots.length);
      slots.push({ name: key.name, required: key.required, coerce: coercerFor(key.feature.type, { source: 'js' }), toSql: toSqlFor(key.feature.type) });
    }
    this.slots = slots;
    this.byName = byName;
    this.names = slots.map((s) => s.name);
  }

  /** The slot of a key name. */
  slotOf(name: string): number {
    return this.byName.get(name)!;
  }

  /**
   * Writes entry `index`'s values into `params` from `offset`, one per slot; refuses bad entries with typed errors.
   * `lenient`: a required key the entry lacks is written as null (its groups then find no row), as RonDB's REST server
   * reads an entry without a group's key as that group missing.
   */
  write(entry: unknown, index: number, params: SqlValue[], offset: number, lenient = false): void {
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
      throw new InvalidServingKeyError(`entry ${index}: an entry is an object of serving keys (${this.names.join(', ')})`, { entry: index, servingKeys: this.names });
    }
    const values = entry as Record<string, unknown>;
    for (const name in values) {
      if (!this.byName.has(name)) {
        throw new UnknownServingKeyError(`entry ${index}: ${name} is not a serving key of the view; its serving keys are ${this.names.join(', ')}`, {
          entry: index,
          key: name,
          servingKeys: this.names,
        });
      }
    }
    for (let s = 0; s < this.slots.length; s++) {
      const slot = this.slots[s]!;
      const value = values[slot.name];
      if (value === undefined || value === null) {
        if (slot.required && !lenient) throw new MissingServingKeyError(`entry ${index}: serving key ${slot.name} is required`, { entry: index, key: slot.name });
        params[offset + s] = null;
        continue;
      }
      let canonical: unknown;
      try {
        canonical = slot.coerce(value);
      } catch (reason) {
        const why = reason instanceof Error ? reason.message : String(reason);
        throw new InvalidServingKeyError(`entry ${index}, serving key ${slot.name}: ${why}`, { entry: index, key: slot.name, reason: why });
      }
      params[offset + s] = slot.toSql(canonical);
    }
  }
}
