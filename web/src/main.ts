import { messageOf, whenSessionLost } from './api.js';
import { h, replace } from './dom.js';
import { appFrame } from './layout.js';
import { navigate, safeNext, startRouter, type Route } from './router.js';
import { loadMe, me, setMe } from './session.js';
import { callout, spinner } from './ui/controls.js';
import { forbiddenPage, notFoundPage } from './pages/errors.js';
import { ROUTES } from './routes.js';

const root = document.getElementById('app')!;
document.body.append(h('div', { id: 'toasts', class: 'toasts', 'aria-live': 'polite' }));
let known = false;
let generation = 0;

whenSessionLost(() => {
  setMe(null);
  navigate(`/sign-in?expired=1&next=${encodeURIComponent(location.pathname)}`, { replace: true });
});

startRouter((url) => void show(url));

async function show(url: URL): Promise<void> {
  const run = ++generation;
  if (!known) {
    replace(root, spinner('Checking your session…'));
    try {
      await loadMe();
      known = true;
    } catch (error) {
      replace(root, h('div', { class: 'boot-error' }, callout('bad', messageOf(error))));
      return;
    }
  }
  if (url.pathname === '/') return navigate(me() ? '/account' : '/sign-in', { replace: true });
  const route = ROUTES.find((r) => r.path === url.pathname);
  if (route?.access === 'public') {
    if (me()) return navigate(safeNext(url.searchParams.get('next')), { replace: true });
    document.title = `${route.title} · ABS Core`;
    replace(root, await route.render(context(url)));
    root.querySelector<HTMLElement>('[autofocus]')?.focus();
    return;
  }
  if (!me()) {
    const next = encodeURIComponent(url.pathname + url.search);
    return navigate(`/sign-in?next=${next}`, { replace: true });
  }
  if (run === generation) await showInFrame(url, route, run);
}

async function showInFrame(url: URL, route: Route | undefined, run: number): Promise<void> {
  const main = h('main', { id: 'main', class: 'content', tabindex: '-1' }, spinner());
  replace(root, appFrame(url.pathname, main));
  document.title = `${route?.title ?? 'Page not found'} · ABS Core`;
  let content;
  if (!route) content = notFoundPage();
  else if (route.access === 'admin' && me()!.role !== 'admin') content = forbiddenPage();
  else {
    try {
      content = await route.render(context(url));
    } catch (error) {
      content = callout('bad', messageOf(error));
    }
  }
  if (run !== generation) return;
  replace(main, content);
  (main.querySelector('h1') ?? main).focus({ preventScroll: true });
}

function context(url: URL) {
  return {
    query: url.searchParams,
    refresh: () => navigate(url.pathname + url.search, { replace: true }),
  };
}
