import type { FileStatus } from '../file-status.js';

export interface CreateOptions {
  overwrite?: boolean;
  /** Mode bits; default 0o666 & ~umask. */
  permission?: number;
  /** Create missing parent directories (default true, as HDFS's FileSystem.create). */
  createParent?: boolean;
  replication?: number;
  blockSize?: number;
}

export interface ListOptions {
  /** Return entries whose name sorts after this one (paging, like HDFS's startAfter). */
  startAfter?: string;
  limit?: number;
}

export interface DirectoryListing {
  entries: FileStatus[];
  /** True when more entries follow the last one returned. */
  hasMore: boolean;
}

export interface QuotaSetting {
  /** Names allowed below (and including) the directory; null clears, undefined keeps. */
  namespace?: number | null;
  /** Bytes × replication allowed below the directory; null clears, undefined keeps. */
  space?: number | null;
}
