import type { Command } from 'commander';
import { checkProjectName } from '../../featurestore/project/project-name.js';
import type { ProjectQuota } from '../../featurestore/project/project-quota.js';
import type { ProjectUsage } from '../../featurestore/project/project-usage.js';
import { quotaSetting, quotaValue } from '../fs/quota.js';
import { humleAction } from '../humle-action.js';
import { formatSize } from '../sizes.js';
import { formatTable } from '../text-table.js';
import { UsageError } from '../usage-error.js';

/** `10 G (1.2 M used)`, or `none (1.2 M used)` without a limit. */
function limitText(limit: number | null, used: number, format: (n: number) => string): string {
  return `${limit === null ? 'none' : format(limit)} (${format(used)} used)`;
}

function quotaText(project: string, quota: ProjectQuota): string {
  return `quotas of ${project}: space ${limitText(quota.space, quota.spaceUsed, formatSize)}, files and directories ${limitText(quota.files, quota.filesUsed, String)}\n`;
}

/** The usage as a table of feature group versions, then the project directory's totals and quotas. */
function usageText(usage: ProjectUsage): string {
  const rows = usage.featureGroups.map((g) => [
    g.name,
    String(g.version),
    g.online === null ? '-' : String(g.online.rows),
    g.online === null ? '-' : formatSize(g.online.bytes),
    formatSize(g.offline.bytes),
    String(g.offline.files),
  ]);
  const table = formatTable(['FEATURE GROUP', 'VERSION', 'ONLINE ROWS', 'ONLINE BYTES', 'OFFLINE BYTES', 'OFFLINE FILES'], rows, ['left', 'right', 'right', 'right', 'right', 'right']);
  const { fs } = usage;
  const totals = `${fs.directory}: ${formatSize(fs.bytes)} in ${fs.files} files and ${fs.directories} directories\n`;
  return (usage.featureGroups.length === 0 ? 'no feature groups\n' : table) + '\n' + totals + quotaText(usage.project, usage.quota);
}

interface QuotaOptions {
  space?: number | 'none';
  files?: number | 'none';
  clear?: boolean;
}

/**
 * `humle project usage` and `humle project quota`, through the SDK as the CLI's user: usage reads what that user may
 * read, and quotas are set by the project's owner or the administrator (humle fs's superuser).
 */
export function registerProjectUsageCommands(project: Command): void {
  project
    .command('usage')
    .description('show what a project takes: online rows and bytes and offline bytes and files per feature group version, its /Projects directory and quotas')
    .argument('<name>')
    .action(
      humleAction<[string]>(
        async (ctx, name) => {
          const usage = await (await ctx.humle.project(name)).usage();
          await ctx.out.result(usage);
          if (!ctx.out.json) await ctx.out.write(usageText(usage));
        },
        (name) => void checkProjectName(name),
      ),
    );

  project
    .command('quota')
    .description("set or remove the quotas of a project's directory (its owner or the administrator)")
    .argument('<name>')
    .option('--space <bytes>', 'bytes × replication allowed (e.g. 10g), or none', quotaValue('space quota'))
    .option('--files <n>', 'files and directories allowed, the project directory included, or none', quotaValue('files quota'))
    .option('--clear', 'remove both quotas')
    .action(
      humleAction<[string, QuotaOptions]>(
        async (ctx, name, options) => {
          const setting = options.clear ? { space: null, files: null } : { space: quotaSetting(options.space), files: quotaSetting(options.files) };
          const quota = await (await ctx.humle.project(name)).setQuota(setting);
          await ctx.out.result(quota);
          await ctx.out.line(quotaText(name, quota).trimEnd());
        },
        (name, options) => {
          checkProjectName(name);
          const given = options.space !== undefined || options.files !== undefined;
          if (options.clear && given) throw new UsageError('--clear removes both quotas: give it alone');
          if (!options.clear && !given) throw new UsageError('quota needs --space BYTES|none and/or --files N|none, or --clear');
        },
      ),
    );
}
