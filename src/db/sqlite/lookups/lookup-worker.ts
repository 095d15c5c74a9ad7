import { parentPort, workerData } from 'node:worker_threads';
import { serializeError } from '../../../errors/error-transport.js';
import { LookupConnection } from './lookup-connection.js';
import type { LookupBatch, LookupReply, LookupWorkerInit } from './lookup-protocol.js';

// A lookup worker: its own read-only connection to the database, answering each batch of lookups with one message.
const connection = new LookupConnection((workerData as LookupWorkerInit).path);

parentPort!.on('message', (batch: LookupBatch | 'close') => {
  if (batch === 'close') {
    connection.close();
    process.exit(0);
  }
  for (const s of batch.statements) connection.prepare(s.id, s.sql);
  const replies: LookupReply[] = batch.lookups.map((lookup) => {
    try {
      return { ok: true, rows: connection.rows(lookup.statement, lookup.params) };
    } catch (error) {
      return { ok: false, error: serializeError(error) };
    }
  });
  parentPort!.postMessage(replies);
});
parentPort!.postMessage('ready');
