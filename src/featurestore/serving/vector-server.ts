import type { SqlValue } from '../../db/engine.js';
import type { RowLookups } from '../../db/row-lookups.js';
import { FeatureVectorMissingError } from '../../errors/featurestore-errors.js';
import { InvalidArgumentError } from '../../errors/humle-error.js';
import type { OfflineColumn } from '../offline/offline-column.js';
import type { FromSql } from '../online/online-table.js';
import type { RowPresentation } from '../records/row-presentation.js';
import { MAX_ENTRIES_PER_STATEMENT, paddedSize, type VectorPlan } from './vector-plan.js';
import type { VectorTransform } from './vector-transform.js';

export type VectorReturnType = 'list' | 'object';
/** A vector as a list in the view's feature order, or an object of feature name → value. */
export type VectorOf<R extends VectorReturnType> = R extends 'object' ? Record<string, unknown> : unknown[];
/** COMPLETE: every feature group had a row (or passed features stood in); MISSING: some had none, its features are null. */
export type VectorStatus = 'COMPLETE' | 'MISSING';

export interface VectorReadOptions<R extends VectorReturnType> extends RowPresentation {
  /** 'list' (default, as HSFS) or 'object'. */
  returnType?: R;
  /** Return a vector whose feature groups lack a row, with nulls (status MISSING); by default it is refused. */
  allowMissing?: boolean;
}

export interface FeatureVectorOptions<R extends VectorReturnType = 'list'> extends VectorReadOptions<R> {
  /** Values that replace the looked-up features of the same names (HSFS `passed_features`); other names are ignored. */
  passedFeatures?: Record<string, unknown>;
}

export interface FeatureVectorsOptions<R extends VectorReturnType = 'list'> extends VectorReadOptions<R> {
  /** Passed features per entry, in the entries' order. */
  passedFeatures?: readonly (Record<string, unknown> | undefined)[];
}

/** How `VectorServer.lookup` treats entries. */
export interface RowLookupOptions {
  /** A required serving key the entry lacks reads as null, so its groups find no row, instead of refusing the entry. */
  lenientKeys?: boolean;
  /**
   * Takes the error of each entry that is refused (an unknown key, a value of the wrong type): the other entries are
   * still read and the refused one's row finds nothing. Without it, one bad entry refuses the whole call.
   */
  refused?: (index: number, error: unknown) => void;
}

export interface VectorWithStatus<R extends VectorReturnType = 'list'> {
  vector: VectorOf<R>;
  status: VectorStatus;
}

/** The columns one kind of answer takes (the feature vector, or the inference helpers), with what a row must have for them. */
interface ColumnSet {
  positions: readonly number[];
  names: readonly string[];
  /** Sources that hold some of these columns, and which (indexes into positions). */
  needs: readonly { source: number; columns: readonly number[] }[];
}

const toDate = (fromSql: FromSql): FromSql => (v) => {
  const value = fromSql(v);
  return value === null ? null : new Date(Math.floor(Number(value) / 1000));
};

/**
 * Serves a view's feature vectors and inference helpers from the online store: entries become the parameters of the
 * view's vector statement (one per 256 entries), rows become vectors in the view's order, passed features replace
 * looked-up values, missing rows are refused or given as nulls, and the transform hook runs last.
 */
export class VectorServer {
  /** The columns looked up for a vector, in the view's order: what passed features replace. */
  readonly lookedUpColumns: readonly OfflineColumn[];
  /** The columns of a served vector: the looked-up ones, or the transform's outputs when the view has one. */
  readonly servedColumns: readonly OfflineColumn[];
  private readonly transformedNames: readonly string[] | undefined;
  private readonly exactReaders: FromSql[];
  private readonly dateReaders: FromSql[];
  private readonly vectorColumns: ColumnSet;
  private readonly helperColumns: ColumnSet;

  constructor(
    readonly plan: VectorPlan,
    private readonly lookups: RowLookups,
    /** Where model-dependent transformations and on-demand features apply (see VectorTransform). */
    private readonly transform: VectorTransform,
    /** The columns of a transformed vector, when the transform renames or adds them. */
    transformedColumns: readonly OfflineColumn[] | undefined,
    /** The training dataset version whose transformation statistics the transform uses (HSFS `init_serving`). */
    readonly trainingDatasetVersion: number | undefined,
  ) {
    this.exactReaders = plan.columns.map((c) => c.fromSql);
    this.dateReaders = plan.columns.map((c) => (c.type.kind === 'timestamp' ? toDate(c.fromSql) : c.fromSql));
    this.vectorColumns = this.columnSet(plan.vector);
    this.helperColumns = this.columnSet(plan.helpers);
    this.lookedUpColumns = plan.vector.map((p) => ({ name: plan.columns[p]!.name, type: plan.columns[p]!.type }));
    this.servedColumns = transformedColumns ?? this.lookedUpColumns;
    this.transformedNames = transformedColumns?.map((c) => c.name);
  }

  /** The feature vector of one entry with its status: one lookup of one entry, no batch bookkeeping. */
  async vector<R extends VectorReturnType>(entry: unknown, options: VectorReadOptions<R>, passed: Record<string, unknown> | undefined): Promise<VectorWithStatus<R>> {
    const params: SqlValue[] = new Array(this.plan.width);
    params[0] = 0;
    this.plan.entries.write(entry, 0, params, 1);
    const found = this.lookups.rows(this.plan.statement(1), params);
    const rows = Array.isArray(found) ? found : await found;
    return this.answer(rows[0]!, 0, entry, this.vectorColumns, options, passed, true) as VectorWithStatus<R>;
  }

  /** Feature vectors of the entries, in their order, with their statuses. */
  async vectors<R extends VectorReturnType>(
    entries: readonly unknown[],
    options: VectorReadOptions<R>,
    passed: readonly (Record<string, unknown> | undefined)[] | undefined,
  ): Promise<VectorWithStatus<R>[]> {
    if (passed !== undefined && (!Array.isArray(passed) || passed.length !== entries.length)) {
      throw new InvalidArgumentError('passedFeatures of a batch is an array with one object (or undefined) per entry', { entries: entries.length });
    }
    const rows = await this.lookup(entries);
    return rows.map((row, i) => this.answer(row, i, entries[i], this.vectorColumns, options, passed?.[i], true) as VectorWithStatus<R>);
  }

  /** Inference helper columns of the entries (HSFS `get_inference_helper`), objects by default. */
  async helpers<R extends VectorReturnType>(entries: readonly unknown[], options: VectorReadOptions<R>): Promise<VectorOf<R>[]> {
    const rows = await this.lookup(entries);
    return rows.map((row, i) => this.answer(row, i, entries[i], this.helperColumns, { ...options, returnType: options.returnType ?? 'object' }, undefined, false).vector as VectorOf<R>);
  }

  private answer(
    row: SqlValue[],
    index: number,
    entry: unknown,
    set: ColumnSet,
    options: VectorReadOptions<VectorReturnType>,
    passed: Record<string, unknown> | undefined,
    transform: boolean,
  ): VectorWithStatus<VectorReturnType> {
    const readers = options.exactTimestamps === true ? this.exactReaders : this.dateReaders;
    const first = this.plan.firstColumn;
    const { positions, names } = set;
    let vector: unknown[] = new Array(positions.length);
    for (let c = 0; c < positions.length; c++) {
      const p = positions[c]!;
      const v = row[first + p]!;
      vector[c] = v === null ? null : readers[p]!(v);
    }
    if (passed !== undefined) {
      for (let c = 0; c < names.length; c++) if (names[c]! in passed) vector[c] = passed[names[c]!];
    }
    let missing: string[] | undefined;
    for (const need of set.needs) {
      if (row[1 + need.source] !== null) continue;
      if (passed !== undefined && need.columns.every((c) => names[c]! in passed)) continue;
      (missing ??= []).push(this.plan.sourceNames[need.source]!);
    }
    if (missing !== undefined && options.allowMissing !== true) {
      throw new FeatureVectorMissingError(
        `entry ${index}: no online row in feature group${missing.length > 1 ? 's' : ''} ${missing.join(', ')} for ${JSON.stringify(entry, (_, v) => (typeof v === 'bigint' ? `${v}` : v))}; pass allowMissing to get nulls, or pass the features`,
        { entry: index, keys: entry as Record<string, unknown>, featureGroups: missing },
      );
    }
    let keys = names;
    if (transform) {
      vector = this.transform(vector, passed);
      keys = this.transformedNames ?? names;
    }
    const status: VectorStatus = missing === undefined ? 'COMPLETE' : 'MISSING';
    if (options.returnType !== 'object') return { vector, status };
    const object: Record<string, unknown> = {};
    for (let c = 0; c < keys.length; c++) object[keys[c]!] = vector[c];
    return { vector: object, status };
  }

  /**
   * The online rows of the entries, in their order, untransformed: per row the entry's position, a found mark per
   * source (null when the group has no row), then `plan.columns`. For callers that read rows themselves (the
   * RonDB-compatible REST API, src/server/rondb).
   */
  async lookup(entries: readonly unknown[], options: RowLookupOptions = {}): Promise<SqlValue[][]> {
    if (!Array.isArray(entries)) throw new InvalidArgumentError('entries is an array of objects of serving keys', {});
    const out: SqlValue[][] = new Array(entries.length);
    const pending: Promise<void>[] = [];
    for (let start = 0; start < entries.length; start += MAX_ENTRIES_PER_STATEMENT) {
      const count = Math.min(MAX_ENTRIES_PER_STATEMENT, entries.length - start);
      const size = paddedSize(count);
      const width = this.plan.width;
      const params: SqlValue[] = new Array(size * width);
      for (let k = 0; k < count; k++) {
        params[k * width] = start + k;
        this.write(entries[start + k], start + k, params, k * width + 1, options);
      }
      // Padding repeats the last entry, position included: its row lands where the entry's own does.
      for (let k = count; k < size; k++) for (let c = 0; c < width; c++) params[k * width + c] = params[(count - 1) * width + c]!;
      const rows = this.lookups.rows(this.plan.statement(size), params);
      if (Array.isArray(rows)) place(out, rows);
      else pending.push(rows.then((r) => place(out, r)));
    }
    if (pending.length > 0) await Promise.all(pending);
    return out;
  }

  private write(entry: unknown, index: number, params: SqlValue[], offset: number, options: RowLookupOptions): void {
    if (options.refused === undefined) return this.plan.entries.write(entry, index, params, offset, options.lenientKeys);
    try {
      this.plan.entries.write(entry, index, params, offset, options.lenientKeys);
    } catch (error) {
      options.refused(index, error);
      // Null keys match no row: the refused entry's row comes back with nothing found.
      for (let s = 0; s < this.plan.entries.slots.length; s++) params[offset + s] = null;
    }
  }

  private columnSet(positions: readonly number[]): ColumnSet {
    const needs = new Map<number, number[]>();
    positions.forEach((p, c) => {
      const source = this.plan.columns[p]!.source;
      if (source >= 0) needs.set(source, [...(needs.get(source) ?? []), c]);
    });
    return {
      positions,
      names: positions.map((p) => this.plan.columns[p]!.name),
      needs: [...needs].map(([source, columns]) => ({ source, columns })),
    };
  }
}

function place(out: SqlValue[][], rows: SqlValue[][]): void {
  for (const row of rows) out[Number(row[0])] = row;
}
