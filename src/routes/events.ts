import { Hono, type Context } from 'hono';
import type { PatPrincipal } from '../auth/principal.js';
import { requireRuntime } from '../events/access.js';
import { decodeCursor, encodeCursor } from '../events/cursor.js';
import { pageJson, toEventRow } from '../events/records.js';
import { storeEvents } from '../events/writer.js';
import { BatchInput, EventInput, MAX_PAGE_BYTES, QueryInput } from '../events/schema.js';
import { readJson, validationError } from '../http/body.js';
import { limitBody } from '../http/body-limit.js';
import type { AppEnv } from '../http/env.js';
import { ApiError, invalidCursor } from '../http/problem.js';
import { rateLimit } from '../http/rate-limit.js';
import { findEventSeq, listEvents, type EventScope } from '../store/events.js';
import { iso } from '../time.js';

// Body limits of the runtime API (the global 64 KiB limit does not apply under /v1).
// One event as compact JSON is at most 64 KiB of payload, 4 KiB of metadata, a type of 128
// characters and the field names: under 70 KB. A single event may use 128 KiB, which leaves
// room for pretty-printed JSON. A batch may use 8 MiB: 100 events of the largest size are about
// 7 MB as compact JSON, so a full batch fits with over 1 MB to spare for the whitespace some
// encoders add. An encoder that also escapes every non-ASCII character (Python's json does by
// default) can push a batch of full-size events past it; that client gets a 413 naming the limit
// and splits the batch.
// LIMITATION: one batch request may hold up to 8 MiB in memory while it is parsed (cost: memory
// under many concurrent full batches, bounded by the per-token rate limit; fix: parse the batch
// as a stream, or lower the cap and ask clients to split).
export const EVENT_BODY_LIMIT = 128 * 1024;
export const BATCH_BODY_LIMIT = 8 * 1024 * 1024;
export const QUERY_BODY_LIMIT = 16 * 1024;

const canWrite = requireRuntime('runtime:write', { tokenOnly: true });

export const eventRoutes = new Hono<AppEnv>();

eventRoutes.use('/v1/*', rateLimit());
eventRoutes.post('/v1/events/ingest', canWrite, limitBody(EVENT_BODY_LIMIT), ingestOne);
eventRoutes.post('/v1/events/ingest/batch', canWrite, limitBody(BATCH_BODY_LIMIT), ingestBatch);
eventRoutes.post(
  '/v1/events/query',
  requireRuntime('runtime:read'),
  limitBody(QUERY_BODY_LIMIT),
  query,
);

async function ingestOne(c: Context<AppEnv>) {
  const input = await readJson(c, EventInput);
  const services = c.get('services');
  const at = { now: services.now(), environment: services.config.environment };
  const row = toEventRow(input, c.get('principal') as PatPrincipal, at);
  await storeEvents(services.db, [row]);
  return c.json({ id: row.id, receivedAt: iso(row.received_at) }, 201);
}

/**
 * All or nothing: every event is checked before any is stored, then all are written by one
 * statement (in a transaction shared with other requests: see `storeEvents`).
 */
async function ingestBatch(c: Context<AppEnv>) {
  const { events } = await readJson(c, BatchInput);
  const inputs = events.map((event, index) => parseEventAt(event, index));
  const services = c.get('services');
  const sender = c.get('principal') as PatPrincipal;
  const at = { now: services.now(), environment: services.config.environment };
  const rows = inputs.map((input) => toEventRow(input, sender, at));
  await storeEvents(services.db, rows);
  services.logger.debug({ tokenId: sender.tokenId, count: rows.length }, 'events ingested');
  return c.json({ ids: rows.map((row) => row.id) }, 201);
}

function parseEventAt(event: unknown, index: number): EventInput {
  const result = EventInput.safeParse(event);
  if (result.success) return result.data;
  const { errors } = validationError(result.error).extra as { errors: FieldError[] };
  const named = errors.map((e) => ({ field: `events.${index}.${e.field}`, message: e.message }));
  const first = named[0]!;
  const detail = `${first.field}: ${first.message}`;
  throw new ApiError(400, 'validation_failed', detail, { index, errors: named });
}

interface FieldError {
  field: string;
  message: string;
}

async function query(c: Context<AppEnv>) {
  const input = await readJson(c, QueryInput, { optional: true });
  const services = c.get('services');
  const beforeSeq = input.cursor === undefined ? undefined : await cursorSeq(c, input.cursor);
  const filter = {
    ...scopeOf(c),
    eventType: input.event_type,
    agentId: input.agent_id,
    since: input.since,
    until: input.until,
    beforeSeq,
  };
  // A page ends at `limit` events or at MAX_PAGE_BYTES of their text, whichever comes first;
  // either way the cursor names its last event, so the next page starts right after it.
  const bounds = { limit: input.limit, maxBytes: MAX_PAGE_BYTES };
  const { rows, more } = await listEvents(services.db, filter, bounds);
  const last = rows[rows.length - 1];
  const nextCursor = more && last ? encodeCursor(last.id) : null;
  return c.body(pageJson(rows, nextCursor), 200, { 'content-type': 'application/json' });
}

/** The events a caller may read: their organization's, in this server's environment. */
function scopeOf(c: Context<AppEnv>): EventScope {
  return { orgId: c.get('principal').orgId, environment: c.get('services').config.environment };
}

/** A cursor of another organization or environment is refused exactly like a made-up one. */
async function cursorSeq(c: Context<AppEnv>, cursor: string): Promise<number> {
  const id = decodeCursor(cursor);
  const seq = id && (await findEventSeq(c.get('services').db, scopeOf(c), id));
  if (!seq) throw invalidCursor();
  return seq;
}
