import { open, type FileHandle } from 'node:fs/promises';

/**
 * Makes committed SQLite transactions durable off the event loop.
 *
 * The writer connection runs with `synchronous = NORMAL`: COMMIT appends the transaction's frames to the WAL file
 * (the kernel's page cache) and returns without waiting for the disk. Before any unit of a committed batch is
 * acknowledged, the group-commit queue asks for a sync here: `fdatasync` of the WAL file on libuv's thread pool.
 * Once it returns, every frame written before it is on disk, so an acknowledged unit survives power loss exactly as
 * with `synchronous = FULL`, but the thread keeps running statements (reads, the next batch) while the disk works.
 * Checkpoints are unchanged: in NORMAL mode SQLite itself syncs the WAL before copying it into the database file and
 * the database file before it reuses the WAL.
 *
 * At most one sync runs at a time; commits that arrive meanwhile share the next one, so a slow disk makes batches
 * larger rather than syncs more numerous (group commit, as InnoDB's log does it).
 *
 * A failed sync leaves the durability of everything since the last good one unknown (the kernel may have dropped
 * the dirty pages), so it is final: this sync and every later one reject, and the engine refuses further writes.
 */
export class WalSync {
  private handle: FileHandle | undefined;
  private running = false;
  private waiting: { resolve(): void; reject(error: unknown): void }[] = [];
  private failure: Error | undefined;

  constructor(private readonly walPath: string) {}

  /** Why the last sync failed, once one has: the engine is then read-only. */
  get failed(): Error | undefined {
    return this.failure;
  }

  /** Resolves once everything committed before this call is on disk. */
  sync(): Promise<void> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    return new Promise<void>((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      if (!this.running) void this.run();
    });
  }

  private async run(): Promise<void> {
    this.running = true;
    while (this.waiting.length > 0) {
      // Everyone waiting now committed before this fdatasync starts, so it covers all of them.
      const group = this.waiting;
      this.waiting = [];
      try {
        // Opened on first use: the WAL file exists once the writer has committed. SQLite deletes it only when the
        // last connection closes, and this engine's writer stays open until close(), so the handle stays valid.
        this.handle ??= await open(this.walPath, 'r');
        await this.handle.datasync();
        for (const unit of group) unit.resolve();
      } catch (error) {
        this.failure = new Error(`fdatasync of ${this.walPath} failed; writes are refused from now on: ${String(error)}`, { cause: error });
        for (const unit of [...group, ...this.waiting]) unit.reject(this.failure);
        this.waiting = [];
      }
    }
    this.running = false;
  }

  async close(): Promise<void> {
    await this.handle?.close();
    this.handle = undefined;
  }
}
