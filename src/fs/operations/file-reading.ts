import { Readable } from 'node:stream';
import { IsDirectoryError } from '../../errors/fs-errors.js';
import { streamBlocks, type FileContent } from '../content/file-reader.js';
import { FileStore } from '../inode.js';
import { PathChangedError } from '../namespace/path-changed-error.js';
import { READ } from '../namespace/permissions.js';
import { parsePath } from '../paths.js';
import { resolveExisting, checkNonNegativeInteger, type OperationContext } from './operation-context.js';

// Reading files: bytes from the database tiers directly, block bytes as a stream.

/** What a read of the file's current version needs: its bytes from the database, or its block list. */
export async function readContent(ctx: OperationContext, components: readonly string[]): Promise<{ path: string; content: FileContent }> {
  return ctx.core.query(async (tx) => {
    const { r, target } = await resolveExisting(ctx, tx, components, true);
    if (target.isDir) throw new IsDirectoryError(`${r.path} is a directory`, { path: r.path });
    ctx.checker.check(target, READ, r.components);
    if (target.fileStore === FileStore.Blocks) {
      const blocks = await ctx.core.contents.blocks(tx, target.id);
      if (blocks.reduce((sum, b) => sum + b.length, 0) !== target.size) throw new PathChangedError(`${r.path} changed while being read`);
      return { path: r.path, content: { kind: 'blocks', blocks, size: target.size } };
    }
    return { path: r.path, content: { kind: 'bytes', data: await ctx.core.contents.readDb(tx, target) } };
  });
}

/** Streams the file's bytes from `offset` (default 0), at most `length` bytes (default: to the end). */
export async function open(ctx: OperationContext, path: string, options: { offset?: number; length?: number } = {}): Promise<Readable> {
  const content = await readRange(ctx, path, options);
  return Buffer.isBuffer(content) ? Readable.from([content], { objectMode: false }) : content;
}

/** The file's bytes (or a range of them) in one buffer. */
export async function readFile(ctx: OperationContext, path: string, options: { offset?: number; length?: number } = {}): Promise<Buffer> {
  const content = await readRange(ctx, path, options);
  if (Buffer.isBuffer(content)) return content;
  const chunks: Buffer[] = [];
  for await (const chunk of content) chunks.push(chunk as Buffer);
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
}

/** Bytes kept in the database come back as a buffer (no stream needed); block bytes as a stream. */
export async function readRange(ctx: OperationContext, path: string, options: { offset?: number; length?: number }): Promise<Buffer | Readable> {
  const components = parsePath(path);
  const offset = options.offset === undefined ? 0 : checkNonNegativeInteger('offset', options.offset);
  const requested = options.length === undefined ? Infinity : checkNonNegativeInteger('length', options.length);
  const { path: where, content } = await readContent(ctx, components);
  const size = content.kind === 'bytes' ? content.data.length : content.size;
  const length = Math.min(requested, Math.max(0, size - offset));
  if (content.kind === 'bytes') return offset === 0 && length === size ? content.data : content.data.subarray(offset, offset + length);
  return streamBlocks(ctx.core.blocks, where, content.blocks, offset, length);
}
