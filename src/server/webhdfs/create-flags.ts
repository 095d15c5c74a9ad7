import type { WebHdfsParams } from './webhdfs-params.js';
import { invalid } from './webhdfs-params.js';

/** HDFS's CreateFlag values that say what CREATE does with an existing or missing file. */
const MODE_FLAGS = ['CREATE', 'OVERWRITE', 'APPEND'] as const;
/**
 * The other CreateFlag values: block placement and sync hints for HDFS's datanodes. humle fs places and stores blocks
 * itself, so they are accepted (Hadoop's client sends them) and change nothing.
 */
const HINT_FLAGS = ['SYNC_BLOCK', 'LAZY_PERSIST', 'NEW_BLOCK', 'NO_LOCAL_WRITE', 'SHOULD_REPLICATE', 'IGNORE_CLIENT_LOCALITY', 'NO_LOCAL_RACK'];

export interface CreateMode {
  /** The file may be created when it does not exist. */
  create: boolean;
  /** An existing file is replaced (otherwise it is FileAlreadyExistsException). */
  overwrite: boolean;
}

/**
 * What a CREATE may do, as HDFS's datanode reads it (WebHdfsHandler.onCreate): `createflag` (what
 * `createNonRecursive` and the `createFile()` builder send: `CREATE,OVERWRITE`, `CREATE`, ...) when given, with
 * `overwrite=true` adding OVERWRITE; without it, `overwrite` alone. APPEND through CREATE is refused: op=APPEND
 * appends.
 */
export function createMode(params: WebHdfsParams): CreateMode {
  const given = params.string('createflag') ?? '';
  const overwriteParam = params.boolean('overwrite', false);
  if (given === '') return { create: true, overwrite: overwriteParam };
  const flags = new Set<string>();
  for (const part of given.split(',')) {
    const flag = part.trim().toUpperCase();
    if (!(MODE_FLAGS as readonly string[]).includes(flag) && !HINT_FLAGS.includes(flag)) {
      throw invalid('createflag', given, `${JSON.stringify(part)} is not one of ${[...MODE_FLAGS, ...HINT_FLAGS].join(', ')}`);
    }
    flags.add(flag);
  }
  if (flags.has('APPEND')) throw invalid('createflag', given, 'CREATE does not append: use op=APPEND');
  return { create: flags.has('CREATE'), overwrite: flags.has('OVERWRITE') || overwriteParam };
}
