/**
 * HopsFS's inode hint cache: (parent id, name) → inode id. A hit lets path resolution fetch every component of a
 * path in one batched read by id; the rows it returns are then checked against the path (each row's parent and
 * name), so a stale hint costs one more lookup and never a wrong answer.
 */
export class InodeHintCache {
  /** parent id → (name → child id); nested so a lookup builds no key string. */
  private readonly hints = new Map<number, Map<string, number>>();
  private count = 0;

  constructor(private readonly capacity = 200_000) {}

  get(parentId: number, name: string): number | undefined {
    return this.hints.get(parentId)?.get(name);
  }

  set(parentId: number, name: string, id: number): void {
    let children = this.hints.get(parentId);
    if (children === undefined) {
      if (this.count >= this.capacity) this.evict();
      this.hints.set(parentId, (children = new Map()));
    }
    if (!children.has(name)) {
      if (this.count >= this.capacity) this.evict();
      this.count++;
    }
    children.set(name, id);
  }

  delete(parentId: number, name: string): void {
    const children = this.hints.get(parentId);
    if (children?.delete(name)) this.count--;
  }

  /** Drops the oldest directory's hints (Maps keep insertion order); hints are cheap to relearn. */
  private evict(): void {
    const oldest = this.hints.entries().next();
    if (oldest.done) return;
    this.count -= oldest.value[1].size;
    this.hints.delete(oldest.value[0]);
  }

  get size(): number {
    return this.count;
  }
}
