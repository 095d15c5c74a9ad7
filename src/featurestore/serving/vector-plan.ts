import type { Dialect } from '../../db/dialect.js';
import type { LookupStatement } from '../../db/row-lookups.js';
import { FeatureViewNotServableError } from '../../errors/featurestore-errors.js';
import type { FeatureViewRecord } from '../featureview/feature-view-records.js';
import { fromSqlFor, onlineTableName, type FromSql } from '../online/online-table.js';
import type { OutputColumn, ResolvedQuery } from '../query/resolved-query.js';
import type { FeatureType } from '../types/feature-type.js';
import { ServingEntries } from './serving-entry.js';
import { servingKeysOf, type ServingKey } from './serving-keys.js';

/** Entries per statement (a longer batch takes several). */
export const MAX_ENTRIES_PER_STATEMENT = 256;
/** Past this many entries statements grow by this step, not by doubling. */
const PADDING_STEP = 16;

/**
 * The statement size that serves `count` entries: 1, 2, 4, 8, 16, then multiples of 16 up to 256, the only sizes
 * ever prepared (20 statements per view). Padding repeats an entry, so it costs lookups: doubling would make a batch
 * of 100 run 128 (28 % more), steps of 16 make it 112.
 */
export function paddedSize(count: number): number {
  if (count > PADDING_STEP) return Math.ceil(count / PADDING_STEP) * PADDING_STEP;
  let size = 1;
  while (size < count) size *= 2;
  return size;
}

/** A column the statement returns for each entry, in the view's order. */
export interface PlanColumn {
  name: string;
  type: FeatureType;
  /** The source whose row holds it; -1 when the entry gives it (a required serving key). */
  source: number;
  /** The serving key that gives it, when the entry does. */
  entryKey: string | null;
  fromSql: FromSql;
}

/**
 * How a view's feature vectors are read from the online store, worked out once per view: ONE statement per padded
 * batch size joins the entries (a derived table of parameter rows) to each feature group's online table on its
 * primary key, left to right, so a join derived from a left feature (HSFS `join_on`) looks up the value the left row
 * holds. Each entry gives at most one row (every table is joined on its whole primary key), tagged with the entry's
 * position, so order and duplicates come back as asked. One statement reads one snapshot: the groups of a vector agree.
 *
 * A row holds: the entry's position, then per source a found mark (its first key column, null when the group has no
 * row), then the columns. Query filters and ttl do not apply online (as in Hopsworks, where the online store keeps
 * the latest row per key); neither do joins on features that are not a primary key of the right group.
 */
export class VectorPlan {
  readonly keys: readonly ServingKey[];
  readonly entries: ServingEntries;
  /**
   * Every column of the view but its labels, in the view's order: what RonDB's REST server answers for a vector
   * (src/server/rondb), helper columns included.
   */
  readonly columns: readonly PlanColumn[];
  /** Positions in `columns` of the feature vector (helper columns left out, as HSFS serving does). */
  readonly vector: readonly number[];
  /** Positions in `columns` of the inference helper columns. */
  readonly helpers: readonly number[];
  /** Per source: the feature group's name, for errors and statuses. */
  readonly sourceNames: readonly string[];
  /** Per source: the feature group's id (RonDB's detailed status names groups by id). */
  readonly sourceIds: readonly number[];
  /** Where each row's columns start, after the position and the found marks. */
  readonly firstColumn: number;
  private readonly statements: LookupStatement[] = [];
  private readonly served: readonly OutputColumn[];

  constructor(
    private readonly dialect: Dialect,
    view: FeatureViewRecord,
    private readonly query: ResolvedQuery,
  ) {
    for (const source of query.sources) {
      if (!source.record.onlineEnabled) {
        throw new FeatureViewNotServableError(
          `feature view ${view.name} version ${view.version} reads feature group ${source.record.name} version ${source.record.version}, which is not online-enabled: feature vectors come from online tables`,
          { featureView: view.name, version: view.version, featureGroup: source.record.name },
        );
      }
    }
    this.keys = servingKeysOf(query);
    this.entries = new ServingEntries(this.keys);
    const served = (this.served = query.output.filter((c) => !view.labels.includes(c.feature.name)));
    this.columns = served.map((c) => {
      const key = this.keys.find((k) => k.required && k.source === c.source && k.feature.name === c.sourceFeature);
      return {
        name: c.feature.name,
        type: c.feature.type,
        source: key === undefined ? c.source : -1,
        entryKey: key === undefined ? null : key.name,
        fromSql: fromSqlFor(c.feature.type),
      };
    });
    const helper = (name: string) => view.inferenceHelperColumns.includes(name) || view.trainingHelperColumns.includes(name);
    this.vector = served.flatMap((c, i) => (helper(c.feature.name) ? [] : [i]));
    this.helpers = served.flatMap((c, i) => (view.inferenceHelperColumns.includes(c.feature.name) ? [i] : []));
    this.sourceNames = query.sources.map((s) => s.record.name);
    this.sourceIds = query.sources.map((s) => s.record.id);
    this.firstColumn = 1 + query.sources.length;
  }

  /** Parameters per entry: its position, then one per serving key slot. */
  get width(): number {
    return 1 + this.entries.slots.length;
  }

  /** The statement for `size` entries (a `paddedSize`), built once. */
  statement(size: number): LookupStatement {
    return (this.statements[size] ??= { sql: this.sql(size) });
  }

  private sql(size: number): string {
    const q = (name: string) => this.dialect.quote(name);
    const slot = (name: string) => `e.k${this.entries.slotOf(name)}`;
    const entryColumns = ['? AS i', ...this.entries.slots.map((_, s) => `? AS k${s}`)].join(', ');
    const entryRow = `SELECT ${this.entries.slots.map(() => '?, ').join('')}?`;
    const entryRows = [`SELECT ${entryColumns}`, ...Array.from({ length: size - 1 }, () => entryRow)].join(' UNION ALL ');
    const select = ['e.i'];
    const joins: string[] = [];
    for (const source of this.query.sources) {
      const t = `t${source.index}`;
      const keys = this.keys.filter((k) => k.source === source.index);
      select.push(`${t}.${q(keys[0]!.feature.name)}`);
      const on = keys.map((k) => {
        const column = `${t}.${q(k.feature.name)}`;
        // A key the entry may leave out: the left row's value, unless the entry gives one.
        return k.joinOn === null ? `${column} = ${slot(k.name)}` : `${column} = COALESCE(${slot(k.name)}, t${k.joinOn.source}.${q(k.joinOn.feature)})`;
      });
      joins.push(`LEFT JOIN ${onlineTableName(source.record.projectId, source.record.name, source.record.version)} ${t} ON ${on.join(' AND ')}`);
    }
    this.served.forEach((c, i) => {
      const entryKey = this.columns[i]!.entryKey;
      const own = `t${c.source}.${q(c.sourceFeature)}`;
      // After a right or full join a key shared by name is the first non-null of both sides (as offline).
      const value =
        entryKey !== null ? slot(entryKey) : c.coalesce.length === 0 ? own : `COALESCE(${own}, ${c.coalesce.map((o) => `t${o.source}.${q(o.feature)}`).join(', ')})`;
      select.push(c.feature.type.kind === 'bigint' ? this.dialect.exactInteger(value) : value);
    });
    return `SELECT ${select.join(', ')} FROM (${entryRows}) e ${joins.join(' ')}`;
  }
}
