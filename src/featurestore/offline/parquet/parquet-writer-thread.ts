import { Worker } from 'node:worker_threads';
import { reviveError } from '../../../errors/error-transport.js';
import { DeltaDecimalStat, type DeltaFileStats, type DeltaStatValue } from '../delta/delta-file-stats.js';
import type { OfflineColumn } from '../offline-column.js';
import type { ParquetWriteResult, RowsToDrop } from './parquet-file-writer.js';
import type { ParquetWriteReply, ParquetWriteRequest } from './parquet-writer-protocol.js';

type Request = ParquetWriteRequest extends infer R ? (R extends ParquetWriteRequest ? Omit<R, 'id'> : never) : never;

/**
 * Writes the offline store's Parquet files on a worker thread with its own DuckDB.
 *
 * Handing rows to DuckDB is synchronous work in JavaScript (the appender converts every value and copies every
 * string into DuckDB's vectors): for a batch of 10,000 rows of 1 KB it took ~25 ms of the event loop, which the
 * engine's writer, statistics and reads share. On this thread the event loop only copies the rows over (structured
 * clone, a few ms) and the conversion, statistics and Parquet encoding run beside it on another core. Copy-on-write
 * rewrites and compaction merges run here too, and their rows never come to JavaScript at all.
 *
 * One thread for the process, started on first use and not keeping the process alive while idle.
 */
class ParquetWriterThread {
  private worker: Promise<Worker> | undefined;
  private readonly pending = new Map<number, { resolve(value: unknown): void; reject(error: unknown): void }>();
  private nextId = 1;

  write(path: string, columns: readonly OfflineColumn[], rows: readonly (readonly unknown[])[]): Promise<ParquetWriteResult> {
    return this.call({ op: 'write', path, columns, rows }) as Promise<ParquetWriteResult>;
  }

  /** A copy of `source` without the rows `drop` names; undefined (no file) when none is left. */
  rewrite(path: string, source: string, columns: readonly OfflineColumn[], drop: RowsToDrop): Promise<(ParquetWriteResult & { rowsDropped: number }) | undefined> {
    return this.call({ op: 'rewrite', path, source, columns, drop }) as Promise<(ParquetWriteResult & { rowsDropped: number }) | undefined>;
  }

  merge(path: string, sources: readonly string[], columns: readonly OfflineColumn[]): Promise<ParquetWriteResult> {
    return this.call({ op: 'merge', path, sources, columns }) as Promise<ParquetWriteResult>;
  }

  private async call(request: Request): Promise<unknown> {
    const worker = await (this.worker ??= this.start());
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      if (this.pending.size === 0) worker.ref();
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ ...request, id });
    });
  }

  private start(): Promise<Worker> {
    const starting = new Promise<Worker>((resolve, reject) => {
      const worker = new Worker(new URL('./parquet-writer-worker.js', import.meta.url));
      worker.once('error', reject);
      worker.once('message', (m) => {
        if (m !== 'ready') return reject(new Error(`Parquet writer thread said ${String(m)}`));
        worker.off('error', reject);
        worker.on('message', (reply: ParquetWriteReply) => this.settle(worker, reply));
        worker.on('error', (error) => this.fail(error));
        worker.unref();
        resolve(worker);
      });
    });
    // A thread that failed to start, or died, is started again by the next write.
    starting.catch(() => (this.worker = undefined));
    return starting;
  }

  private settle(worker: Worker, reply: ParquetWriteReply): void {
    const waiting = this.pending.get(reply.id);
    if (waiting === undefined) return;
    this.pending.delete(reply.id);
    if (this.pending.size === 0) worker.unref();
    if (reply.ok) waiting.resolve(reply.value === undefined ? undefined : { ...reply.value, stats: reviveStats(reply.value.stats) });
    else waiting.reject(reviveError(reply.error));
  }

  private fail(error: unknown): void {
    this.worker = undefined;
    for (const waiting of this.pending.values()) waiting.reject(error);
    this.pending.clear();
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    if (worker !== undefined) await (await worker.catch(() => undefined))?.terminate();
  }
}

/** Statistics as they crossed the thread: decimal bounds arrive as plain `{ text }` objects and become classes again. */
function reviveStats(stats: DeltaFileStats): DeltaFileStats {
  const revive = (values: Readonly<Record<string, DeltaStatValue>>) =>
    Object.fromEntries(Object.entries(values).map(([name, v]) => [name, typeof v === 'object' ? new DeltaDecimalStat((v as { text: string }).text) : v]));
  return { ...stats, minValues: revive(stats.minValues), maxValues: revive(stats.maxValues) };
}

/** The process's Parquet writer thread. */
export const parquetWriterThread = new ParquetWriterThread();
