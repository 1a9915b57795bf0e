/** The HTML building blocks of a downloaded report: escaped tables and paragraphs (no scripts, no styles of their own). */
import { escapeHtml } from '../shared/html';

export interface Cell {
  text: string;
  header?: boolean;
  className?: string;
}
export type CellInput = string | Cell;

export function table(caption: string, head: string[], rows: CellInput[][]): string {
  const cell = (c: CellInput, first: boolean): string => {
    const { text: t, header = first, className } = typeof c === 'string' ? { text: c } : c;
    const cls = className ? ` class="${escapeHtml(className)}"` : '';
    return header ? `<th scope="row"${cls}>${escapeHtml(t)}</th>` : `<td${cls}>${escapeHtml(t)}</td>`;
  };
  return [
    '<table>',
    `<caption>${escapeHtml(caption)}</caption>`,
    `<thead><tr>${head.map((h) => `<th scope="col">${escapeHtml(h)}</th>`).join('')}</tr></thead>`,
    `<tbody>${rows.map((r) => `<tr>${r.map((c, i) => cell(c, i === 0)).join('')}</tr>`).join('\n')}</tbody>`,
    '</table>',
  ].join('\n');
}

export const paragraph = (t: string, className?: string) => `<p${className ? ` class="${className}"` : ''}>${escapeHtml(t)}</p>`;
