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
  /**
   * Per worker, the requests given to it whose answers this thread has not taken in yet. Counted here rather than by
   * the worker on purpose: when this thread is too busy to take in answers, reads it runs itself would wait just
   * as long, so a backlog on either side is a reason to keep the next read here.
   */
  private readonly outstanding: number[];
  private flushScheduled = false;

  private constructor(
    private readonly workers: Worker[],
    private readonly maxOutstanding: number,
  ) {
    this.outboxes = workers.map(() => []);
    this.outstanding = workers.map(() => 0);
    workers.forEach((worker, i) => {
      worker.on('message', (replies: ReadReply[]) => {
        this.outstanding[i]! -= replies.length;
        this.settle(replies);
      });
      worker.unref();
    });
  }

  /**
   * `maxOutstanding`: requests a worker may have outstanding before `tryCall` declines, leaving the read to the
   * calling thread. The calling thread is a reader too: sharing the reads with it keeps both cores busy when there is
   * little to write, and the workers take the reads off it when there is.
   */
  static async start(count: number, init: ReadWorkerInit, maxOutstanding = 48): Promise<ReadWorkerPool> {
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
    return new ReadWorkerPool(workers, maxOutstanding);
  }

  /** Sends the read to the least busy worker, or returns undefined when every worker has enough outstanding. */
  tryCall<T>(user: UserContext, method: ReadMethod, args: unknown[]): Promise<T> | undefined {
    let chosen = 0;
    for (let i = 1; i < this.workers.length; i++) if (this.outstanding[i]! < this.outstanding[chosen]!) chosen = i;
    if (this.outstanding[chosen]! >= this.maxOutstanding) return undefined;
    this.outstanding[chosen]!++;
    return new Promise<T>((resolve, reject) => {
      // Idle workers do not keep the process alive; workers with reads in flight must.
      if (this.pending.size === 0) for (const worker of this.workers) worker.ref();
      const id = this.nextId++;
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.outboxes[chosen]!.push({ id, user: user.user, groups: user.groups, sandboxes: user.sandboxes, method, args });
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
