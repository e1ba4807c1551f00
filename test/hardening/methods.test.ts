import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webBundle } from '../../src/routes/dashboard-assets.js';
import { expectChainsIntact, expectUnchanged, snapshot } from './digest.js';
import { send, sendBytes, statusOf } from './http.js';
import { expectDeliberate, requestFor, RUNS, SEED } from './runner.js';
import { ROUTES } from './routes.js';
import { startWorld, type World } from './world.js';

const METHODS = ['GET', 'HEAD', 'OPTIONS', 'POST', 'PUT', 'PATCH', 'DELETE', 'TRACE', 'PROPFIND'];

let world: World;
beforeAll(async () => {
  world = await startWorld();
});
afterAll(() => world?.stop());

describe('any method on any route', () => {
  it('is answered deliberately, and a refused one changes nothing', async () => {
    // Each route's generated request, sent with a method the route may not have.
    const anyRoute = fc.constantFrom(...ROUTES.filter((route) => !route.consumesCredential));
    const request = anyRoute.chain((route) =>
      fc.tuple(requestFor(route, world), fc.constantFrom(...METHODS)),
    );
    await fc.assert(
      fc.asyncProperty(request, async ([generated, method]) => {
        const sent = { ...generated, method };
        const before = await snapshot(world.server.services.db);
        const reply = await send(world.server, sent);
        expectDeliberate(reply, sent);
        if (reply.status >= 400) {
          expectUnchanged(before, await snapshot(world.server.services.db), method);
        }
      }),
      { numRuns: RUNS * 4, seed: SEED },
    );
    const health = await send(world.server, { method: 'GET', path: '/health' });
    expect(health.status).toBe(200);
    await expectChainsIntact(world.server.services.db);
  });
});

describe('a known path asked with a method it does not answer', () => {
  const cases: [method: string, path: string, allow: string][] = [
    ['POST', '/verify', 'GET, HEAD'],
    ['DELETE', '/login', 'POST'],
    ['HEAD', '/login', 'POST'],
    ['PUT', '/tokens/tok_0123456789abcdef', 'DELETE'],
    ['GET', '/logout', 'POST'],
    ['GET', '/admin/tokens/tok_0123456789abcdef/rotate', 'POST'],
    ['PATCH', '/health', 'GET, HEAD'],
  ];

  it.each(cases)('%s %s is a 405 that lists what the path allows', async (method, path, allow) => {
    const reply = await send(world.server, { method, path });
    expect(reply.status).toBe(405);
    expect(reply.headers.allow).toBe(allow);
    if (method === 'HEAD') return;
    expect(reply.headers['content-type']).toBe('application/problem+json');
    const problem = JSON.parse(reply.text);
    expect(problem).toMatchObject({ status: 405, code: 'method_not_allowed' });
    expect(problem.detail).toBe(`${method} is not allowed on ${path}; it answers ${allow}.`);
  });

  it('is still a 404 when no method answers the path', async () => {
    for (const [method, path] of [
      ['POST', '/nowhere'],
      ['DELETE', '/tokens/tok_0123456789abcdef/extra'],
      ['GET', '/nowhere/at/all'],
      // A trailing slash is another path, which nothing answers.
      ['GET', '/verify/'],
      ['POST', '/login/'],
      ['GET', '/tokens/'],
    ] as const) {
      const reply = await send(world.server, { method, path });
      expect(reply.status, `${method} ${path}`).toBe(404);
      expect(reply.headers.allow).toBeUndefined();
      expect(JSON.parse(reply.text)).toMatchObject({ status: 404, code: 'not_found' });
    }
  });

  it('under /v1, is 401 without a token whatever the path, and 404 or 405 with one', async () => {
    const cases = [
      ['GET', '/v1/nothing', 404],
      ['POST', '/v1/events', 404],
      ['GET', '/v1/events/query', 405],
    ] as const;
    for (const [method, path, known] of cases) {
      const anonymous = await send(world.server, { method, path });
      expect(anonymous.status, `${method} ${path}`).toBe(401);
      expect(anonymous.headers.allow).toBeUndefined();
      const authorization = `Bearer ${world.operatorPat}`;
      const holder = await send(world.server, { method, path, headers: { authorization } });
      expect(holder.status, `${method} ${path} with a token`).toBe(known);
    }
  });
});

describe('HEAD', () => {
  /** Headers that differ between any two answers. */
  const PER_ANSWER = new Set(['date', 'x-request-id']);
  const stable = (headers: Record<string, unknown>) =>
    Object.fromEntries(Object.entries(headers).filter(([name]) => !PER_ANSWER.has(name)));

  it('answers the headers GET answers, Content-Length included, and no body', async () => {
    const asset = [...webBundle().assets.keys()][0]!;
    const bearer = { authorization: `Bearer ${world.operatorPat}` };
    const cases: Array<[path: string, headers: Record<string, string>, status: number]> = [
      ['/health', {}, 200],
      ['/me', bearer, 200],
      ['/me', {}, 401],
      ['/', { accept: 'text/html' }, 200],
      [`/assets/${asset}`, {}, 200],
      ['/assets/missing.js', {}, 404],
      ['/nowhere', {}, 404],
      ['/login', {}, 405],
    ];
    for (const [path, headers, status] of cases) {
      const get = await send(world.server, { method: 'GET', path, headers });
      const head = await send(world.server, { method: 'HEAD', path, headers });
      expect([get.status, head.status], path).toEqual([status, status]);
      const length = String(Buffer.byteLength(get.text));
      expect(get.headers['content-length'], path).toBe(length);
      expect(stable(head.headers), path).toEqual(stable(get.headers));
      // Not one byte after the headers, seen on the wire rather than through a client.
      const lines = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`);
      const raw = await sendBytes(
        world.server,
        `HEAD ${path} HTTP/1.1\r\nhost: 127.0.0.1\r\nconnection: close\r\n${lines.join('')}\r\n`,
      );
      expect(statusOf(raw), path).toBe(status);
      expect(raw.toLowerCase(), path).toContain(`\r\ncontent-length: ${length}\r\n`);
      expect(raw.endsWith('\r\n\r\n'), path).toBe(true);
    }
  });
});
