/** Tables for the terminal and for bench/RESULTS.md: the same rows, printed aligned or as Markdown. */
import { alignColumns } from '../local/text-table';

export interface Table {
  title: string;
  /** One sentence under the title: what was measured, how, and what the ratios compare. */
  note?: string;
  columns: readonly string[];
  rows: readonly (readonly string[])[];
}

export function toText(table: Table): string {
  return [`== ${table.title}`, ...(table.note ? [table.note] : []), alignColumns([table.columns, ...table.rows])].join(
    '\n',
  );
}

export function toMarkdown(table: Table): string {
  const row = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return [
    `### ${table.title}`,
    '',
    ...(table.note ? [table.note, ''] : []),
    row(table.columns),
    row(table.columns.map((_, i) => (i === 0 ? '---' : '---:'))),
    ...table.rows.map(row),
    '',
  ].join('\n');
}
