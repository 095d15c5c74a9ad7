import type { Transaction } from '../../db/engine.js';
import { LeaseHeldError } from '../../errors/fs-errors.js';
import type { FsCore } from '../fs-core.js';
import type { Inode } from '../inode.js';

/**
 * Single-writer leases, as HDFS has them: a file being written is under construction and its lease names the
 * writer, who renews it while writing. Another writer is refused while the lease is fresh; once the holder has been
 * silent past the soft limit the lease is recovered: the file keeps the bytes of its last successful close (a
 * writer's bytes are only published by its closing transaction) and the new writer takes over.
 */
export async function isLeaseLive(core: FsCore, tx: Transaction, inode: Inode): Promise<boolean> {
  if (!inode.underConstruction) return false;
  const row = await tx.get<{ renewed_at: number }>('SELECT renewed_at FROM fs_leases WHERE inode_id = ?', [inode.id]);
  return row !== undefined && core.now() - Number(row.renewed_at) <= core.limits.leaseSoftLimitMs;
}

export async function assertNoLiveLease(core: FsCore, tx: Transaction, inode: Inode, path: string, holder?: string): Promise<void> {
  if (inode.underConstruction && inode.leaseHolder !== holder && (await isLeaseLive(core, tx, inode))) {
    throw new LeaseHeldError(`${path} is being written by ${inode.leaseHolder}`, { path, holder: inode.leaseHolder });
  }
}

export async function takeLease(core: FsCore, tx: Transaction, inode: Inode, path: string, holder: string): Promise<void> {
  await assertNoLiveLease(core, tx, inode, path, holder);
  await core.inodes.setUnderConstruction(tx, inode.id, holder);
  await tx.run(core.engine.dialect.upsert('fs_leases', ['inode_id', 'holder', 'renewed_at'], ['inode_id'], ['holder', 'renewed_at']), [
    inode.id,
    holder,
    core.now(),
  ]);
}

export async function dropLease(core: FsCore, tx: Transaction, inodeId: number): Promise<void> {
  await tx.run('DELETE FROM fs_leases WHERE inode_id = ?', [inodeId]);
  await core.inodes.setUnderConstruction(tx, inodeId, null);
}

export async function renewLease(core: FsCore, inodeId: number, holder: string): Promise<boolean> {
  const { changes } = await core.engine.write((tx) =>
    tx.run('UPDATE fs_leases SET renewed_at = ? WHERE inode_id = ? AND holder = ?', [core.now(), inodeId, holder]),
  );
  return changes > 0;
}
