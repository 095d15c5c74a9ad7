import type { Command } from 'commander';
import type { FileStatus } from '../../fs/file-status.js';
import type { JsonArrayWriter } from '../output.js';
import { formatSize } from '../sizes.js';
import { formatListingTime } from '../time-format.js';
import { eachPath } from './each-path.js';
import { fsAction, type FsContext } from './fs-context.js';

interface LsOptions {
  R?: boolean;
  d?: boolean;
  h?: boolean;
}

/** Entries formatted together share column widths; a huge directory is formatted one page at a time. */
const PAGE = 1000;

/** `hdfs dfs -ls` columns: widths start at hdfs's minimums (3 for replication, 10 for size) and grow to fit. */
function formatLines(entries: readonly FileStatus[], human: boolean): string[] {
  const repl = entries.map((e) => (e.type === 'DIRECTORY' ? '-' : String(e.replication)));
  const size = entries.map((e) => (human ? formatSize(e.length) : String(e.length)));
  const width = (values: string[], min: number) => values.reduce((w, v) => Math.max(w, v.length), min);
  const wRepl = width(repl, 3);
  const wSize = width(size, 10);
  const wOwner = width(entries.map((e) => e.owner), 0);
  const wGroup = width(entries.map((e) => e.group), 0);
  return entries
    .map(
      (e, i) =>
        `${e.permissionString} ${repl[i]!.padStart(wRepl)} ${e.owner.padEnd(wOwner)} ${e.group.padEnd(wGroup)} ${size[i]!.padStart(wSize)} ` +
        `${formatListingTime(e.modificationTime)} ${e.path}\n`,
    );
}

async function* pages(ctx: FsContext, dir: string): AsyncGenerator<FileStatus[]> {
  let page: FileStatus[] = [];
  for await (const entry of ctx.fs.list(dir, PAGE)) {
    page.push(entry);
    if (page.length === PAGE) {
      yield page;
      page = [];
    }
  }
  if (page.length > 0) yield page;
}

async function emit(ctx: FsContext, json: JsonArrayWriter, entries: readonly FileStatus[], human: boolean): Promise<void> {
  if (ctx.out.json) for (const e of entries) await json.push(e);
  else await ctx.out.write(formatLines(entries, human).join(''));
}

/**
 * Depth first, each entry followed at once by its directory's contents (as `hdfs dfs -ls -R` prints them); the
 * entries of one page still share column widths.
 */
async function listRecursively(ctx: FsContext, json: JsonArrayWriter, dir: string, human: boolean): Promise<void> {
  for await (const page of pages(ctx, dir)) {
    const lines = ctx.out.json ? [] : formatLines(page, human);
    for (const [i, entry] of page.entries()) {
      if (ctx.out.json) await json.push(entry);
      else await ctx.out.write(lines[i]!);
      if (entry.type === 'DIRECTORY') await listRecursively(ctx, json, entry.path, human);
    }
  }
}

export function registerLs(fs: Command): void {
  fs.command('ls')
    .description('list directories (paged; -R recursively) with permission, replication, owner, group, size, mtime, path')
    .argument('[paths...]', 'paths to list (default: the home directory /user/<user>)')
    .option('-R', 'list subdirectories recursively')
    .option('-d', 'list directories as plain files')
    .option('-h', 'human-readable sizes (1.5 K, 64 M)')
    .action(
      fsAction<[string[], LsOptions]>(async (ctx, args, options) => {
        const json = ctx.out.jsonArray();
        const human = options.h === true;
        const outcome = await eachPath(ctx.out, args.length === 0 ? ['.'] : args, async (arg) => {
          const status = await ctx.fs.getFileStatus(ctx.path(arg));
          if (status.type !== 'DIRECTORY' || options.d) return emit(ctx, json, [status], human);
          if (options.R) return listRecursively(ctx, json, status.path, human);
          // The first page is read before the header so that a directory the user may not list prints only the error.
          const listing = pages(ctx, status.path);
          const first = await listing.next();
          await ctx.out.line(`Found ${status.childrenNum} items`);
          if (!first.done) await emit(ctx, json, first.value, human);
          for await (const page of listing) await emit(ctx, json, page, human);
        });
        // Paths that all failed have no listing: `[]` would read as an empty directory.
        await json.close(outcome.anySucceeded);
        await outcome.finish();
      }),
    );
}
