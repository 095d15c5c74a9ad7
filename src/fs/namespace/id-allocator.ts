import type { Engine } from '../../db/engine.js';

/**
 * Hands out unique ids (inodes, blocks) from ranges reserved in the database, as HopsFS's namenodes do: one small
 * transaction reserves a range, then ids come from memory. Ids of a range this process does not use are skipped,
 * never reused. Reserving happens outside the caller's transaction, so no operation holds the counter row.
 */
export class IdAllocator {
  private next = 0;
  private end = 0;
  private refill: Promise<void> | undefined;

  constructor(
    private readonly engine: Engine,
    private readonly counter: string,
    private readonly firstId: number,
    private readonly rangeSize = 10_000,
  ) {}

  /** `count` consecutive-or-not fresh ids. */
  async take(count = 1): Promise<number[]> {
    const ids: number[] = [];
    while (ids.length < count) {
      if (this.next >= this.end) await this.reserve(Math.max(this.rangeSize, count - ids.length));
      while (ids.length < count && this.next < this.end) ids.push(this.next++);
    }
    return ids;
  }

  async takeOne(): Promise<number> {
    if (this.next < this.end) return this.next++;
    return (await this.take(1))[0]!;
  }

  private reserve(size: number): Promise<void> {
    this.refill ??= this.engine
      .write(async (tx) => {
        const row = await tx.get<{ next_value: number }>(`SELECT next_value FROM fs_id_counters WHERE name = ?${this.engine.dialect.forUpdate}`, [
          this.counter,
        ]);
        const start = row ? Number(row.next_value) : this.firstId;
        if (row) await tx.run('UPDATE fs_id_counters SET next_value = ? WHERE name = ?', [start + size, this.counter]);
        else await tx.run('INSERT INTO fs_id_counters (name, next_value) VALUES (?, ?)', [this.counter, start + size]);
        return start;
      })
      .then((start) => {
        this.next = start;
        this.end = start + size;
      })
      .finally(() => {
        this.refill = undefined;
      });
    return this.refill;
  }
}
