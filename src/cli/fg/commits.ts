import type { Command } from 'commander';
import { UsageError } from '../usage-error.js';
import { parseCount } from '../sizes.js';
import { formatTable } from '../text-table.js';
import { commitHistory } from '../../featurestore/records/commit-summary.js';
import { fgAction } from './fg-context.js';

interface CommitsOptions {
  version?: number;
  limit: number;
}

/** HSFS commit_details shows this many commits unless asked for more. */
const DEFAULT_LIMIT = 1000;

function positiveLimit(text: string): number {
  const limit = parseCount(text, 'limit');
  if (limit < 1) throw new UsageError('limit must be at least 1', { limit: text });
  return limit;
}

export function registerCommits(fg: Command): void {
  fg.command('commits')
    .description("a feature group's commits, newest first: id, time, operation, rows inserted, updated and deleted")
    .argument('<name>')
    .option('--version <n>', 'the version (default: the newest)', (v: string) => parseCount(v, 'version'))
    .option('--limit <n>', `at most this many commits (default ${DEFAULT_LIMIT})`, positiveLimit, DEFAULT_LIMIT)
    .action(
      fgAction<[string, CommitsOptions]>(async (ctx, name, options) => {
        const commits = await commitHistory(await ctx.featureGroup(name, options.version), options.limit);
        await ctx.out.result(commits);
        if (ctx.out.json) return;
        const rows = commits.map((c) => [String(c.commitId), c.committedOn, c.operation, String(c.rowsInserted), String(c.rowsUpdated), String(c.rowsDeleted)]);
        await ctx.out.write(
          formatTable(['COMMIT', 'COMMITTED ON', 'OPERATION', 'INSERTED', 'UPDATED', 'DELETED'], rows, ['right', 'left', 'left', 'right', 'right', 'right']),
        );
      }),
    );
}
