import type { EngineConfig } from '../../db/open-engine.js';
import type { SerializedError } from '../../errors/error-transport.js';
import type { StoragePolicy } from '../content/storage-policy.js';
import type { FsLimits } from '../fs-core.js';
import type { Sandboxes } from '../namespace/sandboxes.js';

/** The read operations a worker serves: they only read the database, so any number can run beside the writer. */
export type ReadMethod = 'getFileStatus' | 'listStatus' | 'exists' | 'readFile';

export interface ReadRequest {
  id: number;
  user: string;
  groups: readonly string[];
  sandboxes: Sandboxes | undefined;
  method: ReadMethod;
  args: unknown[];
}

export type ReadReply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: SerializedError };

/** What a worker needs to open the same file system (serializable: no Engine instance, no BlockStore instance). */
export interface ReadWorkerInit {
  dataDir: string;
  engine: EngineConfig | undefined;
  storagePolicy: StoragePolicy;
  umask: number;
  supergroup: string;
  limits: FsLimits;
}
