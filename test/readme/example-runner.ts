import { execFile } from 'node:child_process';
import { accessSync, chmodSync, constants, copyFileSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { setupScriptOutput } from '../support/client-scripts.js';

// How a README example runs, as a user runs it (README, "Using Humle from another project" and "The `humle`
// command"): TypeScript in a fresh folder that installed the package with `npm install <repository>` and compiles with
// tsc; shell lines with `humle` on the PATH (as `npm link` puts it there); Python with the SDK installed from
// ./python. Each in a fresh folder holding the few files of the reader's own that the examples name.
// Two substitutions only: a server's examples name 127.0.0.1:8080, and the test's server listens on a free port
// (the machine runs other servers); and curl gets --fail-with-body, so that an error status fails the example
// instead of printing its body as a success would.

const run = promisify(execFile);
export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const CLI = join(ROOT, 'dist', 'src', 'cli', 'main.js');
const TSC = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');

/** What an example's shell and process see beyond the test's own environment. */
export interface ExampleEnv {
  /** The data directory `humle` works on (HUMLE_DATA). */
  dataDir: string;
  /** The port of the server of the example's world, substituted for 8080. */
  port?: number;
  vars?: Record<string, string>;
}

export interface ExampleResult {
  stdout: string;
  stderr: string;
}

/** The machine's curl, found on the PATH as a shell would find it. */
function realCurl(): string {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const path = join(dir, 'curl');
    try {
      accessSync(path, constants.X_OK);
      return path;
    } catch {
      // not in this directory
    }
  }
  throw new Error('the README examples need curl on the PATH');
}

/** A directory on the PATH with `humle` (the built CLI) and `curl` that fails on an error status. */
const binDir = (() => {
  const dir = mkdtempSync(join(tmpdir(), 'humle-readme-bin-'));
  writeFileSync(join(dir, 'humle'), `#!/bin/sh\nexec "${process.execPath}" "${CLI}" "$@"\n`);
  writeFileSync(join(dir, 'curl'), `#!/bin/sh\nexec "${realCurl()}" --fail-with-body --silent --show-error "$@"\n`);
  chmodSync(join(dir, 'humle'), 0o755);
  chmodSync(join(dir, 'curl'), 0o755);
  return dir;
})();

/** A fresh folder with the files of the reader's own that examples name (data.csv, big.parquet, late.ndjson, README.md). */
export function exampleFolder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'humle-readme-example-'));
  writeFileSync(join(dir, 'data.csv'), 'id,amount\n1,10.5\n2,7.25\n');
  writeFileSync(join(dir, 'big.parquet'), Buffer.alloc(3 * 1024 * 1024, 7));
  writeFileSync(join(dir, 'late.ndjson'), '{"cc_num":4242,"ts":"2026-01-02T09:00:00Z","amount":3,"category":"food"}\n');
  copyFileSync(join(ROOT, 'README.md'), join(dir, 'README.md'));
  return dir;
}

function withPort(code: string, port: number | undefined): string {
  return port === undefined ? code : code.replaceAll('127.0.0.1:8080', `127.0.0.1:${port}`);
}

function environment(env: ExampleEnv): NodeJS.ProcessEnv {
  // The test's own HUMLE_* settings (engines, MariaDB) are not the reader's.
  const own = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('HUMLE_')));
  return { ...own, PATH: `${binDir}:${process.env.PATH ?? ''}`, HUMLE_DATA: env.dataDir, ...env.vars };
}

async function runIn(dir: string, file: string, args: readonly string[], env: ExampleEnv): Promise<ExampleResult> {
  try {
    const { stdout, stderr } = await run(file, [...args], { cwd: dir, env: environment(env), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, timeout: 300_000 });
    return { stdout, stderr };
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${e.message}\nstdout: ${(e.stdout ?? '').slice(-3000)}\nstderr: ${(e.stderr ?? '').slice(-3000)}`);
  }
}

/** Shell lines as pasted into bash: any failing line (or part of a pipe) fails the example. */
export function runShell(code: string, env: ExampleEnv): Promise<ExampleResult> {
  const dir = exampleFolder();
  return runIn(dir, 'bash', ['-e', '-o', 'pipefail', '-c', withPort(code, env.port)], env);
}

/**
 * TypeScript as README, "Using Humle from another project", says: a folder with `"type": "module"`, Humle installed
 * with `npm install <the repository>`, compiled by tsc with the tsconfig given there, run by node. tsc and @types/node
 * are the repository's own (the README's `npm install --save-dev typescript @types/node` fetches the same packages).
 */
export async function runTypeScript(code: string, env: ExampleEnv): Promise<ExampleResult> {
  const dir = exampleFolder();
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ type: 'module', private: true }));
  await runIn(dir, 'npm', ['install', '--no-audit', '--no-fund', '--offline', ROOT], env);
  mkdirSync(join(dir, 'node_modules', '@types'), { recursive: true });
  symlinkSync(join(ROOT, 'node_modules', '@types', 'node'), join(dir, 'node_modules', '@types', 'node'));
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify(TSCONFIG));
  writeFileSync(join(dir, 'example.ts'), withPort(code, env.port));
  await runIn(dir, process.execPath, [TSC, '-p', '.'], env);
  return runIn(dir, process.execPath, ['example.js'], env);
}

/** The tsconfig README, "Using Humle from another project", gives. */
export const TSCONFIG = { compilerOptions: { target: 'es2022', module: 'nodenext', strict: true, skipLibCheck: true, types: ['node'] } };

let venvPython: Promise<string> | undefined;

/** The Python of scripts/python-env.sh: the SDK installed from ./python (`pip install ./python`), and `hdfs`. */
function python(): Promise<string> {
  venvPython ??= setupScriptOutput('python-env.sh');
  return venvPython;
}

export async function runPython(code: string, env: ExampleEnv): Promise<ExampleResult> {
  const dir = exampleFolder();
  writeFileSync(join(dir, 'example.py'), withPort(code, env.port));
  return runIn(dir, await python(), ['example.py'], env);
}

/** `humle ...args` on a data directory, for setting up a world; its stdout. */
export async function humle(dataDir: string, args: readonly string[]): Promise<string> {
  return (await runIn(ROOT, process.execPath, [CLI, ...args], { dataDir })).stdout;
}

/** scripts/demo-setup.sh (npm start's setup) on a data directory; its stdout. */
export async function demoSetup(dataDir: string): Promise<string> {
  return (await runIn(ROOT, 'bash', [join(ROOT, 'scripts', 'demo-setup.sh')], { dataDir })).stdout;
}
