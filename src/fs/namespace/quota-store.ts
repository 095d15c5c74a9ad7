import type { Dialect } from '../../db/dialect.js';
import type { Transaction } from '../../db/engine.js';
import { NamespaceQuotaExceededError, SpaceQuotaExceededError } from '../../errors/fs-errors.js';
import type { Inode } from '../inode.js';

/** HDFS's "no quota" value. */
export const NO_QUOTA = -1;

export interface QuotaRow {
  inodeId: number;
  nsQuota: number;
  dsQuota: number;
  nsUsed: number;
  dsUsed: number;
}

/**
 * Directory quotas as HDFS keeps them: on the quota directory, the names (files and directories, itself included)
 * and the bytes (length × replication) below it. Every operation that adds or removes names or bytes charges the
 * quota directories among its ancestors in the same transaction, refusing the operation if a limit would be passed.
 */
export class QuotaStore {
  constructor(private readonly dialect: Dialect) {}

  async get(tx: Transaction, inodeId: number): Promise<QuotaRow | undefined> {
    const r = await tx.get<{ inode_id: number; ns_quota: number; ds_quota: number; ns_used: number; ds_used: number }>(
      'SELECT inode_id, ns_quota, ds_quota, ns_used, ds_used FROM fs_quotas WHERE inode_id = ?',
      [inodeId],
    );
    return r && { inodeId: Number(r.inode_id), nsQuota: Number(r.ns_quota), dsQuota: Number(r.ds_quota), nsUsed: Number(r.ns_used), dsUsed: Number(r.ds_used) };
  }

  async all(tx: Transaction): Promise<QuotaRow[]> {
    const rows = await tx.all<{ inode_id: number; ns_quota: number; ds_quota: number; ns_used: number; ds_used: number }>(
      'SELECT inode_id, ns_quota, ds_quota, ns_used, ds_used FROM fs_quotas',
    );
    return rows.map((r) => ({ inodeId: Number(r.inode_id), nsQuota: Number(r.ns_quota), dsQuota: Number(r.ds_quota), nsUsed: Number(r.ns_used), dsUsed: Number(r.ds_used) }));
  }

  /** Adds `nsDelta` names and `dsDelta` bytes to every quota directory in `dirs`; checks limits when growing. */
  async charge(tx: Transaction, dirs: readonly Inode[], nsDelta: number, dsDelta: number, path: string): Promise<void> {
    if (nsDelta === 0 && dsDelta === 0) return;
    const quotaDirs = dirs.filter((d) => d.hasQuota);
    if (quotaDirs.length === 0) return;
    const ids = quotaDirs.map((d) => d.id).sort((a, b) => a - b);
    const rows = await tx.all<{ inode_id: number; ns_quota: number; ds_quota: number; ns_used: number; ds_used: number }>(
      `SELECT inode_id, ns_quota, ds_quota, ns_used, ds_used FROM fs_quotas WHERE inode_id IN (${ids.map(() => '?').join(',')}) ORDER BY inode_id${this.dialect.forUpdate}`,
      ids,
    );
    for (const r of rows) {
      const nsQuota = Number(r.ns_quota);
      const dsQuota = Number(r.ds_quota);
      if (nsDelta > 0 && nsQuota !== NO_QUOTA && Number(r.ns_used) + nsDelta > nsQuota) {
        throw new NamespaceQuotaExceededError(
          `The NameSpace quota (directories and files) is exceeded: quota=${nsQuota} file count=${Number(r.ns_used) + nsDelta} (path ${path})`,
          { path, quota: nsQuota, used: Number(r.ns_used) },
        );
      }
      if (dsDelta > 0 && dsQuota !== NO_QUOTA && Number(r.ds_used) + dsDelta > dsQuota) {
        throw new SpaceQuotaExceededError(
          `The DiskSpace quota is exceeded: quota=${dsQuota} B, diskspace consumed would be ${Number(r.ds_used) + dsDelta} B (path ${path})`,
          { path, quota: dsQuota, used: Number(r.ds_used) },
        );
      }
    }
    await tx.run(`UPDATE fs_quotas SET ns_used = ns_used + ?, ds_used = ds_used + ? WHERE inode_id IN (${ids.map(() => '?').join(',')})`, [
      nsDelta,
      dsDelta,
      ...ids,
    ]);
  }

  async set(tx: Transaction, row: QuotaRow): Promise<void> {
    await tx.run(this.dialect.upsert('fs_quotas', ['inode_id', 'ns_quota', 'ds_quota', 'ns_used', 'ds_used'], ['inode_id'], ['ns_quota', 'ds_quota', 'ns_used', 'ds_used']), [
      row.inodeId,
      row.nsQuota,
      row.dsQuota,
      row.nsUsed,
      row.dsUsed,
    ]);
  }

  async remove(tx: Transaction, inodeId: number): Promise<void> {
    await tx.run('DELETE FROM fs_quotas WHERE inode_id = ?', [inodeId]);
  }
}
