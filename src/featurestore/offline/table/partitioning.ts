import { InvalidFeatureDataError, InvalidFeatureGroupError } from '../../../errors/featurestore-errors.js';
import type { Feature } from '../../schema/feature.js';
import { formatTimestamp, parseTimestampText } from '../../types/calendar.js';
import type { FeatureType } from '../../types/feature-type.js';
import { duckDBColumnType } from '../duckdb/duckdb-column-type.js';
import { quoteStringLiteral } from '../duckdb/duckdb-sql-quoting.js';
import type { OfflineColumn } from '../offline-column.js';

/** Where a data file has a record key's value: in a column, or (a partition column) the same for the whole file. */
export type RecordKeyColumn = { column: string } | { value: unknown };

/** A data file's partition values as Delta's `partitionValues` holds them: column → serialized value, null for null. */
export type PartitionValues = Readonly<Record<string, string | null>>;

/** The directory name Hive, Spark and Delta give a null partition value. */
const NULL_PARTITION = '__HIVE_DEFAULT_PARTITION__';

/** Longest data file path (relative to the table directory) the metadata keeps: partition directories included. */
export const MAX_DATA_FILE_PATH = 255;

/** `part-<uuid>-c000.snappy.parquet`: the name of every data file (see DataFileWriter). */
const DATA_FILE_NAME_LENGTH = 'part-'.length + 36 + '-c000.snappy.parquet'.length;

/** Types a partition column may have: those with an exact text form in Delta's partition value serialization. */
const PARTITIONABLE: ReadonlySet<FeatureType['kind']> = new Set(['boolean', 'int', 'bigint', 'decimal', 'string', 'date', 'timestamp']);

/** Refuses partition keys Delta cannot lay out: unknown features, types without an exact text form, or every column. */
export function checkPartitionKey(features: readonly Feature[], partitionKey: readonly string[]): void {
  for (const name of partitionKey) {
    const feature = features.find((f) => f.name === name);
    if (feature === undefined) throw new InvalidFeatureGroupError(`partition key '${name}' is not among the features`, { feature: name });
    if (!PARTITIONABLE.has(feature.type.kind)) {
      throw new InvalidFeatureGroupError(`'${name}' cannot be a partition column: a ${feature.type.kind} has no exact partition value form (use boolean, int, bigint, decimal, string, date or timestamp)`, {
        feature: name,
      });
    }
  }
  if (partitionKey.length > 0 && partitionKey.length >= features.length) {
    throw new InvalidFeatureGroupError('a partitioned table needs at least one feature that is not a partition column', { partitionKey: [...partitionKey] });
  }
}

/**
 * How an offline table's rows map to data files: Hive-style partition directories (`country=SE/part-….parquet`), as
 * Spark, delta-rs and Hopsworks write them. A partition column's value is the same for every row of a file, so it
 * is not stored in the file: Delta readers take it from the file's `partitionValues` in the log. An unpartitioned
 * table has one partition, the table directory, and files with every column.
 */
export class PartitionLayout {
  /** Positions of the partition columns among the features. */
  private readonly partitionIndexes: number[];
  /** Positions of the columns stored in the data files among the features. */
  private readonly fileIndexes: number[];
  /** The columns stored in the data files, in feature order. */
  readonly fileColumns: OfflineColumn[];

  constructor(
    private readonly features: readonly Feature[],
    /** The table's partition columns, in partition order (the directory nesting). */
    readonly partitionColumns: readonly string[],
  ) {
    this.partitionIndexes = partitionColumns.map((name) => features.findIndex((f) => f.name === name));
    this.fileIndexes = features.flatMap((f, i) => (partitionColumns.includes(f.name) ? [] : [i]));
    this.fileColumns = this.fileIndexes.map((i) => ({ name: features[i]!.name, type: features[i]!.type }));
  }

  get partitioned(): boolean {
    return this.partitionColumns.length > 0;
  }

  /** Splits canonical rows (in feature order) by partition: per partition its values, directory, and the rows' positions. */
  split(rows: readonly (readonly unknown[])[]): { values: PartitionValues; directory: string; rows: number[] }[] {
    if (!this.partitioned) return [{ values: {}, directory: '', rows: rows.map((_, i) => i) }];
    const partitions = new Map<string, { values: PartitionValues; directory: string; rows: number[] }>();
    for (let r = 0; r < rows.length; r++) {
      const values: Record<string, string | null> = {};
      for (let p = 0; p < this.partitionIndexes.length; p++) {
        const index = this.partitionIndexes[p]!;
        values[this.partitionColumns[p]!] = this.serialize(r, this.features[index]!, rows[r]![index]);
      }
      const directory = partitionDirectory(this.partitionColumns, values);
      let partition = partitions.get(directory);
      if (partition === undefined) {
        if (directory.length + 1 + DATA_FILE_NAME_LENGTH > MAX_DATA_FILE_PATH) {
          throw InvalidFeatureDataError.at(r, null, `the partition values make a directory of ${directory.length} characters; data file paths are kept to ${MAX_DATA_FILE_PATH}`);
        }
        partition = { values, directory, rows: [] };
        partitions.set(directory, partition);
      }
      partition.rows.push(r);
    }
    return [...partitions.values()];
  }

  /** The columns of a record key (features at `keyIndexes`) as a data file with `values` holds them. */
  keyColumnsInFile(keyIndexes: readonly number[], values: PartitionValues): RecordKeyColumn[] {
    return keyIndexes.map((i) => {
      const feature = this.features[i]!;
      return this.partitionColumns.includes(feature.name) ? { value: canonicalPartitionValue(feature.type, values[feature.name] ?? null) } : { column: feature.name };
    });
  }

  /** A row as its data file stores it: without the partition columns. */
  fileRow(row: readonly unknown[]): unknown[] {
    const out = new Array<unknown>(this.fileIndexes.length);
    for (let i = 0; i < this.fileIndexes.length; i++) out[i] = row[this.fileIndexes[i]!];
    return out;
  }

  /**
   * Delta's partition value serialization of a canonical value: digits for numbers, the plain text of a decimal,
   * `true`/`false`, `YYYY-MM-DD`, `YYYY-MM-DD hh:mm:ss.ffffff` in UTC for a timestamp; null stays null. An empty
   * string is refused: Spark and Delta read an empty partition value as null, so it would not come back.
   */
  private serialize(row: number, feature: Feature, value: unknown): string | null {
    if (value === null || value === undefined) return null;
    switch (feature.type.kind) {
      case 'string':
        if (value === '') throw InvalidFeatureDataError.at(row, feature.name, 'an empty string cannot be a partition value: Delta readers take it as null', value);
        return value as string;
      case 'timestamp':
        return formatTimestamp(value as number | bigint).replace('T', ' ').slice(0, -1);
      default:
        return String(value);
    }
  }
}

/** `a=1/b=x%2Fy`: Hive's escaping of each value, nested in partition order, with the null directory for null. */
export function partitionDirectory(columns: readonly string[], values: PartitionValues): string {
  return columns.map((c) => `${escapePathName(c)}=${values[c] === null || values[c] === undefined ? NULL_PARTITION : escapePathName(values[c]!)}`).join('/');
}

// Hive's (and Spark's `ExternalCatalogUtils.escapePathName`) escaping of a partition directory name: control
// characters, DEL and the characters " # % ' * / : = ? \ { [ ] ^ become %XX; everything else stays, so directories
// read as their values.
function escapePathName(text: string): string {
  let out = '';
  for (const char of text) {
    const code = char.codePointAt(0)!;
    if (code < 0x20 || code === 0x7f || '"#%\'*/:=?\\{[]^'.includes(char)) out += `%${code.toString(16).toUpperCase().padStart(2, '0')}`;
    else out += char;
  }
  return out;
}

/** The canonical value of a serialized partition value (the inverse of PartitionLayout's serialization). */
export function canonicalPartitionValue(type: FeatureType, value: string | null): unknown {
  if (value === null) return null;
  switch (type.kind) {
    case 'boolean':
      return value === 'true';
    case 'int':
      return Number(value);
    case 'bigint': {
      const n = Number(value);
      return Number.isSafeInteger(n) ? n : BigInt(value);
    }
    case 'timestamp':
      return parseTimestampText(value);
    default:
      return value;
  }
}

/** A DuckDB expression of a partition value with the column's type (exact: every type casts from its text form). */
export function partitionValueSql(type: FeatureType, value: string | null): string {
  const sqlType = duckDBColumnType(type);
  if (value === null) return `CAST(NULL AS ${sqlType})`;
  if (type.kind === 'string') return quoteStringLiteral(value);
  // A UTC timestamp: the offset makes the cast independent of DuckDB's time zone setting.
  return `CAST(${quoteStringLiteral(type.kind === 'timestamp' ? `${value}+00` : value)} AS ${sqlType})`;
}
