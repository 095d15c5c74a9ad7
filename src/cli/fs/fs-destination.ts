import { UsageError } from '../usage-error.js';
import { FileNotFoundError, ParentNotDirectoryError } from '../../errors/fs-errors.js';
import type { FsContext } from './fs-context.js';
import { childPath } from './fs-paths.js';
import { statusOrUndefined } from './status-lookup.js';

export interface FsDestination {
  /** DST is an existing directory: sources go inside it. */
  isDirectory: boolean;
  /** Where the source called `name` lands. */
  target(name: string): string;
}

/**
 * Where each source of put, cp or mv lands, by hdfs dfs's rule: inside DST when DST is an existing directory, else
 * DST itself, which only one source may take. A DST written with a trailing `/` must be an existing directory.
 */
export async function fsDestination(ctx: FsContext, dstArg: string, sourceCount: number): Promise<FsDestination> {
  const dst = ctx.path(dstArg);
  const status = await statusOrUndefined(ctx.fs, dst);
  if (status?.type === 'DIRECTORY') {
    return { isDirectory: true, target: (name) => (name === '' ? status.path : childPath(status.path, name)) };
  }
  if (sourceCount > 1 || dstArg.endsWith('/')) {
    if (status === undefined) throw new FileNotFoundError(`${dst}: No such file or directory`, { path: dst });
    throw new ParentNotDirectoryError(`${dst}: Is not a directory`, { path: dst });
  }
  return { isDirectory: false, target: () => dst };
}

/** Put, get, mv and cp take SRC... DST: at least two arguments (commander's variadic argument cannot end the list). */
export function needsSourceAndDestination(command: string): (args: readonly string[]) => void {
  return (args) => {
    if (args.length < 2) throw new UsageError(`${command} needs at least one source and a destination`, { args });
  };
}
