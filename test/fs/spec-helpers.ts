import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import type { FileSystem } from '../../src/fs/file-system.js';
import type { FileStatus } from '../../src/fs/file-status.js';
import { HumleError } from '../../src/errors/humle-error.js';

// Shared by the humle fs specification tests: a complete picture of the file system's state (what the API shows,
// what the metadata tables hold, which block files exist), so a refused operation can be shown to change nothing.

/** Tables whose every row is part of the namespace's state (fs_id_counters is not: ids may be skipped, never reused). */
const STATE_TABLES: Record<string, string> = {
  fs_inodes: 'SELECT * FROM fs_inodes ORDER BY id',
  fs_small_files: 'SELECT * FROM fs_small_files ORDER BY inode_id, chunk_index',
  fs_blocks: 'SELECT * FROM fs_blocks ORDER BY inode_id, block_index',
  fs_leases: 'SELECT inode_id, holder FROM fs_leases ORDER BY inode_id',
  fs_quotas: 'SELECT * FROM fs_quotas ORDER BY inode_id',
  fs_xattrs: 'SELECT * FROM fs_xattrs ORDER BY inode_id, namespace, name',
  fs_storage_policies: 'SELECT * FROM fs_storage_policies ORDER BY inode_id',
  fs_subtree_operations: 'SELECT id, root_id, kind, path FROM fs_subtree_operations ORDER BY id',
};

function normalize(value: unknown): unknown {
  if (Buffer.isBuffer(value)) return `0x${value.toString('hex')}`;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'string' && /^-?\d+$/.test(value) && value.length < 16) return Number(value);
  return value;
}

/** Every row of the namespace tables, normalized so both engines' drivers compare alike. */
export async function tableState(fs: FileSystem): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  await fs.engine.read(async (tx) => {
    for (const [table, sql] of Object.entries(STATE_TABLES)) {
      const rows = await tx.all<Record<string, unknown>>(sql);
      out[table] = rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, normalize(v)])));
    }
  });
  return out;
}

function statusLine(s: FileStatus): string {
  return [
    s.path,
    s.type,
    `len=${s.length}`,
    s.permissionString,
    `${s.owner}:${s.group}`,
    `children=${s.childrenNum}`,
    `mtime=${s.modificationTime}`,
    `atime=${s.accessTime}`,
    `repl=${s.replication}`,
    `bs=${s.blockSize}`,
    s.storage,
    `uc=${s.underConstruction}`,
    `id=${s.fileId}`,
  ].join(' ');
}

/** What the API shows of the whole tree (walked as the superuser `fs`): statuses, file contents, xattrs. */
export async function treeListing(fs: FileSystem): Promise<string[]> {
  const lines: string[] = [];
  const visit = async (status: FileStatus): Promise<void> => {
    let line = statusLine(status);
    if (status.type === 'FILE') line += ` sha=${createHash('sha256').update(await fs.readFile(status.path)).digest('hex').slice(0, 16)}`;
    const xattrs = await fs.getXAttrs(status.path);
    for (const [name, value] of Object.entries(xattrs)) line += ` ${name}=${value.toString('hex')}`;
    lines.push(line);
    if (status.type === 'DIRECTORY') for await (const child of fs.list(status.path)) await visit(child);
  };
  await visit(await fs.getFileStatus('/'));
  return lines;
}

/** Committed and temporary block files in the block store. */
export async function blockFiles(fs: FileSystem): Promise<string[]> {
  const names: string[] = [];
  for await (const b of fs.blockStore.list()) names.push(`blk_${b.blockId}:${b.length}`);
  for await (const t of fs.blockStore.listIncomplete()) names.push(`tmp/${t.name}`);
  return names.sort();
}

export interface FsState {
  listing: string[];
  tables: Record<string, unknown[]>;
  blocks: string[];
}

/** The whole observable state of the file system; `fs` must be a superuser view. */
export async function fsState(fs: FileSystem): Promise<FsState> {
  return { listing: await treeListing(fs), tables: await tableState(fs), blocks: await blockFiles(fs) };
}

type ErrorClass = abstract new (...args: never[]) => Error;

/** Asserts that `error` is a `Class` with the stable `code`. */
export function assertTypedError(error: unknown, Class: ErrorClass, code: string, what = ''): void {
  assert.ok(error instanceof Class, `${what}: expected ${Class.name}, got ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
  assert.ok(error instanceof HumleError, `${what}: not a HumleError`);
  assert.equal(error.code, code, `${what}: code`);
}

/**
 * Asserts that `action` fails with `Class` (and its stable `code`) and leaves the file system exactly as it was.
 * `admin` is a superuser view used to take the before/after pictures.
 */
export async function assertRefused(admin: FileSystem, action: () => Promise<unknown>, Class: ErrorClass, code: string, what = ''): Promise<void> {
  const before = await fsState(admin);
  let outcome: { ok: true; value: unknown } | { ok: false; error: unknown };
  try {
    outcome = { ok: true, value: await action() };
  } catch (error) {
    outcome = { ok: false, error };
  }
  if (outcome.ok) assert.fail(`${what}: expected ${Class.name}, but the call succeeded (returned ${JSON.stringify(outcome.value)})`);
  assertTypedError(outcome.error, Class, code, what);
  const after = await fsState(admin);
  assert.deepEqual(after, before, `${what}: a refused call changed the file system`);
}

/** Captures the error a promise rejects with (fails if it resolves). */
export async function rejection(promise: Promise<unknown>, what = ''): Promise<unknown> {
  try {
    const value = await promise;
    assert.fail(`${what}: expected a rejection, got ${JSON.stringify(value)}`);
  } catch (error) {
    if (error instanceof assert.AssertionError) throw error;
    return error;
  }
}

/** Deterministic bytes: position-dependent, so a misplaced range or block shows up as a mismatch. */
export function patternBytes(length: number, seed = 1): Buffer {
  const out = Buffer.alloc(length);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    out[i] = (s >>> 16) & 0xff;
  }
  return out;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Block ids of a file, in block order, read from the namespace tables. */
export async function blockIdsOf(fs: FileSystem, path: string): Promise<{ blockId: number; length: number }[]> {
  const { fileId } = await fs.getFileStatus(path);
  const rows = await fs.engine.read((tx) =>
    tx.all<{ block_id: number | string; length: number | string }>('SELECT block_id, length FROM fs_blocks WHERE inode_id = ? ORDER BY block_index', [fileId]),
  );
  return rows.map((r) => ({ blockId: Number(r.block_id), length: Number(r.length) }));
}

/** Runs SQL on the fs's own engine (to set up states that only a crash or a bug could produce). */
export async function sql(fs: FileSystem, statement: string, params: (string | number | null)[] = []): Promise<void> {
  await fs.engine.write((tx) => tx.run(statement, params));
}

export async function count(fs: FileSystem, statement: string, params: (string | number | null)[] = []): Promise<number> {
  const row = await fs.engine.read((tx) => tx.get<{ n: number | string }>(statement, params));
  return Number(row?.n ?? 0);
}
