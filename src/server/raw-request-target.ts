import type { Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';

/**
 * Requests whose target holds raw non-ASCII bytes. Hadoop's WebHdfsFileSystem (and so `hadoop fs`, Spark) sends the
 * non-ASCII characters of a path as raw UTF-8 in the request line, which HDFS's Jetty accepts and Node's HTTP parser
 * refuses (HPE_INVALID_URL, with --insecure-http-parser too), so Hadoop could not open, create or delete such a file.
 * Node hands the refused request to the server's clientError listeners with the bytes it was parsing
 * (`error.rawPacket`). When those bytes are one whole request without a body (every first step of WebHDFS is
 * bodiless: data goes to the redirect's Location, which Humle percent-encodes), it is answered here: its target
 * percent-encoded, replayed through the routes (Fastify's inject, so authentication, validation and every check
 * run as for any request), its answer written, and the connection closed (the parser that refused it cannot go on).
 * Anything else goes to Fastify's own handler (400, 408, 431), as before. Only refused requests come this way.
 */
export function acceptRawRequestTargets(app: FastifyInstance): void {
  const server = app.server;
  const fastifyHandlers = server.listeners('clientError') as ((error: Error, socket: Socket) => void)[];
  server.removeAllListeners('clientError');
  server.on('clientError', (error: Error & { code?: string; rawPacket?: Buffer }, socket: Socket) => {
    const request = error.code === 'HPE_INVALID_URL' && !socket.destroyed ? bodilessRequestOf(error.rawPacket) : undefined;
    if (request === undefined) {
      for (const handler of fastifyHandlers) handler.call(server, error, socket);
      return;
    }
    replay(app, request, socket).catch((failure: unknown) => socket.destroy(failure as Error));
  });
}

interface RawRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
}

const HEADERS_END = Buffer.from('\r\n\r\n');

/** The request the bytes hold, with its target percent-encoded; undefined unless they are one whole bodiless request. */
function bodilessRequestOf(packet: Buffer | undefined): RawRequest | undefined {
  if (packet === undefined) return undefined;
  const end = packet.indexOf(HEADERS_END);
  if (end < 0 || end + HEADERS_END.length !== packet.length) return undefined;
  const lines = packet.subarray(0, end).toString('latin1').split('\r\n');
  const requestLine = /^([A-Z]+) (\S+) HTTP\/1\.[01]$/.exec(lines[0]!);
  if (requestLine === null) return undefined;
  const headers: Record<string, string> = {};
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':');
    if (colon <= 0) return undefined;
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  if (headers['transfer-encoding'] !== undefined || (headers['content-length'] ?? '0') !== '0') return undefined;
  return { method: requestLine[1]!, url: percentEncodedTarget(requestLine[2]!), headers };
}

/** The target with each byte outside printable ASCII percent-encoded (its characters were read as latin1: one a byte). */
function percentEncodedTarget(target: string): string {
  return target.replace(/[^\x21-\x7e]/g, (char) => '%' + char.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0'));
}

async function replay(app: FastifyInstance, request: RawRequest, socket: Socket): Promise<void> {
  const { connection: _connection, ...headers } = request.headers;
  const answer = await app.inject({
    method: request.method as 'GET',
    url: request.url,
    headers,
    remoteAddress: socket.remoteAddress,
  });
  const head = [`HTTP/1.1 ${answer.statusCode} ${answer.statusMessage}`];
  for (const [name, value] of Object.entries(answer.headers)) {
    if (value === undefined || ['connection', 'content-length', 'transfer-encoding', 'keep-alive'].includes(name)) continue;
    for (const one of Array.isArray(value) ? value : [value]) head.push(`${name}: ${one}`);
  }
  head.push(`content-length: ${answer.rawPayload.length}`, 'connection: close', '', '');
  socket.end(Buffer.concat([Buffer.from(head.join('\r\n'), 'latin1'), request.method === 'HEAD' ? Buffer.alloc(0) : answer.rawPayload]));
}
