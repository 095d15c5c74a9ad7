import { Option, type Command } from 'commander';
import { buildServer } from '../../server/http-server.js';
import { commandAction } from '../command-action.js';
import { openDataDirectory, refuseServerOption } from '../open-humle.js';
import { Output } from '../output.js';
import type { Humle } from '../../humle.js';
import { UsageError } from '../usage-error.js';

interface ServerOptions {
  port?: string;
  host: string;
  insecure?: boolean;
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
    .description('serve the REST API (/api/v1) and WebHDFS (/webhdfs/v1) on the data directory')
    .addOption(new Option('--port <port>', 'port to listen on (env HUMLE_PORT, default 8080; 0 picks a free one)'))
    .addOption(new Option('--host <host>', 'address to listen on').default('127.0.0.1'))
    .option('--insecure', 'trust WebHDFS user.name without an API key, as HDFS with security off (trusted networks and tests only)')
    .action(
      commandAction<{ humle: Humle; out: Output }, [ServerOptions]>(
        async (settings) => {
          const humle = await openDataDirectory(settings);
          return { context: { humle, out: new Output(settings.json) }, close: () => humle.close() };
        },
        async (ctx, options) => {
          const app = await buildServer({ humle: ctx.humle, insecure: options.insecure === true });
          const stopped = stopSignal();
          await app.listen({ port: portOf(options.port), host: options.host });
          const address = app.server.address();
          const port = typeof address === 'object' && address !== null ? address.port : portOf(options.port);
          const host = options.host.includes(':') ? `[${options.host}]` : options.host;
          await ctx.out.result({ url: `http://${host}:${port}`, insecure: options.insecure === true });
          await ctx.out.line(`Humle server listening on http://${host}:${port} (REST /api/v1, WebHDFS /webhdfs/v1${options.insecure ? ', insecure: user.name trusted' : ''})`);
          await stopped;
          await app.close();
        },
        (_settings, globals, options) => {
          refuseServerOption(globals, 'server');
          portOf(options.port);
        },
      ),
    );
}
