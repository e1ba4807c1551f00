import type { PatPrincipal } from '../auth/principal.js';
import type { Environment } from '../config.js';
import type { ListedEvent, NewEventRow } from '../store/events.js';
import { newEventId } from './ids.js';
import { compactJson } from './json.js';
import { iso } from '../time.js';
import type { EventInput } from './schema.js';

/** An event as the query endpoint returns it (written by `eventJson`). */
export interface EventView {
  id: string;
  event_type: string;
  payload: Record<string, unknown>;
  metadata: Record<string, unknown> | null;
  receivedAt: string;
  tokenId: string;
  userId: string;
}

/**
 * The row for one accepted event: it belongs to the token's organization and to the environment
 * of the server that accepted it, and names its sender.
 */
export function toEventRow(
  input: EventInput,
  sender: PatPrincipal,
  at: { now: number; environment: Environment },
): NewEventRow {
  const agentId = input.metadata?.agent_id;
  const timestamp = input.metadata?.timestamp;
  return {
    id: newEventId(at.now),
    org_id: sender.orgId,
    environment: at.environment,
    token_id: sender.tokenId,
    user_id: sender.userId,
    event_type: input.event_type,
    agent_id: typeof agentId === 'string' ? agentId : null,
    payload: compactJson(input.payload),
    metadata: input.metadata === undefined ? null : compactJson(input.metadata),
    occurred_at: typeof timestamp === 'string' ? Date.parse(timestamp) : null,
    received_at: at.now,
  };
}

/**
 * One event of a query answer as JSON text, in the shape of `EventView`. The payload and metadata
 * are the compact JSON text this service wrote at ingest, so they go into the answer as they are
 * stored: parsing and writing them again for every event was most of a query's CPU time.
 */
export function eventJson(row: ListedEvent): string {
  return (
    `{"id":${JSON.stringify(row.id)},"event_type":${JSON.stringify(row.event_type)}` +
    `,"payload":${row.payload},"metadata":${row.metadata ?? 'null'}` +
    `,"receivedAt":"${iso(row.received_at)}","tokenId":${JSON.stringify(row.token_id)}` +
    `,"userId":${JSON.stringify(row.user_id)}}`
  );
}

/** A query answer as JSON text: `{ data: EventView[], nextCursor }`. */
export function pageJson(rows: ListedEvent[], nextCursor: string | null): string {
  const data = rows.map(eventJson).join(',');
  return `{"data":[${data}],"nextCursor":${JSON.stringify(nextCursor)}}`;
}
