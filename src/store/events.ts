import { sql, type Insertable } from 'kysely';
import type { Db } from '../db/connect.js';
import type { EventRow, EventsTable } from '../db/schema.js';

export type NewEventRow = Omit<Insertable<EventsTable>, 'seq'>;

/**
 * Whose events a reader sees: one organization's, in the environment of the server it asks.
 * Staging and production servers may share a database, so both are part of every lookup.
 */
export interface EventScope {
  orgId: string;
  environment: string;
}

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

/** One page of events, newest first; `more` says whether older matching events remain. */
export interface EventPage {
  rows: EventRow[];
  more: boolean;
}

/** Stores every row in one statement: within the caller's transaction, all or nothing. */
export async function insertEvents(db: Db, rows: NewEventRow[]): Promise<void> {
  if (rows.length === 0) return;
  await db.insertInto('events').values(rows).execute();
}

/**
 * The position of an event of this organization and environment. An event of another
 * organization or environment is not found, exactly like one that does not exist.
 */
export async function findEventSeq(
  db: Db,
  scope: EventScope,
  id: string,
): Promise<number | undefined> {
  const row = await db
    .selectFrom('events')
    .select('seq')
    .where('id', '=', id)
    .where('org_id', '=', scope.orgId)
    .where('environment', '=', scope.environment)
    .executeTakeFirst();
  return row?.seq;
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
}

/**
 * Newest first by arrival order (`seq`): at most `limit` events whose payload and metadata hold
 * at most `maxBytes` of stored text together (always at least one event, so paging moves on).
 * The sizes are read first, without the texts, and only the events that fit are loaded: a page
 * of large events never holds more than `maxBytes` of them in memory.
 */
export async function listEvents(
  db: Db,
  filter: EventFilter,
  bounds: PageBounds,
): Promise<EventPage> {
  const sizes = await matching(db, filter)
    .select([
      'seq',
      sql<number>`octet_length(payload) + coalesce(octet_length(metadata), 0)`.as('bytes'),
    ])
    .orderBy('seq', 'desc')
    .limit(bounds.limit + 1)
    .execute();
  const chosen = fitting(sizes, bounds);
  if (chosen.length === 0) return { rows: [], more: false };
  const rows = await matching(db, filter)
    .selectAll()
    .where('seq', 'in', chosen)
    .orderBy('seq', 'desc')
    .execute();
  return { rows, more: chosen.length < sizes.length };
}

/** The positions of the newest events that fit in one page, newest first. */
function fitting(sizes: Array<{ seq: number; bytes: number }>, bounds: PageBounds): number[] {
  const chosen: number[] = [];
  let total = 0;
  for (const { seq, bytes } of sizes) {
    if (chosen.length === bounds.limit) break;
    total += bytes;
    if (chosen.length > 0 && total > bounds.maxBytes) break;
    chosen.push(seq);
  }
  return chosen;
}
