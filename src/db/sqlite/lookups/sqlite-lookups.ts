import { Worker } from 'node:worker_threads';
import { reviveError } from '../../../errors/error-transport.js';
import type { SqlValue } from '../../engine.js';
import type { LookupStatement, RowLookups } from '../../row-lookups.js';
import { LookupConnection } from './lookup-connection.js';
import type { LookupBatch, LookupReply, LookupWorkerInit, StatementDefinition } from './lookup-protocol.js';

interface Queued {
  statement: number;
  params: readonly SqlValue[];
  resolve(rows: SqlValue[][]): void;
  reject(error: unknown): void;
}

interface LookupWorker {
  worker: Worker;
  /** Statement ids the worker has prepared (or will have, by the time it reads the next batch). */
  known: Set<number>;
  /** Batches posted and not answered yet, oldest first: a worker answers in the order it receives. */
  inFlight: Queued[][];
  outstanding: number;
}

/**
 * How much more of a turn's lookups a worker takes than this thread: this thread also turns every reply into vectors
 * and settles every promise, so the worker, which only runs statements, gets the larger share. bench/fv-serving.ts
 * with one worker: 1.5 gave 282K vectors/s in batches of 100, 2 gave 350K, 3 gave 344K (and fewer single vectors).
 */
const WORKER_SHARE = 2;
/** Lookups a worker may have outstanding; beyond that this thread keeps the turn's lookups (the worker is behind). */
const MAX_OUTSTANDING = 512;

/**
 * SQLite lookups on this thread's read-only connection and on worker threads with their own. Without workers a lookup
 * runs at once. With workers, the lookups of one event-loop turn are gathered, a share goes to each worker as one
 * message (the cost of crossing threads is paid per turn, not per lookup), and this thread runs the rest meanwhile:
 * a lone caller is served here, many concurrent callers keep both cores busy.
 */
export class SqliteLookups implements RowLookups {
  private readonly statementIds = new WeakMap<LookupStatement, StatementDefinition>();
  private readonly definitions = new Map<number, StatementDefinition>();
  private nextStatementId = 1;
  private queue: Queued[] = [];
  private flushScheduled = false;

  private constructor(
    private readonly local: LookupConnection,
    private readonly workers: LookupWorker[],
  ) {
    for (const w of workers) {
      w.worker.on('message', (replies: LookupReply[]) => this.settle(w, replies));
      w.worker.unref();
    }
  }

  static async open(path: string, workerCount: number): Promise<SqliteLookups> {
    const url = new URL('./lookup-worker.js', import.meta.url);
    const init: LookupWorkerInit = { path };
    const workers = await Promise.all(
      Array.from(
        { length: workerCount },
        () =>
          new Promise<Worker>((resolve, reject) => {
            const worker = new Worker(url, { workerData: init });
            worker.once('error', reject);
            worker.once('message', (m) => (m === 'ready' ? resolve(worker) : reject(new Error(`lookup worker said ${String(m)}`))));
          }),
      ),
    );
    return new SqliteLookups(
      new LookupConnection(path),
      workers.map((worker) => ({ worker, known: new Set(), inFlight: [], outstanding: 0 })),
    );
  }

  rows(statement: LookupStatement, params: readonly SqlValue[]): SqlValue[][] | Promise<SqlValue[][]> {
    const definition = this.definition(statement);
    if (this.workers.length === 0) return this.local.rows(definition.id, params);
    return new Promise((resolve, reject) => {
      this.queue.push({ statement: definition.id, params, resolve, reject });
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private definition(statement: LookupStatement): StatementDefinition {
    let definition = this.statementIds.get(statement);
    if (definition === undefined) {
      definition = { id: this.nextStatementId++, sql: statement.sql };
      this.local.prepare(definition.id, definition.sql);
      this.statementIds.set(statement, definition);
      this.definitions.set(definition.id, definition);
    }
    return definition;
  }

  private flush(): void {
    this.flushScheduled = false;
    const queue = this.queue;
    this.queue = [];
    const available = this.workers.filter((w) => w.outstanding < MAX_OUTSTANDING);
    const localCount = Math.ceil(queue.length / (1 + available.length * WORKER_SHARE));
    // Workers first, so they run while this thread runs its share.
    let next = localCount;
    available.forEach((w, k) => {
      const end = k === available.length - 1 ? queue.length : next + Math.ceil((queue.length - localCount) / available.length);
      if (end > next) this.post(w, queue.slice(next, end));
      next = end;
    });
    for (let i = 0; i < localCount; i++) {
      const q = queue[i]!;
      try {
        q.resolve(this.local.rows(q.statement, q.params));
      } catch (error) {
        q.reject(error);
      }
    }
  }

  private post(w: LookupWorker, batch: Queued[]): void {
    const statements: StatementDefinition[] = [];
    for (const q of batch) {
      if (!w.known.has(q.statement)) {
        w.known.add(q.statement);
        statements.push(this.definitions.get(q.statement)!);
      }
    }
    const message: LookupBatch = { statements, lookups: batch.map((q) => ({ statement: q.statement, params: q.params })) };
    // A worker with lookups in flight keeps the process alive; an idle one does not.
    if (w.inFlight.length === 0) w.worker.ref();
    w.inFlight.push(batch);
    w.outstanding += batch.length;
    w.worker.postMessage(message);
  }

  private settle(w: LookupWorker, replies: LookupReply[]): void {
    const batch = w.inFlight.shift()!;
    w.outstanding -= batch.length;
    if (w.inFlight.length === 0) w.worker.unref();
    for (let i = 0; i < batch.length; i++) {
      const reply = replies[i]!;
      if (reply.ok) batch[i]!.resolve(reply.rows);
      else batch[i]!.reject(reviveError(reply.error));
    }
  }

  async close(): Promise<void> {
    await Promise.all(
      this.workers.map(
        (w) =>
          new Promise<void>((resolve) => {
            w.worker.ref();
            w.worker.once('exit', () => resolve());
            w.worker.postMessage('close');
          }),
      ),
    );
    this.local.close();
  }
}
