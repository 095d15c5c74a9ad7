import type { Command } from 'commander';
import { FileAlreadyExistsError, FileNotFoundError, ParentNotDirectoryError } from '../../errors/fs-errors.js';
import { eachPath } from './each-path.js';
import { fsAction, type FsContext } from './fs-context.js';
import { parentPath } from './fs-paths.js';
import { statusOrUndefined } from './status-lookup.js';

/**
 * Without -p, `hdfs dfs -mkdir` wants the parent to exist and the path not to. humle fs only has mkdirs (which is
 * -p), so the CLI checks first; a racing creator between the check and mkdirs is not detected.
 */
async function mkdirStrict(ctx: FsContext, path: string): Promise<void> {
  const existing = await statusOrUndefined(ctx.fs, path);
  if (existing !== undefined) throw new FileAlreadyExistsError(`${path}: File exists`, { path });
  const parent = parentPath(path);
  const parentStatus = await statusOrUndefined(ctx.fs, parent);
  if (parentStatus === undefined) throw new FileNotFoundError(`${parent}: No such file or directory`, { path: parent });
  if (parentStatus.type !== 'DIRECTORY') throw new ParentNotDirectoryError(`${parent}: Is not a directory`, { path: parent });
  await ctx.fs.mkdirs(path);
}

export function registerMkdir(fs: Command): void {
  fs.command('mkdir')
    .description('create directories; without -p the parent must exist and the path must not')
    .argument('<paths...>')
    .option('-p', 'create missing parents; no error if the directory exists')
    .action(
      fsAction<[string[], { p?: boolean }]>(async (ctx, args, options) => {
        const created: { path: string }[] = [];
        const outcome = await eachPath(ctx.out, args, async (arg) => {
          const path = ctx.path(arg);
          if (options.p) await ctx.fs.mkdirs(path);
          else await mkdirStrict(ctx, path);
          created.push({ path });
        });
        await outcome.finish(created);
      }),
    );
}
