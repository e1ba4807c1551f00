import { z } from 'zod';
import { refuseBadName } from '../text.js';
import { Instant, sinceBeforeUntil } from '../time.js';
import { isJsonObject, jsonBytes, nestsWithin } from './json.js';

/** A payload is at most 64 KiB as compact JSON, whatever whitespace the client sent. */
export const MAX_PAYLOAD_BYTES = 64 * 1024;
export const MAX_METADATA_BYTES = 4 * 1024;
/** The most payload and metadata text one stored event can have. */
export const MAX_EVENT_BYTES = MAX_PAYLOAD_BYTES + MAX_METADATA_BYTES;
export const MAX_JSON_DEPTH = 32;
export const MAX_BATCH = 100;
export const MAX_QUERY_LIMIT = 1000;
/**
 * The most payload and metadata text (bytes as stored) one query page holds; past it the page
 * ends early and `nextCursor` goes on from its last event. Without it, 1000 events of 64 KiB
 * would be a 64 MB answer, held in memory several times over while it is built, and a few such
 * queries at once would exhaust the server. 4 MiB keeps a page of typical small events at the
 * full 1000 while a page of the largest events still carries about 60 of them.
 */
export const MAX_PAGE_BYTES = 4 * 1024 * 1024;
export const DEFAULT_QUERY_LIMIT = 50;

const name = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .superRefine(refuseBadName)
    .refine((s) => s.trim() === s, 'must not start or end with whitespace');

/** ISO 8601 instant: a date-time with `Z` or an offset, or a date (midnight UTC). */
/**
 * A JSON object kept exactly as sent: zod's object and record parsers rebuild their input and
 * would drop a key such as `__proto__`, so this only checks and never copies.
 */
const jsonObject = (maxBytes: number) =>
  z.custom<Record<string, unknown>>(isJsonObject, 'must be a JSON object').superRefine((v, ctx) => {
    if (!nestsWithin(v, MAX_JSON_DEPTH)) {
      ctx.addIssue({ code: 'custom', message: `must nest at most ${MAX_JSON_DEPTH} levels deep` });
    } else if (jsonBytes(v) > maxBytes) {
      ctx.addIssue({ code: 'custom', message: `must be at most ${maxBytes} bytes as JSON` });
    }
  });

/** The fields of `metadata` the service reads; any others are kept as sent. */
const MetadataFields = z.object({
  agent_id: name(128).optional(),
  timestamp: Instant.optional(),
});

const Metadata = jsonObject(MAX_METADATA_BYTES).superRefine((value, ctx) => {
  const fields = MetadataFields.safeParse(value);
  if (fields.success) return;
  for (const issue of fields.error.issues) {
    ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path });
  }
});

export const EventInput = z.object({
  event_type: name(128),
  payload: jsonObject(MAX_PAYLOAD_BYTES),
  // null reads as "no metadata", as a query shows an event stored without any.
  metadata: Metadata.nullish().transform((value) => value ?? undefined),
});
export type EventInput = z.infer<typeof EventInput>;

/** The batch envelope; each event is checked on its own so the error can name its index. */
export const BatchInput = z.object({
  events: z.array(z.unknown()).min(1).max(MAX_BATCH),
});

const LIMIT_RANGE = `must be an integer from 1 to ${MAX_QUERY_LIMIT}`;

export const QueryInput = z
  .object({
    limit: z
      .number({ error: LIMIT_RANGE })
      .int(LIMIT_RANGE)
      .min(1, LIMIT_RANGE)
      .max(MAX_QUERY_LIMIT, LIMIT_RANGE)
      .default(DEFAULT_QUERY_LIMIT),
    // null is what the last page's `nextCursor` says, so a client may send it back: first page.
    // An empty cursor is not one this API handed out (400 invalid_cursor, like any made-up one).
    cursor: z
      .string()
      .max(200)
      .nullish()
      .transform((value) => value ?? undefined),
    event_type: name(128).optional(),
    agent_id: name(128).optional(),
    since: Instant.optional(),
    until: Instant.optional(),
  })
  .refine(...sinceBeforeUntil);
export type QueryInput = z.infer<typeof QueryInput>;
