import { Option, type Command } from 'commander';
import { registerChanges } from './changes.js';
import { registerCommits } from './commits.js';
import { registerCreate } from './create.js';
import { registerDelete } from './delete.js';
import { registerDescribe } from './describe.js';
import { registerInsert } from './insert.js';
import { registerList } from './list.js';
import { registerRead } from './read.js';
import { registerStats } from './stats.js';
import { DEFAULT_PROJECT } from './fg-context.js';

/**
 * `humle fg`: feature groups of a project's feature store, modelled on HSFS (create, insert, read with time travel,
 * commit details, changes, statistics). `--project` is an option of the group, so it goes anywhere after `fg` and every
 * subcommand sees it through optsWithGlobals, as it sees the global options.
 */
export function registerFgCommands(program: Command): void {
  const fg = program
    .command('fg')
    .description('work with feature groups: create, insert files, read with time travel, commits and changes')
    .addOption(new Option('--project <name>', `the project (env HUMLE_PROJECT, default ${DEFAULT_PROJECT}; created by the first create)`));
  for (const register of [registerCreate, registerList, registerDescribe, registerInsert, registerRead, registerCommits, registerChanges, registerStats, registerDelete]) {
    register(fg);
  }
}
