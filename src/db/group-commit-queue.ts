import type { Transaction, Work } from './engine.js';

interface QueuedUnit {
  work: Work<unknown>;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

/** The statements a batch needs from its connection; kept abstract so the queue does not know the driver. */
export interface BatchConnection {
  readonly tx: Transaction;
  begin(): void;
  commit(): void;
  rollback(): void;
  savepoint(): void;
  releaseSavepoint(): void;
  rollbackToSavepoint(): void;
  /**
   * When present, a committed batch is acknowledged only once this resolves (its commit is then on disk), and the
   * next batch runs meanwhile: the durable write of one batch overlaps the statements of the next.
   */
  sync?(): Promise<void>;
  /** Runs after each committed batch, outside any transaction (housekeeping such as checkpoints). */
  afterCommit?(): void;
}

/**
 * Group commit for a single-writer connection. Units that arrive while a batch runs wait and go together into the
 * next database transaction, so N concurrent writers pay for one durable commit (one fsync) instead of N. Each unit
 * runs inside its own savepoint: a failing unit rolls back alone and the others still commit.
 *
 * Units run one after another; they must only await the database (no file or network I/O), or the whole batch waits.
 */
export class GroupCommitQueue {
  private queue: QueuedUnit[] = [];
  private running = false;

  constructor(
    private readonly connection: BatchConnection,
    private readonly maxBatch: number,
    /** Read-only units change nothing, so they need no savepoint to fail alone. */
    private readonly readOnly = false,
  ) {}

  submit<T>(work: Work<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ work, resolve: resolve as (v: unknown) => void, reject });
      if (!this.running) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.running = true;
    try {
      // The driver is synchronous, so a batch never yields to the event loop by itself. Yielding once per batch lets
      // timers and I/O run between batches (a long chain of units cannot starve the process) and lets concurrent
      // callers add their units to the next batch.
      await new Promise<void>((resolve) => setImmediate(resolve));
      while (this.queue.length > 0) {
        const batch = this.queue.length <= this.maxBatch ? this.queue : this.queue.slice(0, this.maxBatch);
        this.queue = this.queue.length <= this.maxBatch ? [] : this.queue.slice(this.maxBatch);
        await this.runBatch(batch);
        if (this.queue.length > 0) await new Promise<void>((resolve) => setImmediate(resolve));
      }
    } finally {
      this.running = false;
    }
  }

  private async runBatch(batch: QueuedUnit[]): Promise<void> {
    const c = this.connection;
    const outcomes: { ok: boolean; value: unknown }[] = [];
    try {
      c.begin();
    } catch (error) {
      for (const unit of batch) unit.reject(error);
      return;
    }
    try {
      if (batch.length === 1 || this.readOnly) {
        // A lone write unit owns the transaction: its failure rolls the transaction back below.
        for (const unit of batch) {
          try {
            outcomes.push({ ok: true, value: await unit.work(c.tx) });
          } catch (error) {
            if (batch.length === 1) throw error;
            outcomes.push({ ok: false, value: error });
          }
        }
      } else {
        for (const unit of batch) {
          c.savepoint();
          try {
            const value = await unit.work(c.tx);
            c.releaseSavepoint();
            outcomes.push({ ok: true, value });
          } catch (error) {
            c.rollbackToSavepoint();
            c.releaseSavepoint();
            outcomes.push({ ok: false, value: error });
          }
        }
      }
      c.commit();
    } catch (error) {
      try {
        c.rollback();
      } catch {
        // The transaction is already gone (SQLite rolls back by itself on some errors); nothing left to undo.
      }
      for (const unit of batch) unit.reject(error);
      return;
    }
    c.afterCommit?.();
    if (c.sync === undefined) {
      settle(batch, outcomes);
      return;
    }
    // Not awaited: the queue goes on with the next batch while this one's commit reaches the disk.
    c.sync().then(
      () => settle(batch, outcomes),
      (error: unknown) => {
        // Units that failed changed nothing and keep their own error; the others may or may not be on disk.
        batch.forEach((unit, i) => unit.reject(outcomes[i]!.ok ? error : outcomes[i]!.value));
      },
    );
  }
}

function settle(batch: readonly QueuedUnit[], outcomes: readonly { ok: boolean; value: unknown }[]): void {
  batch.forEach((unit, i) => {
    const outcome = outcomes[i]!;
    if (outcome.ok) unit.resolve(outcome.value);
    else unit.reject(outcome.value);
  });
}
