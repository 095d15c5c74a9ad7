import type { Command } from 'commander';
import type { PointInTime } from '../../sdk/feature-group.js';
import { parseCount } from '../sizes.js';
import { addExportOptions, reportExport } from './export-options.js';
import { fgAction } from './fg-context.js';
import { parsePointInTime } from './point-in-time.js';
import { columnsOfRows, orderedSnapshot } from '../../featurestore/records/offline-rows.js';
import { checkExportOptions, exportRows, exportTarget, type ExportOptions } from './row-export.js';

interface ReadOptions extends ExportOptions {
  version?: number;
  asOf?: PointInTime;
  limit?: number;
}

export function registerRead(fg: Command): void {
  const command = fg
    .command('read')
    .description("read a feature group's offline rows, in primary key order, as of the latest commit or an older one")
    .argument('<name>')
    .option('--version <n>', 'the version (default: the newest)', (v: string) => parseCount(v, 'version'))
    .option('--as-of <commit|time>', 'the snapshot of a commit id (digits) or an ISO-8601 time', (v: string) => parsePointInTime(v, '--as-of'))
    .option('--limit <n>', 'at most this many rows (the first in key order)', (v: string) => parseCount(v, 'limit'));
  addExportOptions(command).action(
    fgAction<[string, ReadOptions]>(
      async (ctx, name, options) => {
        const target = exportTarget(options, ctx.out.json);
        const fg = await ctx.featureGroup(name, options.version);
        const rows = await orderedSnapshot(fg, options.asOf, options.limit);
        await reportExport(ctx, await exportRows(ctx.out, target, columnsOfRows(fg.features, rows), rows));
      },
      (settings, _name, options) => checkExportOptions(options, settings.json),
    ),
  );
}
