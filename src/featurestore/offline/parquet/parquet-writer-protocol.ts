import type { SerializedError } from '../../../errors/error-transport.js';
import type { OfflineColumn } from '../offline-column.js';
import type { ParquetWriteResult, RowsToDrop } from './parquet-file-writer.js';

/** The Parquet writes the writer thread does, with their arguments (plain data: they cross threads by copy). */
export type ParquetWriteRequest =
  | { id: number; op: 'write'; path: string; columns: readonly OfflineColumn[]; rows: readonly (readonly unknown[])[] }
  | { id: number; op: 'rewrite'; path: string; source: string; columns: readonly OfflineColumn[]; drop: RowsToDrop }
  | { id: number; op: 'merge'; path: string; sources: readonly string[]; columns: readonly OfflineColumn[] };

export type ParquetWriteReply =
  | { id: number; ok: true; value: ParquetWriteResult | (ParquetWriteResult & { rowsDropped: number }) | undefined }
  | { id: number; ok: false; error: SerializedError };
