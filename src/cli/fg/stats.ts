import type { Command } from 'commander';
import { parseCount } from '../sizes.js';
import { formatTable } from '../text-table.js';
import { fgAction } from './fg-context.js';
import { parsePointInTime } from './point-in-time.js';
import type { PointInTime } from '../../sdk/feature-group.js';

interface StatsOptions {
  version?: number;
  asOf?: PointInTime;
  compute?: boolean;
}

/** A statistic as a table cell: numbers trimmed to a readable precision, absent ones as '-'. */
function cell(value: unknown): string {
  if (value === undefined || value === null) return '-';
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(6)));
  return String(value);
}

export function registerStats(fg: Command): void {
  fg.command('stats')
    .description("a feature group's statistics (of its latest commit, or --as-of one): count, nulls, min, max, mean, stddev, distinct")
    .argument('<name>')
    .option('--version <n>', 'the version (default: the newest)', (v: string) => parseCount(v, 'version'))
    .option('--as-of <commit|time>', 'the statistics of this commit id or ISO-8601 time (default: the latest commit)', (v: string) => parsePointInTime(v, '--as-of'))
    .option('--compute', 'compute them now for the latest commit (also when the group disables statistics)')
    .action(
      fgAction<[string, StatsOptions]>(async (ctx, name, options) => {
        const group = await ctx.featureGroup(name, options.version);
        const statistics = options.compute ? await group.computeStatistics() : await group.getStatistics({ asOf: options.asOf });
        await ctx.out.result(statistics ?? null);
        if (ctx.out.json) return;
        if (statistics === undefined) {
          await ctx.out.write('no statistics for that commit (disabled, or still being computed; --compute computes them now)\n');
          return;
        }
        await ctx.out.write(`commit ${statistics.commitId}, ${statistics.rowCount} rows, computed ${new Date(statistics.computedAt).toISOString()}\n`);
        const rows = statistics.features.map((f) => [f.feature, f.type, cell(f.count), cell(f.nullCount), cell(f.min), cell(f.max), cell(f.mean), cell(f.stddev), cell(f.approxDistinct)]);
        await ctx.out.write(
          formatTable(['FEATURE', 'TYPE', 'COUNT', 'NULLS', 'MIN', 'MAX', 'MEAN', 'STDDEV', '~DISTINCT'], rows, ['left', 'left', 'right', 'right', 'right', 'right', 'right', 'right', 'right']),
        );
      }),
    );
}
