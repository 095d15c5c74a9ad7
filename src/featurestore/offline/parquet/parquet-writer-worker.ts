// The Parquet writer thread (see parquet-writer-thread.ts): its own DuckDB, the same writing functions.
import { parentPort } from 'node:worker_threads';
import { serializeError } from '../../../errors/error-transport.js';
import { mergeParquetFiles, rewriteParquetFile, writeParquetFile } from './parquet-file-writer.js';
import type { ParquetWriteReply, ParquetWriteRequest } from './parquet-writer-protocol.js';

const port = parentPort!;

async function perform(request: ParquetWriteRequest): Promise<ParquetWriteReply> {
  try {
    switch (request.op) {
      case 'write':
        return { id: request.id, ok: true, value: await writeParquetFile(request.path, request.columns, request.rows) };
      case 'rewrite':
        return { id: request.id, ok: true, value: await rewriteParquetFile(request.path, request.source, request.columns, request.drop) };
      case 'merge':
        return { id: request.id, ok: true, value: await mergeParquetFiles(request.path, request.sources, request.columns) };
    }
  } catch (error) {
    return { id: request.id, ok: false, error: serializeError(error) };
  }
}

// Requests run as they come: DuckDB serves its connections concurrently, on its own threads.
port.on('message', (request: ParquetWriteRequest) => {
  void perform(request).then((reply) => port.postMessage(reply));
});
port.postMessage('ready');
