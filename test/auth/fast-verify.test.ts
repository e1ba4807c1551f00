import {
  createServer,
  request,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fastPathOutcome, withFastVerify } from '../../src/http/fast-verify.js';
import { createLogger } from '../../src/logger.js';
import { mintSecret } from '../../src/secrets.js';
import type { Services } from '../../src/services.js';
import { call, expectStatus, issuePat, login } from '../support/client.js';
import { startTestServer, type TestServer } from '../support/server.js';

let server: TestServer;
let session: string;
let pat: string;
beforeAll(async () => {
  server = await startTestServer();
  session = await login(server);
  pat = await issuePat(server, session, { name: 'fast path' });
});
afterAll(() => server.stop());

/** Headers that differ between any two answers whoever sends them. */
const PER_ANSWER = new Set(['date', 'x-request-id', 'keep-alive', 'connection']);

function stableHeaders(headers: Headers): Record<string, string> {
  return Object.fromEntries([...headers].filter(([name]) => !PER_ANSWER.has(name)));
}

describe('GET /verify answered before the app', () => {
  it('sends the body and headers the app sends for the same token', async () => {
    const fast = await call(server, 'GET', '/verify', { token: pat });
    // An Origin header makes the fast path step aside: this one is the app's own answer.
    const viaApp = await call(server, 'GET', '/verify', {
      token: pat,
      headers: { origin: 'http://elsewhere.test' },
    });
    expectStatus(fast, 200);
    expectStatus(viaApp, 200);
    expect(fast.body).toEqual(viaApp.body);
    expect(fast.body).toMatchObject({ active: true, type: 'pat', environment: 'production' });
    expect(stableHeaders(fast.headers)).toEqual(stableHeaders(viaApp.headers));
    expect(fast.headers.get('x-request-id')).toMatch(/^req_[0-9a-z]{16}$/);
  });

  it('logs one request line under the id it sent back, without the token', async () => {
    const reply = await call(server, 'GET', '/verify', { token: pat });
    const id = reply.headers.get('x-request-id');
    const lines = server.logs.filter((line) => line.includes(`"reqId":"${id}"`));
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({
      level: 'info',
      msg: 'request',
      method: 'GET',
      path: '/verify',
      status: 200,
      ip: '127.0.0.1',
    });
    expect(server.logs.join('\n')).not.toContain(pat);
  });

  it('answers a session bearer too', async () => {
    const reply = await call(server, 'GET', '/verify', { token: session });
    expectStatus(reply, 200);
    expect(reply.body).toMatchObject({ active: true, type: 'session', environment: null });
  });

  it('refuses a token revoked a moment ago, and records the refusal once', async () => {
    const doomed = await issuePat(server, session, { name: 'doomed' });
    expectStatus(await call(server, 'GET', '/verify', { token: doomed }), 200);
    const id = (await call(server, 'GET', '/verify', { token: doomed })).body.tokenId;
    expectStatus(await call(server, 'DELETE', `/tokens/${id}`, { token: session }), 204);
    const reply = await call(server, 'GET', '/verify', { token: doomed });
    expectStatus(reply, 401);
    expect(reply.headers.get('content-type')).toBe('application/problem+json');
    expect(reply.body).toMatchObject({ active: false, code: 'invalid_token' });
    expect(reply.headers.get('www-authenticate')).toContain('error="invalid_token"');
    const refusals = await server.services.db
      .selectFrom('audit_entries')
      .select('id')
      .where('action', '=', 'token.refused')
      .where('target_id', '=', id)
      .execute();
    expect(refusals).toHaveLength(1);
  });
});

describe('HEAD /verify', () => {
  it('carries the headers GET sends, Content-Length included, and no body', async () => {
    const cases: Array<[what: string, token: string, status: number]> = [
      ['a valid token', pat, 200],
      ['an unknown token', mintSecret('pat').secret, 401],
      ['a malformed token', 'abs_pat_nope', 401],
    ];
    for (const [what, token, status] of cases) {
      const get = await call(server, 'GET', '/verify', { token });
      const head = await call(server, 'HEAD', '/verify', { token });
      expect(get.status, what).toBe(status);
      expect(head.status, what).toBe(status);
      expect(get.text, what).not.toBe('');
      expect(head.text, what).toBe('');
      const length = String(Buffer.byteLength(get.text));
      expect(get.headers.get('content-length'), what).toBe(length);
      expect(head.headers.get('content-length'), what).toBe(length);
      expect(stableHeaders(head.headers), what).toEqual(stableHeaders(get.headers));
    }
  });
});

describe('what the fast path leaves to the app', () => {
  let side: Server;
  let port: number;
  const handed: Array<{ method: string; url: string; reason: string | undefined }> = [];

  /** The fast path in front of a stand-in app that records what reached it. */
  async function startSide(services: Services) {
    const app = (req: IncomingMessage, res: ServerResponse) => {
      const outcome = fastPathOutcome(req);
      handed.push({
        method: req.method!,
        url: req.url!,
        reason: outcome && !outcome.ok ? outcome.reason : undefined,
      });
      res.writeHead(299).end();
    };
    side = createServer(withFastVerify(services, app));
    await new Promise<void>((resolve) => side.listen(0, '127.0.0.1', resolve));
    port = (side.address() as AddressInfo).port;
  }

  function send(method: string, path: string, headers: Record<string, string>, body?: string) {
    return new Promise<number>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, method, path, headers }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode!));
      });
      req.on('error', reject);
      req.end(body);
    });
  }

  beforeAll(() => startSide(server.services));
  afterAll(() => new Promise<void>((resolve) => side.close(() => resolve())));

  it('answers a valid bearer token itself', async () => {
    handed.length = 0;
    expect(await send('GET', '/verify', { authorization: `Bearer ${pat}` })).toBe(200);
    expect(handed).toEqual([]);
  });

  it('hands over every other request, untouched', async () => {
    const bearer = { authorization: `Bearer ${pat}` };
    const cases: Array<[string, string, Record<string, string>, string?]> = [
      ['HEAD', '/verify', bearer],
      ['POST', '/verify', bearer],
      ['GET', '/verify?x=1', bearer],
      ['GET', '/verify/', bearer],
      ['GET', '/me', bearer],
      ['GET', '/verify', { cookie: `abs_session=${session}` }],
      ['GET', '/verify', { ...bearer, origin: 'http://elsewhere.test' }],
      ['GET', '/verify', { ...bearer, 'content-length': '2' }, '{}'],
      ['GET', '/verify', { authorization: 'Basic YTpi' }],
      ['GET', '/verify', {}],
    ];
    for (const [method, path, headers, body] of cases) {
      handed.length = 0;
      expect(await send(method, path, headers, body), `${method} ${path}`).toBe(299);
      expect(handed, `${method} ${path}`).toEqual([{ method, url: path, reason: undefined }]);
    }
  });

  it('hands over a request with two Authorization headers, which the app refuses', async () => {
    handed.length = 0;
    // The flat form of node:http headers (it sends no Host of its own): two Authorization lines.
    const twice = [
      ...['host', '127.0.0.1'],
      ...['authorization', `Bearer ${pat}`, 'authorization', 'Bearer abs_pat_bogus'],
    ];
    expect(await send('GET', '/verify', twice as unknown as Record<string, string>)).toBe(299);
    expect(handed).toEqual([{ method: 'GET', url: '/verify', reason: undefined }]);
    const reply = await new Promise<number>((resolve, reject) => {
      const url = new URL(server.url);
      const req = request(
        { host: url.hostname, port: url.port, path: '/verify', headers: twice },
        (res) => {
          res.resume();
          resolve(res.statusCode!);
        },
      );
      req.on('error', reject);
      req.end();
    });
    expect(reply).toBe(401);
  });

  it('hands a refusal over with its outcome, so the app need not look again', async () => {
    const unknown = mintSecret('pat').secret;
    const mistyped = `${unknown.slice(0, -1)}${unknown.endsWith('a') ? 'b' : 'a'}`;
    for (const [secret, reason] of [
      [unknown, 'unknown'],
      [mistyped, 'malformed'],
    ] as const) {
      handed.length = 0;
      expect(await send('GET', '/verify', { authorization: `Bearer ${secret}` })).toBe(299);
      expect(handed).toEqual([{ method: 'GET', url: '/verify', reason }]);
    }
  });

  it('hands a failing database over to the app, which reports it', async () => {
    const down = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    const db = new Proxy(server.services.db, {
      get: (target, key, receiver) =>
        key === 'executeQuery' ? () => Promise.reject(down) : Reflect.get(target, key, receiver),
    });
    await new Promise<void>((resolve) => side.close(() => resolve()));
    await startSide({ ...server.services, db });
    handed.length = 0;
    expect(await send('GET', '/verify', { authorization: `Bearer ${pat}` })).toBe(299);
    expect(handed).toEqual([{ method: 'GET', url: '/verify', reason: undefined }]);
  });
});

describe('a fault inside the fast path', () => {
  it('is logged, never an unhandled rejection, and the next request is served', async () => {
    const lines: string[] = [];
    const logger = createLogger('info', { write: (line: string) => lines.push(line) });
    // The request line is written after the answer: a logger that throws there is a fault
    // after the headers went out, the hardest case to clean up after.
    const broken = Object.create(logger) as typeof logger;
    broken.info = () => {
      throw new Error('log sink broke');
    };
    const app = (_req: IncomingMessage, res: ServerResponse) => res.writeHead(299).end();
    const side = createServer(withFastVerify({ ...server.services, logger: broken }, app));
    await new Promise<void>((resolve) => side.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(side.address() as AddressInfo).port}`;
    try {
      // The answer was complete before the fault: the client has it; the connection is closed.
      expectStatus(await call({ url }, 'GET', '/verify', { token: pat }), 200);
      const errors = lines.map((l) => JSON.parse(l)).filter((l) => l.level === 'error');
      expect(errors).toMatchObject([
        { msg: 'verify fast path failed', err: { message: 'log sink broke' } },
      ]);
      expectStatus(await call({ url }, 'GET', '/verify', { token: pat }), 200);
      expect(lines.filter((l) => l.includes('verify fast path failed'))).toHaveLength(2);
    } finally {
      await new Promise<void>((resolve) => side.close(() => resolve()));
    }
  });
});

describe('the request line', () => {
  it('masks a secret pasted into a path, with its prefix or without', async () => {
    const bare = await call(server, 'GET', `/tokens/${pat.slice('abs_pat_'.length)}`, {
      token: session,
    });
    const bareId = bare.headers.get('x-request-id');
    const bareLine = server.logs.find((l) => l.includes(`"reqId":"${bareId}"`));
    expect(JSON.parse(bareLine!).path).toBe('/tokens/[redacted]');

    const reply = await call(server, 'GET', `/tokens/${pat}`, { token: session });
    const id = reply.headers.get('x-request-id');
    const line = server.logs.find((l) => l.includes(`"reqId":"${id}"`) && l.includes('request'));
    expect(JSON.parse(line!).path).toBe('/tokens/abs_pat_[redacted]');
    expect(server.logs.join('\n')).not.toContain(pat);
  });
});
