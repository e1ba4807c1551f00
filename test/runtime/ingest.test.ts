import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { gzipSync } from 'node:zlib';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { call, expectStatus } from '../support/client.js';
import { curl } from '../support/curl.js';
import { useSharedServer } from '../support/shared-server.js';
import { event, ingest, member, storedEvents } from './setup.js';

const shared = useSharedServer();
let operator: Awaited<ReturnType<typeof member>>;

beforeAll(async () => {
  operator = await member(shared.server, shared.orgId, 'operator');
});

const TIMESTAMP = 'metadata.timestamp';
const withMetadata = (metadata: unknown) => ({ ...event(1), metadata });

const before = () => storedEvents(shared.server, shared.orgId).then((rows) => rows.length);

describe('POST /v1/events/ingest', () => {
  it('stores one event in the token organization, naming the token and the user', async () => {
    const reply = await ingest(shared.server, operator.pat, {
      event_type: 'policy.violation',
      payload: { rule: 'no-prod-writes', nested: { list: [1, 'two', null] } },
      metadata: { agent_id: 'agent-7', timestamp: '2026-12-04T15:00:00+01:00', trace: 'x1' },
    });
    expectStatus(reply, 201);
    expect(reply.body.id).toMatch(/^evt_[0-9a-z]{16}$/);
    expect(Date.parse(reply.body.receivedAt)).not.toBeNaN();
    expect(Object.keys(reply.body).sort()).toEqual(['id', 'receivedAt']);
    const row = (await storedEvents(shared.server, shared.orgId)).find(
      (r) => r.id === reply.body.id,
    )!;
    expect(row).toMatchObject({
      org_id: shared.orgId,
      token_id: operator.tokenId,
      user_id: operator.user.id,
      event_type: 'policy.violation',
      agent_id: 'agent-7',
      occurred_at: Date.parse('2026-12-04T14:00:00Z'),
      received_at: Date.parse(reply.body.receivedAt),
    });
    expect(JSON.parse(row.payload)).toEqual({
      rule: 'no-prod-writes',
      nested: { list: [1, 'two', null] },
    });
    expect(JSON.parse(row.metadata!)).toEqual({
      agent_id: 'agent-7',
      timestamp: '2026-12-04T15:00:00+01:00',
      trace: 'x1',
    });
  });

  it.each([
    ['without metadata', { event_type: 'x', payload: {} }],
    // What a query shows for an event stored without metadata, sent back as it was read.
    ['with metadata: null', { event_type: 'x', payload: {}, metadata: null }],
  ])('accepts an event %s and an empty payload object', async (_title, body) => {
    const reply = await ingest(shared.server, operator.pat, body);
    expectStatus(reply, 201);
    const row = (await storedEvents(shared.server, shared.orgId)).find(
      (r) => r.id === reply.body.id,
    )!;
    expect(row).toMatchObject({ agent_id: null, metadata: null, occurred_at: null, payload: '{}' });
  });

  it('keeps a payload key that object parsers like to drop, such as __proto__', async () => {
    const body = '{"event_type":"t","payload":{"__proto__":{"polluted":true},"a":1}}';
    const reply = await call(shared.server, 'POST', '/v1/events/ingest', {
      token: operator.pat,
      headers: { 'content-type': 'application/json' },
      body,
    });
    expectStatus(reply, 201);
    const row = (await storedEvents(shared.server, shared.orgId)).find(
      (r) => r.id === reply.body.id,
    )!;
    expect(row.payload).toBe('{"__proto__":{"polluted":true},"a":1}');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('accepts a payload of exactly 64 KiB and refuses one byte more', async () => {
    const filler = (size: number) => 'a'.repeat(size - '{"f":""}'.length);
    const exact = await ingest(
      shared.server,
      operator.pat,
      event(0, { payload: { f: filler(65536) } }),
    );
    expectStatus(exact, 201);
    const count = await before();
    const over = await ingest(
      shared.server,
      operator.pat,
      event(0, { payload: { f: filler(65537) } }),
    );
    expectStatus(over, 400);
    expect(over.body).toMatchObject({ code: 'validation_failed' });
    expect(over.body.detail).toMatch(/^payload: must be at most 65536 bytes/);
    expect(await before()).toBe(count);
  });

  it.each([
    ['a missing event_type', { payload: {} }, 'event_type'],
    ['an empty event_type', { event_type: '', payload: {} }, 'event_type'],
    ['an event_type of 129 characters', { event_type: 'e'.repeat(129), payload: {} }, 'event_type'],
    ['a numeric event_type', { event_type: 42, payload: {} }, 'event_type'],
    ['an event_type with a NUL', { event_type: 'a\u0000b', payload: {} }, 'event_type'],
    ['an event_type with a lone surrogate', { event_type: 'a\ud800', payload: {} }, 'event_type'],
    [
      'an agent_id with a lone surrogate',
      withMetadata({ agent_id: '\udc00' }),
      'metadata.agent_id',
    ],
    ['a missing payload', { event_type: 't' }, 'payload'],
    ['an array payload', { event_type: 't', payload: [1] }, 'payload'],
    ['a string payload', { event_type: 't', payload: 'hi' }, 'payload'],
    ['a null payload', { event_type: 't', payload: null }, 'payload'],
    ['metadata that is not an object', { ...event(1), metadata: 'm' }, 'metadata'],
    ['a numeric agent_id', { ...event(1), metadata: { agent_id: 7 } }, 'metadata.agent_id'],
    ['an empty agent_id', { ...event(1), metadata: { agent_id: '' } }, 'metadata.agent_id'],
    ['a long agent_id', withMetadata({ agent_id: 'a'.repeat(129) }), 'metadata.agent_id'],
    ['a timestamp without a zone', withMetadata({ timestamp: '2026-12-04T15:00' }), TIMESTAMP],
    ['an impossible date', withMetadata({ timestamp: '2026-02-31T00:00:00Z' }), TIMESTAMP],
    ['a numeric timestamp', withMetadata({ timestamp: 1764860400 }), TIMESTAMP],
    ['metadata over 4 KiB', { ...event(1), metadata: { big: 'm'.repeat(4096) } }, 'metadata'],
  ])('refuses %s with a 400 naming the field', async (_title, body, field) => {
    const count = await before();
    const reply = await ingest(shared.server, operator.pat, body);
    expectStatus(reply, 400);
    expect(reply.headers.get('content-type')).toBe('application/problem+json');
    expect(reply.body.code).toBe('validation_failed');
    expect(reply.body.errors[0].field).toBe(field);
    expect(reply.body.detail.startsWith(`${field}: `), reply.body.detail).toBe(true);
    expect(await before()).toBe(count);
  });

  it('names the rule a refused name broke: a control character or a lone surrogate', async () => {
    const nul = await ingest(shared.server, operator.pat, { event_type: 'a\u0007', payload: {} });
    expect(nul.body.detail).toBe('event_type: must not contain control characters');
    const lone = await ingest(shared.server, operator.pat, { event_type: 'a\ud800', payload: {} });
    expect(lone.body.detail).toMatch(/^event_type: must not contain a lone surrogate/);
  });

  it('refuses a payload nested deeper than 32 levels without failing on its side', async () => {
    let deep: unknown = {};
    for (let i = 0; i < 40; i++) deep = { d: deep };
    const reply = await ingest(shared.server, operator.pat, { event_type: 't', payload: deep });
    expectStatus(reply, 400);
    expect(reply.body.detail).toBe('payload: must nest at most 32 levels deep');
  });

  it('answers a nesting deep enough to break JSON.stringify with a 400, not a 500', async () => {
    const depth = 60_000;
    const body = `{"event_type":"t","payload":{"a":${'['.repeat(depth)}${']'.repeat(depth)}}}`;
    const reply = await call(shared.server, 'POST', '/v1/events/ingest', {
      token: operator.pat,
      headers: { 'content-type': 'application/json' },
      body,
    });
    expectStatus(reply, 400);
    expect(reply.body.code).toBe('validation_failed');
  });

  it('refuses broken JSON, another content type and a body over 128 KiB', async () => {
    const broken = await call(shared.server, 'POST', '/v1/events/ingest', {
      token: operator.pat,
      headers: { 'content-type': 'application/json' },
      body: '{"event_type":',
    });
    expectStatus(broken, 400);
    expect(broken.body.code).toBe('invalid_json');
    const text = await call(shared.server, 'POST', '/v1/events/ingest', {
      token: operator.pat,
      headers: { 'content-type': 'text/plain' },
      body: JSON.stringify(event(1)),
    });
    expectStatus(text, 415);
    const count = await before();
    // "é" as latin-1: one byte that is not UTF-8. Decoding it as U+FFFD would store text the
    // client never sent.
    const latin1 = await call(shared.server, 'POST', '/v1/events/ingest', {
      token: operator.pat,
      headers: { 'content-type': 'application/json' },
      body: Buffer.from('{"event_type":"caf\xe9","payload":{}}', 'latin1'),
    });
    expectStatus(latin1, 400);
    expect(latin1.body).toMatchObject({ code: 'invalid_json' });
    expect(latin1.body.detail).toMatch(/not UTF-8/);
    expect(await before()).toBe(count);
    // A compressed body is refused for its encoding, which the API does not take.
    const gzipped = await call(shared.server, 'POST', '/v1/events/ingest', {
      token: operator.pat,
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
      body: gzipSync(JSON.stringify(event(1))),
    });
    expectStatus(gzipped, 415);
    expect(gzipped.body.detail).toBe(
      'Content-Encoding gzip is not supported; send the body as is.',
    );
    expect(await before()).toBe(count);
    // A body declared in another charset would be read as UTF-8 all the same: refused, named.
    const declaredAs = (charset: string) =>
      call(shared.server, 'POST', '/v1/events/ingest', {
        token: operator.pat,
        headers: { 'content-type': `application/json; charset=${charset}` },
        body: JSON.stringify(event(1)),
      });
    for (const charset of ['latin1', '"ISO-8859-1"', 'utf-16']) {
      const declared = await declaredAs(charset);
      expectStatus(declared, 415);
      expect(declared.body.detail).toBe(
        `charset=${charset.replace(/"/g, '')} is not supported; JSON bodies are UTF-8.`,
      );
    }
    expect(await before()).toBe(count);
    for (const charset of ['utf-8', 'UTF8', '"utf-8"']) {
      expectStatus(await declaredAs(charset), 201);
    }
    // A leading byte-order mark is not an error: it is dropped, as the fetch API drops it.
    const marked = await call(shared.server, 'POST', '/v1/events/ingest', {
      token: operator.pat,
      headers: { 'content-type': 'application/json' },
      body: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(JSON.stringify(event(1)))]),
    });
    expectStatus(marked, 201);
    const huge = await ingest(
      shared.server,
      operator.pat,
      event(1, { pad: 'p'.repeat(128 * 1024) }),
    );
    expectStatus(huge, 413);
    expect(huge.body).toMatchObject({ code: 'body_too_large', limit: 131072 });
  });
  it('cuts off a chunked body without a length at the same 128 KiB', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'abs-chunked-')), 'event.json');
    writeFileSync(file, JSON.stringify(event(1, { pad: 'x'.repeat(300_000) })));
    const count = await before();
    const reply = await curl([
      '-X',
      'POST',
      `${shared.server.url}/v1/events/ingest`,
      '-H',
      `authorization: Bearer ${operator.pat}`,
      '-H',
      'content-type: application/json',
      '-H',
      'transfer-encoding: chunked',
      '--data-binary',
      `@${file}`,
    ]);
    rmSync(dirname(file), { recursive: true, force: true });
    expect(reply.status, reply.body).toBe(413);
    expect(JSON.parse(reply.body)).toMatchObject({ code: 'body_too_large', limit: 131072 });
    expect(await before()).toBe(count);
  });
});
