import type { Command } from 'commander';
import { UsageError } from '../usage-error.js';
import { eachPath } from './each-path.js';
import { fsAction, type FsContext } from './fs-context.js';
import { walkTree } from './tree-walk.js';

/** `OWNER`, `OWNER:GROUP`, `OWNER:` or `:GROUP`, as hdfs dfs -chown takes it. */
interface OwnerGroup {
  owner?: string;
  group?: string;
}

function parseOwnerGroup(text: string): OwnerGroup {
  const colon = text.indexOf(':');
  const owner = colon < 0 ? text : text.slice(0, colon);
  const group = colon < 0 ? '' : text.slice(colon + 1);
  if (owner === '' && group === '') throw new UsageError(`chown needs OWNER[:GROUP] or :GROUP, not ${JSON.stringify(text)}`, { owner: text });
  return { owner: owner === '' ? undefined : owner, group: group === '' ? undefined : group };
}

async function changeOwner(ctx: FsContext, args: string[], recursive: boolean, owner: string | undefined, group: string | undefined): Promise<void> {
  const results: { path: string; changed: number }[] = [];
  const outcome = await eachPath(ctx.out, args, async (arg) => {
    const root = await ctx.fs.getFileStatus(ctx.path(arg));
    let changed = 0;
    await walkTree(ctx.fs, root, recursive, async (status) => {
      await ctx.fs.setOwner(status.path, owner, group);
      changed++;
    });
    results.push({ path: root.path, changed });
  });
  await outcome.finish(results);
}

export function registerOwnership(fs: Command): void {
  fs.command('chown')
    .description('change owner and/or group (changing the owner needs the superuser)')
    .argument('<owner>', 'OWNER[:GROUP] or :GROUP', parseOwnerGroup)
    .argument('<paths...>')
    .option('-R', 'apply recursively')
    .action(
      fsAction<[OwnerGroup, string[], { R?: boolean }]>(async (ctx, { owner, group }, args, options) => {
        await changeOwner(ctx, args, options.R === true, owner, group);
      }),
    );

  fs.command('chgrp')
    .description("change the group (the owner may choose one of their own groups; any group needs the superuser)")
    .argument('<group>')
    .argument('<paths...>')
    .option('-R', 'apply recursively')
    .action(
      fsAction<[string, string[], { R?: boolean }]>(async (ctx, group, args, options) => {
        await changeOwner(ctx, args, options.R === true, undefined, group);
      }),
    );
}
