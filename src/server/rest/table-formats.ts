import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Table } from 'apache-arrow';
import { Type } from 'typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { InvalidArgumentError } from '../../errors/humle-error.js';
import { NotAcceptableError } from '../../errors/request-errors.js';
import type { OfflineColumn } from '../../featurestore/offline/offline-column.js';
import { writeParquetFile } from '../../featurestore/offline/parquet/parquet-file-writer.js';
import { arrowRowBatches, type RowTable } from '../../featurestore/records/row-table.js';
import { LABEL_COLUMNS_HEADER, SPLIT_COLUMN, type ViewTable } from '../../featurestore/records/view-row-table.js';
import { toArrowTable } from '../../featurestore/records/arrow-table.js';
import type { ViewAnswerStatement } from '../../featurestore/featureview/view-read.js';
import type { ReadStatement } from '../../featurestore/offline/table/snapshot-reader.js';
import { answerWorkers } from '../answers/answer-workers.js';
import { ANSWER_BATCH_ROWS, encodedArrowTable, encodedRows, rowBatchesOf, type RowBatches } from './table-stream.js';

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
  return sendRows(reply, format, table.columns, rowBatchesOf(table.rows));
}

/**
 * Sends rows that come batch by batch (a read streaming out of DuckDB) in the format asked for: streamed as they
 * come (see table-stream.ts), except Parquet, whose file is written whole first.
 */
async function sendRows(reply: FastifyReply, format: TableFormat, columns: readonly OfflineColumn[], batches: RowBatches): Promise<FastifyReply> {
  reply.type(answerContentType(format));
  if (format !== 'parquet') return reply.send(encodedRows(format, columns, batches));
  const rows: Readonly<Record<string, unknown>>[] = [];
  for await (const batch of batches) rows.push(...batch);
  return reply.send(await parquetBytes({ columns, rows }));
}

/**
 * Sends the rows of a read's DuckDB statement, which an answer worker runs and encodes (see server/answers): the
 * event loop only passes the pieces on (Parquet: the file DuckDB wrote). No statement (nothing to read) answers no
 * rows, with `emptyColumns`.
 */
export async function sendReadStatement(reply: FastifyReply, format: TableFormat, read: StatementRead): Promise<FastifyReply> {
  const { statement, resultColumns, columns, emptyColumns, arrowFrom } = read;
  if (statement === null) return sendTable(reply, format, { columns: emptyColumns, rows: [] });
  const answer = await (await answerWorkers()).stream({ sql: statement.sql, resultColumns, columns, emptyColumns, format, arrowFrom }, statement.failure);
  return reply.type(answerContentType(format)).send(answer);
}

/** A read by one DuckDB statement: what sendReadStatement needs besides the format (see AnswerSpec). */
export interface StatementRead {
  statement: ReadStatement | null;
  resultColumns: readonly OfflineColumn[];
  columns: readonly OfflineColumn[];
  emptyColumns: readonly OfflineColumn[];
  arrowFrom: 'values' | 'vectors';
}

/** The Content-Type of an answer: JSON media types name their charset, as Fastify names it for JSON sent whole. */
function answerContentType(format: TableFormat): string {
  return format === 'json' || format === 'ndjson' ? `${TABLE_MEDIA_TYPES[format]}; charset=utf-8` : TABLE_MEDIA_TYPES[format];
}

/**
 * Sends an Arrow table that DuckDB read (a query's rows, a view read): as Arrow IPC it goes as it is, a record
 * batch at a time, without becoming rows and Arrow again; any other format goes through its rows, a batch at a
 * time, typed by `columns` when given (Arrow carries a decimal as text), else by the Arrow types.
 */
export async function sendArrowTable(reply: FastifyReply, format: TableFormat, table: Table, columns?: readonly OfflineColumn[]): Promise<FastifyReply> {
  if (format === 'arrow') return reply.type(TABLE_MEDIA_TYPES.arrow).send(encodedArrowTable(table));
  const rows = await arrowRowBatches(table, ANSWER_BATCH_ROWS);
  return sendRows(reply, format, columns ?? rows.columns, rows.batches);
}

/** Sends a feature view read, its label columns named in their header (whatever the format). */
export async function sendViewTable(reply: FastifyReply, format: TableFormat, view: ViewTable): Promise<FastifyReply> {
  reply.header(LABEL_COLUMNS_HEADER, view.labels.join(','));
  return sendArrowTable(reply, format, view.table);
}

/**
 * Sends a view read's statement (see viewAnswerStatement) from an answer worker, its label columns named in their
 * header: Arrow IPC straight from DuckDB's vectors, the other formats typed as an Arrow view read's rows are
 * (decimals as text, see sendViewTable), so the answer is the same whichever way it was made.
 */
export async function sendViewStatement(reply: FastifyReply, format: TableFormat, read: ViewAnswerStatement, split: boolean): Promise<FastifyReply> {
  reply.header(LABEL_COLUMNS_HEADER, read.labels.map((f) => f.name).join(','));
  const resultColumns = [...(split ? [SPLIT_COLUMN] : []), ...[...read.features, ...read.labels].map((f) => ({ name: f.name, type: f.type }))];
  const { columns } = await arrowRowBatches(toArrowTable(resultColumns, []), 1);
  return sendReadStatement(reply, format, { statement: read.statement, resultColumns, columns, emptyColumns: columns, arrowFrom: 'vectors' });
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
