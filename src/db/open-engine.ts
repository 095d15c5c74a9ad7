import { join } from 'node:path';
import type { Engine } from './engine.js';
import { SqliteEngine } from './sqlite/sqlite-engine.js';
import { InvalidArgumentError } from '../errors/humle-error.js';

export type EngineConfig =
  | { kind: 'sqlite'; path?: string; maxBatch?: number }
  | { kind: 'mysql'; url: string; tableEngine?: 'InnoDB' | 'ndbcluster'; poolSize?: number };

/**
 * Opens the configured engine; SQLite (a file in the data directory) unless told otherwise. The MySQL driver is
 * loaded only when asked for: it costs a short-lived CLI process as much start-up time as everything else together.
 */
export async function openEngine(dataDir: string, config: EngineConfig = { kind: 'sqlite' }): Promise<Engine> {
  switch (config.kind) {
    case 'sqlite':
      return new SqliteEngine({ path: config.path ?? join(dataDir, 'humle.db'), maxBatch: config.maxBatch });
    case 'mysql': {
      const { MysqlEngine } = await import('./mysql/mysql-engine.js');
      return new MysqlEngine(config);
    }
    default:
      throw new InvalidArgumentError(`unknown engine ${(config as { kind: string }).kind}`);
  }
}

/** Parses an engine setting as given on a command line: `sqlite` or a `mysql://` URL (`?engine=ndbcluster` for RonDB). */
export function engineConfigFromUrl(url: string | undefined): EngineConfig {
  if (url === undefined || url === '' || url === 'sqlite') return { kind: 'sqlite' };
  if (url.startsWith('mysql://')) {
    const parsed = new URL(url);
    const tableEngine = parsed.searchParams.get('engine');
    parsed.searchParams.delete('engine');
    if (tableEngine !== null && tableEngine !== 'ndbcluster' && tableEngine !== 'InnoDB') {
      throw new InvalidArgumentError(`unknown table engine ${tableEngine}: use ndbcluster or InnoDB`);
    }
    return { kind: 'mysql', url: parsed.toString(), tableEngine: tableEngine ?? undefined };
  }
  throw new InvalidArgumentError(`unsupported database URL ${url}: use sqlite or mysql://user:password@host:port/database`);
}
