import { contentSummaryJson, fileStatusJson } from '../file-status-json.js';
import type { WebHdfsCall, WebHdfsOperation } from '../webhdfs-call.js';

/** HDFS's dfs.ls.limit: entries per LISTSTATUS_BATCH answer. */
const BATCH_SIZE = 1000;

async function listing(call: WebHdfsCall, startAfter: string | undefined, limit: number) {
  const status = await call.fs.getFileStatus(call.path);
  // A file lists as itself, with an empty pathSuffix. /Projects lists (and counts) only the caller's projects:
  // humle fs hides the others from the caller's view (Principal.fsView).
  if (status.type === 'FILE') return { entries: [fileStatusJson(status, '')], hasMore: false };
  const page = await call.fs.listStatus(call.path, { startAfter, limit });
  return { entries: page.entries.map((entry) => fileStatusJson(entry, entry.name)), hasMore: page.hasMore };
}

export const readOperations: Record<string, WebHdfsOperation> = {
  GETFILESTATUS: {
    method: 'GET',
    scope: 'fs:read',
    async run(call) {
      const status = await call.fs.getFileStatus(call.path);
      return { FileStatus: fileStatusJson(status, '') };
    },
  },

  LISTSTATUS: {
    method: 'GET',
    scope: 'fs:read',
    async run(call) {
      const all = [];
      let startAfter: string | undefined;
      for (;;) {
        const page = await listing(call, startAfter, BATCH_SIZE);
        all.push(...page.entries);
        if (!page.hasMore || page.entries.length === 0) break;
        startAfter = page.entries[page.entries.length - 1]!.pathSuffix;
      }
      return { FileStatuses: { FileStatus: all } };
    },
  },

  LISTSTATUS_BATCH: {
    method: 'GET',
    scope: 'fs:read',
    async run(call) {
      const page = await listing(call, call.params.string('startafter'), BATCH_SIZE);
      // humle fs pages without counting what is left: a positive number means "more", as clients read it.
      return { DirectoryListing: { partialListing: { FileStatuses: { FileStatus: page.entries } }, remainingEntries: page.hasMore ? 1 : 0 } };
    },
  },

  GETCONTENTSUMMARY: {
    method: 'GET',
    scope: 'fs:read',
    async run(call) {
      return contentSummaryJson(await call.fs.getContentSummary(call.path));
    },
  },

  GETQUOTAUSAGE: {
    method: 'GET',
    scope: 'fs:read',
    async run(call) {
      const usage = await call.fs.getQuotaUsage(call.path);
      return { QuotaUsage: { ...usage, typeQuota: {} } };
    },
  },

  GETHOMEDIRECTORY: {
    method: 'GET',
    scope: 'fs:read',
    async run(call) {
      return { Path: `/user/${call.caller.user}` };
    },
  },

  GETSERVERDEFAULTS: {
    method: 'GET',
    scope: 'fs:read',
    async run() {
      // Hadoop's shell asks before `rm`: trashInterval 0 says the server keeps no trash, so deletes are immediate.
      return {
        FsServerDefaults: {
          blockSize: 128 * 1024 * 1024,
          bytesPerChecksum: 512,
          writePacketSize: 64 * 1024,
          replication: 1,
          fileBufferSize: 4096,
          encryptDataTransfer: false,
          trashInterval: 0,
          // CRC32C, the checksum humle fs keeps per block.
          checksumType: 2,
          keyProviderUri: '',
          defaultStoragePolicyId: 0,
        },
      };
    },
  },

  GETTRASHROOT: {
    method: 'GET',
    scope: 'fs:read',
    async run(call) {
      return { Path: `/user/${call.caller.user}/.Trash` };
    },
  },
};
