import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setUserPassword } from '../../src/auth/password-change.js';
import { call, expectStatus, login } from '../support/client.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { auditOf, firstAdmin, issueFor, member, otherOrg } from './setup.js';

let server: TestServer;
let admin: Awaited<ReturnType<typeof firstAdmin>>;
beforeAll(async () => {
  server = await startTestServer();
  admin = await firstAdmin(server);
});
afterAll(() => server.stop());

const stored = (id: string) =>
  server.services.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();

describe('GET /admin/users', () => {
  it('walks every user of the organization in pages and nobody of another one', async () => {
    for (let i = 0; i < 4; i++) await member(server, admin.orgId, 'viewer');
    const other = await otherOrg(server);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `?limit=2&cursor=${cursor}` : '?limit=2';
      const reply = await call(server, 'GET', `/admin/users${query}`, { token: admin.session });
      expectStatus(reply, 200);
      expect(reply.body.data.length).toBeLessThanOrEqual(2);
      for (const user of reply.body.data) {
        expect(user).not.toHaveProperty('passwordHash');
        seen.push(user.id);
      }
      cursor = reply.body.nextCursor;
    } while (cursor);
    const expected = await server.services.db
      .selectFrom('users')
      .select('id')
      .where('org_id', '=', admin.orgId)
      .execute();
    expect(seen.sort()).toEqual(expected.map((r) => r.id).sort());
    expect(seen).not.toContain(other.admin.id);
  });

  it.each(['0', '201', '-1', '1.5', 'ten', ''])(
    'refuses limit=%s with a 400 naming limit',
    async (limit) => {
      const reply = await call(server, 'GET', `/admin/users?limit=${limit}`, {
        token: admin.session,
      });
      expectStatus(reply, 400);
      expect(reply.headers.get('content-type')).toMatch(/application\/problem\+json/);
      expect(reply.body.code).toBe('validation_failed');
      expect(reply.body.detail).toMatch(/^limit:/);
    },
  );

  it('accepts the bounds 1 and 200', async () => {
    for (const limit of [1, 200]) {
      const reply = await call(server, 'GET', `/admin/users?limit=${limit}`, {
        token: admin.session,
      });
      expectStatus(reply, 200);
      expect(reply.body.data.length).toBeLessThanOrEqual(limit);
    }
  });

  it('refuses a cursor it did not hand out', async () => {
    const reply = await call(server, 'GET', '/admin/users?cursor=bm90LWEtY3Vyc29y', {
      token: admin.session,
    });
    expectStatus(reply, 400);
    // As the event query refuses one: the same code for the same mistake.
    expect(reply.body).toMatchObject({
      code: 'invalid_cursor',
      detail: 'cursor: not a cursor this API handed out.',
    });
  });
});

describe('POST /admin/users', () => {
  it('creates an audited user in the caller organization and ignores other fields', async () => {
    const other = await otherOrg(server);
    const reply = await call(server, 'POST', '/admin/users', {
      token: admin.session,
      json: {
        email: ' New.Person@Example.TEST ',
        role: 'operator',
        name: 'New Person',
        password: 'a long enough password',
        orgId: other.orgId,
        status: 'disabled',
        provider: 'github',
        id: 'usr_chosenbyclient1',
      },
    });
    expectStatus(reply, 201);
    expect(reply.body.user).toMatchObject({
      email: 'new.person@example.test',
      role: 'operator',
      name: 'New Person',
      status: 'active',
      provider: 'password',
      hasPassword: true,
    });
    const row = await stored(reply.body.user.id);
    expect(row).toMatchObject({ org_id: admin.orgId, status: 'active' });
    expect(row!.id).not.toBe('usr_chosenbyclient1');
    expect(await login(server, 'new.person@example.test', 'a long enough password')).toBeTruthy();
    const [entry] = (await auditOf(server, admin.orgId, 'user.created')).filter(
      (e) => e.target_id === row!.id,
    );
    expect(entry).toMatchObject({ actor_type: 'user', actor_id: admin.id });
    expect(JSON.stringify(entry!.details)).not.toContain('a long enough password');
  });

  it('refuses an email that exists in any case with 409', async () => {
    const taken = await member(server, admin.orgId, 'viewer');
    const reply = await call(server, 'POST', '/admin/users', {
      token: admin.session,
      json: { email: taken.email.toUpperCase(), role: 'viewer' },
    });
    expectStatus(reply, 409);
    expect(reply.body.code).toBe('email_taken');
  });

  it('refuses control characters in a name, on every database alike', async () => {
    const reply = await call(server, 'POST', '/admin/users', {
      token: admin.session,
      json: { email: 'nul-name@example.test', role: 'viewer', name: 'Ada\u0000Lovelace' },
    });
    expectStatus(reply, 400);
    expect(reply.body.detail).toMatch(/^name: must not contain control characters/);
  });

  it.each([
    [
      'a right-to-left override',
      'Ada\u202Eecalevol',
      /^name: must not contain characters that change/,
    ],
    ['a lone surrogate', 'Ada\ud800', /^name: must not contain a lone surrogate/],
  ])('refuses %s in a name, creating no one', async (_title, name, detail) => {
    const email = `odd-${name.length}-${name.charCodeAt(3)}@example.test`;
    const reply = await call(server, 'POST', '/admin/users', {
      token: admin.session,
      json: { email, role: 'viewer', name },
    });
    expectStatus(reply, 400);
    expect(reply.body.detail).toMatch(detail);
    const listed = await call(server, 'GET', '/admin/users?limit=200', { token: admin.session });
    expect(listed.body.data.map((u: { email: string }) => u.email)).not.toContain(email);
  });

  it('creates a user without a password who cannot sign in with one', async () => {
    const reply = await call(server, 'POST', '/admin/users', {
      token: admin.session,
      json: { email: 'github.only@example.test', role: 'viewer' },
    });
    expectStatus(reply, 201);
    expect(reply.body.user.hasPassword).toBe(false);
    expect((await stored(reply.body.user.id))!.password_hash).toBeNull();
    const attempt = await call(server, 'POST', '/login', {
      json: { email: 'github.only@example.test', password: 'anything at all here' },
    });
    expectStatus(attempt, 401);
  });

  it('shows no provider for a user without a password until one is set', async () => {
    const created = await call(server, 'POST', '/admin/users', {
      token: admin.session,
      json: { email: 'not.yet@example.test', role: 'operator' },
    });
    expectStatus(created, 201);
    const id = created.body.user.id as string;
    const none = { provider: null, hasPassword: false, githubLinked: false };
    expect(created.body.user).toMatchObject(none);
    const one = await call(server, 'GET', `/admin/users/${id}`, { token: admin.session });
    expectStatus(one, 200);
    expect(one.body.user).toMatchObject(none);
    const listed = await call(server, 'GET', '/admin/users?limit=200', { token: admin.session });
    expect(listed.body.data.find((u: { id: string }) => u.id === id)).toMatchObject(none);
    // A token is how such a user reaches /me before they can sign in at all.
    const { accessToken } = await issueFor(server, admin.session, id);
    const me = await call(server, 'GET', '/me', { token: accessToken });
    expectStatus(me, 200);
    expect(me.body).toMatchObject({ id, provider: null });

    // The account manager sets a first password: from then on the user signs in with it.
    const set = await setUserPassword(server.services, id, 'a first password set later', {
      type: 'cli',
    });
    expect(set.ok).toBe(true);
    await login(server, 'not.yet@example.test', 'a first password set later');
    const after = await call(server, 'GET', '/me', { token: accessToken });
    expect(after.body.provider).toBe('password');
    const viewed = await call(server, 'GET', `/admin/users/${id}`, { token: admin.session });
    expect(viewed.body.user).toMatchObject({ provider: 'password', hasPassword: true });
  });

  it.each([
    [{ role: 'viewer' }, 'email'],
    [{ email: 'not-an-email', role: 'viewer' }, 'email'],
    [{ email: 'x@example.test' }, 'role'],
    [{ email: 'x@example.test', role: 'owner' }, 'role'],
    [{ email: 'x@example.test', role: 'viewer', password: 'short' }, 'password'],
    [{ email: 'x@example.test', role: 'viewer', name: '' }, 'name'],
  ])('refuses %j with a 400 naming %s', async (json, field) => {
    const reply = await call(server, 'POST', '/admin/users', { token: admin.session, json });
    expectStatus(reply, 400);
    expect(reply.body.detail).toMatch(new RegExp(`^${field}:`));
    expect(
      await server.services.db
        .selectFrom('users')
        .select('id')
        .where('email', '=', 'x@example.test')
        .executeTakeFirst(),
    ).toBeUndefined();
  });
});

describe('GET and PATCH /admin/users/:id', () => {
  it('reads one user of the organization', async () => {
    const someone = await member(server, admin.orgId, 'operator');
    const reply = await call(server, 'GET', `/admin/users/${someone.id}`, { token: admin.session });
    expectStatus(reply, 200);
    expect(reply.body.user).toMatchObject({
      id: someone.id,
      email: someone.email,
      role: 'operator',
    });
  });

  it('answers 404 for a user of another organization, on every verb', async () => {
    const other = await otherOrg(server);
    for (const [method, json] of [['GET'], ['PATCH', { role: 'viewer' }], ['DELETE']] as const) {
      const reply = await call(server, method, `/admin/users/${other.admin.id}`, {
        token: admin.session,
        json,
      });
      expectStatus(reply, 404);
      expect(reply.body.code).toBe('user_not_found');
    }
    expect(await stored(other.admin.id)).toMatchObject({ role: 'admin', status: 'active' });
  });

  it('changes role and name, and records what changed', async () => {
    const someone = await member(server, admin.orgId, 'viewer');
    const reply = await call(server, 'PATCH', `/admin/users/${someone.id}`, {
      token: admin.session,
      json: { role: 'operator', name: '  Renamed  ' },
    });
    expectStatus(reply, 200);
    expect(reply.body.user).toMatchObject({ role: 'operator', name: 'Renamed' });
    expect(await stored(someone.id)).toMatchObject({ role: 'operator', name: 'Renamed' });
    const entry = (await auditOf(server, admin.orgId, 'user.updated')).find(
      (e) => e.target_id === someone.id,
    );
    expect(entry?.details.changes).toEqual({
      role: { from: 'viewer', to: 'operator' },
      name: { from: someone.email.split('@')[0], to: 'Renamed' },
    });
  });

  it('gives fields it does not document no effect', async () => {
    const someone = await member(server, admin.orgId, 'viewer');
    const before = await stored(someone.id);
    const reply = await call(server, 'PATCH', `/admin/users/${someone.id}`, {
      token: admin.session,
      json: { email: 'hijack@example.test', orgId: 'org_x', passwordHash: 'x', provider: 'github' },
    });
    expectStatus(reply, 200);
    expect(await stored(someone.id)).toEqual(before);
  });

  it('refuses an unknown role or status with a 400 naming the field', async () => {
    const someone = await member(server, admin.orgId, 'viewer');
    for (const [json, field] of [
      [{ role: 'root' }, 'role'],
      [{ status: 'gone' }, 'status'],
    ] as const) {
      const reply = await call(server, 'PATCH', `/admin/users/${someone.id}`, {
        token: admin.session,
        json,
      });
      expectStatus(reply, 400);
      expect(reply.body.detail).toMatch(new RegExp(`^${field}:`));
    }
    expect(await stored(someone.id)).toMatchObject({ role: 'viewer', status: 'active' });
  });

  it('lets nobody change their own role, even with another admin around', async () => {
    const second = await member(server, admin.orgId, 'admin');
    const reply = await call(server, 'PATCH', `/admin/users/${second.id}`, {
      token: second.session,
      json: { role: 'viewer' },
    });
    expectStatus(reply, 403);
    expect(reply.body.code).toBe('own_role');
    expect(await stored(second.id)).toMatchObject({ role: 'admin' });
    const rename = await call(server, 'PATCH', `/admin/users/${second.id}`, {
      token: second.session,
      json: { name: 'Second Admin', role: 'admin' },
    });
    expectStatus(rename, 200);
    expect(rename.body.user).toMatchObject({ name: 'Second Admin', role: 'admin' });
  });

  it('lets nobody disable or delete their own account; another admin may', async () => {
    const second = await member(server, admin.orgId, 'admin');
    const disable = await call(server, 'PATCH', `/admin/users/${second.id}`, {
      token: second.session,
      json: { status: 'disabled' },
    });
    expectStatus(disable, 403);
    expect(disable.body).toMatchObject({ code: 'own_account' });
    expect(disable.body.detail).toMatch(/disable their own account/);
    const remove = await call(server, 'DELETE', `/admin/users/${second.id}`, {
      token: second.session,
    });
    expectStatus(remove, 403);
    expect(remove.body).toMatchObject({ code: 'own_account' });
    expect(await stored(second.id)).toMatchObject({ role: 'admin', status: 'active' });
    expectStatus(await call(server, 'GET', '/me', { token: second.session }), 200);
    // Another admin may do either.
    const byOther = await call(server, 'PATCH', `/admin/users/${second.id}`, {
      token: admin.session,
      json: { status: 'disabled' },
    });
    expectStatus(byOther, 200);
    expectStatus(await call(server, 'GET', '/me', { token: second.session }), 401);
  });
});
