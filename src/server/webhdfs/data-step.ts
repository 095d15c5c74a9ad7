import type { FastifyReply } from 'fastify';
import type { WebHdfsCall } from './webhdfs-call.js';
import { WEBHDFS_PREFIX, webHdfsQuery } from './webhdfs-path.js';
import { encodePath, requestOrigin } from './webhdfs-urls.js';

/**
 * HDFS moves file data in a second request: the namenode answers CREATE, APPEND and OPEN with a 307 to a datanode,
 * and the client sends or fetches the bytes there. Here the "datanode" is this same server, at the same URL with
 * `datanode=true` added; the first step carries no data, as clients expect. `noredirect=true` answers the Location as
 * JSON with 200 instead. Every query parameter is kept, so a `delegation` key or `user.name` reaches the second step.
 */
export function isDataStep(call: WebHdfsCall): boolean {
  return call.params.boolean('datanode', false);
}

export function redirectToDataStep(call: WebHdfsCall): FastifyReply {
  // Made from the path this step resolved, percent-encoded, never from the raw request line: a URL parser would turn
  // a raw `\` (legal in a name) into `/` and send the data elsewhere.
  const query = webHdfsQuery(call.request.raw.url ?? '');
  // Parameter names are case-insensitive (WebHdfsParams), so `noRedirect` and `DataNode` go too.
  for (const name of [...query.keys()]) if (['noredirect', 'datanode'].includes(name.toLowerCase())) query.delete(name);
  query.set('datanode', 'true');
  const location = `${requestOrigin(call).origin}${WEBHDFS_PREFIX}${encodePath(call.path)}?${query}`;
  if (call.params.boolean('noredirect', false)) return call.reply.code(200).send({ Location: location });
  return call.reply.code(307).header('location', location).header('content-length', '0').send();
}
