import type { Command } from 'commander';
import { FileNotFoundError, InvalidOperationError, IsDirectoryError } from '../../errors/fs-errors.js';
import { eachPath } from './each-path.js';
import { fsAction } from './fs-context.js';
import { statusOrUndefined } from './status-lookup.js';

interface RmOptions {
  r?: boolean;
  R?: boolean;
  f?: boolean;
}

export function registerRm(fs: Command): void {
  fs.command('rm')
    .description('delete files; directories need -r; a large directory is deleted with the crash-safe subtree protocol')
    .argument('<paths...>')
    .option('-r', 'delete directories and their contents')
    .option('-R', 'the same as -r')
    .option('-f', 'no error when a path does not exist')
    .action(
      fsAction<[string[], RmOptions]>(async (ctx, args, options) => {
        const recursive = options.r === true || options.R === true;
        const results: { path: string; deleted: boolean }[] = [];
        const outcome = await eachPath(ctx.out, args, async (arg) => {
          const path = ctx.path(arg);
          const status = await statusOrUndefined(ctx.fs, path);
          // hdfs dfs -rm refuses any directory without -r, even an empty one (rmdir is for those).
          if (status?.type === 'DIRECTORY' && !recursive) throw new IsDirectoryError(`${path}: Is a directory`, { path });
          const deleted = status !== undefined && (await ctx.fs.delete(path, { recursive }));
          if (!deleted && !options.f) throw new FileNotFoundError(`${path}: No such file or directory`, { path });
          results.push({ path, deleted });
          if (deleted) await ctx.out.line(`Deleted ${path}`);
        });
        await outcome.finish(results);
      }),
    );

  fs.command('rmdir')
    .description('delete empty directories')
    .argument('<paths...>')
    .option('--ignore-fail-on-non-empty', 'no error for a directory that is not empty')
    .action(
      fsAction<[string[], { ignoreFailOnNonEmpty?: boolean }]>(async (ctx, args, options) => {
        const results: { path: string; deleted: boolean }[] = [];
        const outcome = await eachPath(ctx.out, args, async (arg) => {
          const path = ctx.path(arg);
          const status = await ctx.fs.getFileStatus(path);
          if (status.type !== 'DIRECTORY') throw new InvalidOperationError(`${path}: Is not a directory`, { path });
          if (status.childrenNum > 0 && options.ignoreFailOnNonEmpty) {
            results.push({ path, deleted: false });
            return;
          }
          await ctx.fs.delete(path);
          results.push({ path, deleted: true });
        });
        await outcome.finish(results);
      }),
    );
}
