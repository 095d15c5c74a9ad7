import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tableToIPC, type Table } from 'apache-arrow';
import { Type } from 'typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { InvalidArgumentError } from '../../errors/humle-error.js';
import { NotAcceptableError } from '../../errors/request-errors.js';
import type { OfflineColumn } from '../../featurestore/offline/offline-column.js';
import { writeParquetFile } from '../../featurestore/offline/parquet/parquet-file-writer.js';
import { toArrowTable } from '../../featurestore/records/arrow-table.js';
import { csvHeader, csvLine } from '../../featurestore/records/csv-text.js';
import { floatText } from '../../featurestore/records/ndjson-text.js';
import { formatFeatureType, type FeatureType } from '../../featurestore/types/feature-type.js';
import { toJsonSafeValue, type JsonValue } from '../../featurestore/types/json-safe-value.js';
import { arrowRowTable, type RowTable } from '../../featurestore/records/row-table.js';
import { LABEL_COLUMNS_HEADER, type ViewTable } from '../../featurestore/records/view-row-table.js';

/** The formats rows leave the server in, by the media type that names each (in `Accept`, or `?format=`). */
export const TABLE_MEDIA_TYPES = {
  json: 'application/json',
  ndjson: 'application/x-ndjson',
  csv: 'text/csv',
  parquet: 'application/vnd.apache.parquet',
  arrow: 'application/vnd.apache.arrow.stream',
} as const;

export type TableFormat = keyof typeof TABLE_MEDIA_TYPES;

// The keys of TABLE_MEDIA_TYPES, spelled out so the schema keeps their literal types.
export const TableFormatParam = Type.Union([Type.Literal('json'), Type.Literal('ndjson'), Type.Literal('csv'), Type.Literal('parquet'), Type.Literal('arrow')], {
  description: 'the answer’s format; default: by the Accept header, else json',
});

/** The JSON answer of a read: the columns with their types, then the rows as objects. */
export const RowsJson = Type.Object(
  {
    columns: Type.Array(Type.Object({ name: Type.String(), type: Type.String({ description: 'feature type, e.g. bigint, decimal(10,2)' }) })),
    rows: Type.Array(Type.Record(Type.String(), Type.Unknown()), {
      description:
        'timestamps ISO-8601 UTC with microseconds, dates YYYY-MM-DD, decimals exact strings, bigints numbers (strings beyond 2^53), floats their shortest float32 decimal, binary base64, null as null',
    }),
  },
  { $id: 'Rows' },
);

/** The OpenAPI `content` of a 200 that answers rows, one entry per format. */
export function tableResponse(description: string): { description: string; content: Record<string, { schema: unknown }> } {
  const content: Record<string, { schema: unknown }> = { [TABLE_MEDIA_TYPES.json]: { schema: Type.Ref('Rows') } };
  for (const [format, type] of Object.entries(TABLE_MEDIA_TYPES)) {
    if (format !== 'json') content[type] = { schema: Type.Unknown({ description: `${format}: the same columns and rows` }) };
  }
  return { description, content };
}

/**
 * The format of a read's answer: `?format=` when given, else the first media type of `Accept` (by quality) that is
 * one of TABLE_MEDIA_TYPES (`*` / `application/*` mean JSON, `text/*` CSV), else JSON when there is no `Accept`.
 */
export function tableFormatOf(request: FastifyRequest, format: TableFormat | undefined): TableFormat {
  if (format !== undefined) return format;
  const accept = request.headers.accept;
  if (accept === undefined || accept.trim() === '') return 'json';
  const ranges = accept
    .split(',')
    .map((part, index) => {
      const [type = '', ...params] = part.split(';').map((p) => p.trim().toLowerCase());
      const q = params.find((p) => p.startsWith('q='));
      return { type, quality: q === undefined ? 1 : Number(q.slice(2)), index };
    })
    .filter((r) => r.quality > 0)
    .sort((a, b) => b.quality - a.quality || a.index - b.index);
  for (const { type } of ranges) {
    if (type === '*/*' || type === 'application/*') return 'json';
    if (type === 'text/*') return 'csv';
    const found = (Object.entries(TABLE_MEDIA_TYPES) as [TableFormat, string][]).find(([, media]) => media === type);
    if (found !== undefined) return found[0];
  }
  throw new NotAcceptableError(`cannot answer in ${accept}: rows come as ${Object.values(TABLE_MEDIA_TYPES).join(', ')}`, { accept, formats: Object.keys(TABLE_MEDIA_TYPES) });
}

/** Sends a table in the format asked for. */
export async function sendTable(reply: FastifyReply, format: TableFormat, table: RowTable): Promise<FastifyReply> {
  reply.type(TABLE_MEDIA_TYPES[format]);
  switch (format) {
    case 'json':
      return reply.send(
        JSON.stringify({
          columns: table.columns.map((c) => ({ name: c.name, type: formatFeatureType(c.type) })),
          rows: table.rows.map((row) => jsonRow(table.columns, row)),
        }),
      );
    case 'ndjson':
      return reply.send(table.rows.map((row) => JSON.stringify(jsonRow(table.columns, row)) + '\n').join(''));
    case 'csv':
      return reply.send(table.columns.length === 0 ? '' : csvHeader(table.columns) + table.rows.map((row) => csvLine(table.columns, row)).join(''));
    case 'parquet':
      return reply.send(await parquetBytes(table));
    case 'arrow':
      return reply.send(Buffer.from(tableToIPC(toArrowTable(table.columns, arrays(table)), 'stream')));
  }
}

/**
 * Sends an Arrow table that DuckDB read (a query's rows, a view read): as Arrow IPC it goes as it is, without
 * becoming rows and Arrow again; any other format goes through its rows, typed by `columns` when given (Arrow
 * carries a decimal as text), else by the Arrow types.
 */
export async function sendArrowTable(reply: FastifyReply, format: TableFormat, table: Table, columns?: readonly OfflineColumn[]): Promise<FastifyReply> {
  if (format === 'arrow') return reply.type(TABLE_MEDIA_TYPES.arrow).send(Buffer.from(tableToIPC(table, 'stream')));
  const rows = await arrowRowTable(table);
  return sendTable(reply, format, columns === undefined ? rows : { columns, rows: rows.rows });
}

/** Sends a feature view read, its label columns named in their header (whatever the format). */
export async function sendViewTable(reply: FastifyReply, format: TableFormat, view: ViewTable): Promise<FastifyReply> {
  reply.header(LABEL_COLUMNS_HEADER, view.labels.join(','));
  return sendArrowTable(reply, format, view.table);
}

/**
 * A row as a JSON object, by one rule for every answer of the server (statistics and validation reports carry
 * values the same way, see toJsonSafeValue): what JSON.parse reads back exactly. Floats are the shortest decimal of
 * their float32, as the CLI writes them, rather than the widened double's digits.
 */
export function jsonRow(columns: readonly OfflineColumn[], row: Readonly<Record<string, unknown>>): Record<string, JsonValue> {
  const out: Record<string, JsonValue> = {};
  for (const column of columns) out[column.name] = jsonSafeValue(column.type, row[column.name]);
  return out;
}

/** One value by that rule. */
export function jsonSafeValue(type: FeatureType, value: unknown): JsonValue {
  if (value === null || value === undefined) return null;
  if (type.kind === 'float') return Number(floatText(value as number));
  if (type.kind === 'array' && type.element.kind === 'float') return (value as number[]).map((v) => Number(floatText(v)));
  return toJsonSafeValue(type, value);
}

function arrays(table: RowTable): unknown[][] {
  return table.rows.map((row) => table.columns.map((c) => row[c.name] ?? null));
}

/** DuckDB writes Parquet to a file: a temporary one, read back whole and removed. */
async function parquetBytes(table: RowTable): Promise<Buffer> {
  if (table.columns.length === 0) throw new InvalidArgumentError('there are no columns yet (nothing was inserted): a Parquet file needs columns', {});
  const directory = await mkdtemp(join(tmpdir(), 'humle-rows-'));
  try {
    const path = join(directory, 'rows.parquet');
    await writeParquetFile(path, table.columns, arrays(table));
    return await readFile(path);
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}
