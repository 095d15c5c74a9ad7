import { mkdir } from 'node:fs/promises';
import type { Command } from 'commander';
import { Humle, type HumleOptions } from '../humle.js';
import { Output } from './output.js';
import { resolveSettings, type GlobalOptions, type Settings } from './settings.js';

/** What the platform commands (project, apikey, server) work with: Humle embedded on the data directory. */
export interface HumleCommandContext {
  humle: Humle;
  out: Output;
  settings: Settings;
}

/**
 * Wraps a command body as a commander action, as fsAction and fgAction do: settings, then `validate` on the
 * arguments (so bad input creates nothing), then Humle opened as the CLI's user, the body, and Humle closed.
 * These commands act as the administrator of the data directory: whoever can open it can change it whole.
 */
export function humleAction<A extends unknown[]>(
  body: (ctx: HumleCommandContext, ...args: A) => Promise<void>,
  validate?: (...args: A) => void,
  /** Options of Humle.open that the command's arguments set (the server's serving workers). */
  openOptions?: (...args: A) => Pick<HumleOptions, 'servingWorkers'>,
): (...args: unknown[]) => Promise<void> {
  return async (...args: unknown[]) => {
    const command = args[args.length - 1] as Command;
    const own = args.slice(0, -1) as A;
    const settings = resolveSettings(command.optsWithGlobals<GlobalOptions>());
    validate?.(...own);
    await mkdir(settings.dataDir, { recursive: true });
    const humle = await Humle.open({ dataDir: settings.dataDir, engine: settings.engine, user: settings.user, groups: settings.groups, ...openOptions?.(...own) });
    try {
      await body({ humle, out: new Output(settings.json), settings }, ...own);
    } finally {
      await humle.close();
    }
  };
}
