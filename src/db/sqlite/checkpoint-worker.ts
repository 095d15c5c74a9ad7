// The thread of a BackgroundCheckpointer: its own connection to the database, which copies WAL frames into the
// database file (a PASSIVE checkpoint: it never blocks the writer) each time it is asked, and answers with the
// WAL's state afterwards.
import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';
import type { CheckpointReply, CheckpointWorkerInit } from './checkpoint-protocol.js';

const { path } = workerData as CheckpointWorkerInit;
const db = new Database(path, { timeout: 0 });
// This connection must never checkpoint on its own schedule, nor on close (the engine's writer is still open then).
db.pragma('wal_autocheckpoint = 0');
db.pragma('synchronous = NORMAL');
const port = parentPort!;

port.on('message', (message: 'checkpoint' | 'close') => {
  if (message === 'close') {
    db.close();
    port.close();
    return;
  }
  let reply: CheckpointReply;
  try {
    const [status] = db.pragma('wal_checkpoint(PASSIVE)') as { busy: number; log: number; checkpointed: number }[];
    reply = { log: status!.log, checkpointed: status!.checkpointed };
  } catch (error) {
    reply = { error: String(error) };
  }
  port.postMessage(reply);
});
port.postMessage('ready');
