import { api, messageOf } from '../api.js';
import { h } from '../dom.js';
import { day } from '../format.js';
import type { PageContext } from '../router.js';
import type { IssuedToken, Page, TokenMeta, UserRecord } from '../types.js';
import { button, callout, card, emptyState, field, pageHeader, select } from '../ui/controls.js';
import { confirmAction, openDialog } from '../ui/dialog.js';
import { filterBar, pager } from '../ui/filters.js';
import { notify } from '../ui/notice.js';
import { revealToken } from '../ui/secret.js';
import { table } from '../ui/table.js';
import { isUsable, tokenColumns, tokenFields } from '../ui/token-view.js';

const GRACE_CHOICES = [
  { value: '0', label: 'None: the old secret stops now' },
  { value: '3600', label: '1 hour' },
  { value: '86400', label: '24 hours' },
  { value: '604800', label: '7 days (the most allowed)' },
];

export async function adminTokensPage(ctx: PageContext) {
  const q = ctx.query;
  const params = new URLSearchParams({ limit: '50' });
  if (q.get('user')) params.set('userId', q.get('user')!);
  if (q.get('environment')) params.set('environment', q.get('environment')!);
  if (q.get('status') !== 'all') params.set('active', 'true');
  if (q.get('cursor')) params.set('cursor', q.get('cursor')!);
  // LIMITATION: owners are named from the first 200 users; beyond that a token shows its
  // owner's id (cost: ids in very large organizations; fix: a user search in the owner filter).
  const [tokens, users] = await Promise.all([
    api<Page<TokenMeta>>('GET', `/admin/tokens?${params}`),
    api<Page<UserRecord>>('GET', '/admin/users?limit=200'),
  ]);
  const byId = new Map(users.data.map((u) => [u.id, u]));
  const issue = button('Issue token', {
    variant: 'primary',
    icon: 'plus',
    onClick: () => issueDialog(users.data, q.get('user'), ctx),
  });
  const userOptions = [
    { value: '', label: 'Everyone' },
    ...users.data.map((u) => ({ value: u.id, label: u.email })),
  ];
  return [
    pageHeader(
      'Tokens',
      'Every access token of the organization: issue per environment, rotate, revoke.',
      issue,
    ),
    filterBar(
      '/manage/tokens',
      [
        { name: 'user', label: 'Owner', element: select(userOptions) },
        {
          name: 'environment',
          label: 'Environment',
          element: select([
            { value: '', label: 'Any' },
            { value: 'production', label: 'Production' },
            { value: 'staging', label: 'Staging' },
          ]),
        },
        {
          name: 'status',
          label: 'Status',
          element: select([
            { value: '', label: 'Usable now' },
            { value: 'all', label: 'All, with revoked and expired' },
          ]),
        },
      ],
      q,
    ),
    card(
      tokens.data.length === 0
        ? emptyState('No tokens match', 'Issue one, or widen the filters.')
        : table('Organization tokens', columns(byId, ctx), tokens.data),
      pager('/manage/tokens', q, tokens.nextCursor, { newer: 'Previous', older: 'Next' }),
    ),
  ];
}

/** Who holds it and who issued it when, in one column: the table must fit at 1280 px. */
function columns(byId: Map<string, UserRecord>, ctx: PageContext) {
  const [first, ...rest] = tokenColumns().filter((c) => c.label !== 'Created');
  const emailOf = (id: string) => byId.get(id)?.email ?? id;
  const owner = {
    label: 'Owner',
    className: 'owner',
    cell: (t: TokenMeta) => [
      h('div', null, emailOf(t.userId)),
      h(
        'div',
        { class: 'dim small', title: t.createdAt },
        `Issued ${day(t.createdAt)}`,
        t.createdBy !== t.userId ? ` by ${emailOf(t.createdBy)}` : '',
      ),
    ],
  };
  const actions = {
    label: 'Actions',
    className: 'actions stacked',
    cell: (t: TokenMeta) => tokenActions(t, ctx),
  };
  return [first!, owner, ...rest, actions];
}

function tokenActions(token: TokenMeta, ctx: PageContext) {
  if (!isUsable(token)) return null;
  return [
    !token.rotatedTo &&
      button('Rotate', {
        'aria-label': `Rotate ${token.name}`,
        onClick: () => rotateDialog(token, ctx),
      }),
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
            await api('DELETE', `/admin/tokens/${encodeURIComponent(token.id)}`);
            notify(`Token “${token.name}” revoked`);
            ctx.refresh();
          },
        }),
    }),
  ];
}

function rotateDialog(token: TokenMeta, ctx: PageContext): void {
  openDialog(`Rotate “${token.name}”`, (dialog) => {
    const grace = select(GRACE_CHOICES, { value: '3600' });
    const error = h('div', { 'aria-live': 'assertive' });
    const save = h('button', { type: 'submit', class: 'btn btn-primary' }, 'Rotate token');
    const form = h(
      'form',
      { class: 'stack' },
      h(
        'p',
        null,
        'A new secret replaces this one, with the same owner, name, environment and scope.',
      ),
      field({
        label: 'Grace period for the old secret',
        hint: 'How long the old secret keeps working, so you can deploy the new one first.',
        control: grace,
      }),
      error,
      h('div', { class: 'dialog-actions' }, button('Cancel', { onClick: dialog.close }), save),
    );
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      save.disabled = true;
      try {
        const body = { gracePeriodSeconds: Number(grace.value) };
        const issued = await api<IssuedToken>(
          'POST',
          `/admin/tokens/${encodeURIComponent(token.id)}/rotate`,
          body,
        );
        dialog.close();
        revealToken(issued, 'The rotated token', () => ctx.refresh());
      } catch (failure) {
        error.replaceChildren(callout('bad', messageOf(failure)));
        save.disabled = false;
      }
    });
    queueMicrotask(() => grace.focus());
    return form;
  });
}

function issueDialog(users: UserRecord[], preselected: string | null, ctx: PageContext): void {
  const active = users.filter((u) => u.status === 'active');
  openDialog('Issue a token', (dialog) => {
    const owner = select(
      active.map((u) => ({ value: u.id, label: `${u.email} (${u.role})` })),
      {
        value:
          preselected && active.some((u) => u.id === preselected) ? preselected : active[0]?.id,
      },
    );
    const slot = h('div', { class: 'stack' });
    let fields = tokenFields(roleOf(active, owner.value));
    const fill = () => {
      fields = tokenFields(roleOf(active, owner.value));
      slot.replaceChildren(...fields.elements);
    };
    owner.addEventListener('change', fill);
    fill();
    const error = h('div', { 'aria-live': 'assertive' });
    const save = h('button', { type: 'submit', class: 'btn btn-primary' }, 'Issue token');
    const form = h(
      'form',
      { class: 'stack', novalidate: true },
      field({
        label: 'For',
        hint: 'The token acts as this person, within their role.',
        control: owner,
      }),
      slot,
      error,
      h('div', { class: 'dialog-actions' }, button('Cancel', { onClick: dialog.close }), save),
    );
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const request = fields.read();
      if (typeof request === 'string') return error.replaceChildren(callout('bad', request));
      save.disabled = true;
      try {
        const path = `/admin/users/${encodeURIComponent(owner.value)}/tokens`;
        const issued = await api<IssuedToken>('POST', path, request);
        dialog.close();
        revealToken(issued, 'The new token', () => ctx.refresh());
      } catch (failure) {
        error.replaceChildren(callout('bad', messageOf(failure)));
        save.disabled = false;
      }
    });
    queueMicrotask(() => owner.focus());
    return form;
  });
}

function roleOf(users: UserRecord[], id: string) {
  return users.find((u) => u.id === id)?.role ?? 'viewer';
}
