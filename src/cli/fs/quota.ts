import type { Command } from 'commander';
import { parseSize } from '../sizes.js';
import { UsageError } from '../usage-error.js';
import { fsAction } from './fs-context.js';

/**
 * `none` clears a quota, a number sets it, an absent option keeps it; Hadoop takes 1k-style suffixes for both quotas.
 * (`none` stays a string here: commander turns an option value of null into ''.)
 */
export function quotaValue(what: string): (text: string) => number | 'none' {
  return (text) => (text.toLowerCase() === 'none' ? 'none' : parseSize(text, what));
}

/** A parsed quota option as the fs takes it: null clears, undefined keeps. */
export function quotaSetting(value: number | 'none' | undefined): number | null | undefined {
  return value === 'none' ? null : value;
}

interface QuotaOptions {
  namespace?: number | 'none';
  space?: number | 'none';
}

export function registerQuota(fs: Command): void {
  fs.command('setquota')
    .description('set or clear (none) the namespace and/or space quota of a directory (superuser only)')
    .argument('<path>')
    .option('--namespace <n>', 'names allowed below and including the directory, or none', quotaValue('namespace quota'))
    .option('--space <bytes>', 'bytes × replication allowed (e.g. 10g), or none', quotaValue('space quota'))
    .action(
      fsAction<[string, QuotaOptions]>(
        async (ctx, arg, options) => {
          const path = ctx.path(arg);
          await ctx.fs.setQuota(path, { namespace: quotaSetting(options.namespace), space: quotaSetting(options.space) });
          const usage = await ctx.fs.getQuotaUsage(path);
          await ctx.out.result({ path, ...usage });
        },
        (_, options) => {
          if (options.namespace === undefined && options.space === undefined) throw new UsageError('setquota needs --namespace N|none and/or --space BYTES|none');
        },
      ),
    );
}
