import { DirectoryNotEmptyError, FileNotFoundError, PermissionDeniedError } from '../../../errors/fs-errors.js';
import type { FileSystem } from '../../../fs/file-system.js';
import { invalid } from '../webhdfs-params.js';
import type { WebHdfsCall, WebHdfsOperation } from '../webhdfs-call.js';

async function statusOrUndefined(fs: FileSystem, path: string) {
  try {
    return await fs.getFileStatus(path);
  } catch (error) {
    if (error instanceof FileNotFoundError) return undefined;
    throw error;
  }
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

function parentOf(path: string): string {
  const at = path.lastIndexOf('/');
  return at <= 0 ? '/' : path.slice(0, at);
}

/**
 * HDFS's original rename, which WebHDFS clients rely on: a destination that is a directory receives the source
 * inside it, and a rename that cannot happen (no source, destination taken, no destination parent) answers false
 * rather than failing. Permission and quota refusals still fail.
 */
async function renameAsHdfs(fs: FileSystem, src: string, dst: string): Promise<boolean> {
  if ((await statusOrUndefined(fs, src)) === undefined) return false;
  let target = dst;
  const existing = await statusOrUndefined(fs, dst);
  if (existing?.type === 'DIRECTORY') {
    target = dst === '/' ? `/${baseName(src)}` : `${dst}/${baseName(src)}`;
    if (target === src) return true;
    if ((await statusOrUndefined(fs, target)) !== undefined) return false;
  } else if (existing !== undefined) {
    return src === dst;
  }
  if ((await statusOrUndefined(fs, parentOf(target)))?.type !== 'DIRECTORY') return false;
  await fs.rename(src, target);
  return true;
}

/**
 * `DELETE /` as HDFS's namenode answers it (FSDirDeleteOp): the checks every delete has come first (a subtree that is
 * not all the caller's may not be deleted, so only the superuser passes on the root; a non-recursive delete of a
 * non-empty directory is PathIsNotEmptyDirectoryException), then `false`, since the root is never deleted. Nothing
 * changes either way.
 */
async function deleteRoot(call: WebHdfsCall, recursive: boolean): Promise<boolean> {
  if (!call.fs.isSuperuser) throw new PermissionDeniedError(`Permission denied: user=${call.caller.user}, access=ALL, inode="/": only the superuser may delete the root`, { path: '/' });
  if (!recursive && (await call.fs.listStatus('/', { limit: 1 })).entries.length > 0) throw new DirectoryNotEmptyError('/ is non empty', { path: '/' });
  return false;
}

export const namespaceOperations: Record<string, WebHdfsOperation> = {
  MKDIRS: {
    method: 'PUT',
    scope: 'fs:write',
    async run(call) {
      // WebHDFS's default is 755, with no umask from the server side.
      return { boolean: await call.fs.mkdirs(call.path, { permission: call.params.permission(0o755) }) };
    },
  },

  RENAME: {
    method: 'PUT',
    scope: 'fs:write',
    async run(call) {
      const destination = call.params.path('destination');
      call.checkVisible(destination);
      const options = (call.params.string('renameoptions') ?? 'NONE').toUpperCase();
      if (options === 'NONE' && !call.params.has('renameoptions')) return { boolean: await renameAsHdfs(call.fs, call.path, destination) };
      // rename2 (renameoptions given): HDFS's strict rename, failing instead of answering false.
      if (options !== 'NONE' && options !== 'OVERWRITE') throw invalid('renameoptions', options, 'it must be NONE or OVERWRITE');
      await call.fs.rename(call.path, destination, { overwrite: options === 'OVERWRITE' });
      return undefined;
    },
  },

  DELETE: {
    method: 'DELETE',
    scope: 'fs:write',
    async run(call) {
      const recursive = call.params.boolean('recursive', false);
      if (call.path === '/') return { boolean: await deleteRoot(call, recursive) };
      return { boolean: await call.fs.delete(call.path, { recursive }) };
    },
  },

  TRUNCATE: {
    method: 'POST',
    scope: 'fs:write',
    async run(call) {
      const newLength = call.params.long('newlength', -1);
      if (newLength < 0) throw invalid('newlength', call.params.string('newlength'), 'it is required');
      return { boolean: await call.fs.truncate(call.path, newLength) };
    },
  },

  CONCAT: {
    method: 'POST',
    scope: 'fs:write',
    async run(call) {
      const sources = call.params.required('sources').split(',');
      for (const source of sources) {
        if (!source.startsWith('/')) throw invalid('sources', source, 'each source must be an absolute path');
        call.checkVisible(source);
      }
      await call.fs.concat(call.path, sources);
      return undefined;
    },
  },
};
