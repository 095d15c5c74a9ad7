import type { FeatureStoreContext } from '../../featurestore-context.js';
import type { FeatureGroupRecord } from '../../metadata/feature-group-records.js';
import { keyOfRow, recordKeyIndexes } from '../../records/record-key.js';
import type { Feature } from '../../schema/feature.js';
import { DataFiles, type DataFile } from './data-files.js';
import { SnapshotReader } from './snapshot-reader.js';

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
    const features = await this.snapshots.featuresAt(upTo);
    const { added, removed } = await this.ctx.engine.read((tx) => this.files.changedBetween(tx, this.record.id, after, upTo));
    const before = removed.filter((f) => f.addedVersion <= after);
    const now = added.filter((f) => f.removedVersion === null || f.removedVersion > upTo);
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
