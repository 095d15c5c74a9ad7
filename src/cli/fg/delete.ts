import type { Command } from 'commander';
import { parseCount } from '../sizes.js';
import { fgAction } from './fg-context.js';

export function registerDelete(fg: Command): void {
  fg.command('delete')
    .description('delete a feature group version: its metadata, offline table and online table')
    // No confirmation prompt, as `humle fs rm` has none; naming the version is the safeguard: `delete NAME` alone
    // would otherwise mean "the newest version", which is too easy to get wrong for something that cannot be undone.
    .argument('<name>')
    .requiredOption('--version <n>', 'the version to delete', (v: string) => parseCount(v, 'version'))
    .action(
      fgAction<[string, { version: number }]>(async (ctx, name, options) => {
        const fg = await ctx.featureGroup(name, options.version);
        await fg.delete();
        await ctx.out.line(`Deleted feature group ${fg.name} version ${fg.version}`);
        await ctx.out.result({ name: fg.name, version: fg.version, deleted: true });
      }),
    );
}
