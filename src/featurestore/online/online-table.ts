import type { Dialect } from '../../db/dialect.js';
import type { SqlValue, Transaction } from '../../db/engine.js';
import { column, type ColumnDefinition, type TableDefinition } from '../../db/schema.js';
import type { Feature } from '../schema/feature.js';
import type { FeatureType } from '../types/feature-type.js';
import { encodeKey } from '../records/record-key.js';
import { EventLoopTurns } from '../../util/event-loop-turns.js';

/** Rows or keys per statement: many rows per round trip, few distinct statements to prepare (see `padded`). */
const MAX_ROWS_PER_STATEMENT = 256;
/** SQLite binds at most 32,766 parameters per statement; MySQL 65,535. */
const MAX_PARAMETERS = 30_000;

/** The physical name of a feature group version's online table: per project, `<fg>_<version>` as on RonDB. */
export function onlineTableName(projectId: number, featureGroup: string, version: number): string {
  return `p${projectId}_${featureGroup}_${version}`;
}

/**
 * How a feature is kept in an online table. Timestamps are BIGINT microseconds (exact and the same on every
 * engine), arrays JSON text; the rest maps to the engine's own type.
 */
function onlineColumn(feature: Feature): ColumnDefinition {
  const nullable = !feature.primary;
  const t = feature.type;
  switch (t.kind) {
    case 'boolean':
    case 'int':
      return column.int(feature.name, { nullable });
    case 'bigint':
    case 'timestamp':
      return column.bigint(feature.name, { nullable });
    case 'float':
      return column.float(feature.name, { nullable });
    case 'double':
      return column.double(feature.name, { nullable });
    case 'decimal':
      return column.decimal(feature.name, t.precision, t.scale, { nullable });
    case 'string':
      // Key columns must be indexable on MySQL; 255 characters of utf8mb4 stay inside InnoDB's key size.
      return feature.primary ? column.name(feature.name, 255) : column.longtext(feature.name, { nullable });
    case 'binary':
      return column.blob(feature.name, 16 * 1024 * 1024, { nullable });
    case 'date':
      return column.date(feature.name, { nullable });
    case 'array':
      return column.longtext(feature.name, { nullable });
  }
}

export function onlineTableDefinition(name: string, features: readonly Feature[]): TableDefinition {
  return {
    name,
    columns: features.map(onlineColumn),
    primaryKey: features.filter((f) => f.primary).map((f) => f.name),
    partitionBy: features.filter((f) => f.primary).map((f) => f.name),
  };
}

export type ToSql = (value: unknown) => SqlValue;
export type FromSql = (value: SqlValue) => unknown;

export function toSqlFor(type: FeatureType): ToSql {
  switch (type.kind) {
    case 'boolean':
      return (v) => (v === null ? null : v ? 1 : 0);
    case 'array':
      // Numbers (bigints included) print as JSON numbers; strings need JSON's quoting.
      return type.element.kind === 'string'
        ? (v) => (v === null ? null : JSON.stringify(v))
        : (v) => (v === null ? null : `[${(v as unknown[]).join(',')}]`);
    default:
      return (v) => v as SqlValue;
  }
}

export function fromSqlFor(type: FeatureType): FromSql {
  switch (type.kind) {
    case 'boolean':
      return (v) => (v === null ? null : Number(v) === 1);
    case 'bigint':
    case 'timestamp':
      // Drivers give a number when it is exact and a string or bigint beyond 2^53.
      return (v) => (v === null || typeof v === 'number' ? v : toInteger(BigInt(v as string | bigint)));
    case 'int':
    case 'double':
      return (v) => (v === null ? null : Number(v));
    case 'float':
      // Canonical floats are float32 values, whatever width the engine kept.
      return (v) => (v === null ? null : Math.fround(Number(v)));
    case 'decimal':
      // Both engines give the canonical text back: exactly `scale` fraction digits.
      return (v) => (v === null ? null : String(v));
    case 'binary':
      return (v) => (v === null ? null : Buffer.isBuffer(v) ? v : Buffer.from(v as unknown as Uint8Array));
    case 'array':
      // JSON.parse would round 64-bit integers beyond 2^53; this table wrote them as plain digits, read them so.
      if (type.element.kind === 'bigint') return (v) => (v === null ? null : parseIntegerList(v as string));
      return (v) => (v === null ? null : JSON.parse(v as string));
    default:
      return (v) => v;
  }
}

/** `[1,-2,9223372036854775807]` as canonical integers: numbers while safe, bigints beyond. */
function parseIntegerList(text: string): (number | bigint)[] {
  const inner = text.slice(1, -1).trim();
  if (inner === '') return [];
  return inner.split(',').map((digits) => {
    const n = Number(digits);
    return Number.isSafeInteger(n) ? n : BigInt(digits.trim());
  });
}

const MIN_SAFE = BigInt(Number.MIN_SAFE_INTEGER);
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

function toInteger(value: bigint): number | bigint {
  return value >= MIN_SAFE && value <= MAX_SAFE ? Number(value) : value;
}

/** The next power of two at or above n (at most MAX_ROWS_PER_STATEMENT): statements are prepared for these sizes. */
function padded(n: number, max: number): number {
  let size = 1;
  while (size < n && size < max) size *= 2;
  return Math.min(size, max);
}

/**
 * One feature group version's online table: the latest row per primary key. Writes are multi-row upserts (if newer,
 * when the group has an event time); reads are primary-key lookups, one statement per batch of keys.
 */
export class OnlineTable {
  private readonly keyIndexes: number[];
  private readonly keyNames: string[];
  private readonly eventTimeName: string | undefined;
  private readonly toSql: ToSql[];
  private readonly fromSql: FromSql[];
  private readonly rowsPerStatement: number;
  private readonly selectList: string;

  constructor(
    private readonly dialect: Dialect,
    readonly name: string,
    readonly features: readonly Feature[],
  ) {
    this.keyIndexes = features.flatMap((f, i) => (f.primary ? [i] : []));
    this.keyNames = this.keyIndexes.map((i) => features[i]!.name);
    this.eventTimeName = features.find((f) => f.eventTime)?.name;
    this.toSql = features.map((f) => toSqlFor(f.type));
    this.fromSql = features.map((f) => fromSqlFor(f.type));
    this.rowsPerStatement = Math.max(1, Math.min(MAX_ROWS_PER_STATEMENT, Math.floor(MAX_PARAMETERS / features.length)));
    this.selectList = features.map((f) => dialect.quote(f.name)).join(', ');
  }

  /**
   * Upserts canonical rows (in feature order). Rows must have distinct primary keys: the caller resolves duplicates
   * within a batch first, by the same rule the table applies across batches.
   */
  async upsert(tx: Transaction, rows: readonly (readonly unknown[])[]): Promise<void> {
    const names = this.features.map((f) => f.name);
    // Large inserts upsert many statements: other requests are served between them.
    const turns = new EventLoopTurns();
    for (let start = 0; start < rows.length; start += this.rowsPerStatement) {
      await turns.turn();
      const count = Math.min(this.rowsPerStatement, rows.length - start);
      const size = padded(count, this.rowsPerStatement);
      const sql =
        this.eventTimeName === undefined
          ? this.dialect.upsert(
              this.name,
              names.map((n) => this.dialect.quote(n)),
              this.keyNames.map((n) => this.dialect.quote(n)),
              names.filter((n) => !this.keyNames.includes(n)).map((n) => this.dialect.quote(n)),
              size,
            )
          : this.dialect.upsertIfNewer(this.name, names, this.keyNames, this.eventTimeName, size);
      const params: SqlValue[] = new Array(size * names.length);
      let p = 0;
      for (let r = 0; r < size; r++) {
        // Padding repeats the chunk's last row: upserting a row twice changes nothing.
        const row = rows[start + Math.min(r, count - 1)]!;
        for (let c = 0; c < row.length; c++) params[p++] = this.toSql[c]!(row[c]);
      }
      await tx.run(sql, params);
    }
  }

  /** Rows for the given primary keys (values in primary-key order), in the same order; undefined where missing. */
  async getMany(tx: Transaction, keys: readonly (readonly unknown[])[]): Promise<(unknown[] | undefined)[]> {
    const found = new Map<string, unknown[]>();
    const width = this.keyNames.length;
    const maxKeys = Math.max(1, Math.min(MAX_ROWS_PER_STATEMENT, Math.floor(MAX_PARAMETERS / width)));
    for (let start = 0; start < keys.length; start += maxKeys) {
      const count = Math.min(maxKeys, keys.length - start);
      const size = padded(count, maxKeys);
      const params: SqlValue[] = new Array(size * width);
      let p = 0;
      for (let k = 0; k < size; k++) {
        const key = keys[start + Math.min(k, count - 1)]!;
        for (let c = 0; c < width; c++) params[p++] = this.toSql[this.keyIndexes[c]!]!(key[c]);
      }
      const rows = await tx.rows(this.lookupSql(size), params, { exactIntegers: true });
      for (const raw of rows) {
        const row = raw.map((v, i) => this.fromSql[i]!(v));
        found.set(encodeKey(this.keyIndexes.map((i) => row[i])), row);
      }
    }
    return keys.map((key) => found.get(encodeKey(key)));
  }

  /**
   * Deletes the rows of the given primary keys (values in primary-key order); with `eventTime`, only a row that holds
   * that event time (deleting an older record leaves the newer row). Returns how many rows went.
   */
  async delete(tx: Transaction, deletes: readonly { key: readonly unknown[]; eventTime?: unknown }[]): Promise<number> {
    let deleted = 0;
    const keyWhere = this.keyNames.map((n) => `${this.dialect.quote(n)} = ?`).join(' AND ');
    const eventTimeIndex = this.features.findIndex((f) => f.eventTime);
    for (const { key, eventTime } of deletes) {
      const params = key.map((v, c) => this.toSql[this.keyIndexes[c]!]!(v));
      let sql = `DELETE FROM ${this.name} WHERE ${keyWhere}`;
      if (eventTime !== undefined && eventTimeIndex !== -1) {
        sql += ` AND ${this.dialect.quote(this.eventTimeName!)} = ?`;
        params.push(this.toSql[eventTimeIndex]!(eventTime));
      }
      deleted += (await tx.run(sql, params)).changes;
    }
    return deleted;
  }

  async count(tx: Transaction): Promise<number> {
    const row = await tx.get<{ n: number }>(`SELECT COUNT(*) AS n FROM ${this.name}`);
    return Number(row?.n ?? 0);
  }

  private lookupSql(keyCount: number): string {
    const quoted = this.keyNames.map((n) => this.dialect.quote(n));
    const where =
      quoted.length === 1
        ? `${quoted[0]} IN (${'?, '.repeat(keyCount - 1)}?)`
        : Array.from({ length: keyCount }, () => `(${quoted.map((q) => `${q} = ?`).join(' AND ')})`).join(' OR ');
    return `SELECT ${this.selectList} FROM ${this.name} WHERE ${where}`;
  }
}
