import { UsageError } from '../usage-error.js';

export type XAttrEncoding = 'text' | 'hex' | 'base64';

export function parseEncoding(text: string): XAttrEncoding {
  const encoding = text.toLowerCase();
  if (encoding !== 'text' && encoding !== 'hex' && encoding !== 'base64') {
    throw new UsageError(`encoding must be text, hex or base64, not ${JSON.stringify(text)}`, { encoding: text });
  }
  return encoding;
}

/** A setfattr -v value as HDFS's XAttrCodec reads it: `"quoted text"`, `0x` hex, `0s` base64, else the text itself. */
export function decodeValue(text: string): Buffer {
  if (text.length >= 2 && text.startsWith('"') && text.endsWith('"')) return Buffer.from(text.slice(1, -1));
  if (/^0x/i.test(text)) {
    const hex = text.slice(2);
    if (!/^([0-9a-f]{2})*$/i.test(hex)) throw new UsageError(`invalid hex value ${JSON.stringify(text)}`, { value: text });
    return Buffer.from(hex, 'hex');
  }
  if (/^0s/i.test(text)) return Buffer.from(text.slice(2), 'base64');
  return Buffer.from(text);
}

/** A value as getfattr -e prints it, in the form setfattr -v reads back. */
export function encodeValue(value: Buffer, encoding: XAttrEncoding): string {
  if (encoding === 'hex') return '0x' + value.toString('hex');
  if (encoding === 'base64') return '0s' + value.toString('base64');
  return `"${value.toString('utf8')}"`;
}
