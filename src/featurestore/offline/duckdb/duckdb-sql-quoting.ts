/** Quoting for the few SQL statements the offline store builds: DuckDB follows standard SQL here. */

/** A column or table name as a double-quoted identifier: any name is safe, whatever its characters. */
export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** A string (a file path) as a single-quoted literal. */
export function quoteStringLiteral(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}
