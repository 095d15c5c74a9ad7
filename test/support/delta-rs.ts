import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

// delta-rs (Python `deltalake`) as the reference reader of Humle's Delta tables. The Python environment comes from
// scripts/python-env.sh (which CI runs before the tests, and which is quick once it has run); the tests skip only
// when HUMLE_SKIP_PYTHON=1 says so, never because Python happens to be missing.

const run = promisify(execFile);
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const readerScript = join(root, 'test', 'support', 'read_delta.py');

/** The reason to skip delta-rs checks (for node:test's `skip` option), or false. */
export const deltaRsSkipReason: string | false =
  process.env.HUMLE_SKIP_PYTHON === '1' ? 'HUMLE_SKIP_PYTHON=1: the delta-rs interoperability checks do not run' : false;

export interface DeltaRsTable {
  /** The version delta-rs loaded. */
  readonly version: number;
  /** Column names and Arrow types (`int64`, `timestamp[us, tz=UTC]`, `decimal128(38, 10)`, `list<element: int64>` ...). */
  readonly columns: readonly { readonly name: string; readonly type: string }[];
  /** Rows in canonical Humle values (integers and timestamps beyond 2^53 as bigint, binary as Buffer), sorted by delta-rs's JSON text. */
  readonly rows: unknown[][];
}

let python: Promise<string> | null = null;

function pythonWithDeltaRs(): Promise<string> {
  python ??= run('bash', [join(root, 'scripts', 'python-env.sh')], { cwd: root, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 }).then(({ stdout }) => {
    const path = stdout.trim().split('\n').pop();
    if (!path) throw new Error('scripts/python-env.sh printed no python path');
    return path;
  });
  return python;
}

async function runReader(args: string[]): Promise<string> {
  const executable = await pythonWithDeltaRs();
  try {
    const { stdout } = await run(executable, [readerScript, ...args], { encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 });
    return stdout;
  } catch (error) {
    const e = error as { stderr?: string; message: string };
    throw new Error(`delta-rs could not read the table: ${e.stderr?.trim() || e.message}`);
  }
}

/** The table as delta-rs reads it: the latest version, or `version`. */
export async function readWithDeltaRs(tableDir: string, options: { version?: number } = {}): Promise<DeltaRsTable> {
  return parseTable(await runReader([tableDir, ...versionArgs(options)]));
}

/** The add actions of the snapshot with the statistics as delta-rs parsed them (`num_records`, `min.<col>` ...). */
export async function readAddActionsWithDeltaRs(tableDir: string, options: { version?: number } = {}): Promise<DeltaRsTable> {
  return parseTable(await runReader([tableDir, ...versionArgs(options), '--add-actions']));
}

/** The table's history as delta-rs reports it, newest commit first. */
export async function readHistoryWithDeltaRs(tableDir: string): Promise<Record<string, unknown>[]> {
  return JSON.parse(await runReader([tableDir, '--history'])) as Record<string, unknown>[];
}

function versionArgs(options: { version?: number }): string[] {
  return options.version === undefined ? [] : ['--version', String(options.version)];
}

function parseTable(stdout: string): DeltaRsTable {
  const [header, ...lines] = stdout.split('\n').filter((line) => line.length > 0);
  const { version, columns } = JSON.parse(header!) as { version: number; columns: { name: string; type: string }[] };
  const revivers = columns.map((c) => reviverFor(c.type));
  const rows = lines.map((line) => (JSON.parse(line) as unknown[]).map((value, i) => revivers[i]!(value)));
  return { version, columns, rows };
}

/** Undoes what JSON could not carry: integers and microseconds beyond 2^53 came as strings, binary as base64. */
function reviverFor(arrowType: string): (value: unknown) => unknown {
  if (/^(large_)?list</.test(arrowType)) {
    const element = reviverFor(arrowType.replace(/^(large_)?list<[^:]*:\s*/, '').replace(/>$/, ''));
    return (value) => (Array.isArray(value) ? value.map(element) : value);
  }
  if (/^u?int(8|16|32|64)$/.test(arrowType) || arrowType.startsWith('timestamp')) return (value) => (typeof value === 'string' ? BigInt(value) : value);
  if (/^(large_)?binary$/.test(arrowType)) return (value) => (typeof value === 'string' ? Buffer.from(value, 'base64') : value);
  return (value) => value;
}
