import { mkdir } from 'node:fs/promises';
import { openEngine } from '../../db/open-engine.js';
import { FileSystem } from '../../fs/file-system.js';
import { Output } from '../output.js';
import { progressSettings, type ProgressSettings } from '../progress.js';
import { commandAction } from '../command-action.js';
import { refuseServerOption } from '../open-humle.js';
import type { Settings } from '../settings.js';
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

/** Wraps a subcommand body as a commander action (see commandAction) with the file system opened as the user. */
export function fsAction<A extends unknown[]>(
  body: (ctx: FsContext, ...args: A) => Promise<void>,
  validate?: (...args: A) => void,
): (...args: unknown[]) => Promise<void> {
  return commandAction(
    async (settings) => {
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
      const context: FsContext = {
        fs,
        out: new Output(settings.json),
        settings,
        progress: progressSettings(settings.json),
        path: (arg) => toFsPath(arg, home),
      };
      return { context, close: () => fs.close() };
    },
    body,
    (_settings, options, ...args: A) => {
      // WebHDFS serves humle fs remotely; this command group works on the data directory.
      refuseServerOption(options, 'fs');
      validate?.(...args);
    },
  );
}
