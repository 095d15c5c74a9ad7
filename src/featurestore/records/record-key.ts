/**
 * A key's identity as text: canonical values joined so that distinct keys never collide (strings are JSON-quoted,
 * so 1 and "1" differ and no separator can be forged). Used to match looked-up rows to requests, to resolve
 * duplicates within a batch, and as the offline record index's key (primary key values, then the event time).
 */
export function encodeKey(values: readonly unknown[]): string {
  let text = '';
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (i > 0) text += ',';
    text += typeof v === 'string' ? JSON.stringify(v) : String(v);
  }
  return text;
}

/** Positions of the primary key features, then the event time: what identifies a record of the offline table. */
export function recordKeyIndexes(features: readonly { primary: boolean; eventTime: boolean }[]): number[] {
  const keys = features.flatMap((f, i) => (f.primary ? [i] : []));
  const eventTime = features.findIndex((f) => f.eventTime);
  return eventTime === -1 ? keys : [...keys, eventTime];
}

/** The encoded key of a canonical row: its values at `indexes`. */
export function keyOfRow(row: readonly unknown[], indexes: readonly number[]): string {
  const values = new Array<unknown>(indexes.length);
  for (let i = 0; i < indexes.length; i++) values[i] = row[indexes[i]!];
  return encodeKey(values);
}
