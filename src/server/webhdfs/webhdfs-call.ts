import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FileSystem } from '../../fs/file-system.js';
import type { ApiKeyScope } from '../../platform/api-key-scopes.js';
import type { Principal } from '../../platform/principal.js';
import type { ServerContext } from '../server-context.js';
import type { WebHdfsParams } from './webhdfs-params.js';

/** One WebHDFS request, authenticated, with its path checked against the caller's projects. */
export interface WebHdfsCall {
  ctx: ServerContext;
  caller: Principal;
  /** humle fs as the caller: its user, its project groups and their grants. */
  fs: FileSystem;
  /** The absolute path the URL names, percent-decoded. */
  path: string;
  params: WebHdfsParams;
  request: FastifyRequest;
  reply: FastifyReply;
  /** Refuses (as missing) a further path the operation touches (a rename's destination, concat's sources). */
  checkVisible(path: string): void;
}

/**
 * What an operation answers: a JSON object (200), `undefined` for HDFS's "zero content length" 200, or the reply
 * itself when the operation has sent it (a redirect, a stream, a 201).
 */
export type OperationResult = object | undefined | FastifyReply;

export interface WebHdfsOperation {
  method: 'GET' | 'PUT' | 'POST' | 'DELETE';
  /** The API key scope the operation needs. */
  scope: Extract<ApiKeyScope, 'fs:read' | 'fs:write'>;
  run(call: WebHdfsCall): Promise<OperationResult>;
}
