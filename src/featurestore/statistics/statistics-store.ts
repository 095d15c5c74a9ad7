import type { Dialect } from '../../db/dialect.js';
import type { Transaction } from '../../db/engine.js';
import { InvalidArgumentError } from '../../errors/humle-error.js';
import type { FeatureGroupStatistics } from './feature-statistics.js';

/** Statistics as recorded for one commit of a feature group. */
export interface StoredStatistics {
  fgId: number;
  /** The commit (Delta version) whose snapshot they describe. */
  commitId: number;
  /** Epoch milliseconds. */
  computedAt: number;
  statistics: FeatureGroupStatistics;
}

function fromRow(r: unknown[]): StoredStatistics {
  return { fgId: Number(r[0]), commitId: Number(r[1]), computedAt: Number(r[2]), statistics: JSON.parse(r[3] as string) as FeatureGroupStatistics };
}

/**
 * The SQL for `fg_statistics`: one row per feature group commit, the statistics as one JSON document (they are read
 * whole and never queried inside). Methods take the caller's transaction, so statistics can be recorded in the
 * unit that records the commit, or in a unit of their own afterwards.
 */
export class StatisticsStore {
  constructor(private readonly dialect: Dialect) {}

  /** Records the statistics of a commit; statistics computed again for the same commit (on demand) replace them. */
  async save(tx: Transaction, fgId: number, commitId: number, statistics: FeatureGroupStatistics): Promise<void> {
    await tx.run(this.dialect.upsert('fg_statistics', ['fg_id', 'commit_id', 'computed_at', 'content'], ['fg_id', 'commit_id'], ['computed_at', 'content']), [
      fgId,
      commitId,
      statistics.computedAt,
      JSON.stringify(statistics),
    ]);
  }

  /**
   * The statistics of exactly `commitId`, or of the newest commit that has statistics when it is omitted; undefined
   * when there are none (statistics disabled for that commit, or never computed). Statistics of an older commit
   * are not offered for a newer one: they describe other data.
   */
  async get(tx: Transaction, fgId: number, commitId?: number): Promise<StoredStatistics | undefined> {
    const rows =
      commitId === undefined
        ? await tx.rows('SELECT fg_id, commit_id, computed_at, content FROM fg_statistics WHERE fg_id = ? ORDER BY commit_id DESC LIMIT 1', [fgId])
        : await tx.rows('SELECT fg_id, commit_id, computed_at, content FROM fg_statistics WHERE fg_id = ? AND commit_id = ?', [fgId, commitId]);
    return rows.length === 0 ? undefined : fromRow(rows[0]!);
  }

  /** Newest commit first, at most `limit`. */
  async list(tx: Transaction, fgId: number, limit = 100): Promise<StoredStatistics[]> {
    if (!Number.isSafeInteger(limit) || limit < 1) throw new InvalidArgumentError('limit must be a positive integer', { limit });
    const rows = await tx.rows('SELECT fg_id, commit_id, computed_at, content FROM fg_statistics WHERE fg_id = ? ORDER BY commit_id DESC LIMIT ?', [fgId, limit]);
    return rows.map(fromRow);
  }
}
