import { h } from '../dom.js';
import { me } from '../session.js';
import { card, link, pageHeader } from '../ui/controls.js';

export function notFoundPage() {
  return [
    pageHeader('Page not found', 'There is no page at this address.'),
    card(
      h('p', null, 'Check the address, or use the navigation. '),
      h('p', null, link('/account', 'Go to your profile')),
    ),
  ];
}

/** What a non-admin sees when they type an administration address: no data, a plain reason. */
export function forbiddenPage() {
  const user = me()!;
  return [
    pageHeader(
      'Administrators only',
      `This page is for administrators of ${user.organization.name}. ` +
        `You are signed in as ${user.role === 'operator' ? 'an operator' : 'a viewer'}.`,
    ),
    card(
      h(
        'p',
        null,
        'If you need access, ask an administrator of your organization to change your role. ',
      ),
      h('p', null, link('/account', 'Go to your profile')),
    ),
  ];
}
