import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_BODY_LIMIT } from '../../src/http/body.js';
import { BATCH_BODY_LIMIT, EVENT_BODY_LIMIT, QUERY_BODY_LIMIT } from '../../src/routes/events.js';
import { expectUnchanged, snapshot, type Snapshot } from './digest.js';
import { send, sendBytes, statusOf } from './http.js';
import { startWorld, type World } from './world.js';

let world: World;
let before: Snapshot;
beforeAll(async () => {
  world = await startWorld();
  before = await snapshot(world.server.services.db);
});
afterAll(async () => {
  await world?.stop();
});

const json = (body: unknown) => Buffer.from(JSON.stringify(body));
const post = (path: string, body: Buffer | string, token?: string, type = 'application/json') =>
  send(world.server, {
    method: 'POST',
    path,
    headers: { 'content-type': type, ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body,
  });

/** A JSON object whose text is exactly `size` bytes. */
function bodyOfSize(size: number, field: string): Buffer {
  const frame = JSON.stringify({ [field]: '' }).length;
  return json({ [field]: 'x'.repeat(size - frame) });
}

function expectProblem(reply: { status: number; text: string }, status: number, code: string) {
  expect(reply.status, reply.text).toBe(status);
  const problem = JSON.parse(reply.text) as { code: string; detail: string };
  expect(problem.code).toBe(code);
  return problem;
}

describe('body size limits', () => {
  const cases = [
    { path: '/login', field: 'email', limit: DEFAULT_BODY_LIMIT, token: () => undefined },
    {
      path: '/v1/events/ingest',
      field: 'event_type',
      limit: EVENT_BODY_LIMIT,
      token: () => world.operatorPat,
    },
    {
      path: '/v1/events/query',
      field: 'cursor',
      limit: QUERY_BODY_LIMIT,
      token: () => world.operatorPat,
    },
    {
      path: '/v1/events/ingest/batch',
      field: 'events',
      limit: BATCH_BODY_LIMIT,
      token: () => world.operatorPat,
    },
  ];
  for (const { path, field, limit, token } of cases) {
    it(`refuses a body one byte over ${limit} bytes on ${path} with 413`, async () => {
      const reply = await post(path, bodyOfSize(limit + 1, field), token());
      const problem = expectProblem(reply, 413, 'body_too_large');
      expect(problem).toMatchObject({ limit });
      expect(reply.headers.connection).toBe('close');
    });

    it(`reads a body of exactly ${limit} bytes on ${path} (then judges its fields)`, async () => {
      const reply = await post(path, bodyOfSize(limit, field), token());
      expect(reply.status, reply.text).toBe(400);
      expect(JSON.parse(reply.text).code).toBe('validation_failed');
    });
  }

  it('refuses an oversized chunked body, which announces no length, with 413', async () => {
    const chunk = 'x'.repeat(DEFAULT_BODY_LIMIT + 10);
    const raw = await sendBytes(
      world.server,
      'POST /login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n' +
        'Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n' +
        `${chunk.length.toString(16)}\r\n${chunk}\r\n0\r\n\r\n`,
    );
    expect(statusOf(raw)).toBe(413);
    expect(raw).toContain('"code":"body_too_large"');
  });

  it('refuses a body that is not JSON with 415 and broken JSON with 400', async () => {
    expectProblem(
      await post('/login', 'email=a', undefined, 'text/plain'),
      415,
      'unsupported_media_type',
    );
    expectProblem(await post('/login', '{"email":', undefined), 400, 'invalid_json');
  });
});

describe('field limits', () => {
  const longEmail = `${'a'.repeat(310)}@example.test`;
  const cases: {
    what: string;
    path: string;
    body: unknown;
    field: string;
    token?: () => string;
  }[] = [
    {
      what: 'an email over 320 characters',
      path: '/login',
      field: 'email',
      body: { email: longEmail, password: 'x' },
    },
    {
      what: 'a password over 256 characters',
      path: '/login',
      field: 'password',
      body: { email: 'a@example.test', password: 'p'.repeat(257) },
    },
    {
      what: 'a token name over 100 characters',
      path: '/token',
      field: 'name',
      body: { name: 'n'.repeat(101) },
      token: () => world.adminSession,
    },
    {
      what: 'an expiry over 366 days',
      path: '/token',
      field: 'expiresInDays',
      body: { expiresInDays: 367 },
      token: () => world.adminSession,
    },
    {
      what: 'an event type over 128 characters',
      path: '/v1/events/ingest',
      field: 'event_type',
      body: { event_type: 't'.repeat(129), payload: {} },
      token: () => world.operatorPat,
    },
    {
      what: 'a payload over 64 KiB as compact JSON',
      path: '/v1/events/ingest',
      field: 'payload',
      body: { event_type: 't', payload: { a: 'x'.repeat(64 * 1024) } },
      token: () => world.operatorPat,
    },
    {
      what: 'metadata over 4 KiB',
      path: '/v1/events/ingest',
      field: 'metadata',
      body: { event_type: 't', payload: {}, metadata: { a: 'x'.repeat(4096) } },
      token: () => world.operatorPat,
    },
    {
      what: 'a payload nested 33 levels deep',
      path: '/v1/events/ingest',
      field: 'payload',
      body: { event_type: 't', payload: nest(33) },
      token: () => world.operatorPat,
    },
    {
      what: 'a batch of 101 events',
      path: '/v1/events/ingest/batch',
      field: 'events',
      body: { events: Array.from({ length: 101 }, () => ({ event_type: 't', payload: {} })) },
      token: () => world.operatorPat,
    },
    {
      what: 'a query limit of 1001',
      path: '/v1/events/query',
      field: 'limit',
      body: { limit: 1001 },
      token: () => world.operatorPat,
    },
    {
      what: 'a control character in an agent id',
      path: '/v1/events/query',
      field: 'agent_id',
      body: { agent_id: 'a\u0000b' },
      token: () => world.operatorPat,
    },
  ];
  for (const c of cases) {
    it(`refuses ${c.what} with 400 naming ${c.field}`, async () => {
      const reply = await post(c.path, json(c.body), c.token?.());
      const problem = expectProblem(reply, 400, 'validation_failed');
      expect(problem.detail.startsWith(`${c.field}`), problem.detail).toBe(true);
    });
  }

  it('accepts a payload nested exactly 32 levels deep', async () => {
    const reply = await post(
      '/v1/events/ingest',
      json({ event_type: 't', payload: nest(31) }),
      world.operatorPat,
    );
    expect(reply.status, reply.text).toBe(201);
    before = await snapshot(world.server.services.db);
  });

  it('refuses an admin list page over 200 and a cursor over 500 characters with 400', async () => {
    const auth = { authorization: `Bearer ${world.adminSession}` };
    for (const query of ['limit=201', `cursor=${'c'.repeat(501)}`]) {
      const reply = await send(world.server, {
        method: 'GET',
        path: `/admin/users?${query}`,
        headers: auth,
      });
      expectProblem(reply, 400, 'validation_failed');
    }
  });
});

function nest(levels: number): Record<string, unknown> {
  let value: Record<string, unknown> = {};
  for (let i = 1; i < levels; i += 1) value = { a: value };
  return value;
}

describe('limits of the HTTP layer', () => {
  it('answers a header block over 16 KiB with 431 from Node, then keeps serving', async () => {
    const reply = await send(world.server, {
      method: 'GET',
      path: '/health',
      headers: { 'x-padding': 'p'.repeat(17 * 1024) },
    });
    expect(reply.status).toBe(431);
    const health = await send(world.server, { method: 'GET', path: '/health' });
    expect(health.status).toBe(200);
  });

  it('answers a request line over 16 KiB with 431', async () => {
    const reply = await send(world.server, {
      method: 'GET',
      path: `/health?${'q'.repeat(17 * 1024)}`,
    });
    expect(reply.status).toBe(431);
  });

  it("takes a body cut short by its client as the client's doing: a 400, never a 5xx", async () => {
    const logged = world.server.logs.length;
    // 100 bytes announced, 2 sent, then the client stops sending (a half-close).
    const raw = await sendBytes(
      world.server,
      'POST /login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n' +
        'Content-Length: 100\r\nX-Request-Id: cut-short-body\r\n\r\n{}',
    );
    // The client may be gone before the answer: when one arrives, it is the 400.
    if (raw !== '') expect(statusOf(raw)).toBe(400);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const lines = world.server.logs.slice(logged).map((line) => JSON.parse(line));
    const line = lines.find((l) => l.msg === 'request' && l.path === '/login');
    expect(line, JSON.stringify(lines)).toMatchObject({ level: 'info', status: 400 });
    expect(lines.filter((l) => l.level === 'error')).toEqual([]);
    expect((await send(world.server, { method: 'GET', path: '/health' })).status).toBe(200);
  });

  it('closes a connection whose headers take over 10 s, within 2 s of the limit', async () => {
    const url = new URL(world.server.url);
    const socket = connect(Number(url.port), url.hostname);
    const started = performance.now();
    let answer = '';
    socket.on('data', (chunk) => (answer += chunk.toString('latin1')));
    socket.write('GET /health HTTP/1.1\r\nHost: x\r\n');
    await new Promise((resolve) => socket.once('close', resolve));
    const seconds = (performance.now() - started) / 1000;
    expect(statusOf(answer)).toBe(408);
    expect(seconds).toBeGreaterThanOrEqual(9.5);
    expect(seconds).toBeLessThan(12);
  }, 30_000);

  it('refuses a request framed two ways (smuggling) with 400 before any handler runs', async () => {
    const raw = await sendBytes(
      world.server,
      'POST /login HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n' +
        'Content-Type: application/json\r\n\r\n0\r\n\r\nPOST /token HTTP/1.1\r\n\r\n',
    );
    expect(statusOf(raw)).toBe(400);
  });

  const broken: [string, string][] = [
    [
      'two different Content-Length headers',
      'POST /login HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}',
    ],
    ['a NUL byte in a header', 'GET /health HTTP/1.1\r\nHost: x\r\nX-A: a\u0000b\r\n\r\n'],
    [
      'a bad chunk size',
      'POST /login HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n',
    ],
    ['a header folded over two lines', 'GET /health HTTP/1.1\r\nHost: x\r\nX-A: a\r\n b\r\n\r\n'],
    ['no Host header on HTTP/1.1', 'GET /health HTTP/1.1\r\n\r\n'],
  ];
  for (const [what, bytes] of broken) {
    it(`answers ${what} with 400`, async () => {
      expect(statusOf(await sendBytes(world.server, bytes))).toBe(400);
    });
  }

  it('changed nothing through any refused request above, and still answers', async () => {
    expectUnchanged(before, await snapshot(world.server.services.db), 'the refused requests');
    const health = await send(world.server, { method: 'GET', path: '/health' });
    expect(health.status).toBe(200);
  });
});
