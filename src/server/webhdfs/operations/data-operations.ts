import { pipeline } from 'node:stream/promises';
import { FileNotFoundError, IsDirectoryError } from '../../../errors/fs-errors.js';
import { createMode } from '../create-flags.js';
import { isDataStep, redirectToDataStep } from '../data-step.js';
import type { WebHdfsCall, WebHdfsOperation } from '../webhdfs-call.js';
import { webHdfsUri } from '../webhdfs-urls.js';

/**
 * HDFS's namenode looks the file up before it redirects an OPEN or APPEND (NamenodeWebHdfsMethods.chooseDatanode), so
 * a missing file is a 404 FileNotFoundException at once, not at the data step: Hadoop's client opens eagerly and
 * reports it from open(). A directory is refused here too, with the FileNotFoundException ("Path is not a file")
 * HDFS's datanode answers it one step later, so that open() of a directory fails as FileSystem's contract asks.
 */
async function redirectToExistingFile(call: WebHdfsCall) {
  const status = await call.fs.getFileStatus(call.path);
  if (status.type !== 'FILE') throw new IsDirectoryError(`Path is not a file: ${call.path}`, { path: call.path });
  return redirectToDataStep(call);
}

/** The request body as it arrives: WebHDFS data is streamed into humle fs, never held whole. */
async function receive(call: WebHdfsCall, writer: { stream(): NodeJS.WritableStream }): Promise<void> {
  await pipeline(call.request.raw, writer.stream());
}

export const dataOperations: Record<string, WebHdfsOperation> = {
  CREATE: {
    method: 'PUT',
    scope: 'fs:write',
    async run(call) {
      // Flags are checked at the first step too, so a bad one is refused before any data is sent.
      const mode = createMode(call.params);
      if (!isDataStep(call)) return redirectToDataStep(call);
      const { params } = call;
      // Made before anything is written: an answer that cannot be sent must not follow a write.
      const location = webHdfsUri(call, call.path);
      if (!mode.create && !(await call.fs.exists(call.path))) {
        throw new FileNotFoundError(`Can't overwrite non-existent ${call.path}: createflag has no CREATE`, { path: call.path });
      }
      const writer = await call.fs.create(call.path, {
        overwrite: mode.overwrite,
        // WebHDFS's default is 644, with no umask from the server side.
        permission: params.permission(0o644),
        replication: params.has('replication') ? params.long('replication', 1, 1) : undefined,
        blockSize: params.has('blocksize') ? params.long('blocksize', 0, 1) : undefined,
        createParent: params.boolean('createparent', true),
      });
      await receive(call, writer);
      return call.reply.code(201).header('location', location).header('content-length', '0').send();
    },
  },

  APPEND: {
    method: 'POST',
    scope: 'fs:write',
    async run(call) {
      if (!isDataStep(call)) return redirectToExistingFile(call);
      await receive(call, await call.fs.append(call.path));
      return undefined;
    },
  },

  OPEN: {
    method: 'GET',
    scope: 'fs:read',
    async run(call) {
      if (!isDataStep(call)) return redirectToExistingFile(call);
      const offset = call.params.long('offset', 0);
      const length = call.params.has('length') ? call.params.long('length', 0) : undefined;
      const stream = await call.fs.open(call.path, { offset, length });
      return call.reply.code(200).type('application/octet-stream').send(stream);
    },
  },
};
