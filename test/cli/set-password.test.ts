import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyPassword } from '../../src/passwords.js';
import { call, expectStatus, issuePat, login } from '../support/client.js';
import { makeOrg, makeUser } from '../support/fixtures.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { runCli } from './run.js';

// The account manager's password reset, run as a separate process on the server's database.

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

const NEW_PASSWORD = 'reset by the account manager';
const setPassword = (id: string, stdin: string) =>
  runCli(server.databaseUrl, ['user', 'set-password', id, '--password-stdin'], stdin);

async function person() {
  const org = await makeOrg(server.services, `Reset ${Math.random()}`);
  const made = await makeUser(server.services, org.id, 'viewer');
  const sessions = [
    await login(server, made.email, made.password),
    await login(server, made.email, made.password),
  ];
  return { ...made, sessions };
}

async function storedHash(userId: string) {
  const row = await server.services.db
    .selectFrom('users')
    .select('password_hash')
    .where('id', '=', userId)
    .executeTakeFirstOrThrow();
  return row.password_hash;
}

const passwordAudit = (userId: string) =>
  server.services.db
    .selectFrom('audit_entries')
    .selectAll()
    .where('action', '=', 'user.password_changed')
    .where('target_id', '=', userId)
    .execute();

describe('abs-auth user set-password', { timeout: 60_000 }, () => {
  it('sets the password and ends every session of the user', async () => {
    const p = await person();
    const pat = await issuePat(server, p.sessions[0]!, { name: 'ci' });
    const run = await setPassword(p.user.id, `${NEW_PASSWORD}\n`);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toBe(`password set for ${p.user.id}; 2 sessions ended\n`);

    for (const session of p.sessions) {
      const me = await call(server, 'GET', '/me', { token: session });
      expectStatus(me, 401);
    }
    // Tokens are not sessions: the reset leaves them to `token revoke`.
    expectStatus(await call(server, 'GET', '/verify', { token: pat }), 200);
    const old = await call(server, 'POST', '/login', {
      json: { email: p.email, password: p.password },
    });
    expectStatus(old, 401);
    await login(server, p.email, NEW_PASSWORD);

    const entries = await passwordAudit(p.user.id);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ actor_type: 'cli', actor_id: 'cli', outcome: 'success' });
    expect(JSON.parse(entries[0]!.details)).toEqual({ sessionsEnded: 2 });
    expect(JSON.stringify(entries[0])).not.toContain(NEW_PASSWORD);
  });

  it('refuses a weak password with exit code 2 and changes nothing', async () => {
    const p = await person();
    const before = await storedHash(p.user.id);
    const run = await setPassword(p.user.id, 'short\n');
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/password: must be at least 12 characters/);
    expect(await storedHash(p.user.id)).toBe(before);
    expectStatus(await call(server, 'GET', '/me', { token: p.sessions[0] }), 200);
    expect(await passwordAudit(p.user.id)).toEqual([]);
  });

  it('names an unknown user with exit code 3', async () => {
    const run = await setPassword('usr_doesnotexist00', `${NEW_PASSWORD}\n`);
    expect(run.code).toBe(3);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/no user usr_doesnotexist00/);
  });

  it('will not take the password from anywhere but stdin', async () => {
    const p = await person();
    const run = await runCli(server.databaseUrl, ['user', 'set-password', p.user.id], NEW_PASSWORD);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/--password-stdin/);
    expect(await verifyPassword((await storedHash(p.user.id))!, p.password)).toBe(true);
  });
});
