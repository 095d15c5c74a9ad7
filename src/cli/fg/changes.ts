import type { Command } from 'commander';
import type { PointInTime } from '../../sdk/feature-group.js';
import { parseCount } from '../sizes.js';
import { fgAction } from './fg-context.js';
import { parsePointInTime } from './point-in-time.js';
import { addExportOptions, reportExport } from './export-options.js';
import { CHANGE_COLUMNS, columnsOfRows, orderedChanges } from '../../featurestore/records/offline-rows.js';
import { checkExportOptions, exportRows, exportTarget, type ExportOptions } from './row-export.js';

interface ChangesOptions extends ExportOptions {
  version?: number;
  from: PointInTime;
  to?: PointInTime;
}

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
        const changes = await orderedChanges(fg, options.from, options.to);
        const columns = [...columnsOfRows(fg.features, changes), ...CHANGE_COLUMNS];
        await reportExport(ctx, await exportRows(ctx.out, target, columns, changes));
      },
      (settings, _name, options) => checkExportOptions(options, settings.json),
    ),
  );
}
