import type { PatPrincipal } from '../auth/principal.js';
import type { Environment } from '../config.js';
import type { EventRow } from '../db/schema.js';
import { newId } from '../ids.js';
import type { NewEventRow } from '../store/events.js';
import { iso } from '../store/tokens.js';
import type { EventInput } from './schema.js';

/** An event as the query endpoint returns it. */
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
    id: newId('evt'),
    org_id: sender.orgId,
    environment: at.environment,
    token_id: sender.tokenId,
    user_id: sender.userId,
    event_type: input.event_type,
    agent_id: typeof agentId === 'string' ? agentId : null,
    payload: JSON.stringify(input.payload),
    metadata: input.metadata === undefined ? null : JSON.stringify(input.metadata),
    occurred_at: typeof timestamp === 'string' ? Date.parse(timestamp) : null,
    received_at: at.now,
  };
}

export function toEventView(row: EventRow): EventView {
  return {
    id: row.id,
    event_type: row.event_type,
    payload: JSON.parse(row.payload) as Record<string, unknown>,
    metadata: row.metadata === null ? null : (JSON.parse(row.metadata) as Record<string, unknown>),
    receivedAt: iso(row.received_at),
    tokenId: row.token_id,
    userId: row.user_id,
  };
}
