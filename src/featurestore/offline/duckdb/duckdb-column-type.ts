import type { FeatureType } from '../../types/feature-type.js';

/**
 * The DuckDB column type that holds a feature type, and that DuckDB writes to Parquet as the physical and logical
 * type Delta expects: TIMESTAMPTZ becomes INT64 TIMESTAMP(MICROS, isAdjustedToUTC=true), Delta's `timestamp`;
 * DECIMAL(p,s) keeps its precision and scale (INT32/INT64/FIXED_LEN_BYTE_ARRAY by precision, as Parquet allows);
 * lists become Parquet LISTs.
 */
export function duckDBColumnType(type: FeatureType): string {
  switch (type.kind) {
    case 'boolean':
      return 'BOOLEAN';
    case 'int':
      return 'INTEGER';
    case 'bigint':
      return 'BIGINT';
    case 'float':
      return 'FLOAT';
    case 'double':
      return 'DOUBLE';
    case 'decimal':
      return `DECIMAL(${type.precision},${type.scale})`;
    case 'string':
      return 'VARCHAR';
    case 'binary':
      return 'BLOB';
    case 'date':
      return 'DATE';
    case 'timestamp':
      return 'TIMESTAMPTZ';
    case 'array':
      return `${duckDBColumnType(type.element)}[]`;
  }
}
