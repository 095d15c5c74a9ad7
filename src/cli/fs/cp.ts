import type { Command } from 'commander';
import { FileAlreadyExistsError, FileNotFoundError, InvalidOperationError } from '../../errors/fs-errors.js';
import type { FileStatus } from '../../fs/file-status.js';
import { parseSize } from '../sizes.js';
import { eachPath } from './each-path.js';
import { fsAction, type FsContext } from './fs-context.js';
import { fsDestination, needsSourceAndDestination } from './fs-destination.js';
import { baseName, childPath, isSameOrBelow, parentPath } from './fs-paths.js';
import { uploadStream } from './fs-upload.js';
import { statusOrUndefined } from './status-lookup.js';
import { newTransfer, type TransferResult } from './transfer-result.js';

interface CpOptions {
  f?: boolean;
  p?: boolean;
  blockSize?: number;
}

interface CopySettings {
  overwrite: boolean;
  preserve: boolean;
  blockSize: number | undefined;
}

async function copyFile(ctx: FsContext, status: FileStatus, target: string, settings: CopySettings, tally: TransferResult): Promise<void> {
  const source = await ctx.fs.open(status.path);
  tally.bytes += await uploadStream(ctx, source, target, {
    overwrite: settings.overwrite,
    blockSize: settings.blockSize,
    preserve: settings.preserve ? { permission: status.permission, mtime: status.modificationTime, atime: status.accessTime } : undefined,
    size: status.length,
    label: status.name,
  });
  tally.files++;
}

/** Directories merge into existing ones; files obey -f (hdfs dfs -cp's rules). */
async function copyTree(ctx: FsContext, status: FileStatus, target: string, settings: CopySettings, tally: TransferResult): Promise<void> {
  if (status.type !== 'DIRECTORY') return copyFile(ctx, status, target, settings, tally);
  const existing = await statusOrUndefined(ctx.fs, target);
  if (existing !== undefined && existing.type !== 'DIRECTORY') throw new FileAlreadyExistsError(`${target}: File exists`, { path: target });
  if (existing === undefined) {
    const parent = parentPath(target);
    if ((await statusOrUndefined(ctx.fs, parent)) === undefined) throw new FileNotFoundError(`${parent}: No such file or directory`, { path: parent });
    await ctx.fs.mkdirs(target);
    tally.directories++;
  }
  for await (const child of ctx.fs.list(status.path)) await copyTree(ctx, child, childPath(target, child.name), settings, tally);
  if (settings.preserve) {
    await ctx.fs.setPermission(target, status.permission);
    await ctx.fs.setTimes(target, status.modificationTime, status.accessTime);
  }
}

export function registerCp(fs: Command): void {
  fs.command('cp')
    .description('copy files and directories (recursively) within humle fs; into DST when it is an existing directory')
    .argument('<paths...>', 'SRC... DST')
    .option('-f', 'overwrite existing files')
    .option('-p', 'preserve modification and access times and permission')
    .option('--block-size <size>', 'block size of the new files (e.g. 1m); the storage policy decides by default', (v: string) => parseSize(v, 'block size'))
    .action(
      fsAction<[string[], CpOptions]>(async (ctx, args, options) => {
        const settings: CopySettings = {
          overwrite: options.f === true,
          preserve: options.p === true,
          blockSize: options.blockSize,
        };
        const sources = args.slice(0, -1);
        const destination = await fsDestination(ctx, args[args.length - 1]!, sources.length);
        const results: TransferResult[] = [];
        const outcome = await eachPath(ctx.out, sources, async (arg) => {
          const status = await ctx.fs.getFileStatus(ctx.path(arg));
          const target = destination.target(baseName(status.path));
          if (status.type === 'DIRECTORY' && isSameOrBelow(status.path, target)) {
            throw new InvalidOperationError(`${status.path} cannot be copied into itself (${target})`, { src: status.path, dst: target });
          }
          const tally = newTransfer(status.path, target);
          await copyTree(ctx, status, target, settings, tally);
          results.push(tally);
        });
        await outcome.finish(results);
      }, needsSourceAndDestination('cp')),
    );
}
