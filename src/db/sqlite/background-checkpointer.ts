import type Database from 'better-sqlite3';
import { Worker } from 'node:worker_threads';
import type { CheckpointReply, CheckpointWorkerInit } from './checkpoint-protocol.js';

/** WAL frames not yet in the database file that start a background checkpoint (SQLite's own autocheckpoint size). */
const CHECKPOINT_FRAMES = 1000;
/** A WAL of more frames than this is brought to a complete checkpoint by the writer, so that it starts over. */
const RESTART_FRAMES = 4 * CHECKPOINT_FRAMES;
/**
 * A WAL this long means the checkpoint thread is not keeping up (a busy machine): the writer copies the backlog
 * itself before it writes on, whatever it costs the event loop, so the WAL stays bounded.
 */
const BACKLOG_FRAMES = 8 * CHECKPOINT_FRAMES;

/**
 * Checkpoints the writer's WAL on another thread.
 *
 * SQLite's automatic checkpoint runs inside the COMMIT that crosses its threshold, on the committing thread: for the
 * engine's single writer, the event loop, that is a copy of up to 1,000 pages into the database file plus two
 * fsyncs, every few MB of writes (a third of the commit time of wide-row feature inserts). Here the writer turns it
 * off and, after each committed batch, looks at the WAL (a NOOP checkpoint: a few microseconds) and asks a worker
 * thread with its own connection to run a PASSIVE checkpoint once 1,000 frames wait. PASSIVE never blocks the
 * writer, so copying and syncing happen on the other core while the next batches run.
 *
 * A checkpoint that runs beside a busy writer never catches up completely, and SQLite restarts the WAL from its
 * beginning only after a complete one, so the WAL would grow without bound. When it holds more than 4,000 frames and
 * the worker is idle with little left to copy, the writer runs one PASSIVE checkpoint itself, between batches: it
 * copies only what the worker has not, completes, and the next write transaction starts the WAL over. If the worker
 * falls behind (more than 8,000 frames), the writer stops handing it work and copies the backlog itself.
 *
 * The worker starts on first need, so short-lived engines (tests, CLI commands) never start a thread.
 */
export class BackgroundCheckpointer {
  private worker: Promise<Worker> | undefined;
  private inFlight: Promise<void> | undefined;
  /** Set when the worker could not start: the writer then checkpoints by itself, as SQLite would. */
  private inline = false;
  private closed = false;

  constructor(
    private readonly writer: Database.Database,
    private readonly path: string,
  ) {
    writer.pragma('wal_autocheckpoint = 0');
  }

  /** Called on the writer's thread after each committed batch, outside any transaction. */
  afterCommit(): void {
    if (this.inFlight !== undefined || this.closed) return;
    const [status] = this.writer.pragma('wal_checkpoint(NOOP)') as { log: number; checkpointed: number }[];
    const waiting = status!.log - status!.checkpointed;
    if (waiting >= CHECKPOINT_FRAMES && !this.inline && status!.log <= BACKLOG_FRAMES) {
      this.inFlight = this.checkpointInBackground().finally(() => (this.inFlight = undefined));
    } else if (waiting >= CHECKPOINT_FRAMES || (status!.log > RESTART_FRAMES && waiting > 0)) {
      try {
        this.writer.pragma('wal_checkpoint(PASSIVE)');
      } catch (error) {
        // The batch is committed whatever happens here; the frames stay in the WAL for the next attempt.
        process.emitWarning(`checkpoint of ${this.path} failed: ${String(error)}`);
      }
    }
  }

  private async checkpointInBackground(): Promise<void> {
    let worker: Worker;
    try {
      worker = await (this.worker ??= this.startWorker());
    } catch (error) {
      this.inline = true;
      process.emitWarning(`cannot start the checkpoint thread of ${this.path}; the writer checkpoints by itself: ${String(error)}`);
      return;
    }
    // Referenced while it works, so that a process awaiting the checkpoint (close) does not exit under it.
    worker.ref();
    const reply = await new Promise<CheckpointReply>((resolve) => {
      worker.once('message', resolve);
      worker.postMessage('checkpoint');
    }).finally(() => worker.unref());
    // A failed background checkpoint loses nothing (the frames stay in the WAL); the next commit tries again, and
    // the writer's own checkpoint above still bounds the WAL.
    if ('error' in reply) process.emitWarning(`background checkpoint of ${this.path} failed: ${reply.error}`);
  }

  private startWorker(): Promise<Worker> {
    const init: CheckpointWorkerInit = { path: this.path };
    return new Promise<Worker>((resolve, reject) => {
      const worker = new Worker(new URL('./checkpoint-worker.js', import.meta.url), { workerData: init });
      worker.once('error', reject);
      worker.once('message', (m) => {
        if (m !== 'ready') return reject(new Error(`checkpoint worker said ${String(m)}`));
        // Idle, the thread must not keep the process alive; while starting, it must (close may be waiting for it).
        worker.unref();
        resolve(worker);
      });
    });
  }

  /** Stops the worker (after its running checkpoint); the writer's close then checkpoints whatever is left. */
  async close(): Promise<void> {
    this.closed = true;
    await this.inFlight;
    if (this.worker === undefined || this.inline) return;
    const worker = await this.worker;
    worker.ref();
    await new Promise<void>((resolve) => {
      worker.once('exit', () => resolve());
      worker.postMessage('close');
    });
  }
}
