import { Humle, type HumleOptions } from '../humle.js';
import { commandAction } from './command-action.js';
import { Output } from './output.js';
import type { Settings } from './settings.js';

/** What the platform commands (project, apikey, server) work with: Humle embedded on the data directory. */
export interface HumleCommandContext {
  humle: Humle;
  out: Output;
  settings: Settings;
}

/**
 * Wraps a command body as a commander action (see commandAction) with Humle opened as the CLI's user. These commands
 * act as the administrator of the data directory: whoever can open it can change it whole.
 */
export function humleAction<A extends unknown[]>(
  body: (ctx: HumleCommandContext, ...args: A) => Promise<void>,
  validate?: (...args: A) => void,
  /** Options of Humle.open that the command's arguments set (the server's serving workers). */
  openOptions?: (...args: A) => Pick<HumleOptions, 'servingWorkers'>,
): (...args: unknown[]) => Promise<void> {
  return commandAction(
    async (settings, _options, args) => {
      // Humle.open closes the engine it opened when opening fails, so a failed open leaves no pool keeping us alive.
      const humle = await Humle.open({ dataDir: settings.dataDir, engine: settings.engine, user: settings.user, groups: settings.groups, ...openOptions?.(...args) });
      return { context: { humle, out: new Output(settings.json), settings }, close: () => humle.close() };
    },
    body,
    validate === undefined ? undefined : (_settings, _options, ...args: A) => validate(...args),
  );
}
