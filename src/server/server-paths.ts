import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { HumleError } from '../errors/humle-error.js';
import type { BlockStore } from '../fs/blocks/block-store.js';
import type { FileSystem } from '../fs/file-system.js';
import { pathsOfBlocks } from '../fs/block-owners.js';

/**
 * Server paths kept out of answers. Paths of the server's disk reach messages from deep inside the embedded library
 * (DuckDB's read_parquet errors and SQL name block files, Node's file errors name block and temporary files, a
 * failing insert body names its temporary file), where they are right for the data directory's own user, who may
 * open them. A server's callers must see humle paths only, so every answer's error passes through here once, at
 * the one function all three error shapes come from (request-failure.ts: REST, WebHDFS, RonDB), and the SQL of
 * `/query/sql` before it is sent.
 *
 * The data directories of the servers of this process are registered by buildServer (a process may serve several,
 * as tests do); typedFailureOf has no server context, so the registry is the module's.
 */
const dataDirectories = new Map<string, number>();
/** Insert bodies (humle-insert-*) and DuckDB's spill directories (humle-duckdb-*) are made under this prefix. */
const TEMPORARY_FILES = join(tmpdir(), 'humle-');
/** A block file's name (LocalBlockStore: blk_<id>, or blk_<id>.<random> while written). */
const BLOCK_FILE = /(?:^|\/)blk_(\d+)(?:\.[0-9a-f]+)?$/;
/** Where a path in a message ends: a quote, a blank, or punctuation that closes a list or a call. */
const PATH_TAIL = `[^\\s'"\`,;()\\[\\]{}]*`;

/**
 * The directory a local block store keeps blocks under and its parent (the data directory, with the database);
 * undefined for a store with no local files.
 */
function dataDirectoryOf(blockStore: BlockStore): string | undefined {
  const someBlock = blockStore.localPath(0);
  return someBlock === undefined ? undefined : dirname(dirname(dirname(someBlock)));
}

/** Registers the data directory of a server's humle fs until the returned function is called (the server closes). */
export function registerServerPaths(fs: FileSystem): () => void {
  const dir = dataDirectoryOf(fs.blockStore);
  if (dir === undefined) return () => {};
  dataDirectories.set(dir, (dataDirectories.get(dir) ?? 0) + 1);
  return () => {
    const count = dataDirectories.get(dir)! - 1;
    if (count === 0) dataDirectories.delete(dir);
    else dataDirectories.set(dir, count);
  };
}

function serverPathPattern(): RegExp {
  const prefixes = [TEMPORARY_FILES, ...[...dataDirectories.keys()].map((dir) => dir + '/')].sort((a, b) => b.length - a.length);
  return new RegExp(`(?:${prefixes.map(escapeRegExp).join('|')})${PATH_TAIL}`, 'g');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** What stands for a server path that cannot be named in humle's terms. */
function placeholderOf(serverPath: string): string {
  const block = BLOCK_FILE.exec(serverPath);
  return block === null ? '<server file>' : `<block ${block[1]}>`;
}

/** `text` with every server path replaced: a block file by `<block id>`, anything else by `<server file>`. */
function hideServerPaths(text: string): string {
  return text.replace(serverPathPattern(), placeholderOf);
}

/**
 * `text` with block files named by the humle fs paths of their files (DuckDB SQL over a group's data files then
 * reads as over `/Projects/<p>/<p>_featurestore.db/...`), and any other server path hidden.
 */
export async function humlePathsIn(text: string, fs: FileSystem): Promise<string> {
  const found = text.match(serverPathPattern()) ?? [];
  const blockIds = found.flatMap((path) => {
    const block = BLOCK_FILE.exec(path);
    return block === null ? [] : [Number(block[1])];
  });
  const paths = blockIds.length === 0 ? new Map<number, string>() : await pathsOfBlocks(fs.engine, blockIds);
  return text.replace(serverPathPattern(), (serverPath) => {
    const block = BLOCK_FILE.exec(serverPath);
    return (block === null ? undefined : paths.get(Number(block[1]))) ?? placeholderOf(serverPath);
  });
}

/** The error as a caller may see it: the same class and code, with server paths hidden in its message and details. */
export function withoutServerPaths(error: HumleError): HumleError {
  const message = hideServerPaths(error.message);
  const details = hideInValue(error.details) as Record<string, unknown>;
  if (message === error.message && details === error.details) return error;
  // A copy, so that what is logged of the original keeps the paths an operator needs.
  const copy = Object.assign(Object.create(Object.getPrototypeOf(error) as object) as HumleError, error);
  Object.assign(copy, { message, details });
  return copy;
}

/** The value with server paths hidden in every string; the same object when there was none. */
function hideInValue(value: unknown): unknown {
  if (typeof value === 'string') return hideServerPaths(value);
  if (Array.isArray(value)) {
    const hidden = value.map(hideInValue);
    return hidden.some((v, i) => v !== value[i]) ? hidden : value;
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value);
    const hidden = entries.map(([k, v]) => [k, hideInValue(v)] as const);
    return hidden.some(([, v], i) => v !== entries[i]![1]) ? Object.fromEntries(hidden) : value;
  }
  return value;
}
