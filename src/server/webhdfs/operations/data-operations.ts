import { pipeline } from 'node:stream/promises';
import { isDataStep, redirectToDataStep } from '../data-step.js';
import type { WebHdfsCall, WebHdfsOperation } from '../webhdfs-call.js';

/** The request body as it arrives: WebHDFS data is streamed into humle fs, never held whole. */
async function receive(call: WebHdfsCall, writer: { stream(): NodeJS.WritableStream }): Promise<void> {
  await pipeline(call.request.raw, writer.stream());
}

export const dataOperations: Record<string, WebHdfsOperation> = {
  CREATE: {
    method: 'PUT',
    scope: 'fs:write',
    async run(call) {
      if (!isDataStep(call)) return redirectToDataStep(call);
      const { params } = call;
      const writer = await call.fs.create(call.path, {
        overwrite: params.boolean('overwrite', false),
        // WebHDFS's default is 644, with no umask from the server side.
        permission: params.permission(0o644),
        replication: params.has('replication') ? params.long('replication', 1, 1) : undefined,
        blockSize: params.has('blocksize') ? params.long('blocksize', 0, 1) : undefined,
        createParent: params.boolean('createparent', true),
      });
      await receive(call, writer);
      const host = call.request.headers.host ?? 'localhost';
      return call.reply.code(201).header('location', `webhdfs://${host}${call.path}`).header('content-length', '0').send();
    },
  },

  APPEND: {
    method: 'POST',
    scope: 'fs:write',
    async run(call) {
      if (!isDataStep(call)) return redirectToDataStep(call);
      await receive(call, await call.fs.append(call.path));
      return undefined;
    },
  },

  OPEN: {
    method: 'GET',
    scope: 'fs:read',
    async run(call) {
      if (!isDataStep(call)) return redirectToDataStep(call);
      const offset = call.params.long('offset', 0);
      const length = call.params.has('length') ? call.params.long('length', 0) : undefined;
      const stream = await call.fs.open(call.path, { offset, length });
      return call.reply.code(200).type('application/octet-stream').send(stream);
    },
  },
};
