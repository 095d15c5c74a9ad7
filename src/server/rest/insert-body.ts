import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Transform, Writable, type Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { PayloadTooLargeError, UnsupportedMediaTypeError } from '../../errors/request-errors.js';
import { arrowTableFromIpc } from '../../featurestore/input/arrow-ipc.js';
import type { FeatureData } from '../../featurestore/input/read-feature-data.js';

/** The formats an insert body comes in besides JSON, by media type (Arrow IPC as a stream or as a file). */
const STREAMED_FORMATS = {
  'application/x-ndjson': 'ndjson',
  'text/csv': 'csv',
  'application/vnd.apache.parquet': 'parquet',
  'application/vnd.apache.arrow.stream': 'arrow',
  'application/vnd.apache.arrow.file': 'arrow',
} as const;

/** The temporary file's extension, which tells the SDK's reader the format. */
const FILE_EXTENSION = { ndjson: '.ndjson', csv: '.csv', parquet: '.parquet' } as const;

/** Bytes whose format only `?format=` tells. */
const OCTET_STREAM = 'application/octet-stream';

export type StreamedFormat = (typeof STREAMED_FORMATS)[keyof typeof STREAMED_FORMATS];

export const STREAMED_MEDIA_TYPES: readonly string[] = [...Object.keys(STREAMED_FORMATS), OCTET_STREAM];

/**
 * Lets a scope's routes take the streamed formats: their body reaches the handler unread, as the request stream, so
 * that the caller's rights are checked before a byte is stored and the size limit is the insert's own.
 */
export function acceptStreamedBodies(app: FastifyInstance): void {
  app.addContentTypeParser(STREAMED_MEDIA_TYPES as string[], (_request, payload, done) => done(null, payload));
}

/**
 * The streamed format of a request, or undefined for JSON (which Fastify has parsed). `application/octet-stream`
 * needs `format` (`?format=parquet`).
 */
export function streamedFormatOf(request: FastifyRequest, format: StreamedFormat | undefined): StreamedFormat | undefined {
  const media = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (media === OCTET_STREAM) {
    if (format === undefined) throw new UnsupportedMediaTypeError('an application/octet-stream body needs ?format=parquet (or arrow, csv, ndjson)', { contentType: media });
    return format;
  }
  return (STREAMED_FORMATS as Record<string, StreamedFormat>)[media];
}

/**
 * Receives a streamed body as the SDK's insert takes it: CSV, NDJSON and Parquet as a temporary file (read in
 * batches by the SDK, so a large body never sits in memory as objects), Arrow IPC as an apache-arrow Table. At most
 * `limit` bytes: beyond, PayloadTooLargeError (413) and the connection closes. `use` runs with the data; the
 * temporary file is removed afterwards, whatever happened.
 */
export async function withStreamedBody<T>(request: FastifyRequest, reply: FastifyReply, format: StreamedFormat, limit: number, use: (data: FeatureData) => Promise<T>): Promise<T> {
  const body = request.body as Readable;
  const tooLarge = () => {
    reply.header('connection', 'close');
    return new PayloadTooLargeError(`an insert body is at most ${limit} bytes`, { limit });
  };
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) throw tooLarge();
  if (format === 'arrow') {
    const chunks: Buffer[] = [];
    await receive(body, limit, tooLarge, new Writable({ write: (chunk: Buffer, _encoding, done) => (chunks.push(chunk), done()) }));
    return use(arrowTableFromIpc(Buffer.concat(chunks)));
  }
  const directory = await mkdtemp(join(tmpdir(), 'humle-insert-'));
  try {
    const path = join(directory, `body${FILE_EXTENSION[format]}`);
    await receive(body, limit, tooLarge, createWriteStream(path));
    return await use(path);
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}

/**
 * Pipes the body into `sink`, counting bytes. Past the limit the body is unpiped but not destroyed (destroying the
 * request would destroy the socket before the 413 is written); Node discards the rest once the answer is sent.
 */
function receive(body: Readable, limit: number, tooLarge: () => Error, sink: Writable): Promise<void> {
  let size = 0;
  const limiter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      size += chunk.length;
      done(size > limit ? tooLarge() : null, chunk);
    },
  });
  return new Promise<void>((resolve, reject) => {
    const fail = (error: Error) => {
      body.unpipe(limiter);
      sink.destroy();
      reject(error);
    };
    body.once('error', fail);
    limiter.once('error', fail);
    sink.once('error', fail);
    sink.once('finish', resolve);
    body.pipe(limiter).pipe(sink);
  });
}
