import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, expectStatus, login } from '../support/client.js';
import { ADMIN_EMAIL, ADMIN_PASSWORD, startTestServer, type TestServer } from '../support/server.js';

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
    expect(reply.body.user).toMatchObject({ email: ADMIN_EMAIL, role: 'admin', provider: 'password' });
    const cookie = reply.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/abs_session=abs_ses_/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
  });

  it('treats the email case-insensitively and trims it', async () => {
    const token = await login(server, `  ${ADMIN_EMAIL.toUpperCase()} `, ADMIN_PASSWORD);
    expect(token).toMatch(/^abs_ses_/);
  });
});
