import type { Transaction } from '../../db/engine.js';
import { FileNotFoundError } from '../../errors/fs-errors.js';
import { ROOT_ID, partitionOf, type Inode } from '../inode.js';
import type { InodeHintCache } from './inode-hint-cache.js';
import type { InodeStore } from './inode-store.js';
import { formatPath } from '../paths.js';

/**
 * A path looked up in the namespace. `chain[0]` is the root and `chain[i]` the inode of `components[i - 1]`; the chain
 * stops at the first component that does not exist, or at a file that has components after it.
 */
export class ResolvedPath {
  constructor(
    readonly components: readonly string[],
    readonly chain: readonly Inode[],
  ) {}

  get path(): string {
    return formatPath(this.components);
  }

  get exists(): boolean {
    return this.chain.length === this.components.length + 1;
  }

  /** The inode of the whole path, or undefined. */
  get target(): Inode | undefined {
    return this.exists ? this.chain[this.chain.length - 1] : undefined;
  }

  /** The parent directory's inode when the parent exists (whether or not the last component does). */
  get parent(): Inode | undefined {
    return this.chain.length >= this.components.length ? this.chain[this.components.length - 1] : undefined;
  }

  /** Directories above the target (root first), for permission and quota checks. */
  get ancestors(): readonly Inode[] {
    return this.chain.slice(0, Math.min(this.chain.length, this.components.length));
  }

  /** The deepest inode found: the target, or the last existing prefix. */
  get last(): Inode {
    return this.chain[this.chain.length - 1]!;
  }

  requireTarget(): Inode {
    const target = this.target;
    if (target === undefined) throw new FileNotFoundError(`File does not exist: ${this.path}`, { path: this.path });
    return target;
  }
}

/**
 * Resolves paths with one batched read when the hint cache knows every component (the common case), falling back
 * to one primary-key lookup per component from the first unknown or stale one.
 */
export class PathResolver {
  constructor(
    private readonly inodes: InodeStore,
    private readonly hints: InodeHintCache,
  ) {}

  /** `withData` also loads the inline bytes of a tiny file, so reading it costs the one lookup that resolves it. */
  async resolve(tx: Transaction, components: readonly string[], withData = false): Promise<ResolvedPath> {
    const hinted: number[] = [ROOT_ID];
    let parent = ROOT_ID;
    for (const name of components) {
      const id = this.hints.get(parent, name);
      if (id === undefined) break;
      hinted.push(id);
      parent = id;
    }
    const rows = await this.inodes.byIds(tx, hinted, withData);
    const byId = new Map<number, Inode>();
    for (const row of rows) byId.set(row.id, row);
    const root = byId.get(ROOT_ID);
    if (root === undefined) throw new FileNotFoundError('the file system has no root directory; was it formatted?');
    const chain: Inode[] = [root];
    for (let i = 0; i < components.length; i++) {
      const dir = chain[i]!;
      if (!dir.isDir) break;
      const name = components[i]!;
      const candidate = i + 1 < hinted.length ? byId.get(hinted[i + 1]!) : undefined;
      if (candidate !== undefined && candidate.parentId === dir.id && candidate.name === name) {
        chain.push(candidate);
        continue;
      }
      // Past here, hints are stale or absent: look the rest up one by one.
      hinted.length = Math.min(hinted.length, i + 1);
      const found = await this.inodes.child(tx, partitionOf(dir.id, name), dir.id, name, withData);
      if (found === undefined) {
        this.hints.delete(dir.id, name);
        break;
      }
      this.hints.set(dir.id, name, found.id);
      chain.push(found);
    }
    return new ResolvedPath(components, chain);
  }

  remember(inode: Inode): void {
    this.hints.set(inode.parentId, inode.name, inode.id);
  }

  forget(parentId: number, name: string): void {
    this.hints.delete(parentId, name);
  }
}
