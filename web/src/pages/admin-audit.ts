import { api } from '../api.js';
import { h } from '../dom.js';
import { localToIso, when } from '../format.js';
import type { PageContext } from '../router.js';
import type { Page, UserRecord } from '../types.js';
import {
  badge,
  callout,
  card,
  emptyState,
  input,
  mono,
  pageHeader,
  select,
} from '../ui/controls.js';
import { filterBar, pager } from '../ui/filters.js';
import { table } from '../ui/table.js';

interface AuditEntry {
  id: string;
  seq: number;
  at: string;
  actorType: string;
  actorId: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  ip: string | null;
  outcome: string;
  details: Record<string, unknown>;
  hash?: string;
}

interface ChainReport {
  intact: boolean;
  entries: number;
  head?: string | null;
  firstBrokenId?: string | null;
  broken?: { entryId: string; seq: number; reason: string } | null;
}

const ACTIONS: Record<string, string> = {
  'auth.login': 'Signed in',
  'auth.login.failure': 'Sign-in failed',
  'auth.logout': 'Signed out',
  'auth.github': 'Signed in with GitHub',
  'auth.github.linked': 'GitHub account linked',
  'auth.github.refused': 'GitHub sign-in refused',
  'session.refused': 'Session refused',
  'token.issued': 'Token issued',
  'token.rotated': 'Token rotated',
  'token.revoked': 'Token revoked',
  'token.refused': 'Token refused',
  'token.updated': 'Token changed',
  'user.created': 'User created',
  'user.updated': 'User changed',
  'user.disabled': 'User disabled',
  'user.deleted': 'User deleted',
  'user.password_changed': 'Password changed',
  'org.created': 'Organization created',
  'org.updated': 'Organization setting changed',
};

/** The action in words; a failed or refused action says so, never "Signed in" for a failure. */
function actionLabel(e: AuditEntry): string {
  if (e.outcome !== 'success' && ACTIONS[`${e.action}.failure`])
    return ACTIONS[`${e.action}.failure`]!;
  const label = ACTIONS[e.action] ?? e.action;
  return e.outcome === 'success' ? label : `${label} (${e.outcome})`;
}

export async function auditPage(ctx: PageContext) {
  const q = ctx.query;
  const params = new URLSearchParams({ limit: '50' });
  if (q.get('action')) params.set('action', q.get('action')!);
  const since = localToIso(q.get('since') ?? '');
  const until = localToIso(q.get('until') ?? '');
  if (since) params.set('since', since);
  if (until) params.set('until', until);
  if (q.get('cursor')) params.set('cursor', q.get('cursor')!);
  const [chain, entries, users] = await Promise.all([
    api<ChainReport>('GET', '/admin/audit/verify'),
    api<Page<AuditEntry>>('GET', `/admin/audit?${params}`),
    api<Page<UserRecord>>('GET', '/admin/users?limit=200'),
  ]);
  // LIMITATION: actors are named from the first 200 users, others by id (fix: names in entries).
  const emails = new Map(users.data.map((u) => [u.id, u.email]));
  const actionOptions = [
    { value: '', label: 'All actions' },
    ...Object.entries(ACTIONS).map(([value, label]) => ({ value, label })),
  ];
  return [
    pageHeader(
      'Audit log',
      'Every security-relevant action, each entry chained to the one before it by a hash.',
    ),
    chainStatus(chain),
    filterBar(
      '/manage/audit',
      [
        { name: 'action', label: 'Action', element: select(actionOptions) },
        { name: 'since', label: 'From', element: input({ type: 'datetime-local' }) },
        { name: 'until', label: 'To', element: input({ type: 'datetime-local' }) },
      ],
      q,
    ),
    card(
      entries.data.length === 0
        ? emptyState('No entries match', 'Widen the time range or clear the filters.')
        : table('Audit entries', columns(emails, chain), entries.data),
      pager('/manage/audit', q, entries.nextCursor),
    ),
  ];
}

function chainStatus(chain: ChainReport) {
  if (chain.intact) {
    return h(
      'div',
      { 'data-testid': 'chain-status' },
      callout(
        'good',
        h('strong', null, 'Chain intact. '),
        `All ${chain.entries} entries verified: none has been edited, removed, inserted ` +
          'or reordered.',
        chain.head ? [' Head: ', mono(chain.head.slice(0, 16)), '…'] : null,
      ),
    );
  }
  const at = chain.broken
    ? `entry #${chain.broken.seq} (${chain.broken.entryId})`
    : chain.firstBrokenId;
  return h(
    'div',
    { 'data-testid': 'chain-status' },
    callout(
      'bad',
      h('strong', null, 'Chain broken. '),
      `The record no longer matches its hashes from ${at ?? 'an entry'} on: it has been changed ` +
        'outside ABS Core. Entries from there on cannot be trusted; investigate before ' +
        'relying on them.',
    ),
  );
}

function columns(emails: Map<string, string>, chain: ChainReport) {
  return [
    {
      label: 'Time',
      className: 'nowrap',
      cell: (e: AuditEntry) => h('span', { title: e.at }, when(e.at)),
    },
    {
      label: 'Action',
      cell: (e: AuditEntry) => [
        h('div', { class: 'cell-title' }, actionLabel(e)),
        h('code', { class: 'mono dim' }, e.action),
        e.id === chain.firstBrokenId && badge('Broken here', 'bad'),
      ],
    },
    { label: 'Actor', cell: (e: AuditEntry) => party(e.actorType, e.actorId, emails) },
    { label: 'Target', cell: (e: AuditEntry) => party(e.targetType, e.targetId, emails) },
    {
      label: 'Outcome',
      cell: (e: AuditEntry) => badge(e.outcome, e.outcome === 'success' ? 'good' : 'bad'),
    },
    { label: 'Address', cell: (e: AuditEntry) => e.ip ?? '—' },
    {
      label: 'Details',
      className: 'payload',
      cell: (e: AuditEntry) =>
        Object.keys(e.details).length === 0
          ? h('span', { class: 'dim' }, '—')
          : h(
              'details',
              { class: 'json' },
              h('summary', null, 'Show'),
              h('pre', null, JSON.stringify(e.details, null, 2)),
            ),
    },
  ];
}

function party(type: string | null, id: string | null, emails: Map<string, string>) {
  if (!type) return h('span', { class: 'dim' }, '—');
  if (type === 'cli') return 'Command line';
  if (type === 'user' && id && emails.has(id)) return emails.get(id)!;
  return [h('span', { class: 'dim' }, `${type} `), id ? mono(id) : null];
}
