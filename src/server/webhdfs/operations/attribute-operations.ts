import type { QuotaSetting } from '../../../fs/file-system.js';
import { invalid } from '../webhdfs-params.js';
import type { WebHdfsCall, WebHdfsOperation } from '../webhdfs-call.js';

/** HDFS's quota arguments: Long.MAX_VALUE leaves a quota as it is, -1 clears it (HdfsConstants.QUOTA_DONT_SET / QUOTA_RESET). */
const QUOTA_DONT_SET = '9223372036854775807';

function quotaParam(call: WebHdfsCall, name: string): number | null | undefined {
  const value = call.params.string(name);
  if (value === undefined || value === '' || value === QUOTA_DONT_SET) return undefined;
  if (value === '-1') return null;
  return call.params.long(name, 0);
}

export const attributeOperations: Record<string, WebHdfsOperation> = {
  SETPERMISSION: {
    method: 'PUT',
    scope: 'fs:write',
    async run(call) {
      await call.fs.setPermission(call.path, call.params.permission(0o755));
      return undefined;
    },
  },

  SETOWNER: {
    method: 'PUT',
    scope: 'fs:write',
    async run(call) {
      const owner = call.params.string('owner') || undefined;
      const group = call.params.string('group') || undefined;
      if (owner === undefined && group === undefined) throw invalid('owner', undefined, 'owner or group is required');
      await call.fs.setOwner(call.path, owner, group);
      return undefined;
    },
  },

  SETTIMES: {
    method: 'PUT',
    scope: 'fs:write',
    async run(call) {
      await call.fs.setTimes(call.path, call.params.long('modificationtime', -1, -1), call.params.long('accesstime', -1, -1));
      return undefined;
    },
  },

  SETREPLICATION: {
    method: 'PUT',
    scope: 'fs:write',
    async run(call) {
      return { boolean: await call.fs.setReplication(call.path, call.params.long('replication', 1, 1)) };
    },
  },

  SETQUOTA: {
    method: 'PUT',
    scope: 'fs:write',
    async run(call) {
      const quota: QuotaSetting = { namespace: quotaParam(call, 'namespacequota'), space: quotaParam(call, 'storagespacequota') };
      await call.fs.setQuota(call.path, quota);
      return undefined;
    },
  },
};
