import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';
import { describe } from 'node:test';
import { FileSystem } from '../../src/fs/file-system.js';
import { createTestStore, testEngines, type EngineKind, type TestStore } from '../support/engines.js';

/** The compiled CLI, run as a real process the way a user runs it. */
export const CLI = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));

export interface CliRun {
  code: number;
  stdout: string;
  stdoutBytes: Buffer;
  stderr: string;
}

export interface RunOptions {
  /** Who runs the command (default `hdfs`, the superuser: the first user to touch a file system formats it). */
  user?: string;
  input?: string | Buffer;
  /** Environment added to the test process's own; the global flags are left out when `bare` is set. */
  env?: NodeJS.ProcessEnv;
  bare?: boolean;
}

export interface Cli {
  kind: EngineKind;
  store: TestStore;
  /** A local scratch directory for put and get. */
  local: string;
  /** `humle --data <dir> --db <url> --user <user> ...args`. */
  run(args: readonly string[], options?: RunOptions): Promise<CliRun>;
  /** Starts `humle --data <dir> --db <url> --user hdfs ...args` with stdin left open. */
  start(args: readonly string[]): StartedCli;
  /** Runs and asserts exit code 0. */
  ok(args: readonly string[], options?: RunOptions): Promise<CliRun>;
  /** Runs with --json, asserts exit code 0, and parses stdout. */
  json<T = unknown>(args: readonly string[], options?: RunOptions): Promise<T>;
  /** Runs, asserts the exit code, and parses the --json error report on stderr. */
  fails(code: number, args: readonly string[], options?: RunOptions): Promise<{ code: string; message: string; details: Record<string, unknown> }>;
  /**
   * The same file system opened in the test process, for setting up and checking state without paying for a process
   * start each time (the commands under test always run as processes).
   */
  withFs<T>(fn: (fs: FileSystem) => Promise<T>, user?: string): Promise<T>;
}

export interface StartedCli {
  child: ChildProcessWithoutNullStreams;
  done: Promise<CliRun>;
}

/** Starts the CLI and leaves its stdin open, for a test that feeds or interrupts it. */
export function startProcess(args: readonly string[], options: { env?: NodeJS.ProcessEnv } = {}): StartedCli {
  const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, ...options.env }, stdio: ['pipe', 'pipe', 'pipe'] });
  const done = new Promise<CliRun>((resolve, reject) => {
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      const stdoutBytes = Buffer.concat(out);
      resolve({ code: code ?? -1, stdout: stdoutBytes.toString('utf8'), stdoutBytes, stderr: Buffer.concat(err).toString('utf8') });
    });
  });
  child.stdin.on('error', () => undefined);
  return { child, done };
}

export function runProcess(args: readonly string[], options: { input?: string | Buffer; env?: NodeJS.ProcessEnv } = {}): Promise<CliRun> {
  const { child, done } = startProcess(args, options);
  child.stdin.end(options.input ?? '');
  return done;
}

function describeRun(args: readonly string[], run: CliRun): string {
  return `humle ${args.join(' ')} → exit ${run.code}\nstdout: ${run.stdout.slice(0, 2000)}\nstderr: ${run.stderr.slice(0, 2000)}`;
}

function cliFor(kind: EngineKind, store: TestStore, local: string): Cli {
  const run = (args: readonly string[], options: RunOptions = {}) => {
    const globals = options.bare ? [] : ['--data', store.dataDir, '--db', store.url, '--user', options.user ?? 'hdfs'];
    return runProcess([...globals, ...args], options);
  };
  const cli: Cli = {
    kind,
    store,
    local,
    run,
    start: (args) => startProcess(['--data', store.dataDir, '--db', store.url, '--user', 'hdfs', ...args]),
    async ok(args, options) {
      const result = await run(args, options);
      assert.equal(result.code, 0, describeRun(args, result));
      return result;
    },
    async json<T>(args: readonly string[], options?: RunOptions) {
      const result = await cli.ok(['--json', ...args], options);
      return JSON.parse(result.stdout) as T;
    },
    async fails(code, args, options) {
      const result = await run(['--json', ...args], options);
      assert.equal(result.code, code, describeRun(args, result));
      assert.equal(result.stdout.trim() === '' || result.stdout.trim().startsWith('['), true, 'a failed command prints no text result');
      const lines = result.stderr.trim().split('\n');
      const report = JSON.parse(lines[0]!) as { error: { code: string; message: string; details: Record<string, unknown> } };
      assert.equal(typeof report.error.code, 'string');
      assert.equal(typeof report.error.message, 'string');
      assert.equal(typeof report.error.details, 'object');
      return report.error;
    },
    async withFs(fn, user = 'hdfs') {
      const fs = await FileSystem.open({ dataDir: store.dataDir, engine: store.engine, user });
      try {
        return await fn(fs);
      } finally {
        await fs.close();
      }
    },
  };
  return cli;
}

/**
 * Runs `body` once per engine under test (`describe('<name> [sqlite]')`...); each `withCli` gets a fresh file system
 * (data directory and, for MySQL, database) and a local scratch directory, removed afterwards. Tests of one describe
 * run concurrently: each CLI call is a process start, and the stores are independent.
 */
export function describeCli(name: string, body: (withCli: (fn: (cli: Cli) => Promise<void>) => Promise<void>) => void): void {
  for (const kind of testEngines()) {
    describe(`${name} [${kind}]`, { concurrency: 4 }, () => {
      body(async (fn) => {
        const store = await createTestStore(kind);
        const local = mkdtempSync(join(tmpdir(), 'humle-cli-local-'));
        try {
          await fn(cliFor(kind, store, local));
        } finally {
          rmSync(local, { recursive: true, force: true });
          await store.dispose();
        }
      });
    });
  }
}

/** Everything in the file system (path, type, size, mode, owner, bytes), to show that a refused command changed nothing. */
export function snapshot(cli: Cli): Promise<string> {
  return cli.withFs(async (fs) => {
    const lines: string[] = [];
    const walk = async (dir: string): Promise<void> => {
      for await (const e of fs.list(dir)) {
        const bytes = e.type === 'FILE' ? (await fs.readFile(e.path)).toString('base64') : '';
        lines.push(`${e.path} ${e.type} ${e.length} ${e.permission.toString(8)} ${e.owner}:${e.group} ${bytes}`);
        if (e.type === 'DIRECTORY') await walk(e.path);
      }
    };
    await walk('/');
    return lines.join('\n');
  });
}
