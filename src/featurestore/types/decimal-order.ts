/**
 * Orders two canonical decimals (plain notation: optional `-`, digits, optional `.digits`) exactly, without going
 * through floating point: decimal(38,s) values differ in digits a double cannot hold. Scales may differ
 * (`1.5` vs `1.50`), and leading zeros are ignored. Returns a negative number, 0 or a positive number.
 */
export function compareDecimalText(a: string, b: string): number {
  const negativeA = a.charCodeAt(0) === 45; /* - */
  const negativeB = b.charCodeAt(0) === 45;
  const magnitude = compareMagnitude(negativeA ? a.slice(1) : a, negativeB ? b.slice(1) : b);
  if (negativeA === negativeB) return negativeA ? -magnitude : magnitude;
  // Signs differ: only -0 and 0 are equal.
  if (isZero(a) && isZero(b)) return 0;
  return negativeA ? -1 : 1;
}

function compareMagnitude(a: string, b: string): number {
  const [wholeA, fractionA] = split(a);
  const [wholeB, fractionB] = split(b);
  if (wholeA.length !== wholeB.length) return wholeA.length - wholeB.length;
  if (wholeA !== wholeB) return wholeA < wholeB ? -1 : 1;
  const length = Math.max(fractionA.length, fractionB.length);
  const paddedA = fractionA.padEnd(length, '0');
  const paddedB = fractionB.padEnd(length, '0');
  return paddedA === paddedB ? 0 : paddedA < paddedB ? -1 : 1;
}

/** Integer digits without leading zeros, and fraction digits. */
function split(text: string): [string, string] {
  const point = text.indexOf('.');
  const whole = point === -1 ? text : text.slice(0, point);
  const fraction = point === -1 ? '' : text.slice(point + 1);
  return [whole.replace(/^0+/, ''), fraction];
}

function isZero(text: string): boolean {
  return /^-?0*(?:\.0*)?$/.test(text);
}
