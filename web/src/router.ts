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
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.includes('\\')) {
    return '/account';
  }
  return next;
}
