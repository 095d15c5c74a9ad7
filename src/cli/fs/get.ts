import { createWriteStream } from 'node:fs';
import { chmod, mkdir, rename, unlink, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Command } from 'commander';
import type { FileStatus } from '../../fs/file-status.js';
import { interruptible } from '../interruption.js';
import { progressStage } from '../progress.js';
import { eachPath } from './each-path.js';
import { fsAction, type FsContext } from './fs-context.js';
import { needsSourceAndDestination } from './fs-destination.js';
import { baseName } from './fs-paths.js';
import { COPYING_SUFFIX } from './fs-upload.js';
import { LocalFileError } from './local-file-error.js';
import { newTransfer, type TransferResult } from './transfer-result.js';
import { localKind } from './local-kind.js';

interface GetOptions {
  f?: boolean;
  p?: boolean;
}

async function local<T>(path: string, operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    throw LocalFileError.from(error, path);
  }
}

async function preserve(status: FileStatus, target: string): Promise<void> {
  await local(target, () => chmod(target, status.permission & 0o1777));
  await local(target, () => utimes(target, status.accessTime / 1000, status.modificationTime / 1000));
}

/**
 * Streams a humle fs file to `<target>._COPYING_` and renames it over `target` when complete, so an interrupted get
 * never leaves a truncated file under the real name.
 */
async function getFile(ctx: FsContext, status: FileStatus, target: string, options: GetOptions, tally: TransferResult): Promise<void> {
  const kind = await localKind(target);
  if (kind === 'directory') throw new LocalFileError('EISDIR', target);
  if (kind === 'file' && !options.f) throw new LocalFileError('EEXIST', target);
  const source = await ctx.fs.open(status.path);
  const temporary = target + COPYING_SUFFIX;
  await interruptible(source, async () => {
    try {
      const sink = createWriteStream(temporary);
      const progress = await progressStage(ctx.progress, baseName(status.path), status.length);
      try {
        await (progress ? pipeline(source, progress, sink) : pipeline(source, sink));
      } catch (error) {
        throw LocalFileError.from(error, (error as { path?: unknown }).path === temporary ? target : status.path);
      }
      if (options.p) await preserve(status, temporary);
      await local(target, () => rename(temporary, target));
    } catch (error) {
      source.destroy();
      await unlink(temporary).catch(() => undefined);
      throw error;
    }
  });
  tally.files++;
  tally.bytes += status.length;
}

async function getTree(ctx: FsContext, status: FileStatus, target: string, options: GetOptions, tally: TransferResult): Promise<void> {
  if (status.type !== 'DIRECTORY') return getFile(ctx, status, target, options, tally);
  const kind = await localKind(target);
  if (kind === 'file') throw new LocalFileError('EEXIST', target);
  if (kind === undefined) {
    await local(target, () => mkdir(target));
    tally.directories++;
  }
  for await (const child of ctx.fs.list(status.path)) await getTree(ctx, child, join(target, child.name), options, tally);
  if (options.p) await preserve(status, target);
}

export function registerGet(fs: Command): void {
  fs.command('get')
    .alias('copyToLocal')
    .description('copy humle fs files or directories to the local file system; LOCALDST may be an existing directory')
    .argument('<paths...>', 'SRC... LOCALDST')
    .option('-f', 'overwrite existing local files')
    .option('-p', 'preserve modification and access times and permission')
    .action(
      fsAction<[string[], GetOptions]>(async (ctx, args, options) => {
        const sources = args.slice(0, -1);
        const dst = args[args.length - 1]!;
        const dstKind = await localKind(dst);
        if (sources.length > 1 && dstKind !== 'directory') throw new LocalFileError(dstKind === undefined ? 'ENOENT' : 'ENOTDIR', dst);
        const results: TransferResult[] = [];
        const outcome = await eachPath(ctx.out, sources, async (source) => {
          const status = await ctx.fs.getFileStatus(ctx.path(source));
          const target = dstKind === 'directory' && status.path !== '/' ? join(dst, status.name) : dst;
          const tally = newTransfer(status.path, target);
          await getTree(ctx, status, target, options, tally);
          results.push(tally);
        });
        await outcome.finish(results);
      }, needsSourceAndDestination('get')),
    );
}
