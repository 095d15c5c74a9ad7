import { InvalidArgumentError } from '../../errors/humle-error.js';
import { fileStatusOf, type ContentSummary, type FileStatus } from '../file-status.js';
import { EXECUTE, READ } from '../namespace/permissions.js';
import { NO_QUOTA } from '../namespace/quota-store.js';
import { formatPath, parsePath } from '../paths.js';
import { measureSubtree } from '../subtree/subtree-walk.js';
import type { DirectoryListing, ListOptions } from './options.js';
import { resolveExisting, resolveTraversable, checkNonNegativeInteger, type OperationContext } from './operation-context.js';

// Reading the namespace: existence, status, listings, content summaries.

/**
 * Whether the path exists. As in HDFS (where exists is getFileInfo), the caller must be able to traverse to it: a
 * directory without x hides its names, present or not, and the answer is a PermissionDeniedError rather than false.
 */
export async function exists(ctx: OperationContext, path: string): Promise<boolean> {
  const components = parsePath(path);
  return ctx.core.engine.read(async (tx) => (await resolveTraversable(ctx, tx, components)).exists);
}

export async function getFileStatus(ctx: OperationContext, path: string): Promise<FileStatus> {
  const components = parsePath(path);
  return ctx.core.engine.read(async (tx) => {
    const { target } = await resolveExisting(ctx, tx, components);
    return fileStatusOf(target, formatPath(components));
  });
}

/** One page of a directory in name order (or the file itself, for a file path). */
export async function listStatus(ctx: OperationContext, path: string, options: ListOptions = {}): Promise<DirectoryListing> {
  const components = parsePath(path);
  const limit = options.limit === undefined ? 1000 : checkNonNegativeInteger('limit', options.limit);
  if (limit === 0) throw new InvalidArgumentError('limit must be at least 1', { limit });
  return ctx.core.engine.read(async (tx) => {
    const { r, target } = await resolveExisting(ctx, tx, components);
    if (!target.isDir) return { entries: [fileStatusOf(target, r.path)], hasMore: false };
    ctx.checker.check(target, READ | EXECUTE, r.path);
    const page = await ctx.core.inodes.children(tx, target.id, options.startAfter, limit + 1);
    const base = r.path === '/' ? '' : r.path;
    const entries = page.slice(0, limit).map((c) => fileStatusOf(c, `${base}/${c.name}`));
    return { entries, hasMore: page.length > limit };
  });
}

export async function getContentSummary(ctx: OperationContext, path: string): Promise<ContentSummary> {
  const components = parsePath(path);
  const { target, quota } = await ctx.core.engine.read(async (tx) => {
    const { target } = await resolveExisting(ctx, tx, components);
    const quota = target.hasQuota ? await ctx.core.quotas.get(tx, target.id) : undefined;
    return { target, quota };
  });
  const where = formatPath(components);
  const usage = await measureSubtree(ctx.core, target, (dir) => ctx.checker.check(dir, READ | EXECUTE, where));
  return {
    length: usage.length,
    fileCount: usage.files,
    directoryCount: usage.directories,
    quota: quota?.nsQuota ?? NO_QUOTA,
    spaceConsumed: usage.space,
    spaceQuota: quota?.dsQuota ?? NO_QUOTA,
  };
}
