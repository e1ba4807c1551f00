import { beforeAll, describe, expect, it } from 'vitest';
import { expectStatus } from '../support/client.js';
import { useSharedServer } from '../support/shared-server.js';
import { event, ingestBatch, member, storedEvents } from './setup.js';

const shared = useSharedServer();
let operator: Awaited<ReturnType<typeof member>>;

beforeAll(async () => {
  operator = await member(shared.server, shared.orgId, 'operator');
});

const before = () => storedEvents(shared.server, shared.orgId).then((rows) => rows.length);

describe('POST /v1/events/ingest/batch', () => {
  it('stores 100 events at once and returns their ids in order', async () => {
    const events = Array.from({ length: 100 }, (_, i) => event(i, { metadata: { agent_id: 'b' } }));
    const reply = await ingestBatch(shared.server, operator.pat, events);
    expectStatus(reply, 201);
    expect(reply.body.ids).toHaveLength(100);
    const rows = await storedEvents(shared.server, shared.orgId);
    const byId = new Map(rows.map((r) => [r.id, r]));
    reply.body.ids.forEach((id: string, i: number) => {
      const row = byId.get(id)!;
      expect(JSON.parse(row.payload)).toEqual({ n: i });
      expect(row).toMatchObject({ token_id: operator.tokenId, user_id: operator.user.id });
    });
  });

  it('accepts 100 events of the largest size in one compact body', async () => {
    const payload = { f: 'x'.repeat(65536 - '{"f":""}'.length) };
    const metadata = { agent_id: 'a'.repeat(128), m: 'y'.repeat(4096 - 160) };
    const events = Array.from({ length: 100 }, () => ({
      event_type: 'e'.repeat(128),
      payload,
      metadata,
    }));
    const reply = await ingestBatch(shared.server, operator.pat, events);
    expectStatus(reply, 201);
    expect(reply.body.ids).toHaveLength(100);
  });

  it.each([
    ['an empty batch', [], 'events'],
    ['101 events', Array.from({ length: 101 }, (_, i) => event(i)), 'events'],
    ['a batch that is not a list', { a: 1 }, 'events'],
  ])('refuses %s', async (_title, events, field) => {
    const count = await before();
    const reply = await ingestBatch(shared.server, operator.pat, events);
    expectStatus(reply, 400);
    expect(reply.body.errors[0].field).toBe(field);
    expect(await before()).toBe(count);
  });

  it('stores nothing when one event is invalid, and names its index', async () => {
    const count = await before();
    const events = Array.from({ length: 10 }, (_, i) => event(i));
    events[7] = { event_type: 't', payload: [] } as never;
    const reply = await ingestBatch(shared.server, operator.pat, events);
    expectStatus(reply, 400);
    expect(reply.body).toMatchObject({ code: 'validation_failed', index: 7 });
    expect(reply.body.detail).toBe('events.7.payload: must be a JSON object');
    expect(reply.body.errors[0]).toEqual({
      field: 'events.7.payload',
      message: 'must be a JSON object',
    });
    expect(await before()).toBe(count);
  });

  it('refuses a batch body over 8 MiB before storing anything', async () => {
    const count = await before();
    const pad = 'z'.repeat(8 * 1024 * 1024);
    const reply = await ingestBatch(shared.server, operator.pat, [event(1, { pad })]);
    expectStatus(reply, 413);
    expect(reply.body).toMatchObject({ code: 'body_too_large', limit: 8 * 1024 * 1024 });
    expect(await before()).toBe(count);
  });
});
