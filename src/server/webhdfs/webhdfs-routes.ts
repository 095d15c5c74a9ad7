import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { checkPathVisible } from '../../platform/project-visibility.js';
import type { RouteModule } from '../route-module.js';
import type { ServerContext } from '../server-context.js';
import { attributeOperations } from './operations/attribute-operations.js';
import { blockLocationOperations } from './operations/block-location-operations.js';
import { dataOperations } from './operations/data-operations.js';
import { namespaceOperations } from './operations/namespace-operations.js';
import { readOperations } from './operations/read-operations.js';
import { xattrOperations } from './operations/xattr-operations.js';
import { remoteExceptionOf } from './remote-exception.js';
import type { WebHdfsCall, WebHdfsOperation } from './webhdfs-call.js';
import { webHdfsCaller } from './webhdfs-caller.js';
import { invalid, WebHdfsParams } from './webhdfs-params.js';
import { WEBHDFS_PREFIX, webHdfsPath, webHdfsQuery } from './webhdfs-path.js';

const OPERATIONS: Readonly<Record<string, WebHdfsOperation>> = {
  ...readOperations,
  ...blockLocationOperations,
  ...namespaceOperations,
  ...dataOperations,
  ...attributeOperations,
  ...xattrOperations,
};

function sendRemoteException(request: FastifyRequest, reply: FastifyReply, error: unknown): FastifyReply {
  const answer = remoteExceptionOf(error);
  if (answer.status >= 500) request.log.error(error);
  return reply.code(answer.status).type('application/json').send(JSON.stringify(answer.body));
}

/**
 * WebHDFS (Hadoop's WebHDFS.md): `/webhdfs/v1/<path>?op=...`, one handler that authenticates, checks the operation's
 * HTTP method and key scope, refuses paths in other people's projects as missing, and runs the operation on humle
 * fs as the caller. Errors are HDFS's RemoteException JSON with HDFS's statuses.
 */
export const webHdfs: RouteModule = {
  name: 'webhdfs',
  async register(app: FastifyInstance, ctx: ServerContext) {
    // Bodies are file data: left unread here and streamed by CREATE and APPEND, whatever their content type.
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', (_request, _payload, done) => done(null));

    async function handle(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
      const rawUrl = request.raw.url ?? WEBHDFS_PREFIX;
      try {
        const params = new WebHdfsParams(webHdfsQuery(rawUrl));
        const caller = await webHdfsCaller(ctx, request, params);
        const name = params.required('op').toUpperCase();
        const operation = OPERATIONS[name];
        if (operation === undefined) throw invalid('op', name, 'no such operation');
        if (operation.method !== request.method) throw invalid('op', name, `${name} is an HTTP ${operation.method} operation`);
        caller.requireScope(operation.scope);
        const path = webHdfsPath(rawUrl, WEBHDFS_PREFIX);
        const checkVisible = (other: string) => checkPathVisible(caller, other);
        checkVisible(path);
        const call: WebHdfsCall = { ctx, caller, fs: caller.fsView(ctx.humle.fs), path, params, request, reply, checkVisible };
        const result = await operation.run(call);
        if (result === reply || reply.sent) return reply;
        if (result === undefined) return reply.code(200).header('content-length', '0').send();
        return reply.code(200).type('application/json').send(JSON.stringify(result));
      } catch (error) {
        return sendRemoteException(request, reply, error);
      }
    }

    for (const url of ['/', '/*']) app.route({ method: ['GET', 'PUT', 'POST', 'DELETE'], url, handler: handle });
    app.setErrorHandler((error, request, reply) => sendRemoteException(request, reply, error));
    app.setNotFoundHandler((request, reply) => sendRemoteException(request, reply, invalid('method', request.method, 'WebHDFS takes GET, PUT, POST and DELETE')));
  },
};
