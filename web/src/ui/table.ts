import { h, type Child } from '../dom.js';

export interface Column<T> {
  label: string;
  cell: (row: T) => Child;
  className?: string;
}

/**
 * A data table. Each cell carries its column's name, so on a phone the stylesheet can show each
 * row as a labelled card instead of a table that scrolls sideways.
 */
export function table<T>(caption: string, columns: Column<T>[], rows: T[]): HTMLDivElement {
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      { class: 'table' },
      h('caption', { class: 'sr-only' }, caption),
      h(
        'thead',
        null,
        h(
          'tr',
          null,
          columns.map((c) => h('th', { scope: 'col', class: c.className }, c.label)),
        ),
      ),
      h(
        'tbody',
        null,
        rows.map((row) =>
          h(
            'tr',
            null,
            columns.map((c) =>
              h(
                'td',
                { 'data-label': c.label, class: c.className },
                h('div', { class: 'cell' }, c.cell(row)),
              ),
            ),
          ),
        ),
      ),
    ),
  );
}
