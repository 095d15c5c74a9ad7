import type { FeatureStoreContext } from '../../featurestore-context.js';
import type { FeatureGroupRecord } from '../../metadata/feature-group-records.js';
import { keyOfRow, recordKeyIndexes } from '../../records/record-key.js';
import type { Feature } from '../../schema/feature.js';
import { quoteIdentifier } from '../duckdb/duckdb-sql-quoting.js';
import { DataFiles, type DataFile } from './data-files.js';
import { SnapshotReader, type ReadStatement } from './snapshot-reader.js';

/** The column that carries each row's commit version inside the change statement (no feature can be named so by accident). */
const VERSION = 'humle_change_version';
/** Orders an update's pre-image before its post-image inside the change statement. */
const IMAGE = 'humle_change_image';

/** Delta's change data feed names for the kinds of change. */
export type ChangeKind = 'insert' | 'update_preimage' | 'update_postimage' | 'delete';

export interface ChangeRow {
  kind: ChangeKind;
  /** The commit (Delta version) that made the change. */
  commitVersion: number;
  /** Canonical values in the features' order. */
  row: unknown[];
}

/**
 * The changes between two versions of an offline table, from the data files that differ: files live at the start
 * and removed by the end hold the records as they were; files added after the start and live at the end hold them
 * as they are. A record in both with equal values was only copied by a copy-on-write rewrite and is no change.
 */
export class ChangeReader {
  private readonly files = new DataFiles();
  private readonly snapshots: SnapshotReader;

  constructor(
    private readonly ctx: FeatureStoreContext,
    private readonly record: FeatureGroupRecord,
  ) {
    this.snapshots = new SnapshotReader(ctx, record);
  }

  /** Changes made by the commits after `after` up to and including `upTo`. */
  async read(after: number, upTo: number): Promise<{ features: Feature[]; changes: ChangeRow[] }> {
    const { features, before, now } = await this.changedFiles(after, upTo);
    const keyIndexes = recordKeyIndexes(features);
    const beforeRows = await this.rowsWithFiles(before, features);
    const afterRows = await this.rowsWithFiles(now, features);
    const previous = new Map<string, { row: unknown[]; file: DataFile }>();
    for (const entry of beforeRows) previous.set(keyOfRow(entry.row, keyIndexes), entry);
    const changes: ChangeRow[] = [];
    const seen = new Set<string>();
    for (const { row, file } of afterRows) {
      const key = keyOfRow(row, keyIndexes);
      seen.add(key);
      const old = previous.get(key);
      if (old === undefined) changes.push({ kind: 'insert', commitVersion: file.addedVersion, row });
      else if (!sameValues(old.row, row)) {
        changes.push({ kind: 'update_preimage', commitVersion: file.addedVersion, row: old.row });
        changes.push({ kind: 'update_postimage', commitVersion: file.addedVersion, row });
      }
    }
    for (const [key, { row, file }] of previous) {
      if (!seen.has(key)) changes.push({ kind: 'delete', commitVersion: file.removedVersion!, row });
    }
    changes.sort((a, b) => a.commitVersion - b.commitVersion);
    return { features, changes };
  }

  /**
   * What read finds, as one DuckDB statement for a reader elsewhere (the server's answer workers): the features'
   * columns, then _change_type and _commit_version, commit by commit, each in `orderBy` order (feature names,
   * ascending, nulls first), an update's pre-image before its post-image. DuckDB joins the files' rows by record key
   * and sorts on its own threads, spilling to disk past its memory limit, so no change is held in JavaScript.
   * No statement when no file differs.
   */
  async statement(after: number, upTo: number, orderBy: readonly string[]): Promise<{ features: Feature[]; statement: ReadStatement | null }> {
    const { features, before, now } = await this.changedFiles(after, upTo);
    if (before.length === 0 && now.length === 0) return { features, statement: null };
    const keyIndexes = recordKeyIndexes(features);
    const keys = keyIndexes.map((i) => quoteIdentifier(features[i]!.name));
    const values = features.map((f) => quoteIdentifier(f.name));
    const others = features.filter((_, i) => !keyIndexes.includes(i)).map((f) => quoteIdentifier(f.name));
    const sameKey = keys.map((k) => `b.${k} IS NOT DISTINCT FROM a.${k}`).join(' AND ') || 'true';
    // As sameValues: a record in both with equal values was only copied by a rewrite.
    const changed = others.map((c) => `b.${c} IS DISTINCT FROM a.${c}`).join(' OR ') || 'false';
    const of = (alias: string) => values.map((v) => `${alias}.${v}`).join(', ');
    const image = (alias: string, kind: ChangeKind, version: string, order: number) =>
      `SELECT ${of(alias)}, '${kind}' AS _change_type, CAST(${version} AS BIGINT) AS _commit_version, ${order} AS ${IMAGE}`;
    const sql =
      `WITH b AS (${this.versioned(before, features, (f) => f.removedVersion!)}), a AS (${this.versioned(now, features, (f) => f.addedVersion)}) ` +
      `SELECT ${values.join(', ')}, _change_type, _commit_version FROM (` +
      `${image('a', 'insert', `a.${VERSION}`, 1)} FROM a WHERE NOT EXISTS (SELECT 1 FROM b WHERE ${sameKey}) UNION ALL ` +
      `${image('b', 'update_preimage', `a.${VERSION}`, 0)} FROM b JOIN a ON ${sameKey} WHERE ${changed} UNION ALL ` +
      `${image('a', 'update_postimage', `a.${VERSION}`, 1)} FROM b JOIN a ON ${sameKey} WHERE ${changed} UNION ALL ` +
      `${image('b', 'delete', `b.${VERSION}`, 1)} FROM b WHERE NOT EXISTS (SELECT 1 FROM a WHERE ${sameKey})` +
      `) ORDER BY _commit_version, ${[...orderBy.map((name) => `${quoteIdentifier(name)} ASC NULLS FIRST`), IMAGE].join(', ')}`;
    return { features, statement: { sql, failure: this.snapshots.failureOf([...before, ...now]) } };
  }

  /**
   * The schema at `upTo`, and the files the commits after `after` up to `upTo` changed: those live at `after` and
   * removed since (`before`), those added since and still live at `upTo` (`now`).
   */
  private async changedFiles(after: number, upTo: number): Promise<{ features: Feature[]; before: DataFile[]; now: DataFile[] }> {
    const features = await this.snapshots.featuresAt(upTo);
    const { added, removed } = await this.ctx.engine.read((tx) => this.files.changedBetween(tx, this.record.id, after, upTo));
    return { features, before: removed.filter((f) => f.addedVersion <= after), now: added.filter((f) => f.removedVersion === null || f.removedVersion > upTo) };
  }

  /** The rows of some files, each with the commit version `versionOf` gives its file (files of one version read together). */
  private versioned(files: readonly DataFile[], features: readonly Feature[], versionOf: (file: DataFile) => number): string {
    const byVersion = new Map<number, DataFile[]>();
    for (const file of files) byVersion.set(versionOf(file), [...(byVersion.get(versionOf(file)) ?? []), file]);
    const parts = [...byVersion].map(([version, group]) => `SELECT *, ${version} AS ${VERSION} FROM ${this.snapshots.relationOf(group, features)}`);
    return parts.length === 0 ? `SELECT *, CAST(NULL AS BIGINT) AS ${VERSION} FROM ${this.snapshots.relationOf([], features)}` : parts.join(' UNION ALL ');
  }

  private async rowsWithFiles(files: readonly DataFile[], features: readonly Feature[]): Promise<{ row: unknown[]; file: DataFile }[]> {
    const out: { row: unknown[]; file: DataFile }[] = [];
    for (const file of files) for (const row of await this.snapshots.readFiles([file], features, (values) => values)) out.push({ row, file });
    return out;
  }
}

function sameValues(a: readonly unknown[], b: readonly unknown[]): boolean {
  for (let i = 0; i < a.length; i++) if (!sameValue(a[i] ?? null, b[i] ?? null)) return false;
  return true;
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Buffer.isBuffer(a) && Buffer.isBuffer(b)) return a.equals(b);
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => v === b[i]);
  return false;
}
