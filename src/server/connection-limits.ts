import type { IncomingMessage, ServerOptions } from 'node:http';
import type { FastifyInstance } from 'fastify';
import { InvalidArgumentError } from '../errors/humle-error.js';

/**
 * How long the server waits for a client, in milliseconds (HumleServerOptions.timeouts, `humle server --*-timeout`).
 * Without them a client could hold a connection, and its file descriptor, forever: headers sent a byte at a time,
 * a body announced and never sent, a keep-alive connection left idle.
 */
export interface ServerTimeouts {
  /** To receive a request's headers, from its first byte (node:http headersTimeout): a 408 and the socket closed. */
  headersMs: number;
  /**
   * How long a request body may go without a byte before its connection is closed. A body is bounded by its
   * progress, not its total time, so an upload of any size (WebHDFS CREATE of a large file) lasts as long as it
   * keeps moving.
   */
  bodyIdleMs: number;
  /** To receive a whole request, headers and body (node:http requestTimeout); 0: no total limit, only the two above. */
  requestMs: number;
  /** An idle keep-alive connection is closed after this long without a new request (node:http keepAliveTimeout). */
  keepAliveMs: number;
}

export const DEFAULT_TIMEOUTS: Readonly<ServerTimeouts> = { headersMs: 30_000, bodyIdleMs: 60_000, requestMs: 0, keepAliveMs: 5_000 };

/** A day: beyond it a limit is a mistake (and node's timers take at most 2^31 - 1 ms). */
const MAX_TIMEOUT_MS = 86_400_000;

/**
 * The timeouts given, over the defaults; InvalidArgumentError for a value that is not a whole number of ms in range.
 * `nameOf` says how the caller spelled each (the CLI: its flags).
 */
export function checkTimeouts(given: Partial<ServerTimeouts> = {}, nameOf: (field: keyof ServerTimeouts) => string = (field) => `timeouts.${field}`): ServerTimeouts {
  const timeouts = { ...DEFAULT_TIMEOUTS, ...given };
  for (const field of Object.keys(DEFAULT_TIMEOUTS) as (keyof ServerTimeouts)[]) {
    const value = timeouts[field];
    // Only the total may be 0 (off): a zero header, body or keep-alive limit would mean none, which is the hole.
    const min = field === 'requestMs' ? 0 : 1;
    if (!Number.isInteger(value) || value < min || value > MAX_TIMEOUT_MS) {
      throw new InvalidArgumentError(`${nameOf(field)} must be an integer number of milliseconds from ${min} to ${MAX_TIMEOUT_MS}`, { [field]: value });
    }
  }
  if (timeouts.requestMs > 0 && timeouts.requestMs < timeouts.headersMs) {
    throw new InvalidArgumentError(`${nameOf('requestMs')} (the whole request) must be 0 or at least ${nameOf('headersMs')}`, { ...timeouts });
  }
  return timeouts;
}

/**
 * Fastify's server options for the timeouts. Fastify's connectionTimeout (a socket idle both ways) stays off: while
 * the server works on an answer (a large insert committing, a query before its first rows) its socket is silent
 * in both directions, and a client waiting for that answer must not be cut off; the body idle timeout is the part
 * of it that waits on the client.
 */
export function fastifyTimeoutOptions(timeouts: ServerTimeouts): { http: ServerOptions; requestTimeout: number; keepAliveTimeout: number; connectionTimeout: number } {
  const shortest = Math.min(timeouts.headersMs, timeouts.requestMs === 0 ? Infinity : timeouts.requestMs);
  return {
    // node:http checks header and request limits on a timer (every 30 s by default): often enough to hold them to
    // about a quarter of the shortest, at most once a second.
    http: { headersTimeout: timeouts.headersMs, connectionsCheckingInterval: Math.max(25, Math.min(1_000, Math.floor(shortest / 4))) },
    requestTimeout: timeouts.requestMs,
    keepAliveTimeout: timeouts.keepAliveMs,
    connectionTimeout: 0,
  };
}

function hasBody(message: IncomingMessage): boolean {
  const length = message.headers['content-length'];
  return message.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/**
 * Hooks every route (REST, WebHDFS, RonDB) with the body rules:
 * - a body that stops moving for bodyIdleMs closes its connection;
 * - an answer sent before its request's body was read whole (a refusal: no key, too large, bad input) closes its
 *   connection (`Connection: close`, so node ends and destroys the socket once the answer is out), instead of node
 *   reading the rest of the body, however large or slow, to keep the connection alive.
 */
export function limitRequestBodies(app: FastifyInstance, timeouts: ServerTimeouts): void {
  app.addHook('onRequest', (request, _reply, done) => {
    if (hasBody(request.raw) && !request.raw.complete) closeWhenBodyIdle(request.raw, timeouts.bodyIdleMs);
    done();
  });
  app.addHook('onSend', (request, reply, payload, done) => {
    if (hasBody(request.raw) && !request.raw.complete) reply.header('connection', 'close');
    done(null, payload);
  });
}

/** Destroys the socket if no byte moves on it for `ms` until the body has ended (the answer's work is not timed). */
function closeWhenBodyIdle(message: IncomingMessage, ms: number): void {
  const socket = message.socket;
  const idle = () => socket.destroy();
  socket.setTimeout(ms);
  socket.on('timeout', idle);
  const stop = () => {
    socket.setTimeout(0);
    socket.off('timeout', idle);
  };
  message.once('end', stop);
  message.once('close', stop);
}
