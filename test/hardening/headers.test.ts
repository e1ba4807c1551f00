import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PAGE_POLICY } from '../../src/routes/dashboard.js';
import { signInWithGithub, startGithubWorld, type GithubWorld } from '../github/browser.js';
import { githubPerson, provision } from '../github/helpers.js';
import { adminOrgId, call, expectStatus, login, type Reply } from '../support/client.js';
import { startTestServer, type TestServer } from '../support/server.js';

const API_POLICY = "default-src 'none'; frame-ancestors 'none'";

function expectBaseline(reply: { headers: Headers }, what: string): void {
  expect(reply.headers.get('x-content-type-options'), what).toBe('nosniff');
  expect(reply.headers.get('x-frame-options'), what).toBe('DENY');
  expect(reply.headers.get('referrer-policy'), what).toBe('no-referrer');
  expect(reply.headers.get('cross-origin-opener-policy'), what).toBe('same-origin');
  expect(reply.headers.get('content-security-policy'), what).toMatch(/frame-ancestors 'none'/);
}

let world: GithubWorld;
let server: TestServer;
let session: string;
beforeAll(async () => {
  world = await startGithubWorld();
  server = world.server;
  session = await login(server);
});
afterAll(() => world.stop());

describe('security headers', () => {
  it('are on every kind of answer: JSON, problems, 404, 413, pages and redirects', async () => {
    const replies: [string, Reply][] = [
      ['health', await call(server, 'GET', '/health')],
      ['401', await call(server, 'GET', '/me')],
      ['404', await call(server, 'GET', '/no/such/route')],
      ['413', await call(server, 'POST', '/login', { json: { email: 'x'.repeat(70_000) } })],
      ['page', await call(server, 'GET', '/', { headers: { accept: 'text/html' } })],
      ['github start', await call(server, 'GET', '/auth/github')],
    ];
    for (const [what, reply] of replies) expectBaseline(reply, what);
    expect(replies[0]![1].headers.get('content-security-policy')).toBe(API_POLICY);
    expect(replies[4]![1].headers.get('content-security-policy')).toBe(PAGE_POLICY);
  });

  it('include a strict policy on pages: own scripts only, no inline code, no framing', () => {
    expect(PAGE_POLICY).toContain("script-src 'self'");
    expect(PAGE_POLICY).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
    expect(PAGE_POLICY).toContain("object-src 'none'");
    expect(PAGE_POLICY).toContain("base-uri 'none'");
  });

  it('forbid caching of every answer that carries a secret or personal data', async () => {
    const signIn = await call(server, 'POST', '/login', {
      json: { email: 'admin@example.test', password: 'correct horse battery staple' },
    });
    const issued = await call(server, 'POST', '/token', { token: session, json: {} });
    expectStatus(issued, 201);
    const rotated = await call(server, 'POST', `/admin/tokens/${issued.body.tokenId}/rotate`, {
      token: session,
      json: {},
    });
    const white = await call(server, 'POST', `/admin/users/${signIn.body.user.id}/tokens`, {
      token: session,
      json: {},
    });
    const secretBearing: [string, Reply][] = [
      ['login', signIn],
      ['token', issued],
      ['rotate', rotated],
      ['white-glove token', white],
      ['me', await call(server, 'GET', '/me', { token: session })],
      ['verify', await call(server, 'GET', '/verify', { token: session })],
      ['tokens', await call(server, 'GET', '/tokens', { token: session })],
      ['github start', await call(server, 'GET', '/auth/github')],
    ];
    for (const [what, reply] of secretBearing) {
      expect(reply.status, `${what}: ${reply.text}`).toBeLessThan(400);
      expect(reply.headers.get('cache-control'), what).toBe('no-store');
    }
  });

  it('forbid caching of the GitHub callback that sets the session cookie', async () => {
    const email = 'headers-github@example.test';
    await provision(server, await adminOrgId(server), email);
    world.fake.reset(githubPerson(email));
    const run = await signInWithGithub(world.browser());
    expect(run.callback.status).toBe(302);
    expect(run.callback.setCookies.some((c) => c.startsWith('abs_session='))).toBe(true);
    expect(run.callback.headers.get('cache-control')).toBe('no-store');
    expectBaseline(run.callback, 'callback');
  });

  it('leave out HSTS when the public address is plain http', async () => {
    const reply = await call(server, 'GET', '/health');
    expect(reply.headers.get('strict-transport-security')).toBeNull();
  });
});

describe('HSTS and CORS by configuration', () => {
  let configured: TestServer;
  beforeAll(async () => {
    configured = await startTestServer({
      ABS_PUBLIC_URL: 'https://auth.example.test',
      ABS_CORS_ORIGINS: 'https://app.example.test, https://admin.example.test',
    });
  });
  afterAll(() => configured.stop());

  it('sends HSTS on every answer when the public address is https', async () => {
    for (const path of ['/health', '/me', '/nowhere']) {
      const reply = await call(configured, 'GET', path);
      expect(reply.headers.get('strict-transport-security'), path).toMatch(/^max-age=31536000/);
    }
  });

  it('allows a configured origin, without credentials', async () => {
    const reply = await call(configured, 'GET', '/health', {
      headers: { origin: 'https://app.example.test' },
    });
    expect(reply.headers.get('access-control-allow-origin')).toBe('https://app.example.test');
    expect(reply.headers.get('access-control-allow-credentials')).toBeNull();
    // A page may read the rate-limit state, the request id and why it was refused.
    expect(reply.headers.get('access-control-expose-headers')?.toLowerCase().split(',')).toEqual([
      'ratelimit',
      'ratelimit-policy',
      'retry-after',
      'www-authenticate',
      'x-request-id',
      'allow',
    ]);
    const preflight = await call(configured, 'OPTIONS', '/v1/events/query', {
      headers: {
        origin: 'https://admin.example.test',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization, content-type',
      },
    });
    expect(preflight.status).toBeLessThan(300);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('https://admin.example.test');
    // The methods some route answers, and no others.
    expect(preflight.headers.get('access-control-allow-methods')).toBe(
      'GET,HEAD,POST,PATCH,DELETE',
    );
    // The headers the API reads, whatever the preflight asked for.
    expect(preflight.headers.get('access-control-allow-headers')).toBe(
      'Authorization,Content-Type',
    );
    const asking = await call(configured, 'OPTIONS', '/v1/events/query', {
      headers: {
        origin: 'https://admin.example.test',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'x-anything, cookie',
      },
    });
    expect(asking.headers.get('access-control-allow-headers')).toBe('Authorization,Content-Type');
  });

  it('gives any other origin no CORS permission', async () => {
    for (const origin of [
      'https://evil.example',
      'null',
      'https://app.example.test.evil.example',
    ]) {
      const reply = await call(configured, 'GET', '/health', { headers: { origin } });
      expect(reply.headers.get('access-control-allow-origin'), origin).toBeNull();
      const preflight = await call(configured, 'OPTIONS', '/login', {
        headers: { origin, 'access-control-request-method': 'POST' },
      });
      expect(preflight.headers.get('access-control-allow-origin'), origin).toBeNull();
    }
  });

  it('stays closed to every origin when no origin is configured', async () => {
    const origin = 'https://app.example.test';
    const reply = await call(server, 'GET', '/health', { headers: { origin } });
    expect(reply.headers.get('access-control-allow-origin')).toBeNull();
    const preflight = await call(server, 'OPTIONS', '/login', {
      headers: { origin, 'access-control-request-method': 'POST' },
    });
    // No CORS handler answers OPTIONS: the route's 405, which a browser's preflight fails on.
    expect(preflight.status).toBe(405);
    expect(preflight.headers.get('allow')).toBe('POST');
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
    expect(preflight.headers.get('access-control-allow-methods')).toBeNull();
  });
});
