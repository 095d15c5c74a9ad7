import { stat } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { Option, type Command } from 'commander';
import type { InsertOptions } from '../../sdk/feature-group.js';
import { activityIndicator } from '../progress.js';
import { parseCount } from '../sizes.js';
import { LocalFileError } from '../fs/local-file-error.js';
import { InvalidFeatureDataError } from '../../errors/featurestore-errors.js';
import { commitSummary } from '../../featurestore/records/commit-summary.js';
import { commitText } from './commit-summary.js';
import { fgAction } from './fg-context.js';

interface InsertCommandOptions {
  version?: number;
  mode: NonNullable<InsertOptions['operation']>;
}

/** The local file's size; a missing or unreadable file is reported as `humle fs put` reports its source. */
async function localFileSize(path: string): Promise<number> {
  try {
    const st = await stat(path);
    if (st.isDirectory()) throw new LocalFileError('EISDIR', path);
    return st.size;
  } catch (error) {
    throw LocalFileError.from(error, path);
  }
}

export function registerInsert(fg: Command): void {
  fg.command('insert')
    .description('insert a .csv, .ndjson/.jsonl or .parquet file into a feature group as one commit')
    .argument('<name>')
    .argument('<file>', 'the rows: CSV with a header, one JSON object per line, or Parquet')
    .option('--version <n>', 'the version (default: the newest)', (v: string) => parseCount(v, 'version'))
    .addOption(
      new Option('--mode <mode>', 'upsert replaces records with the same key; insert refuses keys that exist')
        .choices(['upsert', 'insert'])
        .default('upsert'),
    )
    .action(
      fgAction<[string, string, InsertCommandOptions]>(
        async (ctx, name, file, options) => {
          const path = resolve(file);
          const size = await localFileSize(path);
          const fg = await ctx.featureGroup(name, options.version);
          // The API reads the file itself and reports no progress: on a terminal, a large file gets an indicator.
          const stop = await activityIndicator(ctx.progress, `Inserting ${basename(path)}`, size);
          let commit;
          try {
            commit = commitSummary(await fg.insert(path, { operation: options.mode }));
          } catch (error) {
            // The library knows the line of a refused row; the file's name as the user typed it is known here.
            throw error instanceof InvalidFeatureDataError ? error.inFile(file) : error;
          } finally {
            stop?.();
          }
          await ctx.out.line(`Inserted ${file} into ${fg.name} version ${fg.version}: ${commitText(commit)}`);
          await ctx.out.result(commit);
        },
        async (_settings, _name, file) => void (await localFileSize(resolve(file))),
      ),
    );
}
