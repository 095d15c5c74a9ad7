import type { Command } from 'commander';
import type { FsckReport } from '../../fs/fsck.js';
import { HumleError } from '../../errors/humle-error.js';
import { ExitCode } from '../exit-codes.js';
import { ReportedFailure } from '../reported-failure.js';
import { parseCount } from '../sizes.js';
import { fsAction } from './fs-context.js';

/** fsck found problems it did not (or, for lost blocks, could not) repair. */
class UnhealthyFileSystemError extends HumleError {
  readonly code = 'FS_UNHEALTHY';
}

/** Problems a repair cannot fix: their bytes are gone. */
function unrepairable(report: FsckReport): number {
  return report.missingBlocks.length;
}

function formatReport(report: FsckReport, path: string): string {
  const lines = [
    `Total dirs:\t\t${report.directories}`,
    `Total files:\t\t${report.files}`,
    `Total blocks:\t\t${report.blocks}`,
    `Missing blocks:\t\t${report.missingBlocks.length}`,
    `Orphan blocks:\t\t${report.orphanBlocks.length}`,
    `Incomplete block files:\t${report.incompleteBlockFiles.length}`,
    `Stale subtree operations:\t${report.staleSubtreeOperations.length}`,
    `Expired leases:\t\t${report.expiredLeases.length}`,
    `Wrong child counts:\t${report.wrongChildCounts.length}`,
    `Wrong quota usage:\t${report.wrongQuotaUsage.length}`,
    `Unreachable inodes:\t${report.unreachableInodes.length}`,
  ];
  for (const m of report.missingBlocks) lines.push(`  missing block ${m.blockId} of inode ${m.inodeId}`);
  for (const s of report.staleSubtreeOperations) lines.push(`  stale ${s.kind} of ${s.path} (${s.id})`);
  for (const l of report.expiredLeases) lines.push(`  expired lease on inode ${l.inodeId} held by ${l.holder ?? '?'}`);
  for (const w of report.wrongChildCounts) lines.push(`  inode ${w.inodeId} records ${w.recorded} children, has ${w.actual}`);
  for (const w of report.wrongQuotaUsage) {
    lines.push(`  quota of inode ${w.inodeId} records ${w.recorded.names} names/${w.recorded.space} bytes, uses ${w.actual.names}/${w.actual.space}`);
  }
  const status = report.healthy ? 'HEALTHY' : report.repaired && unrepairable(report) === 0 ? 'REPAIRED' : 'CORRUPT';
  lines.push('', `The filesystem under path '${path}' is ${status}`);
  return lines.join('\n');
}

export function registerFsck(fs: Command): void {
  fs.command('fsck')
    .description('check the namespace against the block store and itself (superuser only); exit 1 when unhealthy and not repaired')
    .argument('[path]', 'where to report from; the check always covers the whole file system', '/')
    .option('--repair', 'fix what can be fixed: orphan blocks, dead subtree operations, expired leases, counts')
    .option('--grace <seconds>', 'leave unreferenced blocks younger than this alone (a writer may be at work)', (v: string) => parseCount(v, 'grace'), 600)
    .action(
      fsAction<[string, { repair?: boolean; grace: number }]>(async (ctx, arg, options) => {
        const path = ctx.path(arg);
        // The path must still be one the user can see, even though fsck's checks are global.
        await ctx.fs.getFileStatus(path);
        const report = await ctx.fs.fsck({ repair: options.repair === true, graceMs: options.grace * 1000 });
        await ctx.out.result(report);
        await ctx.out.line(formatReport(report, path));
        const failed = !report.healthy && (!report.repaired || unrepairable(report) > 0);
        if (failed) {
          ctx.out.error(new UnhealthyFileSystemError(`the filesystem under path '${path}' is CORRUPT`, { path }));
          throw new ReportedFailure(ExitCode.error);
        }
      }),
    );
}
