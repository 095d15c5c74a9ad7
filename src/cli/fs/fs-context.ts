import { mkdir } from 'node:fs/promises';
import { openEngine } from '../../db/open-engine.js';
import { FileSystem } from '../../fs/file-system.js';
import { Output } from '../output.js';
import { progressSettings, type ProgressSettings } from '../progress.js';
import { commandAction } from '../command-action.js';
import { refuseServer } from '../open-humle.js';
import type { Settings } from '../settings.js';
import { homeDirectory, toFsPath } from './fs-paths.js';
import { explainMissingHome } from './missing-home.js';

/** What every `humle fs` subcommand works with: the file system as the user, the output, and path resolution. */
export interface FsContext {
  fs: FileSystem;
  out: Output;
  settings: Settings;
  progress: ProgressSettings;
  /** An argument as an absolute humle fs path (relative ones are below the user's home, as in hdfs dfs). */
  path(arg: string): string;
  /** The error as the user should read it (a path below a home directory that does not exist says so). */
  explain(error: unknown): unknown;
}

/** The output of an fs command: its errors, reported argument by argument, are explained first (FsContext.explain). */
class FsOutput extends Output {
  constructor(json: boolean, private readonly explain: (error: unknown) => unknown) {
    super(json);
  }

  override error(error: unknown): void {
    super.error(this.explain(error));
  }
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
      // Looked up once (one read), so that errors are explained without another round trip; a home directory the
      // user may not even see is left to the command's own error.
      const homeExists = await fs.exists(home).catch(() => true);
      const explain = (error: unknown) => explainMissingHome(error, home, homeExists);
      const context: FsContext = {
        fs,
        out: new FsOutput(settings.json, explain),
        settings,
        progress: progressSettings(settings.json),
        path: (arg) => toFsPath(arg, home),
        explain,
      };
      return { context, close: () => fs.close() };
    },
    async (ctx, ...args: A) => {
      try {
        await body(ctx, ...args);
      } catch (error) {
        throw ctx.explain(error);
      }
    },
    (settings, options, ...args: A) => {
      // WebHDFS serves humle fs remotely; this command group works on the data directory, and says so rather than
      // list an empty data directory while the user thinks of the server HUMLE_URL names.
      refuseServer(settings, options, 'fs');
      validate?.(...args);
    },
  );
}
