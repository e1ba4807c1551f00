import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SESSION_IDLE_MS } from '../../src/auth/session-policy.js';
import { hashSecret } from '../../src/secrets.js';
import { call, expectStatus, login } from '../support/client.js';
import { ADMIN_EMAIL, startTestServer, type TestServer } from '../support/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

describe('sessions', () => {
  it('show the signed-in person on GET /me, as the documentation shows', async () => {
    const session = await login(server);
    const reply = await call(server, 'GET', '/me', { token: session });
    expectStatus(reply, 200);
    expect(reply.body).toMatchObject({
      id: expect.stringMatching(/^usr_/),
      email: ADMIN_EMAIL,
      name: 'Administrator',
      avatar: null,
      role: 'admin',
      provider: 'password',
      hasPassword: true,
      organization: { id: expect.stringMatching(/^org_/), name: 'Default organization' },
    });
  });

  it('are stored only as hashes', async () => {
    const session = await login(server);
    const row = await server.services.db
      .selectFrom('sessions')
      .selectAll()
      .where('secret_hash', '=', hashSecret(session))
      .executeTakeFirstOrThrow();
    expect(JSON.stringify(row)).not.toContain(session);
  });

  it('die at once on POST /logout, for the bearer and for the cookie alike', async () => {
    const session = await login(server);
    expectStatus(await call(server, 'POST', '/logout', { token: session }), 204);
    const bearer = await call(server, 'GET', '/me', { token: session });
    expectStatus(bearer, 401);
    expect(bearer.body.detail).toMatch(/ended/);
    const cookie = await call(server, 'GET', '/me', {
      headers: { cookie: `abs_session=${session}` },
    });
    expectStatus(cookie, 401);
  });

  it('expire after the idle limit without a request', async () => {
    const session = await login(server);
    await server.services.db
      .updateTable('sessions')
      .set({ last_seen_at: Date.now() - SESSION_IDLE_MS - 1000 })
      .where('secret_hash', '=', hashSecret(session))
      .execute();
    const reply = await call(server, 'GET', '/me', { token: session });
    expectStatus(reply, 401);
    expect(reply.body.detail).toMatch(/expired/);
  });

  it('expire at the absolute limit however active they are', async () => {
    const session = await login(server);
    await server.services.db
      .updateTable('sessions')
      .set({ expires_at: Date.now() - 1 })
      .where('secret_hash', '=', hashSecret(session))
      .execute();
    expectStatus(await call(server, 'GET', '/me', { token: session }), 401);
  });

  it('read by cookie, but a state change by cookie needs the CSRF token', async () => {
    const signIn = await call(server, 'POST', '/login', {
      json: { email: ADMIN_EMAIL, password: 'correct horse battery staple' },
    });
    const cookie = `abs_session=${signIn.body.token}`;
    expectStatus(await call(server, 'GET', '/me', { headers: { cookie } }), 200);
    const forged = await call(server, 'POST', '/token', {
      headers: { cookie, origin: 'https://evil.example' },
      json: {},
    });
    expectStatus(forged, 403);
    expect(forged.body.code).toBe('csrf_failed');
    const missing = await call(server, 'POST', '/token', { headers: { cookie }, json: {} });
    expectStatus(missing, 403);
    const ok = await call(server, 'POST', '/token', {
      headers: { cookie, 'x-csrf-token': signIn.body.csrfToken, origin: server.url },
      json: {},
    });
    expectStatus(ok, 201);
  });

  it('refuse a PAT planted in the session cookie', async () => {
    const session = await login(server);
    const pat = (await call(server, 'POST', '/token', { token: session, json: {} })).body
      .accessToken;
    const reply = await call(server, 'GET', '/verify', {
      headers: { cookie: `abs_session=${pat}` },
    });
    expectStatus(reply, 401);
    expect(reply.body.active).toBe(false);
  });

  it('set a cookie that lives until the absolute expiry, not the idle one', async () => {
    const reply = await call(server, 'POST', '/login', {
      json: { email: ADMIN_EMAIL, password: 'correct horse battery staple' },
    });
    const expires = /Expires=([^;]+)/i.exec(reply.headers.get('set-cookie') ?? '')?.[1];
    const days = (Date.parse(expires ?? '') - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(6.9);
    expect(days).toBeLessThanOrEqual(7);
  });

  it('cannot be ended with a PAT', async () => {
    const session = await login(server);
    const pat = (await call(server, 'POST', '/token', { token: session, json: {} })).body
      .accessToken;
    const reply = await call(server, 'POST', '/logout', { token: pat });
    expectStatus(reply, 403);
    expectStatus(await call(server, 'GET', '/me', { token: session }), 200);
  });
});

describe('service basics', () => {
  it('reports health with the version and the database check', async () => {
    const reply = await call(server, 'GET', '/health');
    expectStatus(reply, 200);
    expect(reply.body).toMatchObject({ status: 'ok', version: expect.any(String) });
    expect(reply.body.checks.database).toBe('ok');
  });

  it('answers unknown routes with a 404 problem', async () => {
    const reply = await call(server, 'GET', '/no/such/route');
    expectStatus(reply, 404);
    expect(reply.headers.get('content-type')).toBe('application/problem+json');
    expect(reply.body).toMatchObject({ status: 404, code: 'not_found', title: 'Not Found' });
  });

  it('sends security headers and a request id on every answer', async () => {
    const reply = await call(server, 'GET', '/health');
    expect(reply.headers.get('x-content-type-options')).toBe('nosniff');
    expect(reply.headers.get('x-frame-options')).toBe('DENY');
    expect(reply.headers.get('x-request-id')).toMatch(/^req_/);
    expect(reply.headers.get('access-control-allow-origin')).toBeNull();
  });
});
