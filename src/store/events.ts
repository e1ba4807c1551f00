import type { Insertable } from 'kysely';
import type { Db } from '../db/connect.js';
import type { EventRow, EventsTable } from '../db/schema.js';

export type NewEventRow = Omit<Insertable<EventsTable>, 'seq'>;

export interface EventFilter {
  orgId: string;
  eventType?: string | undefined;
  agentId?: string | undefined;
  /** Received at or after (epoch ms). */
  since?: number | undefined;
  /** Received strictly before (epoch ms). */
  until?: number | undefined;
  /** Only events older than this position (the cursor). */
  beforeSeq?: number | undefined;
}

/** Stores every row in one statement: within the caller's transaction, all or nothing. */
export async function insertEvents(db: Db, rows: NewEventRow[]): Promise<void> {
  if (rows.length === 0) return;
  await db.insertInto('events').values(rows).execute();
}

/**
 * The position of an event of this organization. An event of another organization is not
 * found, exactly like one that does not exist.
 */
export async function findEventSeq(db: Db, orgId: string, id: string): Promise<number | undefined> {
  const row = await db
    .selectFrom('events')
    .select('seq')
    .where('id', '=', id)
    .where('org_id', '=', orgId)
    .executeTakeFirst();
  return row?.seq;
}

/** Newest first by arrival order (`seq`), at most `limit` rows. */
export async function listEvents(db: Db, filter: EventFilter, limit: number): Promise<EventRow[]> {
  let query = db.selectFrom('events').selectAll().where('org_id', '=', filter.orgId);
  if (filter.eventType !== undefined) query = query.where('event_type', '=', filter.eventType);
  if (filter.agentId !== undefined) query = query.where('agent_id', '=', filter.agentId);
  // LIMITATION: no index covers received_at, so a narrow time range over a large organization
  // walks its events newest first until the page fills (cost: slow old-range queries at scale;
  // fix: an (org_id, received_at, seq) index once real query patterns are known).
  if (filter.since !== undefined) query = query.where('received_at', '>=', filter.since);
  if (filter.until !== undefined) query = query.where('received_at', '<', filter.until);
  if (filter.beforeSeq !== undefined) query = query.where('seq', '<', filter.beforeSeq);
  return query.orderBy('seq', 'desc').limit(limit).execute();
}
