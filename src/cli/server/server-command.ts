import cluster from 'node:cluster';
import { Option, type Command } from 'commander';
import { checkTimeouts, DEFAULT_TIMEOUTS, type ServerTimeouts } from '../../server/connection-limits.js';
import { buildServer } from '../../server/http-server.js';
import { commandAction } from '../command-action.js';
import { openDataDirectory, refuseServerOption } from '../open-humle.js';
import { Output } from '../output.js';
import type { Humle } from '../../humle.js';
import type { GlobalOptions } from '../settings.js';
import { UsageError } from '../usage-error.js';

interface ServerOptions {
  port?: string;
  host: string;
  insecure?: boolean;
  servingWorkers: string;
  processes: string;
  headersTimeout: string;
  bodyIdleTimeout: string;
  requestTimeout: string;
  keepAliveTimeout: string;
}

function countOf(name: string, text: string, min: number, max: number): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < min || n > max) throw new UsageError(`${name} must be an integer from ${min} to ${max}, got ${text}`);
  return n;
}

/**
 * `--processes N`: this process forks N server processes that share the port (node:cluster hands each connection to
 * one of them) and waits; each opens the data directory itself. SQLite in WAL mode lets them read side by side,
 * which is what serving does; writes through several processes are serialized by SQLite's lock, but what one
 * process caches (feature views prepared for serving, for up to 5 s) does not see another's change at once. Resolves
 * when the processes have stopped, after Ctrl-C or SIGTERM is passed on to them.
 */
async function superviseProcesses(count: number): Promise<void> {
  const exited = Array.from({ length: count }, () => new Promise<void>((resolve) => cluster.fork().once('exit', () => resolve())));
  const stop = await stopSignal();
  for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill(stop as NodeJS.Signals);
  await Promise.all(exited);
}

const TIMEOUT_FLAGS: Readonly<Record<keyof ServerTimeouts, string>> = {
  headersMs: '--headers-timeout',
  bodyIdleMs: '--body-idle-timeout',
  requestMs: '--request-timeout',
  keepAliveMs: '--keep-alive-timeout',
};

/** The --*-timeout flags as ServerTimeouts, checked as buildServer checks them but named by their flags. */
function timeoutsOf(options: ServerOptions): ServerTimeouts {
  const ms = (field: keyof ServerTimeouts, text: string) => {
    if (!/^\d+$/.test(text)) throw new UsageError(`${TIMEOUT_FLAGS[field]} must be a whole number of milliseconds, got ${text}`);
    return Number(text);
  };
  const given = {
    headersMs: ms('headersMs', options.headersTimeout),
    bodyIdleMs: ms('bodyIdleMs', options.bodyIdleTimeout),
    requestMs: ms('requestMs', options.requestTimeout),
    keepAliveMs: ms('keepAliveMs', options.keepAliveTimeout),
  };
  return checkTimeouts(given, (field) => TIMEOUT_FLAGS[field]);
}

function portOf(value: string | undefined): number {
  const text = value ?? process.env.HUMLE_PORT ?? '8080';
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65535) throw new UsageError(`port must be an integer from 0 to 65535, got ${text}`);
  return port;
}

/** Resolves when the process is asked to stop (Ctrl-C, or SIGTERM from a supervisor). */
function stopSignal(): Promise<string> {
  return new Promise((resolve) => {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => resolve(signal));
  });
}

/**
 * `humle server`: the REST API and WebHDFS on the data directory, in the foreground until Ctrl-C or SIGTERM, which
 * stop it cleanly (requests in flight finish, the database closes). It prints one line when it listens, with the
 * URL; port 0 picks a free port (tests read the line).
 */
export function registerServerCommand(program: Command): void {
  program
    .command('server')
    .description('serve the REST API (/api/v1), WebHDFS (/webhdfs/v1) and RonDB-compatible serving (/0.1.0) on the data directory')
    .addOption(new Option('--port <port>', 'port to listen on (env HUMLE_PORT, default 8080; 0 picks a free one)'))
    .addOption(new Option('--host <host>', 'address to listen on').default('127.0.0.1'))
    .option('--insecure', 'trust WebHDFS user.name without an API key, as HDFS with security off (trusted networks and tests only)')
    .addOption(new Option('--serving-workers <n>', 'worker threads that share feature vector lookups with each process (SQLite)').default('1'))
    .addOption(new Option('--processes <n>', 'server processes sharing the port, each with its own database connections (1: this process serves)').default('1'))
    .addOption(new Option('--headers-timeout <ms>', "time to receive a request's headers").default(String(DEFAULT_TIMEOUTS.headersMs)))
    .addOption(new Option('--body-idle-timeout <ms>', 'time a request body may send nothing before its connection is closed').default(String(DEFAULT_TIMEOUTS.bodyIdleMs)))
    .addOption(new Option('--request-timeout <ms>', 'time to receive a whole request, body included (0: no total limit, uploads last while they move)').default(String(DEFAULT_TIMEOUTS.requestMs)))
    .addOption(new Option('--keep-alive-timeout <ms>', 'time an idle keep-alive connection is kept open').default(String(DEFAULT_TIMEOUTS.keepAliveMs)))
    .action(async (...args: unknown[]) => {
      const options = args[0] as ServerOptions;
      const processes = countOf('--processes', options.processes, 1, 64);
      if (processes > 1 && cluster.isPrimary) {
        refuseServerOption((args[1] as Command).optsWithGlobals<GlobalOptions>(), 'server');
        return superviseProcesses(processes);
      }
      await serve(...args);
      // A forked process's channel to the supervisor keeps it alive once it has stopped serving.
      cluster.worker?.disconnect();
    });
}

/** One server process: the data directory opened with its serving workers, serving until stopped. */
const serve = commandAction<{ humle: Humle; out: Output }, [ServerOptions]>(
  async (settings, _globals, [options]) => {
    const humle = await openDataDirectory(settings, { servingWorkers: Number(options.servingWorkers) });
    return { context: { humle, out: new Output(settings.json) }, close: () => humle.close() };
  },
  async (ctx, options) => {
    const app = await buildServer({ humle: ctx.humle, insecure: options.insecure === true, timeouts: timeoutsOf(options) });
    const stopped = stopSignal();
    await app.listen({ port: portOf(options.port), host: options.host });
    const address = app.server.address();
    const port = typeof address === 'object' && address !== null ? address.port : portOf(options.port);
    const host = options.host.includes(':') ? `[${options.host}]` : options.host;
    await ctx.out.result({ url: `http://${host}:${port}`, insecure: options.insecure === true });
    await ctx.out.line(`Humle server listening on http://${host}:${port} (REST /api/v1, WebHDFS /webhdfs/v1, RonDB REST /0.1.0${options.insecure ? ', insecure: user.name trusted' : ''})`);
    await stopped;
    await app.close();
  },
  (_settings, globals, options) => {
    refuseServerOption(globals, 'server');
    portOf(options.port);
    countOf('--serving-workers', options.servingWorkers, 0, 64);
    timeoutsOf(options);
  },
);
