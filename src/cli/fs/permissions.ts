import type { Command } from 'commander';
import { eachPath } from './each-path.js';
import { fsAction } from './fs-context.js';
import { parseMode, type ModeChange } from './mode.js';
import { walkTree } from './tree-walk.js';

export function registerPermissions(fs: Command): void {
  fs.command('chmod')
    .description('change permissions: octal (755, 1777) or symbolic (u+x, go-w, a=r, +t)')
    .argument('<mode>', 'octal or symbolic mode', parseMode)
    .argument('<paths...>')
    .option('-R', 'apply recursively')
    .action(
      fsAction<[ModeChange, string[], { R?: boolean }]>(async (ctx, change, args, options) => {
        const results: { path: string; changed: number }[] = [];
        const outcome = await eachPath(ctx.out, args, async (arg) => {
          const root = await ctx.fs.getFileStatus(ctx.path(arg));
          let changed = 0;
          await walkTree(ctx.fs, root, options.R === true, async (status) => {
            await ctx.fs.setPermission(status.path, change(status.permission, status.type === 'DIRECTORY'));
            changed++;
          });
          results.push({ path: root.path, changed });
        });
        await outcome.finish(results);
      }),
    );
}
