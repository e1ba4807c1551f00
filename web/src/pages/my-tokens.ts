import { api } from '../api.js';
import { h } from '../dom.js';
import type { PageContext } from '../router.js';
import { me } from '../session.js';
import type { IssuedToken, TokenMeta } from '../types.js';
import { button, callout, card, emptyState, pageHeader } from '../ui/controls.js';
import { formDialog } from '../ui/form-dialog.js';
import { revokeButton } from '../ui/revoke-token.js';
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
      revokeButton(token, `/tokens/${encodeURIComponent(token.id)}`, () => ctx.refresh()),
  };
}

function newTokenDialog(ctx: PageContext): void {
  formDialog('New access token', () => {
    const fields = tokenFields(me()!.role);
    return {
      fields: fields.elements,
      submitLabel: 'Create token',
      novalidate: true,
      focus: fields.focus,
      read: fields.read,
      send: async (request, dialog) => {
        const issued = await api<IssuedToken>('POST', '/token', request);
        dialog.close();
        revealToken(issued, 'Your new token', () => ctx.refresh());
      },
    };
  });
}
