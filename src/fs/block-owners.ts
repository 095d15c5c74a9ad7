import type { Engine, Transaction } from '../db/engine.js';
import { ROOT_ID, ROOT_PARENT_ID } from './inode.js';
import { InodeStore } from './namespace/inode-store.js';

/** Block ids asked for in one statement: well under SQLite's and MySQL's placeholder limits. */
const BLOCKS_PER_STATEMENT = 500;

/**
 * The humle fs path of the file each block belongs to, for naming a block's file to someone who must not see where
 * blocks lie on the server's disk. A block of no file (garbage for fsck, or deleted meanwhile) has no entry. The
 * directories above the files are read once each, so the files of one table cost one lookup each and their table's
 * directories one in all.
 */
export async function pathsOfBlocks(engine: Engine, blockIds: readonly number[]): Promise<Map<number, string>> {
  const inodes = new InodeStore(engine.dialect);
  return engine.read(async (tx) => {
    const owners = new Map<number, number>();
    const unique = [...new Set(blockIds)];
    for (let start = 0; start < unique.length; start += BLOCKS_PER_STATEMENT) {
      const ids = unique.slice(start, start + BLOCKS_PER_STATEMENT);
      const rows = await tx.rows(`SELECT block_id, inode_id FROM fs_blocks WHERE block_id IN (${ids.map(() => '?').join(',')})`, ids);
      for (const [blockId, inodeId] of rows) owners.set(Number(blockId), Number(inodeId));
    }
    const pathOfInode = new Map<number, string | undefined>([[ROOT_ID, '']]);
    const paths = new Map<number, string>();
    for (const [blockId, inodeId] of owners) {
      const path = await inodePath(tx, inodes, inodeId, pathOfInode);
      if (path !== undefined) paths.set(blockId, path);
    }
    return paths;
  });
}

/** The inode's path ('' for the root), memoized in `known`; undefined when a directory above it is gone. */
async function inodePath(tx: Transaction, inodes: InodeStore, id: number, known: Map<number, string | undefined>): Promise<string | undefined> {
  if (known.has(id)) return known.get(id);
  const inode = await inodes.byId(tx, id);
  let path: string | undefined;
  if (inode !== undefined && inode.parentId !== ROOT_PARENT_ID) {
    const parent = await inodePath(tx, inodes, inode.parentId, known);
    path = parent === undefined ? undefined : `${parent}/${inode.name}`;
  }
  known.set(id, path);
  return path;
}
