import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeOrg } from '../support/fixtures.js';
import { call, expectStatus, issuePat, login } from '../support/client.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { auditOf, firstAdmin, issueFor, member, verify } from './setup.js';

let server: TestServer;
let admin: Awaited<ReturnType<typeof firstAdmin>>;
beforeAll(async () => {
  server = await startTestServer();
  admin = await firstAdmin(server);
});
afterAll(() => server.stop());

const patch = (token: string, id: string, json: object) =>
  call(server, 'PATCH', `/admin/users/${id}`, { token, json });

describe('demoting a user', () => {
  it('narrows the scopes of their sessions and tokens at the next request', async () => {
    const op = await member(server, admin.orgId, 'operator');
    const pat = await issuePat(server, op.session);
    expect((await verify(server, pat)).body.scope).toBe('runtime:read runtime:write');
    expectStatus(await patch(admin.session, op.id, { role: 'viewer' }), 200);
    expect((await verify(server, pat)).body).toMatchObject({ active: true, scope: 'runtime:read' });
    expect((await verify(server, op.session)).body.scope).toBe('runtime:read');
  });

  it('takes an admin token off the admin API at once', async () => {
    const second = await member(server, admin.orgId, 'admin');
    const pat = await issuePat(server, second.session);
    expectStatus(await call(server, 'GET', '/admin/users', { token: pat }), 200);
    expectStatus(await patch(admin.session, second.id, { role: 'operator' }), 200);
    const refused = await call(server, 'GET', '/admin/users', { token: pat });
    expectStatus(refused, 403);
    expect(refused.body.code).toBe('insufficient_scope');
    expect(refused.headers.get('www-authenticate')).toContain('scope="admin:manage"');
    expectStatus(await call(server, 'GET', '/admin/users', { token: second.session }), 403);
  });
});

describe('disabling a user', () => {
  it('ends every session, stops every token and refuses sign-in, all at once', async () => {
    const op = await member(server, admin.orgId, 'operator');
    const otherSession = await login(server, op.email, op.password);
    const own = await issuePat(server, op.session);
    const issued = await issueFor(server, admin.session, op.id, { environment: 'production' });
    const reply = await patch(admin.session, op.id, { status: 'disabled' });
    expectStatus(reply, 200);
    expect(reply.body.user.status).toBe('disabled');
    for (const credential of [op.session, otherSession, own, issued.accessToken]) {
      const check = await verify(server, credential);
      expectStatus(check, 401);
      expect(check.body.active).toBe(false);
    }
    const signIn = await call(server, 'POST', '/login', {
      json: { email: op.email, password: op.password },
    });
    expectStatus(signIn, 401);
    const live = await server.services.db
      .selectFrom('tokens')
      .select('id')
      .where('user_id', '=', op.id)
      .where('revoked_at', 'is', null)
      .execute();
    expect(live).toEqual([]);
    const [entry] = (await auditOf(server, admin.orgId, 'user.disabled')).filter(
      (e) => e.target_id === op.id,
    );
    expect(entry).toMatchObject({ actor_id: admin.id });
    expect(entry!.details).toMatchObject({ sessionsEnded: 2, tokensRevoked: 2 });
  });

  it('does not bring old tokens back when the user is enabled again', async () => {
    const op = await member(server, admin.orgId, 'operator');
    const issued = await issueFor(server, admin.session, op.id);
    expectStatus(await patch(admin.session, op.id, { status: 'disabled' }), 200);
    const enabled = await patch(admin.session, op.id, { status: 'active' });
    expectStatus(enabled, 200);
    expect(enabled.body.user.status).toBe('active');
    expectStatus(await verify(server, issued.accessToken), 401);
    expect(await login(server, op.email, op.password)).toMatch(/^abs_ses_/);
  });
});

describe('deleting a user', () => {
  it('kills sessions and tokens, and a re-created account gets none of them back', async () => {
    const op = await member(server, admin.orgId, 'operator');
    const pat = await issuePat(server, op.session);
    const deleted = await call(server, 'DELETE', `/admin/users/${op.id}`, { token: admin.session });
    expectStatus(deleted, 204);
    expect(deleted.text).toBe('');
    expectStatus(await verify(server, pat), 401);
    expectStatus(await verify(server, op.session), 401);
    expectStatus(await call(server, 'GET', `/admin/users/${op.id}`, { token: admin.session }), 404);

    const again = await call(server, 'POST', '/admin/users', {
      token: admin.session,
      json: { email: op.email, role: 'operator', password: op.password },
    });
    expectStatus(again, 201);
    expect(again.body.user.id).not.toBe(op.id);
    expectStatus(await verify(server, pat), 401);
    const tokens = await call(server, 'GET', `/admin/tokens?userId=${again.body.user.id}`, {
      token: admin.session,
    });
    expect(tokens.body.data).toEqual([]);
    const [entry] = (await auditOf(server, admin.orgId, 'user.deleted')).filter(
      (e) => e.target_id === op.id,
    );
    expect(entry!.details).toMatchObject({ email: op.email, tokensRevoked: 1, sessionsEnded: 1 });
  });

  it('answers 404 when the user is deleted twice', async () => {
    const viewer = await member(server, admin.orgId, 'viewer');
    expectStatus(
      await call(server, 'DELETE', `/admin/users/${viewer.id}`, { token: admin.session }),
      204,
    );
    const again = await call(server, 'DELETE', `/admin/users/${viewer.id}`, {
      token: admin.session,
    });
    expectStatus(again, 404);
  });
});

describe('the last active admin', () => {
  it('cannot be demoted, disabled or deleted, and keeps working', async () => {
    const org = await makeOrg(server.services, 'Solo client', true);
    const solo = await member(server, org.id, 'admin');
    await member(server, org.id, 'operator');
    for (const [method, json] of [
      ['PATCH', { role: 'operator' }],
      ['PATCH', { status: 'disabled' }],
      ['DELETE', undefined],
    ] as const) {
      const reply = await call(server, method, `/admin/users/${solo.id}`, {
        token: solo.session,
        json,
      });
      expectStatus(reply, 409);
      expect(reply.body.code).toBe('last_admin');
    }
    expectStatus(await call(server, 'GET', '/admin/users', { token: solo.session }), 200);
    expect(await auditOf(server, org.id, 'user.disabled')).toEqual([]);
  });

  it('counts only active admins: a disabled second admin does not help', async () => {
    const org = await makeOrg(server.services, 'Two admins', true);
    const first = await member(server, org.id, 'admin');
    const second = await member(server, org.id, 'admin');
    expectStatus(await patch(first.session, second.id, { status: 'disabled' }), 200);
    const reply = await patch(first.session, first.id, { status: 'disabled' });
    expectStatus(reply, 409);
    expect(reply.body.code).toBe('last_admin');
    expectStatus(await patch(first.session, second.id, { role: 'viewer' }), 200);
  });

  it('holds when two admins try to disable each other at the same moment', async () => {
    const org = await makeOrg(server.services, 'Race', true);
    const a = await member(server, org.id, 'admin');
    const b = await member(server, org.id, 'admin');
    const replies = await Promise.all([
      patch(a.session, b.id, { status: 'disabled' }),
      patch(b.session, a.id, { status: 'disabled' }),
    ]);
    const statuses = replies.map((r) => r.status).sort();
    // The loser is refused either by the rule (409) or because its own session just ended (401).
    expect(statuses[0]).toBe(200);
    expect([401, 409]).toContain(statuses[1]);
    const admins = await server.services.db
      .selectFrom('users')
      .select('id')
      .where('org_id', '=', org.id)
      .where('role', '=', 'admin')
      .where('status', '=', 'active')
      .execute();
    expect(admins).toHaveLength(1);
  });
});
