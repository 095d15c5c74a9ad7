import { FileStore, type Inode } from './inode.js';
import { formatPermission } from './namespace/permissions.js';

export type StorageTier = 'empty' | 'inline' | 'small' | 'blocks';

/** What `getFileStatus` and `listStatus` report: the fields of HDFS's FileStatus plus where the bytes live. */
export interface FileStatus {
  path: string;
  name: string;
  type: 'FILE' | 'DIRECTORY';
  length: number;
  owner: string;
  group: string;
  /** Mode bits as a number (0o755); `permissionString` renders them like `ls -l`. */
  permission: number;
  permissionString: string;
  modificationTime: number;
  accessTime: number;
  replication: number;
  blockSize: number;
  childrenNum: number;
  fileId: number;
  storagePolicy: number;
  storage: StorageTier;
  underConstruction: boolean;
}

const TIERS: Record<FileStore, StorageTier> = {
  [FileStore.Empty]: 'empty',
  [FileStore.Inline]: 'inline',
  [FileStore.Small]: 'small',
  [FileStore.Blocks]: 'blocks',
};

export function fileStatusOf(inode: Inode, path: string): FileStatus {
  return {
    path,
    name: inode.name,
    type: inode.isDir ? 'DIRECTORY' : 'FILE',
    length: inode.isDir ? 0 : inode.size,
    owner: inode.owner,
    group: inode.group,
    permission: inode.permission,
    permissionString: formatPermission(inode.permission, inode.isDir),
    modificationTime: inode.mtime,
    accessTime: inode.atime,
    replication: inode.isDir ? 0 : inode.replication,
    blockSize: inode.isDir ? 0 : inode.blockSize,
    childrenNum: inode.isDir ? inode.children : 0,
    fileId: inode.id,
    storagePolicy: inode.storagePolicy,
    storage: inode.isDir ? 'empty' : TIERS[inode.fileStore],
    underConstruction: inode.underConstruction,
  };
}

export interface ContentSummary {
  length: number;
  fileCount: number;
  directoryCount: number;
  /** Namespace quota, -1 when none. */
  quota: number;
  spaceConsumed: number;
  /** Space quota in bytes, -1 when none. */
  spaceQuota: number;
}
