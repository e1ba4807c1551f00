import { describe, expect, it } from 'vitest';
import { newEventId } from '../../src/events/ids.js';
import { storeEvents } from '../../src/events/writer.js';
import { isId } from '../../src/ids.js';
import type { NewEventRow } from '../../src/store/events.js';
import { expectStatus } from '../support/client.js';
import { useSharedServer } from '../support/shared-server.js';
import { ingest, ingestBatch, member, storedEvents } from './setup.js';

// Events of requests arriving together are written in one transaction; each request must still
// be stored whole or not at all, and be answered with its own ids.

const shared = useSharedServer();

function row(tag: string, n: number): NewEventRow {
  const now = Date.now();
  return {
    id: newEventId(now),
    org_id: shared.orgId,
    environment: 'production',
    token_id: 'tok_test',
    user_id: 'usr_test',
    event_type: 'group.test',
    agent_id: tag,
    payload: JSON.stringify({ tag, n }),
    metadata: null,
    occurred_at: null,
    received_at: now,
  };
}

const storedByAgent = async (tag: string) =>
  (await storedEvents(shared.server, shared.orgId)).filter((stored) => stored.agent_id === tag);

describe('events of requests arriving together', () => {
  it('are all stored, each request answered with the ids of its own events', async () => {
    const [first, second] = await Promise.all([
      member(shared.server, shared.orgId, 'operator'),
      member(shared.server, shared.orgId, 'operator'),
    ]);
    const senders = [first, second];
    const replies = await Promise.all(
      Array.from({ length: 20 }, (_, r) => {
        const events = Array.from({ length: 5 }, (_, i) => ({
          event_type: 'together',
          payload: { r, i },
        }));
        return ingestBatch(shared.server, senders[r % 2]!.pat, events);
      }),
    );
    const rows = await storedEvents(shared.server, shared.orgId);
    const byId = new Map(rows.map((stored) => [stored.id, stored]));
    const seen = new Set<string>();
    replies.forEach((reply, r) => {
      expectStatus(reply, 201);
      expect(reply.body.ids).toHaveLength(5);
      reply.body.ids.forEach((id: string, i: number) => {
        expect(isId('evt', id)).toBe(true);
        seen.add(id);
        const stored = byId.get(id)!;
        expect(JSON.parse(stored.payload)).toEqual({ r, i });
        expect(stored.token_id).toBe(senders[r % 2]!.tokenId);
      });
    });
    expect(seen.size).toBe(100);
    expect(rows.filter((stored) => stored.event_type === 'together')).toHaveLength(100);
  });

  it('answers single events sent at once, each stored once', async () => {
    const sender = await member(shared.server, shared.orgId, 'operator');
    const replies = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        ingest(shared.server, sender.pat, {
          event_type: 'single.together',
          payload: { i },
        }),
      ),
    );
    const rows = (await storedEvents(shared.server, shared.orgId)).filter(
      (stored) => stored.event_type === 'single.together',
    );
    expect(rows).toHaveLength(30);
    const byId = new Map(rows.map((stored) => [stored.id, stored]));
    replies.forEach((reply, i) => {
      expectStatus(reply, 201);
      expect(JSON.parse(byId.get(reply.body.id)!.payload)).toEqual({ i });
    });
  });

  it('refuses a request whose rows cannot be stored, alone and with none of its rows', async () => {
    const bad = [row('bad', 0), { ...row('bad', 1), org_id: null as unknown as string }];
    const outcomes = await Promise.allSettled([
      storeEvents(shared.server.services.db, [row('good-a', 0), row('good-a', 1)]),
      storeEvents(shared.server.services.db, bad),
      storeEvents(shared.server.services.db, [row('good-b', 0)]),
    ]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual([
      'fulfilled',
      'rejected',
      'fulfilled',
    ]);
    expect(await storedByAgent('good-a')).toHaveLength(2);
    expect(await storedByAgent('good-b')).toHaveLength(1);
    expect(await storedByAgent('bad')).toEqual([]);
  });

  it('gives rows whose id is taken new ids instead of failing or overwriting', async () => {
    const first = row('taken', 0);
    await storeEvents(shared.server.services.db, [first]);
    const again = [{ ...row('taken', 1), id: first.id }, row('taken', 2)];
    await storeEvents(shared.server.services.db, again);
    expect(again[0]!.id).not.toBe(first.id);
    expect(isId('evt', again[0]!.id)).toBe(true);
    const stored = await storedByAgent('taken');
    expect(stored.map((s) => [s.id, JSON.parse(s.payload).n])).toEqual([
      [first.id, 0],
      [again[0]!.id, 1],
      [again[1]!.id, 2],
    ]);
  });
});
