import type { Command } from 'commander';
import { eachPath } from './each-path.js';
import { fsAction } from './fs-context.js';

export function registerCat(fs: Command): void {
  fs.command('cat')
    .description('write files to stdout (with --json: [{path, length, base64}])')
    .argument('<paths...>')
    .action(
      fsAction<[string[]]>(async (ctx, args) => {
        const results: { path: string; length: number; base64: string }[] = [];
        const outcome = await eachPath(ctx.out, args, async (arg) => {
          const path = ctx.path(arg);
          const stream = await ctx.fs.open(path);
          if (ctx.out.json) {
            const chunks: Buffer[] = [];
            for await (const chunk of stream) chunks.push(chunk as Buffer);
            const data = Buffer.concat(chunks);
            results.push({ path, length: data.length, base64: data.toString('base64') });
            return;
          }
          for await (const chunk of stream) await ctx.out.write(chunk as Buffer);
        });
        await outcome.finish(results);
      }),
    );
}
