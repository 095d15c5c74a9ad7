import type { Command } from 'commander';
import { parseSize } from '../sizes.js';
import { UsageError } from '../usage-error.js';
import { fsAction } from './fs-context.js';

/** `none` clears a quota (null), a number sets it; the option absent keeps it (undefined). */
function quotaValue(text: string | undefined, what: string, parse: (text: string, what: string) => number): number | null | undefined {
  if (text === undefined) return undefined;
  if (text.toLowerCase() === 'none') return null;
  return parse(text, what);
}

export function registerQuota(fs: Command): void {
  fs.command('setquota')
    .description('set or clear (none) the namespace and/or space quota of a directory (superuser only)')
    .argument('<path>')
    .option('--namespace <n>', 'names allowed below and including the directory, or none')
    .option('--space <bytes>', 'bytes × replication allowed (e.g. 10g), or none')
    .action(
      fsAction<[string, { namespace?: string; space?: string }]>(async (ctx, arg, options) => {
        // Namespace quotas are counts, but Hadoop's setQuota also takes 1k-style suffixes.
        const namespace = quotaValue(options.namespace, 'namespace quota', parseSize);
        const space = quotaValue(options.space, 'space quota', parseSize);
        if (namespace === undefined && space === undefined) throw new UsageError('setquota needs --namespace N|none and/or --space BYTES|none');
        const path = ctx.path(arg);
        await ctx.fs.setQuota(path, { namespace, space });
        const usage = await ctx.fs.getQuotaUsage(path);
        await ctx.out.result({ path, ...usage });
      }),
    );
}
