import type { Child } from './dom.js';

export type Access = 'public' | 'member' | 'admin';

export interface PageContext {
  query: URLSearchParams;
  /** Renders the page again in place (after a change), keeping the address. */
  refresh(): void;
}

export interface Route {
  path: string;
  title: string;
  access: Access;
  render(ctx: PageContext): Child | Promise<Child>;
}

let renderer: ((url: URL) => void) | undefined;

export function startRouter(render: (url: URL) => void): void {
  renderer = render;
  window.addEventListener('popstate', () => render(new URL(location.href)));
  document.addEventListener('click', followLink);
  render(new URL(location.href));
}

export function navigate(target: string, options: { replace?: boolean } = {}): void {
  const url = new URL(target, location.origin);
  if (options.replace) history.replaceState(null, '', url);
  else history.pushState(null, '', url);
  renderer?.(url);
}

/** Same-page navigation for our own links; new tabs, downloads and modifier keys stay native. */
function followLink(event: MouseEvent): void {
  if (event.defaultPrevented || event.button !== 0) return;
  if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  const anchor = (event.target as Element | null)?.closest?.('a[data-nav]');
  if (!(anchor instanceof HTMLAnchorElement) || anchor.origin !== location.origin) return;
  event.preventDefault();
  navigate(anchor.pathname + anchor.search);
}

/** Only a path of our own: never a full address or `//host`, which would leave the site. */
export function safeNext(next: string | null): string {
  const fallback = '/account';
  // Only a plain path of ours: no encoding, dot segments, backslashes or control characters,
  // each of which a browser or the server may later turn into `//another.host`.
  if (!next || next.length > 512 || !next.startsWith('/') || next.startsWith('//')) return fallback;
  if (/[\\%\u0000-\u001f\u007f]|(^|\/)\.\.?(\/|$)/.test(next)) return fallback;
  const url = new URL(next, window.location.origin);
  const normalized = url.pathname + url.search + url.hash;
  if (url.origin !== window.location.origin || normalized.startsWith('//')) return fallback;
  return normalized;
}
