import { parentPort, workerData } from 'node:worker_threads';
import { serializeError } from '../../errors/error-transport.js';
import { FileSystem } from '../file-system.js';
import type { ReadReply, ReadRequest, ReadWorkerInit } from './read-protocol.js';

// A read worker: its own FileSystem over the same database (its own SQLite connections, which WAL lets read beside
// the main thread's writer), serving batches of read requests from the main thread.
const init = workerData as ReadWorkerInit;
const fs = await FileSystem.open({ ...init, user: '__read_worker__' });
const views = new Map<string, FileSystem>();

function viewFor(request: ReadRequest): FileSystem {
  const key = `${request.user}\0${request.groups.join('\0')}\0${JSON.stringify(request.sandboxes ?? null)}`;
  let view = views.get(key);
  if (view === undefined) views.set(key, (view = fs.as(request.user, [...request.groups], request.sandboxes)));
  return view;
}

async function serve(request: ReadRequest): Promise<ReadReply> {
  try {
    const view = viewFor(request);
    const args = request.args as [string, never];
    switch (request.method) {
      case 'getFileStatus':
        return { id: request.id, ok: true, value: await view.getFileStatus(args[0]) };
      case 'listStatus':
        return { id: request.id, ok: true, value: await view.listStatus(args[0], args[1]) };
      case 'exists':
        return { id: request.id, ok: true, value: await view.exists(args[0]) };
      case 'readFile':
        return { id: request.id, ok: true, value: await view.readFile(args[0], args[1]) };
    }
  } catch (error) {
    return { id: request.id, ok: false, error: serializeError(error) };
  }
}

parentPort!.on('message', (batch: ReadRequest[] | 'close') => {
  if (batch === 'close') {
    void fs.close().then(() => process.exit(0));
    return;
  }
  void Promise.all(batch.map(serve)).then((replies) => parentPort!.postMessage(replies));
});
parentPort!.postMessage('ready');
