import { Option, type Command } from 'commander';
import type { FgContext } from './fg-context.js';
import { EXPORT_FORMATS, type ExportResult } from './row-export.js';

/** The options `read` and `changes` share: where the rows go and in which format. */
export function addExportOptions(command: Command): Command {
  return command
    .addOption(new Option('--format <format>', 'csv, json (NDJSON) or parquet (default: by --output extension, else csv; json with --json)').choices(EXPORT_FORMATS))
    .option('--output <file>', 'write the rows to a local file instead of stdout')
    .option('-f, --force', 'replace an existing --output file');
}

/** What `read` and `changes` print once the rows are exported: nothing more for stdout, a summary for a file. */
export async function reportExport(ctx: FgContext, result: ExportResult | undefined): Promise<void> {
  if (result === undefined) return;
  await ctx.out.line(`Wrote ${result.rows} rows to ${result.path}`);
  await ctx.out.result(result);
}
