import type { Command } from 'commander';
import type { FileStatus } from '../../fs/file-status.js';
import { formatSize } from '../sizes.js';
import { eachPath } from './each-path.js';
import { fsAction, type FsContext } from './fs-context.js';

interface DuOptions {
  s?: boolean;
  h?: boolean;
  v?: boolean;
}

interface DuRow {
  path: string;
  length: number;
  /** Bytes × replication, what the space quota counts. */
  spaceConsumed: number;
}

async function usageOf(ctx: FsContext, status: FileStatus): Promise<DuRow> {
  if (status.type !== 'DIRECTORY') return { path: status.path, length: status.length, spaceConsumed: status.length * status.replication };
  const summary = await ctx.fs.getContentSummary(status.path);
  return { path: status.path, length: summary.length, spaceConsumed: summary.spaceConsumed };
}

/** Left-aligned columns two spaces apart, as hdfs dfs -du prints its table. */
function table(rows: readonly string[][]): string {
  const widths = rows[0]?.map((_, c) => Math.max(...rows.map((r) => r[c]!.length))) ?? [];
  return rows.map((r) => r.map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c]!))).join('  ') + '\n').join('');
}

export function registerDu(fs: Command): void {
  fs.command('du')
    .description('space used: per entry of a directory, or (-s) per argument; columns size, disk space (× replication), path')
    .argument('[paths...]', 'default: the home directory')
    .option('-s', 'one summary line per argument')
    .option('-h', 'human-readable sizes')
    .option('-v', 'print a header line')
    .action(
      fsAction<[string[], DuOptions]>(async (ctx, args, options) => {
        const rows: DuRow[] = [];
        const outcome = await eachPath(ctx.out, args.length === 0 ? ['.'] : args, async (arg) => {
          const status = await ctx.fs.getFileStatus(ctx.path(arg));
          if (options.s || status.type !== 'DIRECTORY') {
            rows.push(await usageOf(ctx, status));
            return;
          }
          for await (const child of ctx.fs.list(status.path)) rows.push(await usageOf(ctx, child));
        });
        if (!ctx.out.json) {
          const size = (n: number) => (options.h ? formatSize(n) : String(n));
          const cells = rows.map((r) => [size(r.length), size(r.spaceConsumed), r.path]);
          if (options.v) cells.unshift(['SIZE', 'DISK_SPACE_CONSUMED_WITH_ALL_REPLICAS', 'FULL_PATH_NAME']);
          await ctx.out.write(table(cells));
        }
        await outcome.finish(rows);
      }),
    );
}
