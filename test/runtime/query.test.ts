import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminOrgId, expectStatus } from '../support/client.js';
import { makeOrg } from '../support/fixtures.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { ingest, ingestBatch, member, query } from './setup.js';

let server: TestServer;
let writer: Awaited<ReturnType<typeof member>>;
let reader: Awaited<ReturnType<typeof member>>;
let outsider: Awaited<ReturnType<typeof member>>;
/** Ids of the events this file sent to the shared organization, oldest first. */
const sent: string[] = [];

async function send(events: unknown[]) {
  const reply = await ingestBatch(server, writer.pat, events);
  expectStatus(reply, 201);
  sent.push(...reply.body.ids);
  return reply.body.ids as string[];
}

/** Follows nextCursor to the end and returns every id seen, in order. */
async function walk(body: Record<string, unknown>, onPage?: (page: number) => Promise<void>) {
  const ids: string[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < 100; page++) {
    const reply = await query(server, reader.pat, { ...body, ...(cursor ? { cursor } : {}) });
    expectStatus(reply, 200);
    ids.push(...reply.body.data.map((e: { id: string }) => e.id));
    if (reply.body.nextCursor === null) return ids;
    cursor = reply.body.nextCursor;
    await onPage?.(page);
  }
  throw new Error('the cursor never ended');
}

beforeAll(async () => {
  server = await startTestServer();
  const orgId = await adminOrgId(server);
  writer = await member(server, orgId, 'operator');
  reader = await member(server, orgId, 'viewer');
  const other = await makeOrg(server.services, 'Other Org');
  outsider = await member(server, other.id, 'admin');
  await send([
    { event_type: 'tool.call', payload: { i: 0 }, metadata: { agent_id: 'alpha' } },
    { event_type: 'tool.call', payload: { i: 1 }, metadata: { agent_id: 'beta' } },
    { event_type: 'policy.block', payload: { i: 2 }, metadata: { agent_id: 'alpha' } },
    { event_type: 'policy.block', payload: { i: 3 } },
    { event_type: 'tool.call', payload: { i: 4 }, metadata: { agent_id: 'alpha' } },
  ]);
});
afterAll(() => server.stop());

describe('POST /v1/events/query', () => {
  it('returns events newest first with their fields, and no cursor on the last page', async () => {
    const reply = await query(server, reader.pat, {});
    expectStatus(reply, 200);
    expect(reply.body.nextCursor).toBeNull();
    expect(reply.body.data.map((e: { id: string }) => e.id)).toEqual([...sent].reverse());
    expect(reply.body.data[0]).toEqual({
      id: sent[4],
      event_type: 'tool.call',
      payload: { i: 4 },
      metadata: { agent_id: 'alpha' },
      receivedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      tokenId: writer.tokenId,
      userId: writer.user.id,
    });
    expect(reply.body.data[1].metadata).toBeNull();
  });

  it('accepts a request without a body, as the default query', async () => {
    const reply = await query(server, reader.pat, undefined);
    expectStatus(reply, 200);
    expect(reply.body.data).toHaveLength(sent.length);
  });

  it('filters by event_type and agent_id, alone and together', async () => {
    const ids = async (body: object) =>
      (await query(server, reader.pat, body)).body.data.map((e: { id: string }) => e.id);
    expect(await ids({ event_type: 'policy.block' })).toEqual([sent[3], sent[2]]);
    expect(await ids({ agent_id: 'alpha' })).toEqual([sent[4], sent[2], sent[0]]);
    expect(await ids({ event_type: 'tool.call', agent_id: 'alpha' })).toEqual([sent[4], sent[0]]);
    expect(await ids({ event_type: 'nothing.here' })).toEqual([]);
  });

  it('filters by since (inclusive) and until (exclusive) on the time of arrival', async () => {
    const all = (await query(server, reader.pat, {})).body.data as Array<{ receivedAt: string }>;
    const at = all[0]!.receivedAt;
    const since = await query(server, reader.pat, { since: at });
    expect(since.body.data.every((e: { receivedAt: string }) => e.receivedAt >= at)).toBe(true);
    expect(since.body.data.length).toBeGreaterThan(0);
    const until = await query(server, reader.pat, { until: at });
    expect(until.body.data).toEqual([]);
    const later = new Date(Date.parse(at) + 1).toISOString();
    expect((await query(server, reader.pat, { until: later })).body.data.length).toBe(sent.length);
    const day = await query(server, reader.pat, { since: '2000-01-01', until: '2999-12-31' });
    expect(day.body.data.length).toBe(sent.length);
  });

  it('pages with an opaque cursor that visits every event exactly once', async () => {
    await send(Array.from({ length: 23 }, (_, i) => ({ event_type: 'page', payload: { i } })));
    const ids = await walk({ limit: 4 });
    expect(ids).toEqual([...sent].reverse());
    const first = await query(server, reader.pat, { limit: 4 });
    expect(first.body.nextCursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(first.body.nextCursor).not.toContain('evt_');
  });

  it('keeps visiting every older event exactly once while new events arrive', async () => {
    const existing = [...sent].reverse();
    const arrivals: string[] = [];
    const ids = await walk({ limit: 3 }, async () => {
      arrivals.push(...(await send([{ event_type: 'late', payload: {} }])));
    });
    expect(arrivals.length).toBeGreaterThan(3);
    expect(ids).toEqual(existing);
  });

  it('pages within a filter', async () => {
    const ids = await walk({ event_type: 'page', limit: 5 });
    expect(ids).toHaveLength(23);
    expect(new Set(ids).size).toBe(23);
  });

  it.each([
    ['limit 0', { limit: 0 }, 'limit'],
    ['limit -1', { limit: -1 }, 'limit'],
    ['limit 1001', { limit: 1001 }, 'limit'],
    ['limit "abc"', { limit: 'abc' }, 'limit'],
    ['limit 2.5', { limit: 2.5 }, 'limit'],
    ['since that is not a date', { since: 'yesterday' }, 'since'],
    ['until without a time zone', { until: '2026-12-04T10:00:00' }, 'until'],
    ['until before since', { since: '2026-12-04T10:00:00Z', until: '2026-12-03' }, 'until'],
    ['an empty event_type', { event_type: '' }, 'event_type'],
    ['a numeric agent_id', { agent_id: 3 }, 'agent_id'],
  ])('refuses %s with a 400 naming the field', async (_title, body, field) => {
    const reply = await query(server, reader.pat, body);
    expectStatus(reply, 400);
    expect(reply.body.code).toBe('validation_failed');
    expect(reply.body.errors[0].field).toBe(field);
    expect(reply.body.detail.startsWith(`${field}: `), reply.body.detail).toBe(true);
    if (field === 'limit') {
      expect(reply.body.detail).toBe('limit: must be an integer from 1 to 1000');
    }
  });

  it('accepts limit 1 and limit 1000', async () => {
    const one = await query(server, reader.pat, { limit: 1 });
    expectStatus(one, 200);
    expect(one.body.data).toHaveLength(1);
    expectStatus(await query(server, reader.pat, { limit: 1000 }), 200);
  });

  it.each(['garbage!', 'ZTE6ZXZ0X2FhYWFhYWFhYWFhYWFhYWE', 'bm90IGEgY3Vyc29y', ''])(
    'refuses the made-up cursor %j',
    async (cursor) => {
      const reply = await query(server, reader.pat, { cursor });
      expectStatus(reply, 400);
      expect(reply.body).toMatchObject({
        code: 'invalid_cursor',
        detail: 'cursor: not a cursor this API handed out.',
        errors: [{ field: 'cursor', message: 'not a cursor this API handed out' }],
      });
    },
  );

  it('reads cursor: null, what the last page hands back, as the first page', async () => {
    const first = await query(server, reader.pat, { limit: 2 });
    const again = await query(server, reader.pat, { limit: 2, cursor: null });
    expectStatus(again, 200);
    expect(again.body).toEqual(first.body);
  });
});

describe('organizations are walled off', () => {
  it('shows another organization none of these events, and has its own', async () => {
    const theirs = await ingest(server, outsider.pat, { event_type: 'tool.call', payload: {} });
    expectStatus(theirs, 201);
    const reply = await query(server, outsider.pat, { limit: 1000 });
    expectStatus(reply, 200);
    expect(reply.body.data.map((e: { id: string }) => e.id)).toEqual([theirs.body.id]);
    const ours = await query(server, reader.pat, { limit: 1000 });
    expect(ours.body.data.map((e: { id: string }) => e.id)).not.toContain(theirs.body.id);
  });

  it('refuses a cursor of another organization exactly like a made-up one', async () => {
    const page = await query(server, reader.pat, { limit: 1 });
    const foreign = await query(server, outsider.pat, { cursor: page.body.nextCursor });
    expectStatus(foreign, 400);
    const madeUp = await query(server, outsider.pat, { cursor: 'ZTE6ZXZ0X2FhYWFhYWFhYWFhYWFhYWE' });
    expect(foreign.body).toEqual(madeUp.body);
  });

  it('does not let a filter on a known id or type reveal foreign events', async () => {
    const reply = await query(server, outsider.pat, { event_type: 'page', limit: 1000 });
    expect(reply.body.data).toEqual([]);
  });
});
