import type { Command } from 'commander';
import { HumleError } from '../../errors/humle-error.js';
import type { Humle } from '../../humle.js';
import type { HumleFsckReport } from '../../humle-fsck.js';
import { commandAction } from '../command-action.js';
import { ExitCode } from '../exit-codes.js';
import { openDataDirectory, refuseServer } from '../open-humle.js';
import { Output } from '../output.js';
import { ReportedFailure } from '../reported-failure.js';
import { parseCount } from '../sizes.js';
import { homeDirectory, toFsPath } from './fs-paths.js';

/** fsck found problems it did not (or, for lost blocks and damaged data files, could not) repair. */
class UnhealthyFileSystemError extends HumleError {
  readonly code = 'FS_UNHEALTHY';
}

/** Problems a repair cannot fix: their bytes are gone, or are not the bytes a feature store commit wrote. */
function unrepairable(report: HumleFsckReport): number {
  return report.missingBlocks.length + report.featureStore.corrupt.length;
}

function formatReport(report: HumleFsckReport, path: string): string {
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
    `Offline tables:\t\t${report.featureStore.tables}`,
    `Offline data files:\t${report.featureStore.dataFiles} (${report.featureStore.dataFilesWithoutChecksum} written before checksums: length checked only)`,
    `Corrupt offline table files:\t${report.featureStore.corrupt.length}`,
  ];
  for (const m of report.missingBlocks) lines.push(`  missing block ${m.blockId} of inode ${m.inodeId}`);
  for (const s of report.staleSubtreeOperations) lines.push(`  stale ${s.kind} of ${s.path} (${s.id})`);
  for (const l of report.expiredLeases) lines.push(`  expired lease on inode ${l.inodeId} held by ${l.holder ?? '?'}`);
  for (const w of report.wrongChildCounts) lines.push(`  inode ${w.inodeId} records ${w.recorded} children, has ${w.actual}`);
  for (const w of report.wrongQuotaUsage) {
    lines.push(`  quota of inode ${w.inodeId} records ${w.recorded.names} names/${w.recorded.space} bytes, uses ${w.actual.names}/${w.actual.space}`);
  }
  for (const c of report.featureStore.corrupt) lines.push(`  CORRUPT ${c.path} (table ${c.table}): ${c.problem}`);
  const status = report.healthy ? 'HEALTHY' : report.repaired && unrepairable(report) === 0 ? 'REPAIRED' : 'CORRUPT';
  lines.push('', `The filesystem under path '${path}' is ${status}`);
  return lines.join('\n');
}

interface FsckContext {
  humle: Humle;
  out: Output;
  path(arg: string): string;
}

export function registerFsck(fs: Command): void {
  fs.command('fsck')
    .description(
      'check the namespace against the block store and itself, and every feature group offline table against its commits (superuser only); ' +
        'exit 1 when unhealthy and not repaired',
    )
    .argument('[path]', 'where to report from; the check always covers the whole file system', '/')
    .option('--repair', 'fix what can be fixed: orphan blocks, dead subtree operations, expired leases, counts')
    .option('--grace <seconds>', 'leave unreferenced blocks younger than this alone (a writer may be at work)', (v: string) => parseCount(v, 'grace'), 600)
    .action(
      // The data directory's Humle, not humle fs alone: the feature store's tables are checked after the namespace.
      commandAction<FsckContext, [string, { repair?: boolean; grace: number }]>(
        async (settings) => {
          const humle = await openDataDirectory(settings);
          const home = homeDirectory(settings.user);
          return { context: { humle, out: new Output(settings.json), path: (arg) => toFsPath(arg, home) }, close: () => humle.close() };
        },
        async (ctx, arg, options) => {
          const path = ctx.path(arg);
          // The path must still be one the user can see, even though fsck's checks are global.
          await ctx.humle.fs.getFileStatus(path);
          const report = await ctx.humle.fsck({ repair: options.repair === true, graceMs: options.grace * 1000 });
          await ctx.out.result(report);
          await ctx.out.line(formatReport(report, path));
          const failed = !report.healthy && (!report.repaired || unrepairable(report) > 0);
          if (failed) {
            ctx.out.error(new UnhealthyFileSystemError(`the filesystem under path '${path}' is CORRUPT`, { path }));
            throw new ReportedFailure(ExitCode.error);
          }
        },
        // As every humle fs command: the data directory's, whether --url or HUMLE_URL names a server.
        (settings, options) => refuseServer(settings, options, 'fs'),
      ),
    );
}
