import { InvalidArgumentError } from '../../errors/humle-error.js';
import { fileStatusOf, type ContentSummary, type FileStatus } from '../file-status.js';
import { EXECUTE, READ } from '../namespace/permissions.js';
import { NO_QUOTA } from '../namespace/quota-store.js';
import { formatPath, parsePath } from '../paths.js';
import { measureSubtree, type SubtreeUsage } from '../subtree/subtree-walk.js';
import type { Inode } from '../inode.js';
import type { DirectoryListing, ListOptions } from './options.js';
import { resolveExisting, resolveTraversable, checkNonNegativeInteger, type OperationContext } from './operation-context.js';

// Reading the namespace: existence, status, listings, content summaries.

/**
 * Whether the path exists. As in HDFS (where exists is getFileInfo), the caller must be able to traverse to it: a
 * directory without x hides its names, present or not, and the answer is a PermissionDeniedError rather than false.
 */
export async function exists(ctx: OperationContext, path: string): Promise<boolean> {
  const components = parsePath(path);
  if (ctx.checker.hides(components)) return false;
  return ctx.core.engine.read(async (tx) => (await resolveTraversable(ctx, tx, components)).exists);
}

export async function getFileStatus(ctx: OperationContext, path: string): Promise<FileStatus> {
  const components = parsePath(path);
  return ctx.core.engine.read(async (tx) => {
    const { target } = await resolveExisting(ctx, tx, components);
    return visibleStatus(ctx, target, components);
  });
}

/** A status as the caller may see it: a directory counts only the children the caller sees (see visibleChildren). */
function visibleStatus(ctx: OperationContext, inode: Inode, components: readonly string[]): FileStatus {
  const status = fileStatusOf(inode, formatPath(components));
  if (inode.isDir) status.childrenNum = ctx.checker.visibleChildren(inode, components);
  return status;
}

/**
 * One page of a directory in name order (or the file itself, for a file path). Entries the caller must not see (the
 * sandboxes it holds no grant for) are left out, and the page is filled from further children instead.
 */
export async function listStatus(ctx: OperationContext, path: string, options: ListOptions = {}): Promise<DirectoryListing> {
  const components = parsePath(path);
  const limit = options.limit === undefined ? 1000 : checkNonNegativeInteger('limit', options.limit);
  if (limit === 0) throw new InvalidArgumentError('limit must be at least 1', { limit });
  return ctx.core.engine.read(async (tx) => {
    const { r, target } = await resolveExisting(ctx, tx, components);
    if (!target.isDir) return { entries: [fileStatusOf(target, r.path)], hasMore: false };
    ctx.checker.check(target, READ | EXECUTE, r.components);
    const visible: Inode[] = [];
    let startAfter = options.startAfter;
    for (;;) {
      const page = await ctx.core.inodes.children(tx, target.id, startAfter, limit + 1);
      visible.push(...page.filter((c) => !ctx.checker.hides([...r.components, c.name])));
      if (visible.length > limit || page.length <= limit) break;
      startAfter = page[page.length - 1]!.name;
    }
    const entries = visible.slice(0, limit).map((c) => visibleStatus(ctx, c, [...r.components, c.name]));
    return { entries, hasMore: visible.length > limit };
  });
}

export async function getContentSummary(ctx: OperationContext, path: string): Promise<ContentSummary> {
  const components = parsePath(path);
  const { target, quota } = await ctx.core.engine.read(async (tx) => {
    const { target } = await resolveExisting(ctx, tx, components);
    const quota = target.hasQuota ? await ctx.core.quotas.get(tx, target.id) : undefined;
    return { target, quota };
  });
  const usage = await measureVisible(ctx, target, components);
  return {
    length: usage.length,
    fileCount: usage.files,
    directoryCount: usage.directories,
    quota: quota?.nsQuota ?? NO_QUOTA,
    spaceConsumed: usage.space,
    spaceQuota: quota?.dsQuota ?? NO_QUOTA,
  };
}

/**
 * Counts what the caller sees of a subtree (HDFS's getContentSummary, which needs r-x on every directory): the
 * sandboxes it holds no grant for are left out of the count, as if they were not there, rather than refused.
 */
export function measureVisible(ctx: OperationContext, root: Inode, components: readonly string[]): Promise<SubtreeUsage> {
  return measureSubtree(
    ctx.core,
    root,
    (dir, where) => {
      if (ctx.checker.hides(where)) return false;
      ctx.checker.check(dir, READ | EXECUTE, where);
      return true;
    },
    components,
  );
}
