import { sql } from 'kysely';
import type { Db } from '../db/connect.js';
import { insertEvents, type NewEventRow } from '../store/events.js';
import { newEventId } from './ids.js';

/**
 * The most rows one transaction takes (more only for a single request): with SQLite the event
 * loop waits for the whole transaction, so this bounds how long other requests wait. Larger
 * groups cost less a row (they share index pages): measured 4.5 ms of CPU a batch of 100 with
 * groups of 1,000 rows against 3.7 ms with 5,000 (50 connections sending 100 events each).
 */
const MAX_GROUP_ROWS = 5000;
/** New ids a request gets after its ids collided with another process's, before it fails. */
const ID_RETRIES = 3;

interface Pending {
  rows: NewEventRow[];
  resolve(): void;
  reject(error: unknown): void;
}

/**
 * Group commit for ingested events. With synchronous=FULL each commit waits for the disk, and
 * with SQLite it does so on the event loop, so one transaction a request capped ingest at about
 * a thousand requests a second. Requests that arrive while a commit runs (or in the same turn
 * of the event loop) are written together in the next transaction: one commit for all of them.
 *
 * Each request still stands alone: its rows are written under a savepoint of their own, so
 * a request whose insert fails is rolled back to nothing and refused while the others go on;
 * and each is answered only after the commit that holds its rows (if that commit fails, every
 * request in it fails, and nothing of any of them was stored).
 */
class EventWriter {
  private queue: Pending[] = [];
  private busy = false;

  constructor(private readonly db: Db) {}

  /** Resolves once every row is committed; rejects with nothing of them stored. */
  write(rows: NewEventRow[]): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ rows, resolve, reject });
      if (this.busy) return;
      this.busy = true;
      // After the current turn, so that every request already read is in the first group.
      setImmediate(() => void this.drain());
    });
  }

  private async drain(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        await this.commit(this.nextGroup());
        // Requests read meanwhile are served, and join the next group, before it commits.
        await new Promise((resolve) => setImmediate(resolve));
      }
    } finally {
      this.busy = false;
    }
  }

  private nextGroup(): Pending[] {
    let rows = 0;
    let count = 0;
    while (count < this.queue.length && (count === 0 || rows < MAX_GROUP_ROWS)) {
      rows += this.queue[count]!.rows.length;
      count += 1;
    }
    return this.queue.splice(0, count);
  }

  private async commit(group: Pending[]): Promise<void> {
    const stored: Pending[] = [];
    try {
      await this.db.transaction().execute(async (tx) => {
        for (const pending of group) {
          try {
            await insertAlone(tx, pending.rows);
            stored.push(pending);
          } catch (error) {
            if (!(error instanceof RequestRefused)) throw error;
            pending.reject(error.cause);
          }
        }
      });
    } catch (error) {
      // Nothing of the group was committed; a request refused already keeps its own error.
      for (const pending of group) pending.reject(error);
      return;
    }
    for (const pending of stored) pending.resolve();
  }
}

/** One request's insert failed and was rolled back; the transaction itself is fine. */
class RequestRefused extends Error {}

/**
 * Inserts one request's rows under a savepoint: all of them, or none (rolled back to the
 * savepoint, which also keeps a PostgreSQL transaction usable after a failed statement). Rows
 * whose ids collided with ids another process made in the same millisecond (see `newEventId`)
 * get new ids and are tried again.
 */
async function insertAlone(tx: Db, rows: NewEventRow[]): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    await sql`savepoint event_request`.execute(tx);
    let failed = false;
    let failure: unknown;
    try {
      await insertEvents(tx, rows);
    } catch (error) {
      failed = true;
      failure = error;
    }
    if (failed) await sql`rollback to savepoint event_request`.execute(tx);
    await sql`release savepoint event_request`.execute(tx);
    if (!failed) return;
    if (attempt >= ID_RETRIES || !isUniqueViolation(failure)) {
      throw new RequestRefused('event insert failed', { cause: failure });
    }
    for (const row of rows) row.id = newEventId(row.received_at);
  }
}

/** The only unique key of `events` besides its sequence number is `id`. */
function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === '23505';
}

const writers = new WeakMap<Db, EventWriter>();

/** Stores the rows of one request, together with those of other requests arriving meanwhile. */
export function storeEvents(db: Db, rows: NewEventRow[]): Promise<void> {
  let writer = writers.get(db);
  if (!writer) writers.set(db, (writer = new EventWriter(db)));
  return writer.write(rows);
}
