import type { SqlValue } from '../db/engine.js';
import { crc32c } from '@node-rs/crc32';

/** The root directory's inode id; its parent id is 0 and its name is empty, as in HopsFS. */
export const ROOT_ID = 1;
export const ROOT_PARENT_ID = 0;

/** Where a file's bytes live. */
export const enum FileStore {
  Empty = 0,
  /** In the inode row itself (`inline_data`): read with the inode, one lookup. */
  Inline = 1,
  /** In `fs_small_files`, one or more chunk rows. */
  Small = 2,
  /** In blocks of the block store, listed in `fs_blocks`. */
  Blocks = 3,
}

export interface Inode {
  id: number;
  partitionId: number;
  parentId: number;
  name: string;
  isDir: boolean;
  /** POSIX mode bits including the sticky bit (0o1000). */
  permission: number;
  owner: string;
  group: string;
  mtime: number;
  atime: number;
  size: number;
  replication: number;
  blockSize: number;
  /** 0: inherit from the parent; 1: this directory has its own row in `fs_storage_policies`. */
  storagePolicy: number;
  children: number;
  underConstruction: boolean;
  leaseHolder: string | null;
  fileStore: FileStore;
  /** Id of the subtree operation (large delete or rename) that holds this directory, if any. */
  subtreeLock: string | null;
  hasQuota: boolean;
  /** The bytes of an inline file, present only when the inode was loaded for reading its content. */
  inlineData?: Buffer | null;
}

/**
 * Columns of every query that loads inodes, in the order `inodeFromRow` reads them. The inline bytes of tiny files
 * are not among them: path resolution reads many inodes and needs none of their bytes; reads fetch them by id.
 */
export const INODE_COLUMNS =
  'id, partition_id, parent_id, name, is_dir, permission, owner, grp, mtime, atime, size, replication, block_size, ' +
  'storage_policy, children, under_construction, lease_holder, file_store, subtree_lock, has_quota';

/** Builds an inode from a positional row of INODE_COLUMNS (rows as arrays: no intermediate object per row). */
export function inodeFromRow(r: readonly SqlValue[]): Inode {
  return {
    id: Number(r[0]),
    partitionId: Number(r[1]),
    parentId: Number(r[2]),
    name: r[3] as string,
    isDir: r[4] === 1,
    permission: r[5] as number,
    owner: r[6] as string,
    group: r[7] as string,
    mtime: Number(r[8]),
    atime: Number(r[9]),
    size: Number(r[10]),
    replication: r[11] as number,
    blockSize: Number(r[12]),
    storagePolicy: r[13] as number,
    children: r[14] as number,
    underConstruction: r[15] === 1,
    leaseHolder: r[16] as string | null,
    fileStore: r[17] as FileStore,
    subtreeLock: r[18] as string | null,
    hasQuota: r[19] === 1,
    ...(r.length > 20 ? { inlineData: r[20] as Buffer | null } : {}),
  };
}

/** What a new inode must be told; everything else starts empty (no bytes, no children, no lease, no marks). */
export type NewInode = Pick<Inode, 'id' | 'parentId' | 'name' | 'isDir' | 'permission' | 'owner' | 'group'> & Partial<Inode>;

export function newInode(init: NewInode, now: number): Inode {
  return {
    partitionId: init.parentId === ROOT_PARENT_ID ? 0 : partitionOf(init.parentId, init.name),
    mtime: now,
    atime: now,
    size: 0,
    replication: init.isDir ? 0 : 1,
    blockSize: 0,
    storagePolicy: 0,
    children: 0,
    underConstruction: false,
    leaseHolder: null,
    fileStore: FileStore.Empty,
    subtreeLock: null,
    hasQuota: false,
    ...init,
  };
}

/**
 * HopsFS's partitioning: an inode lives in its parent's partition, so listing a directory reads one partition;
 * entries directly under `/` are spread by a hash of their name, so top-level directories land on different
 * database nodes (on NDB the inode table is `PARTITION BY KEY (partition_id)`).
 */
export function partitionOf(parentId: number, name: string): number {
  return parentId === ROOT_ID ? crc32c(name) : parentId;
}
