import type { Platform } from '../platform/platform.js';
import type { HumleConnection } from '../sdk/humle-connection.js';
import { commandAction } from './command-action.js';
import { openHumle } from './open-humle.js';
import { Output } from './output.js';
import type { Settings } from './settings.js';
import { UsageError } from './usage-error.js';

/** What the platform commands (project, apikey) work with: Humle on the data directory or on a server. */
export interface HumleCommandContext {
  humle: HumleConnection;
  out: Output;
  settings: Settings;
  /**
   * The data directory's administration, for what only its administrator does (projects of another owner, another
   * user's memberships); on a server it is a usage error: the server acts for the key's user alone.
   */
  administration(what: string): Platform;
}

/**
 * Wraps a command body as a commander action (see commandAction) with Humle opened by the settings: on the data
 * directory as the CLI's user, who administers it (whoever can open it can change it whole), or on the server of
 * --url as the API key's user.
 */
export function humleAction<A extends unknown[]>(
  body: (ctx: HumleCommandContext, ...args: A) => Promise<void>,
  validate?: (...args: A) => void,
): (...args: unknown[]) => Promise<void> {
  return commandAction(
    async (settings) => {
      const { humle, embedded } = await openHumle(settings);
      const context: HumleCommandContext = {
        humle,
        out: new Output(settings.json),
        settings,
        administration: (what) => {
          if (embedded === undefined) throw new UsageError(`${what} administers the data directory: leave out --url (a server acts for the API key's user)`, {});
          return embedded.platform;
        },
      };
      return { context, close: () => humle.close() };
    },
    body,
    validate === undefined ? undefined : (_settings, _options, ...args: A) => validate(...args),
  );
}
