import type { Command } from 'commander';
import { registerCat } from './cat.js';
import { registerCount } from './count.js';
import { registerCp } from './cp.js';
import { registerDu } from './du.js';
import { registerFsck } from './fsck.js';
import { registerGet } from './get.js';
import { registerLs } from './ls.js';
import { registerMkdir } from './mkdir.js';
import { registerMv } from './mv.js';
import { registerOwnership } from './ownership.js';
import { registerPermissions } from './permissions.js';
import { registerPut } from './put.js';
import { registerQuota } from './quota.js';
import { registerRm } from './rm.js';
import { registerStat } from './stat.js';
import { registerXAttrs } from './xattrs.js';

/**
 * `humle fs`: the file system's shell, modelled on `hdfs dfs`. Built with `program.command()` so that it and its
 * subcommands inherit the program's help, exit and output settings.
 */
export function registerFsCommands(program: Command): void {
  const fs = program.command('fs').description('work with humle fs, like hdfs dfs');
  for (const register of [
    registerLs,
    registerMkdir,
    registerPut,
    registerGet,
    registerCat,
    registerMv,
    registerCp,
    registerRm,
    registerDu,
    registerCount,
    registerStat,
    registerPermissions,
    registerOwnership,
    registerXAttrs,
    registerQuota,
    registerFsck,
  ]) {
    register(fs);
  }
}
