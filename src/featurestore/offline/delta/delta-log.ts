import { InvalidArgumentError } from '../../../errors/humle-error.js';
import { DeltaLogCorruptError, DeltaProtocolUnsupportedError } from '../offline-store-errors.js';
import type { DeltaAction, DeltaAddFile, DeltaCommitInfo, DeltaMetadata, DeltaProtocol, DeltaRemoveFile } from './delta-actions.js';

/**
 * The Delta transaction log: `_delta_log/<version, 20 digits>.json` files, one per commit, each newline-delimited
 * JSON with one action per line. A table's state at a version is the replay of commits 0..version.
 *
 * Humle writes no checkpoints (Parquet summaries of the log every N commits). The protocol makes them optional for
 * writers, and every reader accepts a log made of JSON commits only; Humle's commits are small files in the
 * database, and the lead's snapshot cache replays only the commits since its last snapshot (`applyDeltaCommits`).
 */

export const DELTA_LOG_DIRECTORY = '_delta_log';

const VERSION_DIGITS = 20;
const COMMIT_FILE = /^(\d{20})\.json$/;

/** `00000000000000000007.json` for version 7. */
export function deltaCommitFileName(version: number): string {
  if (!Number.isSafeInteger(version) || version < 0) throw new InvalidArgumentError(`a Delta version is a non-negative integer: ${version}`, { version });
  return `${String(version).padStart(VERSION_DIGITS, '0')}.json`;
}

/** The commit file's path relative to the table directory: `_delta_log/00000000000000000007.json`. */
export function deltaCommitPath(version: number): string {
  return `${DELTA_LOG_DIRECTORY}/${deltaCommitFileName(version)}`;
}

/** The version a file name in `_delta_log` is the commit of, or null for anything else (checkpoints, temp files). */
export function parseDeltaCommitFileName(name: string): number | null {
  const match = COMMIT_FILE.exec(name);
  if (!match) return null;
  const version = Number(match[1]);
  return Number.isSafeInteger(version) ? version : null;
}

/** A commit's file content: one JSON action per line, each line ended by '\n'. */
export function serializeDeltaCommit(actions: readonly DeltaAction[]): Buffer {
  if (actions.length === 0) throw new InvalidArgumentError('a Delta commit has at least one action');
  return Buffer.from(actions.map((action) => `${JSON.stringify(action)}\n`).join(''), 'utf8');
}

const KNOWN_ACTIONS = new Set(['protocol', 'metaData', 'add', 'remove', 'commitInfo', 'txn']);

/**
 * The actions of a commit file. Actions of kinds a reader-version-1 snapshot does not use (cdc, domainMetadata,
 * checkpointMetadata, ...) are skipped; unknown fields are kept, as the protocol asks.
 */
export function parseDeltaCommit(content: Uint8Array | string, version?: number): DeltaAction[] {
  const text = typeof content === 'string' ? content : Buffer.from(content.buffer, content.byteOffset, content.byteLength).toString('utf8');
  const actions: DeltaAction[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line.length === 0) continue;
    const where = { version, line: i + 1 };
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch (error) {
      throw new DeltaLogCorruptError(`commit ${version ?? '?'} line ${i + 1} is not JSON: ${(error as Error).message}`, where);
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw new DeltaLogCorruptError(`commit ${version ?? '?'} line ${i + 1} is not an action object`, where);
    }
    const kinds = Object.keys(parsed);
    if (kinds.length !== 1) throw new DeltaLogCorruptError(`commit ${version ?? '?'} line ${i + 1} has ${kinds.length} actions, not one`, where);
    const kind = kinds[0]!;
    if (!KNOWN_ACTIONS.has(kind)) continue;
    const body = (parsed as Record<string, unknown>)[kind];
    checkActionBody(kind, body, where);
    actions.push(parsed as DeltaAction);
  }
  return actions;
}

function checkActionBody(kind: string, body: unknown, where: { version: number | undefined; line: number }): void {
  const fail = (what: string): never => {
    throw new DeltaLogCorruptError(`commit ${where.version ?? '?'} line ${where.line}: ${kind} ${what}`, { ...where, kind });
  };
  if (body === null || typeof body !== 'object') fail('is not an object');
  const b = body as Record<string, unknown>;
  switch (kind) {
    case 'protocol':
      if (typeof b.minReaderVersion !== 'number' || typeof b.minWriterVersion !== 'number') fail('lacks minReaderVersion/minWriterVersion');
      break;
    case 'metaData':
      if (typeof b.id !== 'string' || typeof b.schemaString !== 'string' || !Array.isArray(b.partitionColumns)) fail('lacks id, schemaString or partitionColumns');
      break;
    case 'add':
      if (typeof b.path !== 'string' || typeof b.size !== 'number' || typeof b.modificationTime !== 'number') fail('lacks path, size or modificationTime');
      break;
    case 'remove':
      if (typeof b.path !== 'string') fail('lacks path');
      break;
    case 'txn':
      if (typeof b.appId !== 'string' || typeof b.version !== 'number') fail('lacks appId or version');
      break;
    default:
      break;
  }
}

/** One commit of a log: its version and actions, and the commit file's modification time when it is known. */
export interface DeltaCommit {
  readonly version: number;
  readonly actions: readonly DeltaAction[];
  /** Milliseconds since the epoch: the commit's time when its commitInfo has none. */
  readonly fileModificationTime?: number;
}

/** The table as of one version. */
export interface DeltaSnapshot {
  readonly version: number;
  /** The commit time of `version` (see `deltaCommitTimestamp`), milliseconds since the epoch. */
  readonly timestamp: number;
  readonly protocol: DeltaProtocol;
  readonly metadata: DeltaMetadata;
  /** The live data files, by their log path (`add.path`, URI-encoded). */
  readonly files: ReadonlyMap<string, DeltaAddFile>;
  /** Removed files not yet vacuumed, by log path: VACUUM deletes them once their deletionTimestamp is old enough. */
  readonly tombstones: ReadonlyMap<string, DeltaRemoveFile>;
  /** The latest `txn` version of each application id. */
  readonly appTransactions: ReadonlyMap<string, number>;
  /** The commitInfo of `version` itself, if it had one. */
  readonly commitInfo: DeltaCommitInfo | null;
}

/**
 * The time of a commit, in milliseconds: the in-commit timestamp, else commitInfo.timestamp, else the commit file's
 * modification time. Humle writes commitInfo.timestamp, because its log files live in humle fs, where a copy of the
 * table (to another system, or for delta-rs) would not keep modification times.
 */
export function deltaCommitTimestamp(commit: DeltaCommit): number {
  for (const action of commit.actions) {
    if ('commitInfo' in action) {
      const info = action.commitInfo;
      if (typeof info.inCommitTimestamp === 'number') return info.inCommitTimestamp;
      if (typeof info.timestamp === 'number') return info.timestamp;
    }
  }
  if (commit.fileModificationTime !== undefined) return commit.fileModificationTime;
  throw new DeltaLogCorruptError(`commit ${commit.version} has no timestamp: no commitInfo.timestamp and no file time`, { version: commit.version });
}

/** Replays a whole log (versions 0, 1, 2, ... in order) into the snapshot of its last version. */
export function replayDeltaLog(commits: Iterable<DeltaCommit>): DeltaSnapshot {
  return replay(null, commits);
}

/** The snapshot after applying further commits (versions base.version + 1, + 2, ... in order) to a snapshot. */
export function applyDeltaCommits(base: DeltaSnapshot, commits: Iterable<DeltaCommit>): DeltaSnapshot {
  return replay(base, commits);
}

function replay(base: DeltaSnapshot | null, commits: Iterable<DeltaCommit>): DeltaSnapshot {
  // Mutable copies, so that a long replay costs O(actions), not O(commits × files).
  const files = new Map(base?.files ?? []);
  const tombstones = new Map(base?.tombstones ?? []);
  const appTransactions = new Map(base?.appTransactions ?? []);
  let protocol = base?.protocol ?? null;
  let metadata = base?.metadata ?? null;
  let version = base?.version ?? -1;
  let timestamp = base?.timestamp ?? 0;
  let commitInfo = base?.commitInfo ?? null;
  let applied = 0;

  for (const commit of commits) {
    if (commit.version !== version + 1) {
      throw new DeltaLogCorruptError(
        version < 0 ? `the log starts at version ${commit.version}, not 0 (checkpoints are not read)` : `commit ${version + 1} is missing: the next commit is ${commit.version}`,
        { expected: version + 1, found: commit.version },
      );
    }
    version = commit.version;
    commitInfo = null;
    // Within a commit, actions are not ordered (the protocol): a path is added or removed at most once per commit.
    for (const action of commit.actions) {
      if ('add' in action) {
        if ((action.add as { deletionVector?: unknown }).deletionVector != null) {
          // Only a table whose protocol declares deletion vectors has them, and checkReadable refuses those; this
          // catches a log that uses them without saying so, whose rows Humle would otherwise read wrongly.
          throw new DeltaProtocolUnsupportedError(`commit ${version} adds ${action.add.path} with a deletion vector`, { version, path: action.add.path });
        }
        files.set(action.add.path, action.add);
        tombstones.delete(action.add.path);
      } else if ('remove' in action) {
        files.delete(action.remove.path);
        tombstones.set(action.remove.path, action.remove);
      } else if ('metaData' in action) {
        metadata = action.metaData;
      } else if ('protocol' in action) {
        protocol = action.protocol;
        checkReadable(protocol, version);
      } else if ('txn' in action) {
        appTransactions.set(action.txn.appId, action.txn.version);
      } else if ('commitInfo' in action) {
        commitInfo = action.commitInfo;
      }
    }
    timestamp = deltaCommitTimestamp(commit);
    applied++;
  }

  if (applied === 0 && base) return base;
  if (version < 0) throw new DeltaLogCorruptError('the log has no commits');
  if (!protocol) throw new DeltaLogCorruptError(`no protocol action up to version ${version}`, { version });
  if (!metadata) throw new DeltaLogCorruptError(`no metaData action up to version ${version}`, { version });
  return { version, timestamp, protocol, metadata, files, tombstones, appTransactions, commitInfo };
}

/**
 * Humle reads what reader version 1 defines: plain Parquet files named in add actions. Reader version 2 (column
 * mapping) and reader features (deletion vectors, ...) change what a file's rows mean, so such tables are refused
 * rather than read wrongly. Reader version 3 with no reader features is the same as version 1.
 */
function checkReadable(protocol: DeltaProtocol, version: number): void {
  const features = protocol.readerFeatures ?? [];
  if (protocol.minReaderVersion === 1 || (protocol.minReaderVersion === 3 && features.length === 0)) return;
  throw new DeltaProtocolUnsupportedError(
    `the table needs Delta reader version ${protocol.minReaderVersion}${features.length ? ` with ${features.join(', ')}` : ''}; Humle reads version 1`,
    { version, minReaderVersion: protocol.minReaderVersion, readerFeatures: features },
  );
}

/**
 * The latest version committed at or before `timestampMs` (time travel "as of" a wall-clock time), or null when the
 * table's first commit is later. Commit times are made strictly increasing first, as Delta's history does, so that
 * a clock that stepped back between two commits cannot make an older version look newer.
 */
export function versionAsOfTimestamp(commits: readonly { readonly version: number; readonly timestamp: number }[], timestampMs: number): number | null {
  const sorted = [...commits].sort((a, b) => a.version - b.version);
  let found: number | null = null;
  let previous = -Infinity;
  for (const commit of sorted) {
    const effective = Math.max(commit.timestamp, previous + 1);
    previous = effective;
    if (effective > timestampMs) break;
    found = commit.version;
  }
  return found;
}
