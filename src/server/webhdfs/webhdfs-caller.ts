import type { FastifyRequest } from 'fastify';
import { AccessDeniedError, AuthenticationError } from '../../errors/platform-errors.js';
import type { Principal } from '../../platform/principal.js';
import { authenticateKey, presentedApiKey } from '../authentication.js';
import type { ServerContext } from '../server-context.js';
import type { WebHdfsParams } from './webhdfs-params.js';

/**
 * Who a WebHDFS request runs as. An API key, from a header or from `delegation=<key>` (where WebHDFS clients put a
 * token: the Python `hdfs` package's TokenClient, and HDFS's own redirects), always wins. `user.name` alone is trusted
 * only on a server started with --insecure, as HDFS trusts it with security off. `doas` (proxy users) is refused:
 * nobody here may act for another user.
 */
export async function webHdfsCaller(ctx: ServerContext, request: FastifyRequest, params: WebHdfsParams): Promise<Principal> {
  const key = presentedApiKey(request.headers) ?? params.string('delegation');
  const userName = params.string('user.name');
  let caller: Principal;
  if (key !== undefined && key !== '') caller = await authenticateKey(ctx.humle.platform, key);
  else if (userName !== undefined && userName !== '' && ctx.insecure) caller = await ctx.humle.platform.trustedPrincipal(userName);
  else if (userName !== undefined && userName !== '') {
    throw new AuthenticationError('this server does not trust user.name: send an API key (X-API-KEY header, or delegation=<key>)');
  } else caller = await authenticateKey(ctx.humle.platform, undefined);
  const doAs = params.string('doas');
  if (doAs !== undefined && doAs !== caller.user) throw new AccessDeniedError(`${caller.user} may not act as ${doAs}`, { doas: doAs });
  return caller;
}
