import { mkdir } from 'node:fs/promises';
import type { Command } from 'commander';
import { openEngine } from '../../db/open-engine.js';
import { FileSystem } from '../../fs/file-system.js';
import { Output } from '../output.js';
import { progressSettings, type ProgressSettings } from '../progress.js';
import { resolveSettings, type GlobalOptions, type Settings } from '../settings.js';
import { homeDirectory, toFsPath } from './fs-paths.js';

/** What every `humle fs` subcommand works with: the file system as the user, the output, and path resolution. */
export interface FsContext {
  fs: FileSystem;
  out: Output;
  settings: Settings;
  progress: ProgressSettings;
  /** An argument as an absolute humle fs path (relative ones are below the user's home, as in hdfs dfs). */
  path(arg: string): string;
}

/**
 * Wraps a subcommand body as a commander action: parses the global settings, checks the arguments with `validate`,
 * opens the file system, runs the body with the command's own arguments (commander passes the options object and the
 * Command last), and closes it. Validation comes first so that bad input never even creates a data directory.
 */
export function fsAction<A extends unknown[]>(
  body: (ctx: FsContext, ...args: A) => Promise<void>,
  validate?: (...args: A) => void,
): (...args: unknown[]) => Promise<void> {
  return async (...args: unknown[]) => {
    const command = args[args.length - 1] as Command;
    const own = args.slice(0, -1) as A;
    const settings = resolveSettings(command.optsWithGlobals<GlobalOptions>());
    validate?.(...own);
    // SQLite creates its own directory, but a MySQL-backed file system still keeps its blocks here.
    await mkdir(settings.dataDir, { recursive: true });
    // The CLI opens the engine itself so that it can close it when FileSystem.open fails: a MySQL pool left open
    // would keep the process alive after the error was reported.
    const engine = await openEngine(settings.dataDir, settings.engine);
    let fs: FileSystem;
    try {
      fs = await FileSystem.open({ dataDir: settings.dataDir, engine, user: settings.user, groups: settings.groups });
    } catch (error) {
      await engine.close().catch(() => undefined);
      throw error;
    }
    const home = homeDirectory(settings.user);
    const ctx: FsContext = {
      fs,
      out: new Output(settings.json),
      settings,
      progress: progressSettings(settings.json),
      path: (arg) => toFsPath(arg, home),
    };
    try {
      await body(ctx, ...own);
    } finally {
      await fs.close();
    }
  };
}
