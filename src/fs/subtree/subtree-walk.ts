import type { FsCore } from '../fs-core.js';
import type { Inode } from '../inode.js';

const PAGE = 1000;

/**
 * Visits every entry below `root` breadth-first, one page of one directory per read unit, so walking a huge subtree
 * never holds a long transaction (HopsFS's subtree operations read the same way, in batches).
 * `visit` receives each page with the directory it belongs to.
 */
export async function walkSubtree(
  core: FsCore,
  root: Inode,
  visit: (dir: Inode, entries: readonly Inode[]) => void | Promise<void>,
  /** Whether to walk below a directory entry (all of them by default). */
  descend: (dir: Inode) => boolean = () => true,
): Promise<void> {
  const pending: Inode[] = [root];
  for (let next = 0; next < pending.length; next++) {
    const dir = pending[next]!;
    let startAfter: string | undefined;
    for (;;) {
      const page = await core.engine.read((tx) => core.inodes.children(tx, dir.id, startAfter, PAGE));
      if (page.length === 0) break;
      await visit(dir, page);
      for (const entry of page) if (entry.isDir && descend(entry)) pending.push(entry);
      if (page.length < PAGE) break;
      startAfter = page[page.length - 1]!.name;
    }
  }
}

export interface SubtreeUsage {
  /** Names in the subtree, its root included (what a namespace quota counts). */
  names: number;
  files: number;
  directories: number;
  length: number;
  /** Bytes × replication (what a space quota counts). */
  space: number;
}

/**
 * Counts a subtree. `checkDir` sees each directory with its components (`rootComponents` and below); it may throw
 * (a permission check) or answer false to leave the directory and everything below it out of the count (what the
 * caller must not see).
 */
export async function measureSubtree(
  core: FsCore,
  root: Inode,
  checkDir?: (dir: Inode, components: readonly string[]) => boolean | void,
  rootComponents: readonly string[] = [],
): Promise<SubtreeUsage> {
  if (!root.isDir) return { names: 1, files: 1, directories: 0, length: root.size, space: root.size * root.replication };
  const usage: SubtreeUsage = { names: 1, files: 0, directories: 1, length: 0, space: 0 };
  checkDir?.(root, rootComponents);
  // The components of each directory met, kept only when a check needs them.
  const componentsOf = new Map<number, readonly string[]>([[root.id, rootComponents]]);
  const skipped = new Set<number>();
  await walkSubtree(
    core,
    root,
    (dir, entries) => {
      const base = componentsOf.get(dir.id) ?? [];
      for (const e of entries) {
        if (e.isDir) {
          const components = checkDir === undefined ? [] : [...base, e.name];
          if (checkDir?.(e, components) === false) {
            skipped.add(e.id);
            continue;
          }
          if (checkDir !== undefined) componentsOf.set(e.id, components);
          usage.names++;
          usage.directories++;
        } else {
          usage.names++;
          usage.files++;
          usage.length += e.size;
          usage.space += e.size * e.replication;
        }
      }
    },
    (dir) => !skipped.has(dir.id),
  );
  return usage;
}
