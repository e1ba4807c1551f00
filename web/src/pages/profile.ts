import { h } from '../dom.js';
import { capitalize, initials } from '../format.js';
import { me } from '../session.js';
import { providerWords, ROLE_WORDS, SCOPE_WORDS } from '../types.js';
import { badge, button, card, link, pageHeader } from '../ui/controls.js';
import { changePasswordDialog } from '../ui/password-dialog.js';

export function profilePage() {
  const user = me()!;
  const scopes = user.scope.split(' ').filter(Boolean);
  const org = user.organization;
  return [
    pageHeader('Profile', 'Who you are signed in as, and what your role allows.'),
    card(
      h(
        'div',
        { class: 'profile' },
        h(
          'span',
          { class: 'avatar avatar-lg', 'aria-hidden': 'true' },
          initials(user.name, user.email),
        ),
        h(
          'div',
          null,
          h('p', { class: 'profile-name' }, user.name || user.email),
          h('p', { class: 'dim' }, user.email),
        ),
      ),
      h(
        'dl',
        { class: 'facts' },
        fact('Organization', org.name),
        fact('Role', [
          badge(user.role, user.role === 'admin' ? 'accent' : 'neutral'),
          ' ',
          ROLE_WORDS[user.role],
        ]),
        fact('Signs in with', providerWords(user.provider)),
        fact(
          'Account status',
          badge(capitalize(user.status), user.status === 'active' ? 'good' : 'bad'),
        ),
        fact('User id', h('code', { class: 'mono' }, user.id)),
      ),
    ),
    card(
      h('h2', null, 'What you can do'),
      h(
        'ul',
        { class: 'scope-list' },
        scopes.map((s) => h('li', null, h('code', null, s), h('span', null, SCOPE_WORDS[s] ?? s))),
      ),
      h(
        'p',
        { class: 'dim' },
        org.selfServiceTokens
          ? [
              'You can create your own access tokens for agents and CI on ',
              link('/account/tokens', 'Access tokens'),
              '.',
            ]
          : `Access tokens for ${org.name} are issued by its administrators.`,
      ),
    ),
    passwordCard(user.hasPassword),
  ];
}

function passwordCard(hasPassword: boolean) {
  // Without a password the change could only be refused (409 no_password): say what to do instead.
  if (!hasPassword) {
    return card(
      h('h2', null, 'Password'),
      h(
        'p',
        { class: 'dim' },
        'Your account has no password: you sign in through GitHub. ' +
          'An account manager can set a password for you.',
      ),
    );
  }
  return card(
    h('h2', null, 'Password'),
    h(
      'p',
      { class: 'dim' },
      'Changing your password signs you out of every other browser and device.',
    ),
    button('Change password', { onClick: changePasswordDialog }),
  );
}

function fact(term: string, value: unknown) {
  return [h('dt', null, term), h('dd', null, value as never)];
}
