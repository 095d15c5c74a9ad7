import { InvalidTransformationError } from '../../errors/featurestore-errors.js';
import type { Feature } from '../schema/feature.js';
import type { ResolvedOnDemandFeature } from './on-demand-feature.js';
import type { PreparedTransformation, TransformationFunctionDefinition } from './transformation-function.js';
import type { TransformationStatistics } from './transformation-statistics.js';

/** A model-dependent transformation of a view with its function resolved. */
export interface ResolvedTransformation {
  definition: TransformationFunctionDefinition;
  /** The view's columns it takes, in argument order. */
  features: readonly string[];
}

export interface FeatureTransformerPlan {
  /** The columns of the vectors `transform` takes, in order. */
  columns: readonly Feature[];
  /** The columns to return (others are read only as inputs); all when omitted. */
  keep?: ReadonlySet<string>;
  onDemand: readonly ResolvedOnDemandFeature[];
  transformations: readonly ResolvedTransformation[];
  statistics: TransformationStatistics;
}

type Slot = { copy: number } | { apply: PreparedTransformation; args: unknown[]; from: readonly number[]; width: number };

/**
 * The one function that turns raw feature values into model input, for training data and serving alike, so both
 * apply the same code with the same statistics. Prepared once (functions chosen, statistics bound, positions
 * computed); `transform` then allocates only the array it returns.
 *
 * The output: the kept columns in order, the on-demand features after them, and each transformation's outputs in
 * place of its inputs (at the first input's position; its inputs are dropped, as HSFS drops them). A transformation
 * none of whose inputs is among the kept columns is not applied.
 */
export class FeatureTransformer {
  /** Names of the vector `transform` takes. */
  readonly inputNames: readonly string[];
  /** Names of the vector it returns (and of the object `transformObject` returns). */
  readonly outputNames: readonly string[];
  /** The returned columns with their types. */
  readonly outputFeatures: readonly Feature[];
  private readonly width: number;
  private readonly scratch: unknown[];
  private readonly onDemand: { compute: PreparedTransformation; args: unknown[]; from: readonly number[]; names: readonly string[] }[];
  private readonly slots: Slot[];

  constructor(plan: FeatureTransformerPlan) {
    const columns = plan.columns;
    this.inputNames = columns.map((c) => c.name);
    this.width = columns.length;
    const extended: Feature[] = [...columns, ...plan.onDemand.map((o) => o.feature)];
    const position = new Map(extended.map((f, i) => [f.name, i]));
    this.scratch = new Array<unknown>(extended.length);
    this.onDemand = plan.onDemand.map((o) => ({
      compute: o.compute,
      args: new Array<unknown>(o.spec.features.length),
      // -1: not in the vector; only a request parameter gives it.
      from: o.spec.features.map((name) => position.get(name) ?? -1),
      names: o.spec.features,
    }));
    const kept = extended.filter((f, i) => i >= columns.length || plan.keep === undefined || plan.keep.has(f.name));
    const keptNames = new Set(kept.map((f) => f.name));
    const owners = new Map<string, ResolvedTransformation[]>();
    for (const t of plan.transformations) {
      const present = t.features.filter((name) => keptNames.has(name));
      if (present.length === 0) continue;
      if (present.length < t.features.length) {
        const missing = t.features.filter((name) => !keptNames.has(name));
        throw new InvalidTransformationError(`${t.definition.name} takes ${t.features.join(', ')}, and ${missing.join(', ')} is not among the columns`, { function: t.definition.name, missing });
      }
      for (const name of t.features) owners.set(name, [...(owners.get(name) ?? []), t]);
    }
    const outputs: Feature[] = [];
    this.slots = [];
    const emitted = new Set<ResolvedTransformation>();
    for (const feature of kept) {
      const mine = owners.get(feature.name);
      if (mine === undefined) {
        this.slots.push({ copy: position.get(feature.name)! });
        outputs.push(feature);
        continue;
      }
      for (const t of mine) {
        if (emitted.has(t)) continue;
        emitted.add(t);
        const stats = t.features.map((name) => plan.statistics[name] ?? { count: 0 });
        const types = t.definition.outputTypes(stats);
        const base = `${t.definition.outputPrefix}_${t.features.join('_')}`;
        types.forEach((type, i) => outputs.push({ name: types.length === 1 ? base : `${base}_${i}`, type, description: '', primary: false, eventTime: false, partition: false }));
        this.slots.push({ apply: t.definition.prepare(stats), args: new Array<unknown>(t.features.length), from: t.features.map((name) => position.get(name)!), width: types.length });
      }
    }
    this.outputFeatures = outputs;
    this.outputNames = outputs.map((f) => f.name);
  }

  /**
   * The model input of one raw vector (values in `inputNames` order); the vector is not changed. Request parameters
   * (passed features), by name, replace the vector's values as inputs of on-demand features.
   */
  transform(vector: readonly unknown[], requestParameters?: Readonly<Record<string, unknown>>): unknown[] {
    const values = this.scratch;
    for (let i = 0; i < this.width; i++) values[i] = vector[i] ?? null;
    for (let k = 0; k < this.onDemand.length; k++) {
      const o = this.onDemand[k]!;
      for (let a = 0; a < o.from.length; a++) {
        const name = o.names[a]!;
        o.args[a] = requestParameters !== undefined && Object.hasOwn(requestParameters, name) ? requestParameters[name] : o.from[a]! === -1 ? null : values[o.from[a]!];
      }
      o.compute(o.args, values, this.width + k);
    }
    const out = new Array<unknown>(this.outputNames.length);
    let at = 0;
    for (const slot of this.slots) {
      if ('copy' in slot) {
        out[at++] = values[slot.copy];
        continue;
      }
      for (let a = 0; a < slot.from.length; a++) slot.args[a] = values[slot.from[a]!];
      slot.apply(slot.args, out, at);
      at += slot.width;
    }
    return out;
  }

  /** As `transform`, for a row object keyed by `inputNames` (missing ones are null), returning one keyed by `outputNames`. */
  transformObject(row: Readonly<Record<string, unknown>>, requestParameters?: Readonly<Record<string, unknown>>): Record<string, unknown> {
    const out = this.transform(
      this.inputNames.map((name) => row[name] ?? null),
      requestParameters,
    );
    const result: Record<string, unknown> = {};
    for (let i = 0; i < out.length; i++) result[this.outputNames[i]!] = out[i];
    return result;
  }
}
