import { api } from '../api.js';
import { h } from '../dom.js';
import { capitalize, day, initials } from '../format.js';
import type { PageContext } from '../router.js';
import { me } from '../session.js';
import type { Page, Role, UserRecord } from '../types.js';
import { providerWords, ROLE_WORDS } from '../types.js';
import {
  badge,
  button,
  card,
  emptyState,
  field,
  input,
  link,
  pageHeader,
  select,
} from '../ui/controls.js';
import { confirmAction } from '../ui/dialog.js';
import { pager } from '../ui/filters.js';
import { formDialog } from '../ui/form-dialog.js';
import { notify } from '../ui/notice.js';
import { table } from '../ui/table.js';

const ROLE_OPTIONS = (['viewer', 'operator', 'admin'] as Role[]).map((role) => ({
  value: role,
  label: `${capitalize(role)}: ${ROLE_WORDS[role]}`,
}));

export async function usersPage(ctx: PageContext) {
  const cursor = ctx.query.get('cursor');
  const path = `/admin/users?limit=50${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
  const result = await api<Page<UserRecord>>('GET', path);
  const invite = button('Invite user', {
    variant: 'primary',
    icon: 'plus',
    onClick: () => inviteDialog(ctx),
  });
  return [
    pageHeader('Users', `People of ${me()!.organization.name} and what each may do.`, invite),
    card(
      result.data.length === 0
        ? emptyState('No users', 'Invite the first one.')
        : table('Users', columns(ctx), result.data),
      pager('/manage/users', ctx.query, result.nextCursor, { newer: 'Previous', older: 'Next' }),
    ),
  ];
}

function columns(ctx: PageContext) {
  return [
    {
      label: 'User',
      cell: (u: UserRecord) =>
        h(
          'div',
          { class: 'person' },
          h('span', { class: 'avatar', 'aria-hidden': 'true' }, initials(u.name, u.email)),
          h(
            'div',
            null,
            h('div', { class: 'cell-title' }, u.name || u.email),
            h('div', { class: 'dim' }, u.email),
          ),
        ),
    },
    {
      label: 'Role',
      cell: (u: UserRecord) => badge(u.role, u.role === 'admin' ? 'accent' : 'neutral'),
    },
    {
      label: 'Status',
      cell: (u: UserRecord) => badge(capitalize(u.status), u.status === 'active' ? 'good' : 'bad'),
    },
    {
      label: 'Signs in with',
      cell: (u: UserRecord) => providerWords(u.provider),
    },
    { label: 'Added', className: 'nowrap', cell: (u: UserRecord) => day(u.createdAt) },
    { label: 'Actions', className: 'actions', cell: (u: UserRecord) => actions(u, ctx) },
  ];
}

function actions(user: UserRecord, ctx: PageContext) {
  const tokens = link(`/manage/tokens?user=${encodeURIComponent(user.id)}`, 'Tokens', {
    class: 'btn btn-ghost',
  });
  if (user.id === me()!.id) return [h('span', { class: 'dim you' }, 'You'), tokens];
  const who = user.name || user.email;
  const disabled = user.status === 'disabled';
  return [
    button('Change role', {
      'aria-label': `Change role of ${who}`,
      onClick: () => roleDialog(user, ctx),
    }),
    button(disabled ? 'Enable' : 'Disable', {
      'aria-label': `${disabled ? 'Enable' : 'Disable'} ${who}`,
      onClick: () =>
        confirmAction({
          title: disabled ? `Enable ${who}?` : `Disable ${who}?`,
          message: disabled
            ? 'They can sign in again, and their unexpired tokens work again.'
            : 'They are signed out everywhere at once, cannot sign in, and their tokens ' +
              'stop working.',
          confirmLabel: disabled ? 'Enable user' : 'Disable user',
          danger: !disabled,
          action: () => patch(user, { status: disabled ? 'active' : 'disabled' }, ctx),
        }),
    }),
    tokens,
    button('Delete', {
      variant: 'danger',
      'aria-label': `Delete ${who}`,
      onClick: () =>
        confirmAction({
          title: `Delete ${who}?`,
          message: [
            h('p', null, 'Their account, sessions and every token they hold are removed at once.'),
            h('p', null, 'This cannot be undone. The audit log keeps the record of what they did.'),
          ],
          confirmLabel: 'Delete user',
          danger: true,
          action: async () => {
            await api('DELETE', `/admin/users/${encodeURIComponent(user.id)}`);
            notify(`${who} deleted`);
            ctx.refresh();
          },
        }),
    }),
  ];
}

async function patch(user: UserRecord, change: Record<string, string>, ctx: PageContext) {
  await api('PATCH', `/admin/users/${encodeURIComponent(user.id)}`, change);
  notify(`${user.name || user.email} updated`);
  ctx.refresh();
}

function roleDialog(user: UserRecord, ctx: PageContext): void {
  formDialog(`Change the role of ${user.name || user.email}`, () => {
    const role = select(ROLE_OPTIONS, { value: user.role });
    return {
      fields: [
        field({
          label: 'Role',
          hint: 'Takes effect on their very next request, tokens included.',
          control: role,
        }),
      ],
      submitLabel: 'Change role',
      focus: () => role.focus(),
      read: () => ({ role: role.value }),
      send: async (change, dialog) => {
        await patch(user, change, ctx);
        dialog.close();
      },
    };
  });
}

function inviteDialog(ctx: PageContext): void {
  formDialog('Invite a user', () => {
    const email = input({ type: 'email', autocomplete: 'off', required: true });
    const name = input({ autocomplete: 'off' });
    const role = select(ROLE_OPTIONS, { value: 'viewer' });
    const password = input({ type: 'password', autocomplete: 'new-password' });
    return {
      fields: [
        field({ label: 'Email', control: email }),
        field({ label: 'Name (optional)', control: name }),
        field({ label: 'Role', control: role }),
        field({
          label: 'Initial password (optional)',
          hint: 'Leave empty to let them sign in only with GitHub, using this email.',
          control: password,
        }),
      ],
      submitLabel: 'Invite user',
      novalidate: true,
      focus: () => email.focus(),
      read: () => {
        if (!email.value.trim() || !email.validity.valid) return 'Enter a valid email address.';
        return {
          email: email.value.trim(),
          role: role.value,
          ...(name.value.trim() ? { name: name.value.trim() } : {}),
          ...(password.value ? { password: password.value } : {}),
        };
      },
      send: async (body, dialog) => {
        await api('POST', '/admin/users', body);
        dialog.close();
        notify(`${body.email} invited as ${body.role}`);
        ctx.refresh();
      },
    };
  });
}
