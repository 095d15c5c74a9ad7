import { randomUUID } from 'node:crypto';
import { InvalidArgumentError } from '../../../errors/humle-error.js';
import type { OfflineColumn } from '../offline-column.js';
import { serializeDeltaFileStats, type DeltaFileStats } from './delta-file-stats.js';
import { deltaSchemaFromColumns } from './delta-schema.js';

/**
 * The actions of a Delta commit (PROTOCOL.md, "Actions"), as the JSON objects a commit file holds, and builders for
 * the ones Humle writes. Field names are Delta's, so an action serializes with plain JSON.stringify. Actions Humle
 * neither writes nor needs for a snapshot read (cdc, domainMetadata, checkpoint actions) are not modelled: the log
 * parser skips them, as the protocol lets readers of reader version 1 do.
 */

export interface DeltaProtocol {
  readonly minReaderVersion: number;
  readonly minWriterVersion: number;
  readonly readerFeatures?: readonly string[];
  readonly writerFeatures?: readonly string[];
}

export interface DeltaMetadata {
  readonly id: string;
  readonly name?: string | null;
  readonly description?: string | null;
  readonly format: { readonly provider: string; readonly options: Readonly<Record<string, string>> };
  /** The table schema, itself serialized as JSON (see delta-schema.ts). */
  readonly schemaString: string;
  readonly partitionColumns: readonly string[];
  readonly configuration: Readonly<Record<string, string>>;
  readonly createdTime?: number | null;
}

export interface DeltaAddFile {
  /** Relative to the table directory, URI-encoded (RFC 2396). */
  readonly path: string;
  /** Partition values serialized as strings; null for a null value. */
  readonly partitionValues: Readonly<Record<string, string | null>>;
  readonly size: number;
  /** Milliseconds since the epoch. */
  readonly modificationTime: number;
  readonly dataChange: boolean;
  /** The file's statistics as a JSON string (see delta-file-stats.ts). */
  readonly stats?: string | null;
  readonly tags?: Readonly<Record<string, string>> | null;
}

export interface DeltaRemoveFile {
  readonly path: string;
  /** Milliseconds since the epoch. */
  readonly deletionTimestamp?: number | null;
  readonly dataChange: boolean;
  /** True when partitionValues and size are present. */
  readonly extendedFileMetadata?: boolean;
  readonly partitionValues?: Readonly<Record<string, string | null>>;
  readonly size?: number;
  readonly stats?: string | null;
  readonly tags?: Readonly<Record<string, string>> | null;
}

/** Provenance of a commit. Any JSON is allowed; these are the fields Spark and delta-rs write and read. */
export interface DeltaCommitInfo {
  /** Milliseconds since the epoch: the commit's time for time travel. */
  readonly timestamp?: number;
  readonly inCommitTimestamp?: number;
  readonly operation?: string;
  readonly operationParameters?: Readonly<Record<string, unknown>>;
  readonly operationMetrics?: Readonly<Record<string, unknown>>;
  readonly engineInfo?: string;
  readonly isBlindAppend?: boolean;
  readonly readVersion?: number;
  readonly [field: string]: unknown;
}

/** An application's idempotency marker: the latest `version` per `appId` is part of the snapshot. */
export interface DeltaTransaction {
  readonly appId: string;
  readonly version: number;
  readonly lastUpdated?: number;
}

export type DeltaAction =
  | { readonly protocol: DeltaProtocol }
  | { readonly metaData: DeltaMetadata }
  | { readonly add: DeltaAddFile }
  | { readonly remove: DeltaRemoveFile }
  | { readonly commitInfo: DeltaCommitInfo }
  | { readonly txn: DeltaTransaction };

/**
 * The protocol Humle writes: reader 1 / writer 2, the oldest that every Delta reader takes. Writer version 2 adds
 * column invariants and appendOnly, which Humle does not use, but it is what Spark and delta-rs create by default.
 */
export const HUMLE_DELTA_PROTOCOL: DeltaProtocol = Object.freeze({ minReaderVersion: 1, minWriterVersion: 2 });

export function protocolAction(protocol: DeltaProtocol = HUMLE_DELTA_PROTOCOL): { protocol: DeltaProtocol } {
  return { protocol };
}

export interface MetadataOptions {
  readonly columns: readonly OfflineColumn[];
  /** A GUID; a fresh one by default. Keep the table's id when rewriting its metadata (schema evolution). */
  readonly id?: string;
  readonly name?: string;
  readonly description?: string;
  readonly partitionColumns?: readonly string[];
  readonly configuration?: Readonly<Record<string, string>>;
  /** Milliseconds since the epoch; now by default. */
  readonly createdTime?: number;
}

export function metadataAction(options: MetadataOptions): { metaData: DeltaMetadata } {
  const schema = deltaSchemaFromColumns(options.columns);
  const partitionColumns = options.partitionColumns ?? [];
  for (const column of partitionColumns) {
    if (!options.columns.some((c) => c.name === column)) {
      throw new InvalidArgumentError(`partition column ${column} is not a column of the table`, { column });
    }
  }
  return {
    metaData: {
      id: options.id ?? randomUUID(),
      ...(options.name === undefined ? {} : { name: options.name }),
      ...(options.description === undefined ? {} : { description: options.description }),
      format: { provider: 'parquet', options: {} },
      schemaString: JSON.stringify(schema),
      partitionColumns: [...partitionColumns],
      configuration: { ...(options.configuration ?? {}) },
      createdTime: options.createdTime ?? Date.now(),
    },
  };
}

export interface AddFileOptions {
  /** Relative to the table directory; encoded here, so pass it as the plain file name. */
  readonly path: string;
  readonly size: number;
  readonly modificationTime: number;
  readonly stats?: DeltaFileStats;
  readonly partitionValues?: Readonly<Record<string, string | null>>;
  /** False only when the commit rearranges data without changing it (compaction). */
  readonly dataChange?: boolean;
  readonly tags?: Readonly<Record<string, string>>;
}

export function addFileAction(options: AddFileOptions): { add: DeltaAddFile } {
  return {
    add: {
      path: encodeDeltaPath(options.path),
      partitionValues: { ...(options.partitionValues ?? {}) },
      size: options.size,
      modificationTime: options.modificationTime,
      dataChange: options.dataChange ?? true,
      ...(options.stats === undefined ? {} : { stats: serializeDeltaFileStats(options.stats) }),
      ...(options.tags === undefined ? {} : { tags: { ...options.tags } }),
    },
  };
}

/**
 * The tombstone of a file the table had: copy-on-write upserts remove the files they rewrite. Carrying size and
 * partition values (extendedFileMetadata) lets VACUUM and change readers work from the tombstone alone.
 */
export function removeFileAction(file: DeltaAddFile, deletionTimestamp: number, options: { dataChange?: boolean } = {}): { remove: DeltaRemoveFile } {
  return {
    remove: {
      path: file.path,
      deletionTimestamp,
      dataChange: options.dataChange ?? true,
      extendedFileMetadata: true,
      partitionValues: file.partitionValues,
      size: file.size,
      ...(file.stats == null ? {} : { stats: file.stats }),
    },
  };
}

export interface CommitInfoOptions {
  /** Milliseconds since the epoch: what time travel by timestamp compares with. */
  readonly timestamp: number;
  /** Spark's operation names: 'CREATE TABLE', 'WRITE', 'MERGE', 'DELETE', 'OPTIMIZE', ... */
  readonly operation: string;
  /** Spark writes parameter values as strings (JSON text for lists); non-strings are stringified likewise. */
  readonly operationParameters?: Readonly<Record<string, unknown>>;
  /** Counts; written as decimal strings, the form Spark writes and reads (see delta-operation-metrics.ts). */
  readonly operationMetrics?: Readonly<Record<string, number | bigint>>;
  readonly engineInfo?: string;
  readonly isBlindAppend?: boolean;
  /** The version the writer read before committing (absent for a table's first commit). */
  readonly readVersion?: number;
}

export const HUMLE_ENGINE_INFO = 'Humle';

export function commitInfoAction(options: CommitInfoOptions): { commitInfo: DeltaCommitInfo } {
  const parameters = Object.fromEntries(
    Object.entries(options.operationParameters ?? {}).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]),
  );
  const metrics = Object.fromEntries(Object.entries(options.operationMetrics ?? {}).map(([k, v]) => [k, String(v)]));
  return {
    commitInfo: {
      timestamp: options.timestamp,
      operation: options.operation,
      operationParameters: parameters,
      ...(options.readVersion === undefined ? {} : { readVersion: options.readVersion }),
      ...(options.isBlindAppend === undefined ? {} : { isBlindAppend: options.isBlindAppend }),
      operationMetrics: metrics,
      engineInfo: options.engineInfo ?? HUMLE_ENGINE_INFO,
    },
  };
}

export function transactionAction(appId: string, version: number, lastUpdated?: number): { txn: DeltaTransaction } {
  return { txn: { appId, version, ...(lastUpdated === undefined ? {} : { lastUpdated }) } };
}

/**
 * A relative file path as the log stores it: a URI reference, so characters outside RFC 2396's unreserved set are
 * percent-encoded segment by segment ('/' separates directories, as in `date=2024-01-01/part-0.parquet`).
 */
export function encodeDeltaPath(path: string): string {
  if (path.length === 0 || path.startsWith('/') || /^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(path)) {
    throw new InvalidArgumentError(`a data file path must be relative to the table directory: ${path}`, { path });
  }
  // '=' stays as it is: it is valid in a URI path, and Hive-style partition directories (`date=...`) are written so.
  return path
    .split('/')
    .map((segment) => encodeURIComponent(segment).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`).replaceAll('%3D', '='))
    .join('/');
}

/** The relative file path a log path names (the inverse of `encodeDeltaPath`). */
export function decodeDeltaPath(path: string): string {
  return decodeURIComponent(path);
}
