/** Tables for the terminal and for bench/RESULTS.md: the same rows, printed aligned or as Markdown. */

export interface Table {
  title: string;
  /** One sentence under the title: what was measured, how, and what the ratios compare. */
  note?: string;
  columns: readonly string[];
  rows: readonly (readonly string[])[];
}

export function toText(table: Table): string {
  const widths = table.columns.map((c, i) => Math.max(c.length, ...table.rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) => cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ');
  return [`== ${table.title}`, ...(table.note ? [table.note] : []), line(table.columns), ...table.rows.map(line)].join('\n');
}

export function toMarkdown(table: Table): string {
  const row = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return [
    `### ${table.title}`, '', ...(table.note ? [table.note, ''] : []),
    row(table.columns), row(table.columns.map((_, i) => (i === 0 ? '---' : '---:'))), ...table.rows.map(row), '',
  ].join('\n');
}
