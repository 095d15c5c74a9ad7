import type { OfflineColumn } from '../offline/offline-column.js';
import type { FeatureType } from '../types/feature-type.js';
import { formatTimestamp } from '../types/calendar.js';
import { floatText, jsonValue } from './ndjson-text.js';

/** A field needs quotes when it holds the separator, a quote or a line break (RFC 4180). */
const NEEDS_QUOTES = /[",\r\n]/;

/** One field as RFC 4180 writes it: quoted only when needed, quotes inside doubled. */
export function csvField(text: string): string {
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** The header line: the column names. */
export function csvHeader(columns: readonly OfflineColumn[]): string {
  return columns.map((c) => csvField(c.name)).join(',') + '\n';
}

/**
 * One row as a CSV record, from canonical values in column order. Records end in LF, not RFC 4180's CRLF: on the
 * command line a CR would show up in grep, diff and wc, and every CSV reader takes either. The text of
 * each value is what `humle fg insert` reads back: null is an empty field and an empty string a quoted one (`""`);
 * timestamps ISO-8601 in UTC with microseconds; binary base64; arrays JSON; decimals and bigints every digit.
 */
export function csvLine(columns: readonly OfflineColumn[], row: Readonly<Record<string, unknown>>): string {
  let text = '';
  for (let c = 0; c < columns.length; c++) {
    const column = columns[c]!;
    if (c > 0) text += ',';
    const value = row[column.name];
    if (value === null || value === undefined) continue;
    const field = fieldText(column.type, value);
    text += field === '' ? '""' : csvField(field);
  }
  return text + '\n';
}

function fieldText(type: FeatureType, value: unknown): string {
  switch (type.kind) {
    case 'binary':
      return (value as Buffer).toString('base64');
    case 'timestamp':
      return formatTimestamp(value as number | bigint);
    case 'float':
      return floatText(value as number);
    case 'array':
      return jsonValue(type, value);
    default:
      return String(value);
  }
}
