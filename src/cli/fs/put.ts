import { createReadStream, type Stats } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import type { Command } from 'commander';
import { FileAlreadyExistsError, FileNotFoundError } from '../../errors/fs-errors.js';
import { parseSize } from '../sizes.js';
import { UsageError } from '../usage-error.js';
import { eachPath } from './each-path.js';
import { fsAction, type FsContext } from './fs-context.js';
import { fsDestination, needsSourceAndDestination } from './fs-destination.js';
import { childPath, parentPath } from './fs-paths.js';
import { uploadStream, type PreservedAttributes } from './fs-upload.js';
import { LocalFileError } from './local-file-error.js';
import { statusOrUndefined } from './status-lookup.js';
import { newTransfer, type TransferResult } from './transfer-result.js';

interface PutOptions {
  f?: boolean;
  p?: boolean;
  blockSize?: number;
}

interface PutSettings {
  overwrite: boolean;
  preserve: boolean;
  blockSize: number | undefined;
}

async function localStat(path: string): Promise<Stats> {
  try {
    return await stat(path);
  } catch (error) {
    throw LocalFileError.from(error, path);
  }
}

function preserved(st: Stats): PreservedAttributes {
  return { permission: st.mode & 0o1777, mtime: Math.floor(st.mtimeMs), atime: Math.floor(st.atimeMs) };
}

async function putFile(ctx: FsContext, local: string, st: Stats, target: string, settings: PutSettings, tally: TransferResult): Promise<void> {
  const source = createReadStream(local);
  // A read error is the local file's, not humle fs's: name the local path.
  const opened = new Promise<void>((resolve, reject) => {
    source.once('open', () => resolve());
    source.once('error', (error) => reject(LocalFileError.from(error, local)));
  });
  await opened;
  tally.bytes += await uploadStream(ctx, source, target, {
    overwrite: settings.overwrite,
    blockSize: settings.blockSize,
    preserve: settings.preserve ? preserved(st) : undefined,
    size: st.size,
    label: basename(local),
  });
  tally.files++;
}

/** A local directory is copied whole, as `hdfs dfs -put` does: directories merge, files obey -f. */
async function putTree(ctx: FsContext, local: string, target: string, settings: PutSettings, tally: TransferResult): Promise<void> {
  const st = await localStat(local);
  if (!st.isDirectory()) return putFile(ctx, local, st, target, settings, tally);
  const existing = await statusOrUndefined(ctx.fs, target);
  if (existing !== undefined && existing.type !== 'DIRECTORY') throw new FileAlreadyExistsError(`${target}: File exists`, { path: target });
  if (existing === undefined) {
    const parent = parentPath(target);
    if ((await statusOrUndefined(ctx.fs, parent)) === undefined) throw new FileNotFoundError(`${parent}: No such file or directory`, { path: parent });
    await ctx.fs.mkdirs(target);
    tally.directories++;
  }
  let names: string[];
  try {
    names = (await readdir(local)).sort();
  } catch (error) {
    throw LocalFileError.from(error, local);
  }
  for (const name of names) await putTree(ctx, join(local, name), childPath(target, name), settings, tally);
  if (settings.preserve) {
    const p = preserved(st);
    await ctx.fs.setPermission(target, p.permission);
    await ctx.fs.setTimes(target, p.mtime, p.atime);
  }
}

export function registerPut(fs: Command): void {
  fs.command('put')
    .alias('copyFromLocal')
    .description('copy local files or directories (or stdin, as -) into humle fs; DST may be an existing directory')
    .argument('<paths...>', 'LOCAL... DST')
    .option('-f', 'overwrite existing files')
    .option('-p', 'preserve modification and access times and permission')
    .option('--block-size <size>', 'block size of the new files (e.g. 1m); the storage policy decides by default', (v: string) => parseSize(v, 'block size'))
    .action(
      fsAction<[string[], PutOptions]>(async (ctx, args, options) => {
        const sources = args.slice(0, -1);
        const settings: PutSettings = {
          overwrite: options.f === true,
          preserve: options.p === true,
          blockSize: options.blockSize,
        };
        const destination = await fsDestination(ctx, args[args.length - 1]!, sources.length);
        const results: TransferResult[] = [];
        const outcome = await eachPath(ctx.out, sources, async (source) => {
          if (source === '-') {
            if (destination.isDirectory) throw new UsageError('put from stdin (-) needs a file destination, not a directory');
            const path = destination.target('-');
            const tally = newTransfer('-', path);
            tally.bytes = await uploadStream(ctx, process.stdin, path, { overwrite: settings.overwrite, blockSize: settings.blockSize, label: 'stdin' });
            tally.files = 1;
            results.push(tally);
            return;
          }
          const tally = newTransfer(source, destination.target(basename(resolve(source))));
          await putTree(ctx, source, tally.path, settings, tally);
          results.push(tally);
        });
        await outcome.finish(results);
      }, (args) => {
        needsSourceAndDestination('put')(args);
        if (args.slice(0, -1).includes('-') && args.length > 2) throw new UsageError('stdin (-) must be the only source of put');
      }),
    );
}
