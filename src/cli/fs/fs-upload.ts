import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { FileAlreadyExistsError } from '../../errors/fs-errors.js';
import { interruptible } from '../interruption.js';
import { progressStage } from '../progress.js';
import type { FsContext } from './fs-context.js';
import { statusOrUndefined } from './status-lookup.js';

/** Mode and times to give the new file (`-p`). */
export interface PreservedAttributes {
  permission: number;
  mtime: number;
  atime: number;
}

export interface UploadOptions {
  overwrite: boolean;
  blockSize?: number;
  preserve?: PreservedAttributes;
  /** The source's length when known, for the progress bar. */
  size?: number;
  label: string;
}

/** hdfs dfs writes to `<target>._COPYING_` too, so tools that know it skip such names. */
export const COPYING_SUFFIX = '._COPYING_';

/**
 * Streams `source` into a new humle fs file at `target`. The bytes go to `<target>._COPYING_` first, which then
 * replaces `target` in one atomic rename: a failed or refused transfer (quota, interrupted source) leaves `target` as
 * it was and no temporary file behind, and readers never see a half-written file under the real name.
 * Returns the number of bytes written. The source is consumed or destroyed either way.
 */
export async function uploadStream(ctx: FsContext, source: Readable, target: string, options: UploadOptions): Promise<number> {
  try {
    return await writeThroughTemporary(ctx, source, target, options);
  } catch (error) {
    source.destroy();
    throw error;
  }
}

async function writeThroughTemporary(ctx: FsContext, source: Readable, target: string, options: UploadOptions): Promise<number> {
  const existing = await statusOrUndefined(ctx.fs, target);
  if (existing?.type === 'DIRECTORY') throw new FileAlreadyExistsError(`${target}: Is a directory`, { path: target });
  if (existing !== undefined && !options.overwrite) throw new FileAlreadyExistsError(`${target}: File exists`, { path: target });
  const temporary = target + COPYING_SUFFIX;
  return interruptible(source, async () => {
    // overwrite: a temporary file left by a killed earlier transfer is ours to replace (a live writer's lease still wins).
    const writer = await ctx.fs.create(temporary, { overwrite: true, createParent: false, blockSize: options.blockSize });
    try {
      const progress = await progressStage(ctx.progress, options.label, options.size);
      await (progress ? pipeline(source, progress, writer.stream()) : pipeline(source, writer.stream()));
      if (options.preserve) {
        await ctx.fs.setPermission(temporary, options.preserve.permission);
        await ctx.fs.setTimes(temporary, options.preserve.mtime, options.preserve.atime);
      }
      await ctx.fs.rename(temporary, target, { overwrite: options.overwrite });
    } catch (error) {
      await ctx.fs.delete(temporary).catch(() => undefined);
      throw error;
    }
    return writer.bytesWritten;
  });
}
