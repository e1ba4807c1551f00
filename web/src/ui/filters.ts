import { h, type Child } from '../dom.js';
import { navigate } from '../router.js';
import { button } from './controls.js';

/**
 * A filter bar whose values live in the address, so a filtered view can be bookmarked, shared
 * and reached again with Back. Applying starts again from the first page.
 */
export function filterBar(
  path: string,
  controls: { name: string; element: HTMLInputElement | HTMLSelectElement; label: string }[],
  query: URLSearchParams,
): HTMLFormElement {
  for (const { name, element } of controls) element.value = query.get(name) ?? element.value;
  const form = h(
    'form',
    { class: 'filters', role: 'search', 'aria-label': 'Filters' },
    controls.map(({ element, label }) => labelled(label, element)),
    h(
      'div',
      { class: 'filter-actions' },
      h('button', { type: 'submit', class: 'btn btn-primary' }, 'Apply'),
      button('Clear', { onClick: () => navigate(path) }),
    ),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const next = new URLSearchParams();
    for (const { name, element } of controls) if (element.value) next.set(name, element.value);
    const text = next.toString();
    navigate(text ? `${path}?${text}` : path);
  });
  return form;
}

function labelled(label: string, element: HTMLElement): Child {
  element.id ||= `filter-${label.toLowerCase().replace(/\W+/g, '-')}`;
  return h('div', { class: 'field' }, h('label', { for: element.id }, label), element);
}

/**
 * Older/newer paging over opaque cursors. The cursors already passed are remembered for the
 * life of the page, so "Newer" can step back without the service having to page backwards.
 */
const trails = new Map<string, string[]>();

export function pager(
  path: string,
  query: URLSearchParams,
  nextCursor: string | null,
  labels = { newer: 'Newer', older: 'Older' },
): HTMLElement | null {
  const current = query.get('cursor') ?? '';
  const filters = new URLSearchParams(query);
  filters.delete('cursor');
  const key = `${path}?${filters}`;
  const trail = trails.get(key) ?? [];
  trails.set(key, trail);
  if (!current) trail.length = 0;
  const go = (cursor: string) => {
    const target = new URLSearchParams(filters);
    if (cursor) target.set('cursor', cursor);
    const text = target.toString();
    navigate(text ? `${path}?${text}` : path);
  };
  if (!current && !nextCursor) return null;
  return h(
    'nav',
    { class: 'pager', 'aria-label': 'Pages' },
    button(labels.newer, {
      disabled: !current,
      onClick: () => go(trail.pop() ?? ''),
    }),
    button(labels.older, {
      disabled: !nextCursor,
      onClick: () => {
        trail.push(current);
        go(nextCursor!);
      },
    }),
  );
}
