import { api, messageOf } from '../api.js';
import { h } from '../dom.js';
import { capitalize, day, initials } from '../format.js';
import type { PageContext } from '../router.js';
import { me } from '../session.js';
import type { Page, Role, UserRecord } from '../types.js';
import { ROLE_WORDS } from '../types.js';
import {
  badge,
  button,
  callout,
  card,
  emptyState,
  field,
  input,
  link,
  pageHeader,
  select,
} from '../ui/controls.js';
import { confirmAction, openDialog } from '../ui/dialog.js';
import { pager } from '../ui/filters.js';
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
      cell: (u: UserRecord) => (u.provider === 'github' ? 'GitHub' : 'Password'),
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
  openDialog(`Change the role of ${user.name || user.email}`, (dialog) => {
    const role = select(ROLE_OPTIONS, { value: user.role });
    const error = h('div', { 'aria-live': 'assertive' });
    const save = h('button', { type: 'submit', class: 'btn btn-primary' }, 'Change role');
    const form = h(
      'form',
      { class: 'stack' },
      field({
        label: 'Role',
        hint: 'Takes effect on their very next request, tokens included.',
        control: role,
      }),
      error,
      h('div', { class: 'dialog-actions' }, button('Cancel', { onClick: dialog.close }), save),
    );
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      save.disabled = true;
      try {
        await patch(user, { role: role.value }, ctx);
        dialog.close();
      } catch (failure) {
        error.replaceChildren(callout('bad', messageOf(failure)));
        save.disabled = false;
      }
    });
    queueMicrotask(() => role.focus());
    return form;
  });
}

function inviteDialog(ctx: PageContext): void {
  openDialog('Invite a user', (dialog) => {
    const email = input({ type: 'email', autocomplete: 'off', required: true });
    const name = input({ autocomplete: 'off' });
    const role = select(ROLE_OPTIONS, { value: 'viewer' });
    const password = input({ type: 'password', autocomplete: 'new-password' });
    const error = h('div', { 'aria-live': 'assertive' });
    const save = h('button', { type: 'submit', class: 'btn btn-primary' }, 'Invite user');
    const form = h(
      'form',
      { class: 'stack', novalidate: true },
      field({ label: 'Email', control: email }),
      field({ label: 'Name (optional)', control: name }),
      field({ label: 'Role', control: role }),
      field({
        label: 'Initial password (optional)',
        hint: 'Leave empty to let them sign in only with GitHub, using this email.',
        control: password,
      }),
      error,
      h('div', { class: 'dialog-actions' }, button('Cancel', { onClick: dialog.close }), save),
    );
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      if (!email.value.trim() || !email.validity.valid) {
        return error.replaceChildren(callout('bad', 'Enter a valid email address.'));
      }
      save.disabled = true;
      const body = {
        email: email.value.trim(),
        role: role.value,
        ...(name.value.trim() ? { name: name.value.trim() } : {}),
        ...(password.value ? { password: password.value } : {}),
      };
      try {
        await api('POST', '/admin/users', body);
        dialog.close();
        notify(`${body.email} invited as ${body.role}`);
        ctx.refresh();
      } catch (failure) {
        error.replaceChildren(callout('bad', messageOf(failure)));
        save.disabled = false;
      }
    });
    queueMicrotask(() => email.focus());
    return form;
  });
}
