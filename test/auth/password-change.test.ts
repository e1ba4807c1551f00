import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ACCOUNT_POLICY } from '../../src/auth/throttle.js';
import { verifyPassword } from '../../src/passwords.js';
import { call, expectStatus, issuePat, login } from '../support/client.js';
import { makeOrg, makeUser } from '../support/fixtures.js';
import { startTestServer, type TestServer } from '../support/server.js';

// The clock is the test's: throttling is measured in seconds, and a slow machine must not turn
// a wait the test expects into one that already ran out.
let server: TestServer;
let clock: number;
beforeAll(async () => {
  server = await startTestServer();
  server.services.now = () => clock;
});
beforeEach(() => {
  clock = Date.now();
});
afterAll(() => server.stop());

const NEW_PASSWORD = 'a brand new long passphrase';

/** A person of a fresh organization, signed in twice (two devices). */
async function person() {
  const org = await makeOrg(server.services, `Passwords ${Math.random()}`);
  const { user, email, password } = await makeUser(server.services, org.id, 'operator');
  const here = await login(server, email, password);
  const elsewhere = await login(server, email, password);
  return { user, email, password, here, elsewhere };
}

function changePassword(token: string, json: unknown, headers: Record<string, string> = {}) {
  return call(server, 'POST', '/me/password', { token, json, headers });
}

async function storedHash(userId: string): Promise<string | null> {
  const row = await server.services.db
    .selectFrom('users')
    .select('password_hash')
    .where('id', '=', userId)
    .executeTakeFirstOrThrow();
  return row.password_hash;
}

async function passwordAudit(userId: string) {
  return server.services.db
    .selectFrom('audit_entries')
    .selectAll()
    .where('action', '=', 'user.password_changed')
    .where('target_id', '=', userId)
    .orderBy('seq')
    .execute();
}

const signIn = (email: string, password: string) =>
  call(server, 'POST', '/login', { json: { email, password } });

describe('POST /me/password', () => {
  it('changes the password, ends the other sessions and keeps this one', async () => {
    const p = await person();
    const pat = await issuePat(server, p.here, { name: 'ci' });
    const reply = await changePassword(p.here, {
      currentPassword: p.password,
      newPassword: NEW_PASSWORD,
    });
    expectStatus(reply, 204);
    expect(reply.text).toBe('');

    expect(await verifyPassword((await storedHash(p.user.id))!, NEW_PASSWORD)).toBe(true);
    expectStatus(await call(server, 'GET', '/me', { token: p.here }), 200);
    const other = await call(server, 'GET', '/me', { token: p.elsewhere });
    expectStatus(other, 401);
    expect(other.body.code).toBe('invalid_token');
    // A Personal Access Token is not a session: it outlives the change.
    expectStatus(await call(server, 'GET', '/verify', { token: pat }), 200);

    const old = await signIn(p.email, p.password);
    expectStatus(old, 401);
    expect(old.body.code).toBe('invalid_credentials');
    expectStatus(await signIn(p.email, NEW_PASSWORD), 200);

    const entries = await passwordAudit(p.user.id);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      org_id: p.user.orgId,
      actor_type: 'user',
      actor_id: p.user.id,
      target_type: 'user',
      outcome: 'success',
      ip: '127.0.0.1',
    });
    expect(JSON.parse(entries[0]!.details)).toEqual({ sessionsEnded: 1 });
    const stored = JSON.stringify(entries[0]);
    expect(stored).not.toContain(p.password);
    expect(stored).not.toContain(NEW_PASSWORD);
  });

  it('refuses a wrong current password with 403 and changes nothing', async () => {
    const p = await person();
    const before = await storedHash(p.user.id);
    const reply = await changePassword(p.here, {
      currentPassword: 'not the password at all',
      newPassword: NEW_PASSWORD,
    });
    expectStatus(reply, 403);
    expect(reply.headers.get('content-type')).toContain('application/problem+json');
    expect(reply.body).toMatchObject({ status: 403, code: 'invalid_credentials' });

    expect(await storedHash(p.user.id)).toBe(before);
    expectStatus(await call(server, 'GET', '/me', { token: p.elsewhere }), 200);
    expectStatus(await signIn(p.email, p.password), 200);
    const entries = await passwordAudit(p.user.id);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ outcome: 'failure', actor_id: p.user.id });
    expect(JSON.parse(entries[0]!.details)).toEqual({ reason: 'wrong_current_password' });
    expect(JSON.stringify(entries[0])).not.toContain('not the password at all');
  });

  it('throttles wrong current passwords like failed sign-ins of the same account', async () => {
    const p = await person();
    const wrong = { currentPassword: 'guess number one', newPassword: NEW_PASSWORD };
    for (let n = 0; n < ACCOUNT_POLICY.freeFailures; n += 1) {
      expectStatus(await changePassword(p.here, wrong), 403);
    }
    const right = { currentPassword: p.password, newPassword: NEW_PASSWORD };
    const throttled = await changePassword(p.here, right);
    expectStatus(throttled, 429);
    expect(throttled.body).toMatchObject({ code: 'too_many_attempts', retryAfter: 1 });
    expect(throttled.body.detail).toBe('Too many wrong passwords. Try again in 1 second.');
    expect(throttled.headers.get('retry-after')).toBe('1');
    // One counter per account: the sign-in form waits just as long.
    const login = await signIn(p.email, p.password);
    expectStatus(login, 429);
    expect(await verifyPassword((await storedHash(p.user.id))!, p.password)).toBe(true);

    clock += 1000;
    expectStatus(await changePassword(p.here, right), 204);
  });

  it('refuses a weak or unchanged new password with 400 naming newPassword', async () => {
    const p = await person();
    const before = await storedHash(p.user.id);
    const cases = [
      { newPassword: 'short', detail: /^newPassword: must be at least 12 characters/ },
      { newPassword: p.password, detail: /^newPassword: must differ/ },
      { newPassword: 'x'.repeat(257), detail: /^newPassword: / },
    ];
    for (const { newPassword, detail } of cases) {
      const reply = await changePassword(p.here, { currentPassword: p.password, newPassword });
      expectStatus(reply, 400);
      expect(reply.body.code).toBe('validation_failed');
      expect(reply.body.detail).toMatch(detail);
      expect(reply.body.errors[0].field).toBe('newPassword');
    }
    const missing = await changePassword(p.here, { currentPassword: p.password });
    expectStatus(missing, 400);
    expect(missing.body.detail).toMatch(/^newPassword: /);
    expect(await storedHash(p.user.id)).toBe(before);
    expectStatus(await call(server, 'GET', '/me', { token: p.elsewhere }), 200);
    expect(await passwordAudit(p.user.id)).toEqual([]);
  });

  it('refuses a Personal Access Token with 403 session_required', async () => {
    const p = await person();
    const pat = await issuePat(server, p.here, { name: 'ci' });
    const reply = await changePassword(pat, {
      currentPassword: p.password,
      newPassword: NEW_PASSWORD,
    });
    expectStatus(reply, 403);
    expect(reply.body.code).toBe('session_required');
    expect(await verifyPassword((await storedHash(p.user.id))!, p.password)).toBe(true);
    expect(await passwordAudit(p.user.id)).toEqual([]);
  });

  it('refuses an anonymous request with 401', async () => {
    const reply = await call(server, 'POST', '/me/password', {
      json: { currentPassword: 'whatever it is', newPassword: NEW_PASSWORD },
    });
    expectStatus(reply, 401);
    expect(reply.body.code).toBe('missing_token');
  });

  it('needs the CSRF token when the session comes as the dashboard cookie', async () => {
    const p = await person();
    const me = await call(server, 'GET', '/me', { token: p.here });
    const cookie = { cookie: `abs_session=${p.here}` };
    const json = { currentPassword: p.password, newPassword: NEW_PASSWORD };
    const forged = await call(server, 'POST', '/me/password', { json, headers: cookie });
    expectStatus(forged, 403);
    expect(forged.body.code).toBe('csrf_failed');
    expect(await verifyPassword((await storedHash(p.user.id))!, p.password)).toBe(true);

    const headers = { ...cookie, 'x-csrf-token': me.body.csrfToken as string };
    expectStatus(await call(server, 'POST', '/me/password', { json, headers }), 204);
    expect(await verifyPassword((await storedHash(p.user.id))!, NEW_PASSWORD)).toBe(true);
  });

  it('refuses an account without a password with 409 no_password', async () => {
    const p = await person();
    await server.services.db
      .updateTable('users')
      .set({ password_hash: null })
      .where('id', '=', p.user.id)
      .execute();
    const reply = await changePassword(p.here, {
      currentPassword: p.password,
      newPassword: NEW_PASSWORD,
    });
    expectStatus(reply, 409);
    expect(reply.body.code).toBe('no_password');
    expect(await storedHash(p.user.id)).toBeNull();
  });
});
