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
  inlineData: Buffer | null;
  /** Id of the subtree operation (large delete or rename) that holds this directory, if any. */
  subtreeLock: string | null;
  hasQuota: boolean;
}

/** Column list shared by every query that loads whole inodes, in the order `inodeFromRow` expects. */
export const INODE_COLUMNS =
  'id, partition_id, parent_id, name, is_dir, permission, owner, grp, mtime, atime, size, replication, block_size, ' +
  'storage_policy, children, under_construction, lease_holder, file_store, inline_data, subtree_lock, has_quota';

export interface InodeRow {
  id: number;
  partition_id: number;
  parent_id: number;
  name: string;
  is_dir: number;
  permission: number;
  owner: string;
  grp: string;
  mtime: number;
  atime: number;
  size: number;
  replication: number;
  block_size: number;
  storage_policy: number;
  children: number;
  under_construction: number;
  lease_holder: string | null;
  file_store: number;
  inline_data: Buffer | null;
  subtree_lock: string | null;
  has_quota: number;
}

export function inodeFromRow(r: InodeRow): Inode {
  return {
    id: Number(r.id),
    partitionId: Number(r.partition_id),
    parentId: Number(r.parent_id),
    name: r.name,
    isDir: r.is_dir === 1,
    permission: r.permission,
    owner: r.owner,
    group: r.grp,
    mtime: Number(r.mtime),
    atime: Number(r.atime),
    size: Number(r.size),
    replication: r.replication,
    blockSize: Number(r.block_size),
    storagePolicy: r.storage_policy,
    children: r.children,
    underConstruction: r.under_construction === 1,
    leaseHolder: r.lease_holder,
    fileStore: r.file_store as FileStore,
    inlineData: r.inline_data,
    subtreeLock: r.subtree_lock,
    hasQuota: r.has_quota === 1,
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
