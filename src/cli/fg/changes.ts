import type { Command } from 'commander';
import type { PointInTime } from '../../featurestore/feature-group.js';
import type { OfflineColumn } from '../../featurestore/offline/offline-column.js';
import { parseCount } from '../sizes.js';
import { commitHistory } from './commit-summary.js';
import { fgAction } from './fg-context.js';
import { parsePointInTime } from './point-in-time.js';
import { addExportOptions, reportExport } from './export-options.js';
import { compareCanonical, sortByRecordKey } from './row-order.js';
import { checkExportOptions, columnsOfRows, exportRows, exportTarget, type ExportOptions } from './row-export.js';

interface ChangesOptions extends ExportOptions {
  version?: number;
  from: PointInTime;
  to?: PointInTime;
}

/** The columns readChanges adds to each row, with Delta's change data feed names. */
const CHANGE_COLUMNS: readonly OfflineColumn[] = [
  { name: '_change_type', type: { kind: 'string' } },
  { name: '_commit_version', type: { kind: 'bigint' } },
];

export function registerChanges(fg: Command): void {
  const command = fg
    .command('changes')
    .description('the rows that commits after --from up to --to inserted, updated (pre- and post-image) or deleted')
    .argument('<name>')
    .option('--version <n>', 'the version (default: the newest)', (v: string) => parseCount(v, 'version'))
    .requiredOption('--from <commit|time>', 'changes after this commit id or ISO-8601 time (exclusive)', (v: string) => parsePointInTime(v, '--from'))
    .option('--to <commit|time>', 'up to and including this commit id or time (default: the latest commit)', (v: string) => parsePointInTime(v, '--to'));
  addExportOptions(command).action(
    fgAction<[string, ChangesOptions]>(
      async (ctx, name, options) => {
        const target = exportTarget(options, ctx.out.json);
        const fg = await ctx.featureGroup(name, options.version);
        const to = options.to ?? (await commitHistory(fg, 1))[0]?.commitId;
        const changes = to === undefined ? [] : await fg.readChanges(options.from, to, { exactTimestamps: true });
        // Commit by commit, each in key order; the sort is stable, so an update's pre-image stays before its post-image.
        sortByRecordKey(changes, fg.features, (a, b) => compareCanonical(a._commit_version, b._commit_version));
        const columns = [...columnsOfRows(fg.features, changes), ...CHANGE_COLUMNS];
        await reportExport(ctx, await exportRows(ctx.out, target, columns, changes));
      },
      (settings, _name, options) => checkExportOptions(options, settings.json),
    ),
  );
}
