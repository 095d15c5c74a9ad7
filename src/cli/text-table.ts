export type ColumnAlignment = 'left' | 'right';

/**
 * Rows of text as aligned columns under a header, two spaces apart, for human eyes (scripts use --json). Numbers
 * read best right-aligned; a line never ends in padding.
 */
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[], align: readonly ColumnAlignment[] = []): string {
  const widths = header.map((title, c) => rows.reduce((w, row) => Math.max(w, (row[c] ?? '').length), title.length));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, c) => (align[c] === 'right' ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!)))
      .join('  ')
      .trimEnd() + '\n';
  return line(header) + rows.map(line).join('');
}
