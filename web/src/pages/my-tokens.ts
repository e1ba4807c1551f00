import { api, messageOf } from '../api.js';
import { h } from '../dom.js';
import type { PageContext } from '../router.js';
import { me } from '../session.js';
import type { IssuedToken, TokenMeta } from '../types.js';
import { button, callout, card, emptyState, pageHeader } from '../ui/controls.js';
import { confirmAction, openDialog } from '../ui/dialog.js';
import { notify } from '../ui/notice.js';
import { revealToken } from '../ui/secret.js';
import { table } from '../ui/table.js';
import { isUsable, tokenColumns, tokenFields } from '../ui/token-view.js';

export async function myTokensPage(ctx: PageContext) {
  const user = me()!;
  const { data } = await api<{ data: TokenMeta[] }>('GET', '/tokens');
  // Admins may always issue; the service refuses everyone else when self-service is off.
  const canCreate = user.organization.selfServiceTokens || user.role === 'admin';
  const create = canCreate
    ? button('New token', { variant: 'primary', icon: 'plus', onClick: () => newTokenDialog(ctx) })
    : null;
  const tokens = [...data].sort((a, b) => Number(isUsable(b)) - Number(isUsable(a)));
  return [
    pageHeader(
      'Access tokens',
      'Personal Access Tokens let agents, SDKs and CI jobs call the ABS Core runtime as you.',
      create,
    ),
    !canCreate &&
      callout(
        'info',
        h('strong', null, 'Tokens are issued by your administrators. '),
        `${user.organization.name} does not let members create their own tokens. Ask an ` +
          'administrator for one; it will be listed here once issued, and you can revoke it.',
      ),
    card(
      tokens.length === 0
        ? emptyState(
            'No tokens yet',
            canCreate ? 'Create one with “New token”.' : 'None has been issued to you.',
          )
        : table('Your access tokens', [...tokenColumns(), actionColumn(ctx)], tokens),
    ),
  ];
}

function actionColumn(ctx: PageContext) {
  return {
    label: 'Actions',
    className: 'actions',
    cell: (token: TokenMeta) =>
      isUsable(token) &&
      button('Revoke', {
        variant: 'danger',
        'aria-label': `Revoke ${token.name}`,
        onClick: () =>
          confirmAction({
            title: 'Revoke this token?',
            message: [
              h(
                'p',
                null,
                'Anything using ',
                h('strong', null, token.name),
                ` (${token.prefix}…) stops working at once.`,
              ),
              h('p', null, 'This cannot be undone.'),
            ],
            confirmLabel: 'Revoke token',
            danger: true,
            action: async () => {
              await api('DELETE', `/tokens/${encodeURIComponent(token.id)}`);
              notify(`Token “${token.name}” revoked`);
              ctx.refresh();
            },
          }),
      }),
  };
}

function newTokenDialog(ctx: PageContext): void {
  openDialog('New access token', (dialog) => {
    const fields = tokenFields(me()!.role);
    const error = h('div', { 'aria-live': 'assertive' });
    const submit = h('button', { type: 'submit', class: 'btn btn-primary' }, 'Create token');
    const form = h(
      'form',
      { class: 'stack', novalidate: true },
      fields.elements,
      error,
      h('div', { class: 'dialog-actions' }, button('Cancel', { onClick: dialog.close }), submit),
    );
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const request = fields.read();
      if (typeof request === 'string') return error.replaceChildren(callout('bad', request));
      submit.disabled = true;
      try {
        const issued = await api<IssuedToken>('POST', '/token', request);
        dialog.close();
        revealToken(issued, 'Your new token', () => ctx.refresh());
      } catch (failure) {
        error.replaceChildren(callout('bad', messageOf(failure)));
        submit.disabled = false;
      }
    });
    queueMicrotask(fields.focus);
    return form;
  });
}
