import { Message, tableFromIPC, type Table } from 'apache-arrow';
import { InvalidArgumentError } from '../../errors/humle-error.js';

/** How an IPC message starts since Arrow 0.15 (2019): this marker, then the metadata's length. */
const CONTINUATION = 0xffffffff;
/** An Arrow IPC file starts with `ARROW1` and two bytes of padding, and ends with `ARROW1`. */
const FILE_MAGIC = Buffer.from('ARROW1', 'latin1');

/**
 * The table of an Arrow IPC body, in the stream format or the file format. apache-arrow's reader is lenient: it
 * reads a few bytes of anything as a table of no columns, and stops at a stream's end-of-stream marker whatever
 * follows. A body must be exactly one stream or file, with a schema; anything else is InvalidArgumentError.
 */
export function arrowTableFromIpc(bytes: Uint8Array): Table {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buffer.subarray(0, FILE_MAGIC.length).equals(FILE_MAGIC)) {
    if (buffer.length < 2 * FILE_MAGIC.length + 2 || !buffer.subarray(buffer.length - FILE_MAGIC.length).equals(FILE_MAGIC)) {
      throw notArrow('it starts as an Arrow IPC file but does not end with its ARROW1 trailer (cut short, or followed by other bytes)');
    }
  } else {
    checkStreamFraming(buffer);
  }
  let table: Table;
  try {
    table = tableFromIPC(buffer);
  } catch (error) {
    throw notArrow((error as Error).message);
  }
  if (table.schema.fields.length === 0) throw notArrow('it has no columns');
  return table;
}

/**
 * Walks a stream's messages by their framing (marker, metadata length, metadata, body) up to the end-of-stream
 * marker or the last byte, so that a body that is not a stream, is cut short, or goes on after the stream's end is
 * refused rather than read as far as it happens to parse.
 */
function checkStreamFraming(buffer: Buffer): void {
  if (buffer.length < 8 || buffer.readUInt32LE(0) !== CONTINUATION) {
    throw notArrow('it starts neither as an Arrow IPC stream (a 0xFFFFFFFF message marker) nor as an Arrow IPC file (ARROW1)');
  }
  let offset = 0;
  while (offset < buffer.length) {
    if (buffer.length - offset < 8 || buffer.readUInt32LE(offset) !== CONTINUATION) throw notArrow(`byte ${offset} is not the start of an Arrow IPC message`);
    const metadataLength = buffer.readInt32LE(offset + 4);
    offset += 8;
    if (metadataLength === 0) {
      if (offset !== buffer.length) throw notArrow(`${buffer.length - offset} bytes follow the end of the Arrow IPC stream`);
      return;
    }
    if (metadataLength < 0 || offset + metadataLength > buffer.length) throw notArrow(`the message at byte ${offset - 8} is cut short`);
    let bodyLength: number;
    try {
      bodyLength = Number(Message.decode(buffer.subarray(offset, offset + metadataLength)).bodyLength);
    } catch (error) {
      throw notArrow(`the message at byte ${offset - 8} is not an Arrow IPC message: ${(error as Error).message}`);
    }
    offset += metadataLength + bodyLength;
  }
  if (offset > buffer.length) throw notArrow('its last message is cut short');
}

function notArrow(reason: string): InvalidArgumentError {
  return new InvalidArgumentError(`the body is not an Arrow IPC stream or file: ${reason}`, { format: 'arrow' });
}
