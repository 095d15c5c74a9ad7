/**
 * The plain text of a decimal given as an unscaled integer and a scale (123n, 2 → `1.23`), the form Arrow, Parquet
 * and DuckDB store decimals in: exact, with exactly `scale` fraction digits, as canonical decimals are written.
 */
export function scaledDecimalText(unscaled: bigint, scale: number): string {
  const negative = unscaled < 0n;
  const digits = (negative ? -unscaled : unscaled).toString();
  if (scale === 0) return negative ? `-${digits}` : digits;
  const padded = digits.padStart(scale + 1, '0');
  const text = `${padded.slice(0, -scale)}.${padded.slice(-scale)}`;
  return negative ? `-${text}` : text;
}
