import type { Command } from 'commander';
import { formatSize } from '../sizes.js';
import { eachPath } from './each-path.js';
import { fsAction } from './fs-context.js';

interface CountOptions {
  q?: boolean;
  h?: boolean;
  v?: boolean;
}

interface CountRow {
  path: string;
  directoryCount: number;
  fileCount: number;
  length: number;
  spaceConsumed: number;
  /** -1 when the directory has no such quota; the remaining amounts are then null. */
  quota: number;
  remainingQuota: number | null;
  spaceQuota: number;
  remainingSpaceQuota: number | null;
}

const pad = (width: number, text: string) => text.padStart(width);

/**
 * One line in `hdfs dfs -count` layout (ContentSummary.toString): with -q the quota columns `%12s %15s %15s %15s `
 * come first, then `%12s %12s %18s ` and the path; a missing quota reads `none` and its remainder `inf`.
 */
function formatRow(row: CountRow, withQuota: boolean, human: boolean): string {
  const size = (n: number) => (human ? formatSize(n) : String(n));
  let line = '';
  if (withQuota) {
    const quota = row.quota >= 0 ? size(row.quota) : 'none';
    const remaining = row.remainingQuota === null ? 'inf' : size(row.remainingQuota);
    const spaceQuota = row.spaceQuota >= 0 ? size(row.spaceQuota) : 'none';
    const spaceRemaining = row.remainingSpaceQuota === null ? 'inf' : size(row.remainingSpaceQuota);
    line += `${pad(12, quota)} ${pad(15, remaining)} ${pad(15, spaceQuota)} ${pad(15, spaceRemaining)} `;
  }
  return line + `${pad(12, size(row.directoryCount))} ${pad(12, size(row.fileCount))} ${pad(18, size(row.length))} ${row.path}`;
}

function header(withQuota: boolean): string {
  const quota = withQuota ? `${pad(12, 'QUOTA')} ${pad(15, 'REM_QUOTA')} ${pad(15, 'SPACE_QUOTA')} ${pad(15, 'REM_SPACE_QUOTA')} ` : '';
  return quota + `${pad(12, 'DIR_COUNT')} ${pad(12, 'FILE_COUNT')} ${pad(18, 'CONTENT_SIZE')} PATHNAME`;
}

export function registerCount(fs: Command): void {
  fs.command('count')
    .description('count directories, files and bytes below each path: DIR_COUNT FILE_COUNT CONTENT_SIZE PATHNAME')
    .argument('[paths...]', 'default: the home directory')
    .option('-q', 'add the columns QUOTA REM_QUOTA SPACE_QUOTA REM_SPACE_QUOTA')
    .option('-h', 'human-readable sizes')
    .option('-v', 'print a header line')
    .action(
      fsAction<[string[], CountOptions]>(async (ctx, args, options) => {
        const rows: CountRow[] = [];
        if (options.v) await ctx.out.line(header(options.q === true));
        const outcome = await eachPath(ctx.out, args.length === 0 ? ['.'] : args, async (arg) => {
          const path = ctx.path(arg);
          const s = await ctx.fs.getContentSummary(path);
          const row: CountRow = {
            path,
            directoryCount: s.directoryCount,
            fileCount: s.fileCount,
            length: s.length,
            spaceConsumed: s.spaceConsumed,
            quota: s.quota,
            remainingQuota: s.quota >= 0 ? s.quota - (s.directoryCount + s.fileCount) : null,
            spaceQuota: s.spaceQuota,
            remainingSpaceQuota: s.spaceQuota >= 0 ? s.spaceQuota - s.spaceConsumed : null,
          };
          rows.push(row);
          await ctx.out.line(formatRow(row, options.q === true, options.h === true));
        });
        await outcome.finish(rows);
      }),
    );
}
