import { HumleError } from '../../errors/humle-error.js';

/**
 * Errors of the offline store's file layer (the Delta log and its Parquet files). They sit here rather than in
 * src/errors/ while the feature store's own error module takes shape; the codes are stable either way.
 */

/** A Delta commit cannot be parsed, or a sequence of commits does not form a log (gaps, no metadata, no protocol). */
export class DeltaLogCorruptError extends HumleError {
  readonly code = 'DELTA_LOG_CORRUPT';
}

/** The table needs reader features Humle does not implement (column mapping, deletion vectors, ...). */
export class DeltaProtocolUnsupportedError extends HumleError {
  readonly code = 'DELTA_PROTOCOL_UNSUPPORTED';
}

/** The table's Delta schema has a type with no feature type equivalent (struct, map, short, timestamp_ntz, ...). */
export class DeltaSchemaUnsupportedError extends HumleError {
  readonly code = 'DELTA_SCHEMA_UNSUPPORTED';
}

/** DuckDB could not write or read a Parquet data file (missing, unreadable or corrupt file, full disk). */
export class ParquetFileError extends HumleError {
  readonly code = 'PARQUET_FILE_ERROR';
}

/**
 * A data file of an offline table is not what its commit wrote: missing, of another length, or failing the checksum
 * recorded with it (changed behind the feature store's back, or damaged on disk). `details.path` is its humle fs path.
 */
export class DataFileDamagedError extends HumleError {
  readonly code = 'FEATURE_DATA_FILE_DAMAGED';
}
