/**
 * HopsFS's inode hint cache: (parent id, name) → inode id. A hit lets path resolution fetch every component of a
 * path in one batched read by id; the rows it returns are then checked against the path (each row's parent and
 * name), so a stale hint costs one more lookup and never a wrong answer.
 */
export class InodeHintCache {
  private readonly hints = new Map<string, number>();

  constructor(private readonly capacity = 200_000) {}

  private static key(parentId: number, name: string): string {
    return parentId + '/' + name;
  }

  get(parentId: number, name: string): number | undefined {
    return this.hints.get(InodeHintCache.key(parentId, name));
  }

  set(parentId: number, name: string, id: number): void {
    const key = InodeHintCache.key(parentId, name);
    if (!this.hints.has(key) && this.hints.size >= this.capacity) {
      // Evict the oldest hint (Map keeps insertion order); hints are cheap to relearn.
      const oldest = this.hints.keys().next();
      if (!oldest.done) this.hints.delete(oldest.value);
    }
    this.hints.set(key, id);
  }

  delete(parentId: number, name: string): void {
    this.hints.delete(InodeHintCache.key(parentId, name));
  }

  get size(): number {
    return this.hints.size;
  }
}
