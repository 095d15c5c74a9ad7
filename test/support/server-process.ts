import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const CLI = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));

export interface ServerProcess {
  /** http://127.0.0.1:<port> */
  url: string;
  port: number;
  /** SIGTERM, then the exit code (0 for a clean stop). */
  stop(): Promise<number | null>;
}

/**
 * Starts `humle --data DIR --db URL [--user U] server --port 0 [--insecure] [...serverArgs]` as a real process and
 * waits for its (first) listening line. The server's feature store writes into project directories as its user, so a
 * server that creates projects and feature groups runs as the file system's superuser (`user`: who formatted it), as
 * a service would.
 */
export function startServerProcess(options: { dataDir: string; dbUrl: string; user?: string; insecure?: boolean; serverArgs?: string[] }): Promise<ServerProcess> {
  const user = options.user === undefined ? [] : ['--user', options.user];
  const args = [CLI, '--data', options.dataDir, '--db', options.dbUrl, ...user, 'server', '--port', '0', ...(options.insecure ? ['--insecure'] : []), ...(options.serverArgs ?? [])];
  const child: ChildProcess = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
    child.stderr!.on('data', (chunk) => (err += chunk));
    child.once('exit', (code) => reject(new Error(`humle server exited with ${code}: ${err}`)));
    child.stdout!.on('data', (chunk) => {
      out += chunk;
      const match = /listening on (http:\/\/127\.0\.0\.1:(\d+))/.exec(out);
      if (match === null) return;
      resolve({
        url: match[1]!,
        port: Number(match[2]),
        stop: async () => {
          child.kill('SIGTERM');
          return exited;
        },
      });
    });
  });
}
