import { api } from '../api.js';
import { h } from '../dom.js';
import { localToIso, when } from '../format.js';
import type { PageContext } from '../router.js';
import { me } from '../session.js';
import { card, emptyState, input, mono, pageHeader } from '../ui/controls.js';
import { filterBar, pager } from '../ui/filters.js';
import { table } from '../ui/table.js';

interface EventView {
  id: string;
  event_type: string;
  payload: Record<string, unknown>;
  metadata: Record<string, unknown> | null;
  receivedAt: string;
  tokenId: string;
  userId: string;
}

const PAGE_SIZE = 25;

export async function eventsPage(ctx: PageContext) {
  const q = ctx.query;
  const request = {
    limit: PAGE_SIZE,
    cursor: q.get('cursor') || undefined,
    event_type: q.get('type') || undefined,
    agent_id: q.get('agent') || undefined,
    since: localToIso(q.get('since') ?? ''),
    until: localToIso(q.get('until') ?? ''),
  };
  const result = await api<{ data: EventView[]; nextCursor: string | null }>(
    'POST',
    '/v1/events/query',
    request,
  );
  const filtered = ['type', 'agent', 'since', 'until'].some((k) => q.get(k));
  return [
    pageHeader(
      'Events',
      `Governance events sent by the agents of ${me()!.organization.name}, newest first. ` +
        'Read-only.',
    ),
    filterBar(
      '/events',
      [
        { name: 'type', label: 'Event type', element: input({ placeholder: 'e.g. tool_call' }) },
        { name: 'agent', label: 'Agent', element: input({ placeholder: 'Agent id' }) },
        { name: 'since', label: 'From', element: input({ type: 'datetime-local' }) },
        { name: 'until', label: 'To', element: input({ type: 'datetime-local' }) },
      ],
      q,
    ),
    card(
      result.data.length === 0
        ? emptyState(
            filtered ? 'No events match these filters' : 'No events yet',
            filtered
              ? 'Widen the time range or clear the filters.'
              : 'Agents send events to POST /v1/events/ingest with a token that has runtime:write.',
          )
        : table('Governance events', columns(), result.data),
      pager('/events', q, result.nextCursor),
    ),
  ];
}

function columns() {
  return [
    {
      label: 'Time',
      className: 'nowrap',
      cell: (e: EventView) => h('span', { title: `Received ${e.receivedAt}` }, when(occurredAt(e))),
    },
    { label: 'Type', cell: (e: EventView) => h('span', { class: 'cell-title' }, e.event_type) },
    { label: 'Agent', cell: (e: EventView) => agentOf(e) ?? h('span', { class: 'dim' }, '—') },
    { label: 'Payload', className: 'payload', cell: (e: EventView) => payload(e.payload) },
    { label: 'Sent with', cell: (e: EventView) => mono(e.tokenId) },
  ];
}

function occurredAt(e: EventView): string {
  const stamp = e.metadata?.timestamp;
  return typeof stamp === 'string' ? stamp : e.receivedAt;
}

function agentOf(e: EventView): string | undefined {
  const agent = e.metadata?.agent_id;
  return typeof agent === 'string' ? agent : undefined;
}

/** A one-line preview that opens to the whole payload, shown as text, never as markup. */
function payload(value: Record<string, unknown>) {
  const compact = JSON.stringify(value);
  const preview = compact.length > 80 ? `${compact.slice(0, 77)}…` : compact;
  return h(
    'details',
    { class: 'json' },
    h('summary', null, h('code', null, preview)),
    h('pre', null, JSON.stringify(value, null, 2)),
  );
}
