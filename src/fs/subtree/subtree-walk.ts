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
): Promise<void> {
  const pending: Inode[] = [root];
  for (let next = 0; next < pending.length; next++) {
    const dir = pending[next]!;
    let startAfter: string | undefined;
    for (;;) {
      const page = await core.engine.read((tx) => core.inodes.children(tx, dir.id, startAfter, PAGE));
      if (page.length === 0) break;
      await visit(dir, page);
      for (const entry of page) if (entry.isDir) pending.push(entry);
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

export async function measureSubtree(core: FsCore, root: Inode, checkDir?: (dir: Inode) => void): Promise<SubtreeUsage> {
  if (!root.isDir) return { names: 1, files: 1, directories: 0, length: root.size, space: root.size * root.replication };
  const usage: SubtreeUsage = { names: 1, files: 0, directories: 1, length: 0, space: 0 };
  checkDir?.(root);
  await walkSubtree(core, root, (_dir, entries) => {
    for (const e of entries) {
      usage.names++;
      if (e.isDir) {
        usage.directories++;
        checkDir?.(e);
      } else {
        usage.files++;
        usage.length += e.size;
        usage.space += e.size * e.replication;
      }
    }
  });
  return usage;
}
