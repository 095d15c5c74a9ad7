import type { Command } from 'commander';
import type { FileStatus } from '../../fs/file-status.js';
import { formatStatTime } from '../time-format.js';
import { eachPath } from './each-path.js';
import { fsAction } from './fs-context.js';

/**
 * `hdfs dfs -stat` format specifiers. As in HDFS, `%%` is a percent sign and an unknown `%c` prints `c`, so a future
 * specifier cannot make an old format string fail.
 */
const SPECIFIERS: Readonly<Record<string, (s: FileStatus) => string>> = {
  a: (s) => (s.permission & 0o1777).toString(8),
  A: (s) => s.permissionString.slice(1),
  b: (s) => String(s.length),
  F: (s) => (s.type === 'DIRECTORY' ? 'directory' : 'regular file'),
  g: (s) => s.group,
  n: (s) => s.name === '' ? '/' : s.name,
  o: (s) => String(s.blockSize),
  r: (s) => String(s.replication),
  u: (s) => s.owner,
  x: (s) => formatStatTime(s.accessTime),
  X: (s) => String(s.accessTime),
  y: (s) => formatStatTime(s.modificationTime),
  Y: (s) => String(s.modificationTime),
};

export function formatStat(format: string, status: FileStatus): string {
  return format.replace(/%(.?)/gs, (_, c: string) => (c === '' ? '%' : (SPECIFIERS[c]?.(status) ?? c)));
}

export function registerStat(fs: Command): void {
  fs.command('stat')
    .description('print status; FORMAT takes %n name, %b size, %o block size, %r replication, %u owner, %g group, %y/%Y mtime, %x/%X atime, %F type, %a/%A permission')
    .argument('<args...>', '[FORMAT] PATH...')
    .action(
      fsAction<[string[]]>(async (ctx, args) => {
        // As hdfs dfs -stat: a first argument with a % in it is the format (a path rarely has one).
        const format = args.length > 1 && args[0]!.includes('%') ? args[0] : undefined;
        const paths = format === undefined ? args : args.slice(1);
        const results: (FileStatus & { formatted?: string })[] = [];
        const outcome = await eachPath(ctx.out, paths, async (arg) => {
          const status = await ctx.fs.getFileStatus(ctx.path(arg));
          if (format === undefined) {
            results.push(status);
            await ctx.out.line(JSON.stringify({ ...status, permission: '0' + (status.permission & 0o1777).toString(8) }, null, 2));
            return;
          }
          const formatted = formatStat(format, status);
          results.push({ ...status, formatted });
          await ctx.out.line(formatted);
        });
        await outcome.finish(results);
      }),
    );
}
