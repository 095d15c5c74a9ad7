import { Readable } from 'node:stream';
import { Worker } from 'node:worker_threads';
import { reviveError } from '../../errors/error-transport.js';
import type { AnswerCommand, AnswerEvent, AnswerSpec } from './answer-protocol.js';

/**
 * The answer workers of the process (see answer-worker.ts): threads that run large answers' statements and encode
 * their rows, so the event loop only hands pieces to sockets and stays free for other requests. One worker by
 * default: with the main thread it keeps two cores busy, and each worker has a DuckDB instance of its own (memory
 * limit and threads, see duckdb-instance.ts). Started at the first large answer; idle workers do not keep the
 * process alive.
 */

/** An answer being received: its stream, and how its first piece (or failure) is awaited. */
interface Receiving {
  stream: AnswerStream;
  worker: WorkerSlot;
  started: { resolve(): void; reject(error: unknown): void } | null;
  failure: (error: Error) => Error | Promise<Error>;
}

interface WorkerSlot {
  worker: Worker;
  answers: number;
}

/** An answer as a byte stream: each piece is asked of the worker when the socket has taken the last one. */
class AnswerStream extends Readable {
  /** Whether a piece has been asked for and not come yet (the first comes unasked). */
  private asked = true;
  private ended = false;

  constructor(private readonly command: (command: AnswerCommand) => void, private readonly id: number) {
    super();
  }

  override _read(): void {
    if (this.asked || this.ended) return;
    this.asked = true;
    this.command({ kind: 'pull', id: this.id });
  }

  receive(bytes: ArrayBuffer): void {
    this.asked = false;
    // The socket may want more at once (push returns true): ask now rather than wait for the next _read.
    if (this.push(Buffer.from(bytes))) this._read();
  }

  end(): void {
    this.ended = true;
    this.push(null);
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    if (!this.ended) this.command({ kind: 'cancel', id: this.id });
    this.ended = true;
    callback(error);
  }
}

class AnswerWorkers {
  private readonly receiving = new Map<number, Receiving>();
  private nextId = 1;

  private constructor(private readonly slots: WorkerSlot[]) {
    for (const slot of slots) {
      slot.worker.on('message', (event: AnswerEvent) => void this.onEvent(event));
      slot.worker.on('error', (error) => this.lost(slot, error));
      slot.worker.on('exit', (code) => this.lost(slot, new Error(`the answer worker exited with ${code}`)));
      slot.worker.unref();
    }
  }

  /** A worker that died fails its answers; the next answer starts new workers. */
  private lost(slot: WorkerSlot, error: Error): void {
    if (workers !== null) void workers.then((current) => current === this && (workers = null));
    for (const [id, receiving] of this.receiving) {
      if (receiving.worker !== slot) continue;
      this.receiving.delete(id);
      if (receiving.started !== null) receiving.started.reject(error);
      else receiving.stream.destroy(error);
    }
  }

  static async start(count: number): Promise<AnswerWorkers> {
    const url = new URL('./answer-worker.js', import.meta.url);
    const workers = await Promise.all(
      Array.from(
        { length: count },
        () =>
          new Promise<Worker>((resolve, reject) => {
            const worker = new Worker(url);
            worker.once('error', reject);
            worker.once('message', (m) => (m === 'ready' ? resolve(worker) : reject(new Error(`answer worker said ${String(m)}`))));
          }),
      ),
    );
    return new AnswerWorkers(workers.map((worker) => ({ worker, answers: 0 })));
  }

  /**
   * The answer of `spec` as a stream, once its first piece has come: a failure of the statement rejects, as
   * `failure` makes it of DuckDB's message (a typed error the route answers with), before any byte is sent.
   */
  async stream(spec: AnswerSpec, failure: (error: Error) => Error | Promise<Error>): Promise<Readable> {
    const slot = this.slots.reduce((least, s) => (s.answers < least.answers ? s : least));
    const id = this.nextId++;
    const stream = new AnswerStream((command) => slot.worker.postMessage(command), id);
    const started = new Promise<void>((resolve, reject) => this.receiving.set(id, { stream, worker: slot, started: { resolve, reject }, failure }));
    // Workers with answers in flight keep the process alive.
    if (slot.answers++ === 0) slot.worker.ref();
    slot.worker.postMessage({ kind: 'start', id, spec } satisfies AnswerCommand);
    await started;
    return stream;
  }

  private async onEvent(event: AnswerEvent): Promise<void> {
    const receiving = this.receiving.get(event.id);
    if (receiving === undefined) return;
    if (event.kind === 'piece') {
      receiving.stream.receive(event.bytes);
      receiving.started?.resolve();
      receiving.started = null;
      return;
    }
    this.receiving.delete(event.id);
    if (--receiving.worker.answers === 0) receiving.worker.worker.unref();
    if (event.kind === 'end') {
      receiving.stream.end();
      receiving.started?.resolve();
      return;
    }
    const error = event.duckdb === null ? reviveError(event.error) : await receiving.failure(new Error(event.duckdb));
    if (receiving.started !== null) receiving.started.reject(error);
    else receiving.stream.destroy(error);
  }
}

let workers: Promise<AnswerWorkers> | null = null;

/** The process's answer workers, started at the first call. */
export function answerWorkers(): Promise<AnswerWorkers> {
  if (workers === null) {
    const starting = AnswerWorkers.start(1);
    // A failed start is not kept: the next answer tries again.
    starting.catch(() => {
      if (workers === starting) workers = null;
    });
    workers = starting;
  }
  return workers;
}
