import type { ContentSummary, FileStatus } from '../../fs/file-status.js';

/** HDFS prints mode bits as octal without padding (sticky bit included: "1777"), and clients parse them back that way. */
function octal(permission: number): string {
  return (permission & 0o1777).toString(8);
}

/**
 * A FileStatus as WebHDFS's JSON schema has it. `pathSuffix` is the entry's name in a listing and "" for the status of
 * the path itself; storagePolicy is 0 (unspecified) because humle fs's tiers are not HDFS's storage policy ids.
 */
export function fileStatusJson(status: FileStatus, pathSuffix: string) {
  return {
    accessTime: status.accessTime,
    blockSize: status.blockSize,
    childrenNum: status.childrenNum,
    fileId: status.fileId,
    group: status.group,
    length: status.length,
    modificationTime: status.modificationTime,
    owner: status.owner,
    pathSuffix,
    permission: octal(status.permission),
    replication: status.replication,
    storagePolicy: 0,
    type: status.type,
  };
}

export function contentSummaryJson(summary: ContentSummary) {
  return {
    ContentSummary: {
      directoryCount: summary.directoryCount,
      ecPolicy: '',
      fileCount: summary.fileCount,
      length: summary.length,
      quota: summary.quota,
      spaceConsumed: summary.spaceConsumed,
      spaceQuota: summary.spaceQuota,
      typeQuota: {},
    },
  };
}
