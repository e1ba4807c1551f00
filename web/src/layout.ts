import { api, messageOf } from './api.js';
import { h, type Child } from './dom.js';
import { initials } from './format.js';
import { icon, type IconName } from './icons.js';
import { navigate } from './router.js';
import { me, setMe } from './session.js';
import { badge, link } from './ui/controls.js';
import { notify } from './ui/notice.js';

interface NavItem {
  href: string;
  label: string;
  icon: IconName;
}

const MEMBER_NAV: [string, NavItem[]][] = [
  [
    'Account',
    [
      { href: '/account', label: 'Profile', icon: 'user' },
      { href: '/account/tokens', label: 'Access tokens', icon: 'key' },
    ],
  ],
  ['Runtime', [{ href: '/events', label: 'Events', icon: 'activity' }]],
];

const ADMIN_NAV: [string, NavItem[]] = [
  'Administration',
  [
    { href: '/manage/users', label: 'Users', icon: 'users' },
    { href: '/manage/tokens', label: 'Tokens', icon: 'key' },
    { href: '/manage/organization', label: 'Organization', icon: 'building' },
    { href: '/manage/audit', label: 'Audit log', icon: 'scroll' },
  ],
];

/** The signed-in frame: top bar, navigation (admin items only for admins) and the main area. */
export function appFrame(path: string, main: HTMLElement): HTMLElement {
  const user = me()!;
  const sections = user.role === 'admin' ? [...MEMBER_NAV, ADMIN_NAV] : MEMBER_NAV;
  const nav = h(
    'nav',
    { class: 'sidebar', id: 'main-nav', 'aria-label': 'Main' },
    // On a phone the top bar has no room for who and where; the open menu says it instead.
    h(
      'div',
      { class: 'nav-who' },
      h('strong', null, user.name || user.email),
      h('span', { class: 'dim' }, `${user.role} · ${user.organization.name}`),
    ),
    sections.map(([title, items]) =>
      h(
        'div',
        { class: 'nav-section' },
        h('p', { class: 'nav-title' }, title),
        h(
          'ul',
          null,
          items.map((item) => h('li', null, navLink(item, path))),
        ),
      ),
    ),
  );
  const toggle = h(
    'button',
    {
      type: 'button',
      class: 'icon-btn menu-btn',
      'aria-expanded': 'false',
      'aria-controls': 'main-nav',
    },
    icon('menu', 20),
    h('span', { class: 'sr-only' }, 'Menu'),
  );
  toggle.addEventListener('click', () => {
    const open = nav.classList.toggle('open');
    toggle.setAttribute('aria-expanded', String(open));
  });
  nav.addEventListener('keydown', (event) => {
    if (event.key !== 'Escape' || !nav.classList.contains('open')) return;
    nav.classList.remove('open');
    toggle.setAttribute('aria-expanded', 'false');
    toggle.focus();
  });
  return h(
    'div',
    { class: 'app' },
    h('a', { class: 'skip', href: '#main' }, 'Skip to content'),
    h(
      'header',
      { class: 'topbar' },
      toggle,
      brand(),
      h('span', { class: 'org-name', title: 'Organization' }, user.organization.name),
      h('div', { class: 'topbar-end' }, userChip(), signOutButton()),
    ),
    h('div', { class: 'frame' }, nav, main),
  );
}

export function brand(): HTMLElement {
  return link('/account', [icon('shield', 22), h('span', null, 'ABS Core')], { class: 'brand' });
}

function navLink(item: NavItem, path: string): HTMLAnchorElement {
  const current = path === item.href;
  return link(item.href, [icon(item.icon, 18), h('span', null, item.label)], {
    class: current ? 'nav-link active' : 'nav-link',
    'aria-current': current ? 'page' : undefined,
  });
}

/**
 * Initials, never the avatar address: a GitHub avatar lives on another host, which the page
 * policy forbids and an air-gapped installation could not reach anyway.
 */
function userChip(): Child {
  const user = me()!;
  return h(
    'div',
    { class: 'user-chip', 'data-testid': 'user-chip' },
    h('span', { class: 'avatar', 'aria-hidden': 'true' }, initials(user.name, user.email)),
    h('span', { class: 'user-chip-name' }, user.name || user.email),
    badge(user.role, user.role === 'admin' ? 'accent' : 'neutral'),
  );
}

function signOutButton(): HTMLButtonElement {
  const signOut = h(
    'button',
    { type: 'button', class: 'btn btn-ghost sign-out' },
    icon('logout', 16),
    h('span', null, 'Sign out'),
  );
  signOut.addEventListener('click', async () => {
    signOut.disabled = true;
    try {
      await api('POST', '/logout');
      setMe(null);
      navigate('/sign-in?signedOut=1', { replace: true });
    } catch (error) {
      notify(messageOf(error), 'bad');
      signOut.disabled = false;
    }
  });
  return signOut;
}
