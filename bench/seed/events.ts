import type SqliteDatabase from 'better-sqlite3';
import { newEventId } from '../../src/events/ids.js';
import { pick, seededRandom } from '../lib/random.js';
import { insertInChunks } from './sqlite.js';

export const EVENT_TYPES = [
  'tool.call',
  'tool.result',
  'policy.check',
  'policy.denied',
  'model.request',
  'model.response',
  'approval.requested',
  'approval.granted',
  'agent.start',
  'agent.stop',
];
export const AGENTS_PER_ORG = 50;

type TokenRef = { id: string; userId: string };

/**
 * Events spread over every organization, arriving over the last 30 days in `seq` order, each
 * with a payload of about 200 bytes and metadata naming its agent. Ids are made as the service
 * makes them, from the arrival time.
 */
export function seedEvents(
  db: SqliteDatabase.Database,
  count: number,
  orgIds: string[],
  tokensByOrg: Map<string, TokenRef[]>,
  now: number,
): void {
  const insert = db.prepare(
    'insert into events (id, org_id, token_id, user_id, event_type, agent_id, payload, ' +
      'metadata, occurred_at, received_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const span = 30 * 86_400_000;
  const random = seededRandom(20261204);
  insertInChunks(db, count, 50_000, (i) => {
    const orgId = pick(orgIds, random);
    const token = pick(tokensByOrg.get(orgId)!, random);
    const eventType = pick(EVENT_TYPES, random);
    const agentId = `agent-${Math.floor(random() * AGENTS_PER_ORG)}`;
    const receivedAt = now - span + Math.floor((i / count) * span);
    const payload = JSON.stringify({
      tool: 'http.get',
      target: `https://api.example.com/v1/items/${i}`,
      decision: random() < 0.1 ? 'deny' : 'allow',
      latencyMs: i % 500,
      reason: 'matched policy default-allow-read',
    });
    const metadata = JSON.stringify({ agent_id: agentId, timestamp: new Date(receivedAt) });
    insert.run(
      newEventId(receivedAt),
      orgId,
      token.id,
      token.userId,
      eventType,
      agentId,
      payload,
      metadata,
      receivedAt,
      receivedAt,
    );
  });
}

/** An agent that every organization has, for the filtered query. */
export function sampleAgent(): string {
  return 'agent-7';
}
