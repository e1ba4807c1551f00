import { CompiledQuery, type Insertable } from 'kysely';
import type { Db } from '../db/connect.js';
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
 * Insert texts by row count (at most the largest batch): Kysely builds each once. Kept by the
 * database's SQL adapter, which its transactions share (a transaction is a new `Db` each time).
 */
const insertSql = new WeakMap<object, Map<number, string>>();

/**
 * Stores every row in one statement: within the caller's transaction, all or nothing. Building
 * and compiling Kysely's insert of 100 rows (1,100 parameters) for every batch cost more than a
 * statement reused with new values.
 */
export async function insertEvents(db: Db, rows: NewEventRow[]): Promise<void> {
  if (rows.length === 0) return;
  const params = rows.flatMap((row) => INSERTED.map((column) => row[column] ?? null));
  const adapter = db.getExecutor().adapter;
  let texts = insertSql.get(adapter);
  if (!texts) insertSql.set(adapter, (texts = new Map()));
  let text = texts.get(rows.length);
  if (text === undefined) {
    const ordered = rows.map((row) => Object.fromEntries(INSERTED.map((c) => [c, row[c] ?? null])));
    const built = db
      .insertInto('events')
      .values(ordered as NewEventRow[])
      .compile();
    if (built.parameters.some((value, i) => value !== params[i])) {
      throw new Error('event insert: parameters out of the expected order');
    }
    text = built.sql;
    texts.set(rows.length, text);
  }
  await db.executeQuery(CompiledQuery.raw(text, params));
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
