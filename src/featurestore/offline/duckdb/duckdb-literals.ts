import { InvalidArgumentError } from '../../../errors/humle-error.js';
import { formatTimestamp } from '../../types/calendar.js';
import { formatFeatureType, type FeatureType } from '../../types/feature-type.js';
import { duckDBColumnType } from './duckdb-column-type.js';
import { quoteStringLiteral } from './duckdb-sql-quoting.js';

const INTEGER_TEXT = /^-?\d+$/;

/**
 * A canonical value of a scalar feature type as a DuckDB SQL literal of the type the feature's column has, so a
 * comparison never widens the column (a float column compares with a FLOAT, not a DOUBLE that 0.1 would miss).
 * Every value reaches the SQL text through quoteStringLiteral or as digits checked here: never spliced raw.
 * Timestamps are written with their UTC offset, so DuckDB's session time zone cannot shift them.
 */
export function duckDBLiteral(type: FeatureType, value: unknown): string {
  const cast = (text: string) => `CAST(${text} AS ${duckDBColumnType(type)})`;
  if (value === null || value === undefined) return cast('NULL');
  switch (type.kind) {
    case 'boolean':
      return value === true ? 'TRUE' : value === false ? 'FALSE' : notCanonical(type, value);
    case 'int':
    case 'bigint': {
      const digits = typeof value === 'number' || typeof value === 'bigint' ? String(value) : '';
      return INTEGER_TEXT.test(digits) ? cast(digits) : notCanonical(type, value);
    }
    case 'float':
    case 'double':
      return typeof value === 'number' && Number.isFinite(value) ? cast(quoteStringLiteral(String(value))) : notCanonical(type, value);
    case 'decimal':
    case 'date':
      return typeof value === 'string' ? cast(quoteStringLiteral(value)) : notCanonical(type, value);
    case 'string':
      return typeof value === 'string' ? quoteStringLiteral(value) : notCanonical(type, value);
    case 'binary':
      return Buffer.isBuffer(value) ? `unhex(${quoteStringLiteral(value.toString('hex'))})` : notCanonical(type, value);
    case 'timestamp':
      return typeof value === 'number' || typeof value === 'bigint' ? cast(quoteStringLiteral(formatTimestamp(value))) : notCanonical(type, value);
    case 'array':
      throw new InvalidArgumentError('arrays have no literal form here: compare them with isNull / isNotNull only', { type: formatFeatureType(type) });
  }
}

function notCanonical(type: FeatureType, value: unknown): never {
  throw new InvalidArgumentError(`not a canonical ${formatFeatureType(type)} value: ${typeof value}`, { type: formatFeatureType(type) });
}
