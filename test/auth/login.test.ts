import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, expectStatus, login } from '../support/client.js';
import { adminOrgId } from '../support/client.js';
import { curl } from '../support/curl.js';
import { makeUser } from '../support/fixtures.js';
import {
  ADMIN_EMAIL,
  ADMIN_PASSWORD,
  startTestServer,
  type TestServer,
} from '../support/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

describe('POST /login', () => {
  it('signs in with email and password and returns a session and the profile', async () => {
    const reply = await call(server, 'POST', '/login', {
      json: { email: ADMIN_EMAIL, password: ADMIN_PASSWORD },
    });
    expectStatus(reply, 200);
    expect(reply.body.token).toMatch(/^abs_ses_[0-9A-Za-z]{38}$/);
    expect(Date.parse(reply.body.expiresAt)).toBeGreaterThan(Date.now());
    expect(reply.body.user).toMatchObject({
      email: ADMIN_EMAIL,
      role: 'admin',
      provider: 'password',
      hasPassword: true,
      organization: { id: await adminOrgId(server) },
    });
    const cookie = reply.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/abs_session=abs_ses_/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).not.toMatch(/Secure/i);
    expect(reply.headers.get('cache-control')).toBe('no-store');
  });

  it('treats the email case-insensitively and trims it', async () => {
    const token = await login(server, `  ${ADMIN_EMAIL.toUpperCase()} `, ADMIN_PASSWORD);
    expect(token).toMatch(/^abs_ses_/);
  });

  it('answers an unknown email and a wrong password with the same 401 body', async () => {
    const unknown = await call(server, 'POST', '/login', {
      json: { email: 'nobody@example.test', password: 'whatever-password' },
    });
    const wrong = await call(server, 'POST', '/login', {
      json: { email: ADMIN_EMAIL, password: 'wrong-password-here' },
    });
    expectStatus(unknown, 401);
    expectStatus(wrong, 401);
    expect(unknown.body.code).toBe('invalid_credentials');
    expect(wrong.text).toBe(unknown.text);
    expect(unknown.headers.get('content-type')).toBe('application/problem+json');
  });

  it('refuses a megabyte password with a 400 before any hashing', async () => {
    const reply = await call(server, 'POST', '/login', {
      json: { email: ADMIN_EMAIL, password: 'x'.repeat(60_000) },
    });
    expectStatus(reply, 400);
    expect(reply.body.detail).toMatch(/^password:/);
    const dir = mkdtempSync(join(tmpdir(), 'abs-big-'));
    const file = join(dir, 'body.json');
    writeFileSync(file, JSON.stringify({ email: ADMIN_EMAIL, password: 'x'.repeat(1_000_000) }));
    const huge = await curl([
      '-X',
      'POST',
      `${server.url}/login`,
      '-H',
      'content-type: application/json',
      '--data-binary',
      `@${file}`,
    ]);
    expect(huge.status, huge.body).toBe(413);
    expect(JSON.parse(huge.body).code).toBe('body_too_large');
  });

  it('names the field that failed validation', async () => {
    const reply = await call(server, 'POST', '/login', { json: { email: 'not-an-email' } });
    expectStatus(reply, 400);
    expect(reply.body.code).toBe('validation_failed');
    expect(reply.body.errors.map((e: { field: string }) => e.field)).toEqual(
      expect.arrayContaining(['email', 'password']),
    );
  });

  it('names only the type when a field has the wrong one, not rules of the type sent', async () => {
    const reply = await call(server, 'POST', '/login', {
      json: { email: 'someone@example.test', password: [] },
    });
    expectStatus(reply, 400);
    expect(reply.body.errors).toEqual([
      { field: 'password', message: 'Invalid input: expected string, received array' },
    ]);
  });

  it('refuses a body that is not JSON with 415, and broken JSON with 400', async () => {
    const form = await call(server, 'POST', '/login', {
      body: 'email=a&password=b',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expectStatus(form, 415);
    expect(form.body.code).toBe('unsupported_media_type');
    const broken = await call(server, 'POST', '/login', {
      body: '{"email":',
      headers: { 'content-type': 'application/json' },
    });
    expectStatus(broken, 400);
    expect(broken.body.code).toBe('invalid_json');
  });

  it('does not let a disabled user sign in, with the same answer as a wrong password', async () => {
    const { user, email, password } = await makeUser(
      server.services,
      await adminOrgId(server),
      'viewer',
    );
    await server.services.db
      .updateTable('users')
      .set({ status: 'disabled' })
      .where('id', '=', user.id)
      .execute();
    const reply = await call(server, 'POST', '/login', { json: { email, password } });
    expectStatus(reply, 401);
    expect(reply.body.code).toBe('invalid_credentials');
  });
});

describe('sign-in throttling', () => {
  it('slows an account down after five failures with 429 and Retry-After', async () => {
    const { email, password } = await makeUser(server.services, await adminOrgId(server), 'viewer');
    for (let i = 0; i < 5; i++) {
      const reply = await call(server, 'POST', '/login', {
        json: { email, password: 'wrong-pass-' + i },
      });
      expectStatus(reply, 401);
    }
    const throttled = await call(server, 'POST', '/login', { json: { email, password } });
    expectStatus(throttled, 429);
    expect(throttled.body.code).toBe('too_many_attempts');
    const retryAfter = Number(throttled.headers.get('retry-after'));
    expect(Number.isInteger(retryAfter)).toBe(true);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
  });

  it('lets the real user in once the back-off has passed, and resets the count', async () => {
    const { email, password } = await makeUser(server.services, await adminOrgId(server), 'viewer');
    for (let i = 0; i < 5; i++) {
      await call(server, 'POST', '/login', { json: { email, password: 'wrong-pass-' + i } });
    }
    await new Promise((r) => setTimeout(r, 1100));
    await login(server, email, password);
    const after = await server.services.limits.readFailures(
      `login:account:${(await import('../../src/crypto/hash.js')).sha256Hex(email)}`,
    );
    expect(after).toBeUndefined();
  });
});
