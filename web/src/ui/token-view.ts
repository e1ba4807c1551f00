import { h, uid } from '../dom.js';
import { ago, day } from '../format.js';
import type { Role, TokenMeta } from '../types.js';
import { ROLE_SCOPES, SCOPE_WORDS } from '../types.js';
import { badge, field, input, select, type Tone } from './controls.js';
import type { Column } from './table.js';

export function envBadge(environment: string): HTMLSpanElement {
  return badge(environment, environment === 'production' ? 'accent' : 'info');
}

export function statusOf(token: TokenMeta): { label: string; tone: Tone } {
  if (token.revokedAt) return { label: 'Revoked', tone: 'bad' };
  if (Date.parse(token.expiresAt) <= Date.now()) return { label: 'Expired', tone: 'warn' };
  if (token.rotatedTo) return { label: 'Rotated', tone: 'warn' };
  return { label: 'Active', tone: 'good' };
}

export function isUsable(token: TokenMeta): boolean {
  return !token.revokedAt && Date.parse(token.expiresAt) > Date.now();
}

export function scopeChips(scope: string): HTMLSpanElement {
  return h(
    'span',
    { class: 'chips' },
    scope
      .split(' ')
      .filter(Boolean)
      .map((s) => h('span', { class: 'chip', title: SCOPE_WORDS[s] }, s)),
  );
}

/** Columns every token table shares: what it is, where it works, what it may do, its dates. */
export function tokenColumns(): Column<TokenMeta>[] {
  return [
    {
      label: 'Token',
      className: 'token-cell',
      cell: (t) => [
        h('div', { class: 'cell-title' }, t.name),
        h('code', { class: 'mono dim nowrap' }, `${t.prefix}…`),
      ],
    },
    { label: 'Environment', cell: (t) => envBadge(t.environment) },
    { label: 'Scope', cell: (t) => scopeChips(t.scope) },
    {
      label: 'Created',
      className: 'nowrap',
      cell: (t) => h('span', { title: t.createdAt }, day(t.createdAt)),
    },
    {
      label: 'Last used',
      className: 'nowrap',
      cell: (t) => h('span', { title: t.lastUsedAt ?? '' }, ago(t.lastUsedAt)),
    },
    {
      label: 'Expires',
      className: 'nowrap',
      cell: (t) => h('span', { title: t.expiresAt }, day(t.expiresAt)),
    },
    {
      label: 'Status',
      cell: (t) => {
        const status = statusOf(t);
        return badge(status.label, status.tone);
      },
    },
  ];
}

export interface TokenRequest {
  name: string;
  environment: string;
  expiresInDays: number;
  scope: string;
}

export const EXPIRY_CHOICES = [7, 30, 90, 180, 366];

/** Name, environment, lifetime and scope of a new token, within what the owner's role allows. */
export function tokenFields(role: Role) {
  const name = input({
    name: 'name',
    required: true,
    maxlength: 100,
    placeholder: 'e.g. ci-deploy',
  });
  const environment = select(
    [
      { value: 'production', label: 'Production' },
      { value: 'staging', label: 'Staging' },
    ],
    { name: 'environment' },
  );
  const expiry = select(
    EXPIRY_CHOICES.map((d) => ({ value: String(d), label: `${d} days` })),
    { name: 'expiresInDays', value: '90' },
  );
  const boxes = ROLE_SCOPES[role].map((scope) => {
    const box = h('input', {
      type: 'checkbox',
      name: 'scope',
      value: scope,
      checked: true,
      id: uid('s'),
    });
    return { scope, box };
  });
  const scopes = h(
    'fieldset',
    { class: 'field checks' },
    h('legend', null, 'Scope'),
    boxes.map(({ scope, box }) =>
      h(
        'label',
        { class: 'check', for: box.id },
        box,
        h(
          'span',
          null,
          h('code', null, scope),
          ' ',
          h('span', { class: 'dim' }, SCOPE_WORDS[scope]),
        ),
      ),
    ),
  );
  const elements = [
    field({ label: 'Name', hint: 'What it is for, so you can recognise it later.', control: name }),
    h(
      'div',
      { class: 'field-row' },
      field({ label: 'Environment', hint: 'It works only there.', control: environment }),
      field({ label: 'Expires after', control: expiry }),
    ),
    scopes,
  ];
  const read = (): TokenRequest | string => {
    const chosen = boxes.filter((b) => b.box.checked).map((b) => b.scope);
    if (!name.value.trim()) return 'Give the token a name.';
    if (chosen.length === 0) return 'Choose at least one scope.';
    return {
      name: name.value.trim(),
      environment: environment.value,
      expiresInDays: Number(expiry.value),
      scope: chosen.join(' '),
    };
  };
  return { elements, read, focus: () => name.focus() };
}
