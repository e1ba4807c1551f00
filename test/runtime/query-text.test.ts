import { beforeAll, describe, expect, it } from 'vitest';
import { newEventId } from '../../src/events/ids.js';
import { insertEvents, listEvents } from '../../src/store/events.js';
import { call, expectStatus } from '../support/client.js';
import { useSharedServer } from '../support/shared-server.js';
import { member, query, storedEvents } from './setup.js';

// A query answer carries each event's payload and metadata as the text stored at ingest, not
// parsed and written again.

const shared = useSharedServer();
let sender: Awaited<ReturnType<typeof member>>;

beforeAll(async () => {
  sender = await member(shared.server, shared.orgId, 'operator');
});

// Written by hand: a key named __proto__, escapes, a large number, non-ASCII text and a line
// separator, nesting, and whitespace that the stored compact text drops.
const SENT =
  '{ "event_type": "text.check", "payload": { "__proto__": { "x": 1 }, "q": "say \\"hi\\"\\\\",' +
  ' "n": 1e21, "t": "é \\u2028 ✓", "deep": [1, { "b": null }] },' +
  ' "metadata": { "agent_id": "ag-1", "extra": [true, false] } }';

describe('the text of a query answer', () => {
  it('holds the stored payload and metadata text exactly, parsing to what was sent', async () => {
    const sent = await call(shared.server, 'POST', '/v1/events/ingest', {
      token: sender.pat,
      body: SENT,
      headers: { 'content-type': 'application/json' },
    });
    expectStatus(sent, 201);
    const stored = (await storedEvents(shared.server, shared.orgId)).find(
      (row) => row.id === sent.body.id,
    )!;
    const reply = await query(shared.server, sender.pat, { event_type: 'text.check' });
    expectStatus(reply, 200);
    expect(reply.headers.get('content-type')).toMatch(/^application\/json/);
    expect(reply.text).toContain(`"payload":${stored.payload},"metadata":${stored.metadata}`);
    const original = JSON.parse(SENT);
    const [event] = reply.body.data;
    expect(event.payload).toEqual(original.payload);
    expect(Object.keys(event.payload)).toContain('__proto__');
    expect(event.metadata).toEqual(original.metadata);
    expect(event).toEqual({
      id: sent.body.id,
      event_type: 'text.check',
      payload: original.payload,
      metadata: original.metadata,
      receivedAt: sent.body.receivedAt,
      tokenId: sender.tokenId,
      userId: sender.user.id,
    });
    expect(reply.body.nextCursor).toBeNull();
  });

  it('keeps the byte bound when stored events are larger than ingest allows', async () => {
    const org = `org_${'b'.repeat(16)}`;
    const now = Date.now();
    const rows = [0, 1, 2].map((n) => ({
      id: newEventId(now),
      org_id: org,
      environment: 'production',
      token_id: 'tok_x',
      user_id: 'usr_x',
      event_type: 'big',
      agent_id: null,
      payload: JSON.stringify({ n, pad: 'p'.repeat(380) }),
      metadata: null,
      occurred_at: null,
      received_at: now,
    }));
    await insertEvents(shared.server.services.db, rows);
    const scope = { orgId: org, environment: 'production' };
    // Four events of the declared largest size fit the budget, so the page is one query.
    const page = await listEvents(shared.server.services.db, scope, {
      limit: 3,
      maxBytes: 1000,
      maxEventBytes: 100,
    });
    expect(page.rows.map((r) => r.id)).toEqual([rows[2]!.id, rows[1]!.id]);
    expect(page.more).toBe(true);
    expect(page.rows[0]!.payload).toBe(rows[2]!.payload);
  });
});
