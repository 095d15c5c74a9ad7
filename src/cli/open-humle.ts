import { mkdir } from 'node:fs/promises';
import { Humle, type HumleOptions } from '../humle.js';
import type { HumleConnection } from '../sdk/humle-connection.js';
import type { GlobalOptions, Settings } from './settings.js';
import { UsageError } from './usage-error.js';

/** Humle as a command opened it: the SDK interface, and the embedded Humle when it is the data directory. */
export interface OpenedHumle {
  humle: HumleConnection;
  /** The data directory's Humle (its administration: other users, every project); undefined on a server. */
  embedded: Humle | undefined;
}

/**
 * Humle as the settings name it: the server of --url / HUMLE_URL (as the user of the API key), else the data
 * directory (as --user). The commands program against HumleConnection, so one code path serves both.
 */
export async function openHumle(settings: Settings): Promise<OpenedHumle> {
  if (settings.server === undefined) {
    const embedded = await openDataDirectory(settings);
    return { humle: embedded, embedded };
  }
  const { url, apiKey } = settings.server;
  if (apiKey === undefined) throw new UsageError(`${url} needs an API key: give --api-key or set HUMLE_API_KEY (humle apikey create makes one)`, { url });
  return { humle: await Humle.connect({ url, apiKey }), embedded: undefined };
}

/** The data directory's Humle, as --user; a MySQL-backed store still keeps its blocks in the directory. */
export async function openDataDirectory(settings: Settings, options: Pick<HumleOptions, 'servingWorkers'> = {}): Promise<Humle> {
  await mkdir(settings.dataDir, { recursive: true });
  // Humle.open closes the engine it opened when opening fails, so a failed open leaves no pool keeping us alive.
  return Humle.open({ dataDir: settings.dataDir, engine: settings.engine, user: settings.user, groups: settings.groups, ...options });
}

/**
 * Commands that work on the data directory only refuse a server rather than ignore it: `humle fs` whether --url or
 * HUMLE_URL names it (a user who exported HUMLE_URL for the other commands would otherwise get an empty data directory
 * listed as if it were the server's files), with what to do instead.
 */
export function refuseServer(settings: Settings, options: GlobalOptions, command: string): void {
  if (settings.server === undefined) return;
  const { url } = settings.server;
  const instead =
    options.url !== undefined ? 'leave out --url' : `unset HUMLE_URL for it (\`HUMLE_URL= humle ${command} ...\` works on ${settings.dataDir})`;
  throw new UsageError(
    `humle ${command} works on a data directory, not on a server, and ${options.url !== undefined ? '--url' : 'HUMLE_URL'} names ${url}: ${instead}; ` +
      `the server's files are reached over WebHDFS (${url.replace(/\/$/, '')}/webhdfs/v1, e.g. hadoop fs or the Python hdfs package)`,
    { url, dataDir: settings.dataDir },
  );
}

/** Commands that work on the data directory itself (humle server) refuse --url rather than ignore it. */
export function refuseServerOption(options: GlobalOptions, command: string): void {
  if (options.url !== undefined) {
    throw new UsageError(`humle ${command} works on the data directory, not on a server: leave out --url`, { url: options.url });
  }
}
