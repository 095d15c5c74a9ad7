import type { FastifyReply } from 'fastify';
import type { WebHdfsCall } from './webhdfs-call.js';
import { requestOrigin } from './webhdfs-urls.js';

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
  // Joined as text, so the request's path stays a path on this server; the URL parser percent-encodes what the
  // request line held raw, so the Location is always a valid header value.
  const url = new URL(requestOrigin(call).origin + (call.request.raw.url ?? '/'));
  url.searchParams.delete('noredirect');
  url.searchParams.set('datanode', 'true');
  const location = url.toString();
  if (call.params.boolean('noredirect', false)) return call.reply.code(200).send({ Location: location });
  return call.reply.code(307).header('location', location).header('content-length', '0').send();
}
