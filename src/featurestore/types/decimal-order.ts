/**
 * Orders two canonical decimals (plain notation: optional `-`, digits, optional `.digits`) exactly, without going
 * through floating point: decimal(38,s) values differ in digits a double cannot hold. Scales may differ
 * (`1.5` vs `1.50`), and leading zeros are ignored. Returns a negative number, 0 or a positive number.
 *
 * It walks the characters in place, allocating nothing: validation compares every value of a batch with a bound.
 */
export function compareDecimalText(a: string, b: string): number {
  const negativeA = a.charCodeAt(0) === 45; /* - */
  const negativeB = b.charCodeAt(0) === 45;
  const magnitude = compareMagnitude(a, negativeA ? 1 : 0, b, negativeB ? 1 : 0);
  // Equal negatives compare as 0, not -0.
  if (negativeA === negativeB) return magnitude === 0 ? 0 : negativeA ? -magnitude : magnitude;
  // Signs differ: only -0 and 0 are equal.
  if (magnitude === 0 && isZero(a, negativeA ? 1 : 0)) return 0;
  return negativeA ? -1 : 1;
}

const ZERO = 48;
const POINT = 46;

function compareMagnitude(a: string, startA: number, b: string, startB: number): number {
  const pointA = pointOf(a);
  const pointB = pointOf(b);
  const firstA = firstSignificant(a, startA, pointA);
  const firstB = firstSignificant(b, startB, pointB);
  const integerDigitsA = pointA - firstA;
  const integerDigitsB = pointB - firstB;
  if (integerDigitsA !== integerDigitsB) return integerDigitsA - integerDigitsB;
  for (let i = 0; i < integerDigitsA; i++) {
    const difference = a.charCodeAt(firstA + i) - b.charCodeAt(firstB + i);
    if (difference !== 0) return difference;
  }
  // Fraction digits, a missing digit counting as 0.
  const fractionA = a.length - pointA - 1;
  const fractionB = b.length - pointB - 1;
  const digits = Math.max(fractionA, fractionB);
  for (let i = 0; i < digits; i++) {
    const digitA = i < fractionA ? a.charCodeAt(pointA + 1 + i) : ZERO;
    const digitB = i < fractionB ? b.charCodeAt(pointB + 1 + i) : ZERO;
    if (digitA !== digitB) return digitA - digitB;
  }
  return 0;
}

/** Index of the decimal point, or the length when there is none. */
function pointOf(text: string): number {
  const point = text.indexOf('.');
  return point === -1 ? text.length : point;
}

/** Index of the first integer digit that is not a leading zero (the point's index when the integer part is 0). */
function firstSignificant(text: string, start: number, point: number): number {
  let i = start;
  while (i < point && text.charCodeAt(i) === ZERO) i++;
  return i;
}

function isZero(text: string, start: number): boolean {
  for (let i = start; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== ZERO && c !== POINT) return false;
  }
  return true;
}
