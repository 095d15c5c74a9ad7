import { Worker } from 'node:worker_threads';
import { reviveError } from '../../errors/error-transport.js';
import type { UserContext } from '../namespace/permissions.js';
import type { ReadMethod, ReadReply, ReadRequest, ReadWorkerInit } from './read-protocol.js';

interface Pending {
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

/**
 * Spreads read operations over worker threads so the namespace's reads use the cores the writer thread does not.
 * Requests made in the same turn of the event loop travel to a worker as one message, and its replies come back as
 * one, so the cost of crossing threads is paid per batch, not per read.
 */
export class ReadWorkerPool {
  private readonly pending = new Map<number, Pending>();
  private readonly outboxes: ReadRequest[][];
  private nextId = 1;
  private nextWorker = 0;
  private flushScheduled = false;

  private constructor(private readonly workers: Worker[]) {
    this.outboxes = workers.map(() => []);
    for (const worker of workers) {
      worker.on('message', (replies: ReadReply[]) => this.settle(replies));
      worker.unref();
    }
  }

  static async start(count: number, init: ReadWorkerInit): Promise<ReadWorkerPool> {
    const url = new URL('./read-worker.js', import.meta.url);
    const workers = await Promise.all(
      Array.from(
        { length: count },
        () =>
          new Promise<Worker>((resolve, reject) => {
            const worker = new Worker(url, { workerData: init });
            worker.once('error', reject);
            worker.once('message', (m) => (m === 'ready' ? resolve(worker) : reject(new Error(`read worker said ${String(m)}`))));
          }),
      ),
    );
    return new ReadWorkerPool(workers);
  }

  call<T>(user: UserContext, method: ReadMethod, args: unknown[]): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      // Idle workers do not keep the process alive; workers with reads in flight must.
      if (this.pending.size === 0) for (const worker of this.workers) worker.ref();
      const id = this.nextId++;
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.outboxes[this.nextWorker]!.push({ id, user: user.user, groups: user.groups, method, args });
      this.nextWorker = (this.nextWorker + 1) % this.workers.length;
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.flushScheduled = false;
    this.outboxes.forEach((batch, i) => {
      if (batch.length === 0) return;
      this.outboxes[i] = [];
      this.workers[i]!.postMessage(batch);
    });
  }

  private settle(replies: ReadReply[]): void {
    for (const reply of replies) {
      const pending = this.pending.get(reply.id);
      if (pending === undefined) continue;
      this.pending.delete(reply.id);
      if (reply.ok) {
        // Structured clone turns a Buffer into a plain Uint8Array; give callers the Buffer they expect.
        const value = reply.value instanceof Uint8Array ? Buffer.from(reply.value.buffer, reply.value.byteOffset, reply.value.byteLength) : reply.value;
        pending.resolve(value);
      } else pending.reject(reviveError(reply.error));
    }
    if (this.pending.size === 0) for (const worker of this.workers) worker.unref();
  }

  async close(): Promise<void> {
    await Promise.all(
      this.workers.map(
        (worker) =>
          new Promise<void>((resolve) => {
            worker.ref(); // keep the process alive until the worker has closed its connections
            worker.once('exit', () => resolve());
            worker.postMessage('close');
          }),
      ),
    );
  }
}
