import type { Command } from 'commander';
import { resolveSettings, type GlobalOptions, type Settings } from './settings.js';

/** What a command opens for its body, and how to close it. */
export interface OpenedForCommand<C> {
  context: C;
  close(): Promise<void>;
}

/**
 * The life of every `humle` command as a commander action (commander passes the command's own arguments, then its
 * options object and the Command): the settings, then `validate` on the arguments — before anything is opened, so
 * that bad input never even creates a data directory — then `open` (the data directory, or a server), the body, and
 * close whatever happens. `humle fs`, `humle fg` and the platform commands differ only in what they open.
 */
export function commandAction<C, A extends unknown[], O extends GlobalOptions = GlobalOptions>(
  open: (settings: Settings, options: O, args: A) => Promise<OpenedForCommand<C>>,
  body: (context: C, ...args: A) => Promise<void>,
  validate?: (settings: Settings, options: O, ...args: A) => void | Promise<void>,
): (...args: unknown[]) => Promise<void> {
  return async (...args: unknown[]) => {
    const command = args[args.length - 1] as Command;
    const own = args.slice(0, -1) as A;
    const options = command.optsWithGlobals<O>();
    const settings = resolveSettings(options);
    await validate?.(settings, options, ...own);
    const opened = await open(settings, options, own);
    try {
      await body(opened.context, ...own);
    } finally {
      await opened.close();
    }
  };
}
