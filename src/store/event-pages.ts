import { sql, type CompiledQuery } from 'kysely';
import type { Db } from '../db/connect.js';
import { reusedQuery } from '../db/reused-query.js';
import type { EventRow } from '../db/schema.js';
import { MAX_EVENT_BYTES } from '../events/schema.js';
import type { EventScope } from './events.js';

export interface EventFilter extends EventScope {
  eventType?: string | undefined;
  agentId?: string | undefined;
  /** Received at or after (epoch ms). */
  since?: number | undefined;
  /** Received strictly before (epoch ms). */
  until?: number | undefined;
  /** Only events older than this position (the cursor). */
  beforeSeq?: number | undefined;
}

/** What a page shows of an event: its stored payload and metadata text as they are. */
export type ListedEvent = Pick<
  EventRow,
  'id' | 'event_type' | 'payload' | 'metadata' | 'received_at' | 'token_id' | 'user_id'
>;
const LISTED = [
  'id',
  'event_type',
  'payload',
  'metadata',
  'received_at',
  'token_id',
  'user_id',
] as const;

/** One page of events, newest first; `more` says whether older matching events remain. */
export interface EventPage {
  rows: ListedEvent[];
  more: boolean;
}

function matching(db: Db, filter: EventFilter) {
  let query = db
    .selectFrom('events')
    .where('org_id', '=', filter.orgId)
    .where('environment', '=', filter.environment);
  if (filter.eventType !== undefined) query = query.where('event_type', '=', filter.eventType);
  if (filter.agentId !== undefined) query = query.where('agent_id', '=', filter.agentId);
  // LIMITATION: no index covers received_at, so a narrow time range over a large organization
  // walks its events newest first until the page fills (cost: slow old-range queries at scale;
  // fix: an (org_id, environment, received_at, seq) index once real query patterns are known).
  if (filter.since !== undefined) query = query.where('received_at', '>=', filter.since);
  if (filter.until !== undefined) query = query.where('received_at', '<', filter.until);
  if (filter.beforeSeq !== undefined) query = query.where('seq', '<', filter.beforeSeq);
  return query;
}

/** How much one page may hold: events, and bytes of payload and metadata text together. */
export interface PageBounds {
  limit: number;
  maxBytes: number;
  /** The most payload and metadata text one stored event has: the ingest limits by default. */
  maxEventBytes?: number;
}

/**
 * Newest first by arrival order (`seq`): at most `limit` events whose payload and metadata hold
 * at most `maxBytes` of stored text together (always at least one event, so paging moves on).
 * A page is never more than `maxBytes` of event text in memory: when `limit + 1` events of the
 * largest size fit in it (every page of the default limit), the events are read in one query;
 * otherwise their sizes are read first, without the texts, and only the events that fit are
 * loaded.
 */
export async function listEvents(
  db: Db,
  filter: EventFilter,
  bounds: PageBounds,
): Promise<EventPage> {
  const largest = bounds.maxEventBytes ?? MAX_EVENT_BYTES;
  if ((bounds.limit + 1) * largest > bounds.maxBytes) {
    return listBySize(db, filter, bounds);
  }
  const { rows } = await db.executeQuery<ListedEvent>(pageQuery(db, filter, bounds.limit + 1));
  // The ingest limits make the byte bound hold already; this only matters for rows written
  // some other way, and keeps the page the same as `listBySize` would make it.
  const fit = fitting(rows.map(textBytes), bounds);
  return { rows: rows.slice(0, fit), more: fit < rows.length };
}

function textBytes(row: ListedEvent): number {
  const metadata = row.metadata === null ? 0 : Buffer.byteLength(row.metadata, 'utf8');
  return Buffer.byteLength(row.payload, 'utf8') + metadata;
}

/** The one-query page, built once per set of filters given (`reusedQuery`). */
function pageQuery(db: Db, filter: EventFilter, take: number): CompiledQuery<ListedEvent> {
  // The same order as `matching` adds its conditions in; `reusedQuery` checks it.
  const optional = [filter.eventType, filter.agentId, filter.since, filter.until, filter.beforeSeq];
  const shape = optional.map((value) => (value === undefined ? '-' : '+')).join('');
  const params = [filter.orgId, filter.environment, ...optional.filter((v) => v !== undefined)];
  params.push(take);
  return reusedQuery(db, `event-page:${shape}`, params, () =>
    matching(db, filter).select(LISTED).orderBy('seq', 'desc').limit(take).compile(),
  );
}

/** The sizes first, then the texts of only the events that fit. */
async function listBySize(db: Db, filter: EventFilter, bounds: PageBounds): Promise<EventPage> {
  const sizes = await matching(db, filter)
    .select([
      'seq',
      sql<number>`octet_length(payload) + coalesce(octet_length(metadata), 0)`.as('bytes'),
    ])
    .orderBy('seq', 'desc')
    .limit(bounds.limit + 1)
    .execute();
  const count = fitting(
    sizes.map((size) => size.bytes),
    bounds,
  );
  if (count === 0) return { rows: [], more: false };
  const chosen = sizes.slice(0, count).map((size) => size.seq);
  const rows = await matching(db, filter)
    .select(LISTED)
    .where('seq', 'in', chosen)
    .orderBy('seq', 'desc')
    .execute();
  return { rows, more: chosen.length < sizes.length };
}

/** How many of the newest events, sized in bytes of text newest first, fit in one page. */
function fitting(sizes: number[], bounds: PageBounds): number {
  let count = 0;
  let total = 0;
  for (const bytes of sizes) {
    if (count === bounds.limit) break;
    total += bytes;
    if (count > 0 && total > bounds.maxBytes) break;
    count += 1;
  }
  return count;
}
