import type { Insertable } from 'kysely';
import type { Db } from '../db/connect.js';
import { reusedQuery } from '../db/reused-query.js';
import type { EventsTable } from '../db/schema.js';

export type NewEventRow = Omit<Insertable<EventsTable>, 'seq'>;

/**
 * Whose events a reader sees: one organization's, in the environment of the server it asks.
 * Staging and production servers may share a database, so both are part of every lookup.
 */
export interface EventScope {
  orgId: string;
  environment: string;
}

/** The columns of a stored event, in the order `insertEvents` binds them. */
const INSERTED = [
  'id',
  'org_id',
  'environment',
  'token_id',
  'user_id',
  'event_type',
  'agent_id',
  'payload',
  'metadata',
  'occurred_at',
  'received_at',
] as const satisfies ReadonlyArray<keyof NewEventRow>;

/**
 * Stores every row in one statement: within the caller's transaction, all or nothing. The insert
 * of each row count is built once (`reusedQuery`): building Kysely's insert of 100 rows (1,100
 * parameters) for every batch cost more than a statement reused with new values.
 */
export async function insertEvents(db: Db, rows: NewEventRow[]): Promise<void> {
  if (rows.length === 0) return;
  const params = rows.flatMap((row) => INSERTED.map((column) => row[column] ?? null));
  const query = reusedQuery(db, `event-insert:${rows.length}`, params, () => {
    const ordered = rows.map((row) => Object.fromEntries(INSERTED.map((c) => [c, row[c] ?? null])));
    return db
      .insertInto('events')
      .values(ordered as NewEventRow[])
      .compile();
  });
  await db.executeQuery(query);
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

export {
  listEvents,
  type EventFilter,
  type EventPage,
  type ListedEvent,
  type PageBounds,
} from './event-pages.js';
