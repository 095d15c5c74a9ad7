import { homedir, userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import { engineConfigFromUrl, type EngineConfig } from '../db/open-engine.js';

/** The global options as commander parses them (every command group sees them through optsWithGlobals). */
export interface GlobalOptions {
  data?: string;
  db?: string;
  user?: string;
  groups?: string;
  json?: boolean;
  url?: string;
  apiKey?: string;
}

/** A Humle server to work on instead of the data directory, and the API key to call it with. */
export interface ServerSettings {
  url: string;
  /** Undefined when neither --api-key nor HUMLE_API_KEY gives one (commands that need it say so). */
  apiKey: string | undefined;
}

/** Where the data lives and who is asking: the flag, else the environment, else the default. */
export interface Settings {
  dataDir: string;
  engine: EngineConfig;
  user: string;
  groups: string[] | undefined;
  json: boolean;
  /** --url, else HUMLE_URL: project, apikey and fg commands then work on that server (see openHumle). */
  server: ServerSettings | undefined;
}

export function resolveSettings(options: GlobalOptions, env: NodeJS.ProcessEnv = process.env): Settings {
  const dataDir = resolve(options.data ?? nonEmpty(env.HUMLE_DATA) ?? join(homedir(), '.humle'));
  const engine = engineConfigFromUrl(options.db ?? nonEmpty(env.HUMLE_DB));
  const user = options.user ?? nonEmpty(env.HUMLE_USER) ?? userInfo().username;
  const groupList = options.groups ?? nonEmpty(env.HUMLE_GROUPS);
  const groups = groupList === undefined ? undefined : [user, ...groupList.split(',').map((g) => g.trim()).filter((g) => g !== '' && g !== user)];
  const url = options.url ?? nonEmpty(env.HUMLE_URL);
  const server = url === undefined ? undefined : { url, apiKey: options.apiKey ?? nonEmpty(env.HUMLE_API_KEY) };
  return { dataDir, engine, user, groups, json: options.json === true, server };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}
