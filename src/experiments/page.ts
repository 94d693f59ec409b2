/** An experiment's comparison table as aligned plain text (the command's summary on stdout); the HTML is src/report/experiment.ts. */
import { formatNumber } from '../numeric/format.ts';
import type { Table } from './types.ts';

/** The comparison table as aligned plain text (the command's summary on stdout). */
export function tableText(table: Table): string {
  const cells = table.rows.map((r) => table.columns.map((c) => {
    const v = r[c.id];
    return v === null || v === undefined ? '—' : typeof v === 'number' ? formatNumber(v) : v;
  }));
  const widths = table.columns.map((c, k) => Math.max(c.label.length, ...cells.map((row) => row[k].length)));
  const line = (row: readonly string[]) =>
    row.map((s, k) => (table.columns[k].numeric ? s.padStart(widths[k]) : s.padEnd(widths[k]))).join('  ').trimEnd();
  return [line(table.columns.map((c) => c.label)), ...cells.map(line)].join('\n') + '\n';
}
