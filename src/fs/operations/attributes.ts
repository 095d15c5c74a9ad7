import { InvalidOperationError } from '../../errors/fs-errors.js';
import { InvalidArgumentError } from '../../errors/humle-error.js';
import { effectiveStoragePolicy, validateStoragePolicy, type StoragePolicy } from '../content/storage-policy.js';
import { ROOT_ID } from '../inode.js';
import { WRITE } from '../namespace/permissions.js';
import { parsePath } from '../paths.js';
import { resolveExisting, changeInode, checkMode, type OperationContext } from './operation-context.js';

// Inode attributes: permission, owner, times, replication, storage policy.

export async function setPermission(ctx: OperationContext, path: string, permission: number): Promise<void> {
  const mode = checkMode(permission);
  await changeInode(ctx, path, async (tx, inode, r) => {
    ctx.checker.checkOwner(inode, r.components);
    await ctx.core.inodes.setPermission(tx, inode.id, mode);
  });
}

/** Only the superuser changes an owner; an owner may change the group to one of their own groups. */
export async function setOwner(ctx: OperationContext, path: string, owner?: string, group?: string): Promise<void> {
  if (owner === undefined && group === undefined) throw new InvalidArgumentError('setOwner needs an owner or a group');
  for (const [name, value] of [['owner', owner], ['group', group]] as const) {
    if (value !== undefined && (typeof value !== 'string' || value === '' || value.length > 255 || /[\0:\s]/.test(value))) {
      throw new InvalidArgumentError(`${name} must be a non-empty name without spaces, ':' or NUL`, { [name]: value });
    }
  }
  await changeInode(ctx, path, async (tx, inode, r) => {
    ctx.checker.checkOwner(inode, r.components);
    if (owner !== undefined && owner !== inode.owner) ctx.checker.checkSuperuser('changing the owner');
    if (group !== undefined && group !== inode.group) ctx.checker.checkGroupChange(group, r.components);
    await ctx.core.inodes.setOwner(tx, inode.id, owner ?? inode.owner, group ?? inode.group);
    if (inode.id === ROOT_ID && owner !== undefined) ctx.core.superuser = owner;
  });
}

/** Sets modification and access times (ms since the epoch); -1 leaves a time unchanged. */
export async function setTimes(ctx: OperationContext, path: string, mtime: number, atime: number): Promise<void> {
  for (const [name, value] of [['mtime', mtime], ['atime', atime]] as const) {
    if (!Number.isSafeInteger(value) || value < -1) throw new InvalidArgumentError(`${name} must be -1 or a time in ms`, { [name]: value });
  }
  await changeInode(ctx, path, async (tx, inode, r) => {
    ctx.checker.check(inode, WRITE, r.components);
    await ctx.core.inodes.setTimes(tx, inode.id, mtime === -1 ? inode.mtime : mtime, atime === -1 ? inode.atime : atime);
  });
}

/** Sets the replication recorded for a file (reported to HDFS clients; charges the space quota accordingly). */
export async function setReplication(ctx: OperationContext, path: string, replication: number): Promise<boolean> {
  if (!Number.isInteger(replication) || replication < 1 || replication > 512) {
    throw new InvalidArgumentError('replication must be an integer in [1, 512]', { replication });
  }
  return changeInode(ctx, path, async (tx, inode, r) => {
    if (inode.isDir) return false;
    ctx.checker.check(inode, WRITE, r.components);
    await ctx.core.quotas.charge(tx, r.ancestors, 0, inode.size * (replication - inode.replication), r.path);
    await ctx.core.inodes.setReplication(tx, inode.id, replication);
    return true;
  });
}

/** Sets the storage policy of a directory (inherited below it); `null` returns to the inherited one. */
export async function setStoragePolicy(ctx: OperationContext, path: string, policy: StoragePolicy | null): Promise<void> {
  if (policy !== null) validateStoragePolicy(policy);
  await changeInode(ctx, path, async (tx, inode, r) => {
    if (!inode.isDir) throw new InvalidOperationError(`storage policies are set on directories; ${r.path} is a file`, { path: r.path });
    ctx.checker.checkOwner(inode, r.components);
    if (policy === null) {
      await tx.run('DELETE FROM fs_storage_policies WHERE inode_id = ?', [inode.id]);
      await ctx.core.inodes.setStoragePolicyFlag(tx, inode.id, 0);
    } else {
      await tx.run(
        ctx.core.engine.dialect.upsert('fs_storage_policies', ['inode_id', 'inline_max', 'small_max', 'block_size'], ['inode_id'], ['inline_max', 'small_max', 'block_size']),
        [inode.id, policy.inlineMax, policy.smallMax, policy.blockSize],
      );
      await ctx.core.inodes.setStoragePolicyFlag(tx, inode.id, 1);
    }
  });
}

export async function getStoragePolicy(ctx: OperationContext, path: string): Promise<StoragePolicy> {
  const components = parsePath(path);
  return ctx.core.engine.read(async (tx) => {
    const { r, target } = await resolveExisting(ctx, tx, components);
    return effectiveStoragePolicy(tx, target.isDir ? r.chain : r.ancestors, ctx.core.policy);
  });
}
