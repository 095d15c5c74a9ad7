import type { Transaction } from '../../db/engine.js';
import { InvalidOperationError } from '../../errors/fs-errors.js';
import { InvalidArgumentError } from '../../errors/humle-error.js';
import { type Inode } from '../inode.js';
import { NO_QUOTA } from '../namespace/quota-store.js';
import { parsePath } from '../paths.js';
import { SubtreeOperation } from '../subtree/subtree-operation.js';
import { measureSubtree, type SubtreeUsage } from '../subtree/subtree-walk.js';
import type { QuotaSetting } from './options.js';
import { measureVisible } from './namespace-reads.js';
import { resolveExisting, type OperationContext } from './operation-context.js';

// Directory quotas: setting them (counting a populated subtree first) and reading their usage.

/** Quota limits and usage of a directory (HDFS's getQuotaUsage); usage is counted when the directory has no quota. */
export async function getQuotaUsage(ctx: OperationContext, path: string): Promise<{ fileAndDirectoryCount: number; quota: number; spaceConsumed: number; spaceQuota: number }> {
  const components = parsePath(path);
  const { target, quota } = await ctx.core.engine.read(async (tx) => {
    const { target } = await resolveExisting(ctx, tx, components);
    return { target, quota: target.hasQuota ? await ctx.core.quotas.get(tx, target.id) : undefined };
  });
  // A quota's recorded usage counts the whole subtree; what the caller may not see of it is counted out instead.
  if (quota && ctx.checker.seesWholeSubtree(components)) {
    return { fileAndDirectoryCount: quota.nsUsed, quota: quota.nsQuota, spaceConsumed: quota.dsUsed, spaceQuota: quota.dsQuota };
  }
  // As HDFS, reading usage takes r-x on every directory counted (what getContentSummary takes).
  const usage = await measureVisible(ctx, target, components);
  return { fileAndDirectoryCount: usage.names, quota: quota?.nsQuota ?? NO_QUOTA, spaceConsumed: usage.space, spaceQuota: quota?.dsQuota ?? NO_QUOTA };
}

/** Sets a directory's namespace and/or space quota (superuser only, as in HDFS). */
export async function setQuota(ctx: OperationContext, path: string, quota: QuotaSetting): Promise<void> {
  ctx.checker.checkSuperuser('setQuota');
  for (const [name, value] of [['namespace', quota.namespace], ['space', quota.space]] as const) {
    if (value !== undefined && value !== null && (!Number.isSafeInteger(value) || value < 0)) {
      throw new InvalidArgumentError(`${name} quota must be a non-negative integer, or null to clear it`, { [name]: value });
    }
  }
  const components = parsePath(path);
  const limit = (value: number | null | undefined, old: number) => (value === undefined ? old : value === null ? NO_QUOTA : value);
  const first = await ctx.core.mutate(async (tx) => {
    const { r, target } = await resolveExisting(ctx, tx, components);
    if (!target.isDir) throw new InvalidOperationError(`quotas are set on directories; ${r.path} is a file`, { path: r.path });
    const dir = (await ctx.core.lockForWrite(tx, [target])).get(target.id)!;
    await ctx.core.checkSubtreeLocks(tx, r.chain);
    const existing = dir.hasQuota ? await ctx.core.quotas.get(tx, dir.id) : undefined;
    if (existing) {
      await applyQuota(ctx, tx, dir, limit(quota.namespace, existing.nsQuota), limit(quota.space, existing.dsQuota), existing.nsUsed, existing.dsUsed);
      return undefined;
    }
    if (dir.children === 0) {
      await applyQuota(ctx, tx, dir, limit(quota.namespace, NO_QUOTA), limit(quota.space, NO_QUOTA), 1, 0);
      return undefined;
    }
    return { dir, operation: await SubtreeOperation.begin(ctx.core, tx, dir, 'quota', r.path) };
  });
  if (first === undefined) return;
  // A new quota on a populated directory: count its usage while the subtree holds still.
  const { dir, operation } = first;
  operation.startHeartbeat();
  try {
    let usage: SubtreeUsage;
    try {
      const dirIds: number[] = [];
      usage = await measureSubtree(ctx.core, dir, (d) => {
        operation.checkNested(d);
        dirIds.push(d.id);
      });
      await operation.quiesce(dirIds);
    } catch (error) {
      await operation.abandon();
      throw error;
    }
    await ctx.core.engine.write(async (tx) => {
      await applyQuota(ctx, tx, dir, limit(quota.namespace, NO_QUOTA), limit(quota.space, NO_QUOTA), usage.names, usage.space);
      await operation.finish(tx);
    });
  } finally {
    operation.stopHeartbeat();
  }
}

export async function applyQuota(ctx: OperationContext, tx: Transaction, dir: Inode, nsQuota: number, dsQuota: number, nsUsed: number, dsUsed: number): Promise<void> {
  if (nsQuota === NO_QUOTA && dsQuota === NO_QUOTA) {
    await ctx.core.quotas.remove(tx, dir.id);
    await ctx.core.inodes.setHasQuota(tx, dir.id, false);
    return;
  }
  await ctx.core.quotas.set(tx, { inodeId: dir.id, nsQuota, dsQuota, nsUsed, dsUsed });
  await ctx.core.inodes.setHasQuota(tx, dir.id, true);
}
