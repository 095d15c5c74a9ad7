import type { Command } from 'commander';
import { eachPath } from './each-path.js';
import { fsAction } from './fs-context.js';
import { fsDestination, needsSourceAndDestination } from './fs-destination.js';
import { baseName } from './fs-paths.js';

export function registerMv(fs: Command): void {
  fs.command('mv')
    .description('move files or directories, atomically each; into DST when it is an existing directory; never overwrites')
    .argument('<paths...>', 'SRC... DST')
    .action(
      fsAction<[string[]]>(async (ctx, args) => {
        const sources = args.slice(0, -1);
        const destination = await fsDestination(ctx, args[args.length - 1]!, sources.length);
        const moved: { source: string; path: string }[] = [];
        const outcome = await eachPath(ctx.out, sources, async (arg) => {
          const source = ctx.path(arg);
          const path = destination.target(baseName(source));
          await ctx.fs.rename(source, path);
          moved.push({ source, path });
        });
        await outcome.finish(moved);
      }, needsSourceAndDestination('mv')),
    );
}
