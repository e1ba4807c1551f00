import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, expectStatus, issuePat, login, type Reply } from '../support/client.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { expectTooMany, freezeClock, limits } from '../runtime/limits.js';
import { query } from '../runtime/setup.js';
import { auditOf, firstAdmin, issueFor, member } from './setup.js';

const BUDGET = 4;

/** Every answer of the management routes names the credential's own budget and what is left. */
function spent(reply: Reply, remaining: number) {
  expect(limits(reply)).toMatchObject({ name: 'management', q: BUDGET, w: 60, r: remaining });
}

async function countRows(server: TestServer, table: 'users' | 'tokens' | 'audit_entries') {
  const row = await server.services.db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

describe('the management budget (/admin/*, /token, /tokens)', () => {
  let server: TestServer;
  let orgId: string;
  beforeAll(async () => {
    server = await startTestServer({
      ABS_MANAGEMENT_RATE_LIMIT: `${BUDGET}/60s`,
      ABS_RATE_LIMIT: '50/60s',
    });
    freezeClock(server);
    orgId = (await firstAdmin(server)).orgId;
  });
  afterAll(() => server.stop());

  it('counts each admin request of a session, then answers 429 and writes nothing', async () => {
    const admin = await member(server, orgId, 'admin');
    const target = await member(server, orgId, 'viewer');
    const replies = [
      await call(server, 'GET', '/admin/users', { token: admin.session }),
      await call(server, 'POST', `/admin/users/${target.id}/tokens`, {
        token: admin.session,
        json: {},
      }),
      await call(server, 'GET', '/admin/org', { token: admin.session }),
      await call(server, 'PATCH', `/admin/users/${target.id}`, {
        token: admin.session,
        json: { name: 'x'.repeat(201) },
      }),
    ];
    expect(replies.map((r) => r.status)).toEqual([200, 201, 200, 400]);
    replies.forEach((reply, i) => spent(reply, BUDGET - 1 - i));

    const before = await Promise.all([
      countRows(server, 'users'),
      countRows(server, 'tokens'),
      countRows(server, 'audit_entries'),
    ]);
    const tooMany = [
      await call(server, 'POST', '/admin/users', {
        token: admin.session,
        json: { email: `late-${Date.now()}@example.test`, role: 'viewer' },
      }),
      await call(server, 'POST', `/admin/users/${target.id}/tokens`, {
        token: admin.session,
        json: {},
      }),
      await call(server, 'PATCH', '/admin/org', {
        token: admin.session,
        json: { selfServiceTokens: false },
      }),
      await call(server, 'GET', '/admin/audit', { token: admin.session }),
    ];
    for (const reply of tooMany) {
      expectTooMany(reply, 'management');
      expect(reply.headers.get('content-type')).toBe('application/problem+json');
      expect(reply.body.detail).toMatch(/management budget of 4 requests per 60 s/);
    }
    const after = await Promise.all([
      countRows(server, 'users'),
      countRows(server, 'tokens'),
      countRows(server, 'audit_entries'),
    ]);
    expect(after).toEqual(before);
    const other = await member(server, orgId, 'admin');
    const org = await call(server, 'GET', '/admin/org', { token: other.session });
    expect(org.body.organization.selfServiceTokens).toBe(true);
  });

  it("is one budget for all of a person's credentials, apart from their /v1 budgets", async () => {
    const admin = await member(server, orgId, 'admin');
    // Issuing the PAT was the first request of the person's budget.
    const pat = await issuePat(server, admin.session, { scope: 'admin:manage runtime:read' });
    spent(await call(server, 'GET', '/admin/users', { token: admin.session }), BUDGET - 2);
    spent(await call(server, 'GET', '/admin/tokens', { token: pat }), BUDGET - 3);
    // A token minted with the budget, or a new session, does not come with a budget of its own.
    const minted = await issueFor(server, pat, admin.id, { scope: 'admin:manage' });
    const again = await login(server, admin.email, admin.password);
    expectTooMany(
      await call(server, 'GET', '/admin/org', { token: minted.accessToken }),
      'management',
    );
    expectTooMany(await call(server, 'POST', '/token', { token: again }), 'management');
    expectTooMany(await call(server, 'GET', '/tokens', { token: admin.session }), 'management');

    // Another admin's budget is whole, and so are this person's /v1 budgets.
    const other = await member(server, orgId, 'admin');
    spent(await call(server, 'GET', '/admin/users', { token: other.session }), BUDGET - 1);
    const runtime = await query(server, admin.session);
    expectStatus(runtime, 200);
    expect(limits(runtime)).toMatchObject({ name: 'session', q: 50, r: 49 });
    const runtimePat = await query(server, pat);
    expectStatus(runtimePat, 200);
    expect(limits(runtimePat)).toMatchObject({ name: 'token', q: 50, r: 49 });
  });

  it('leaves the management budget alone while /v1 is spent', async () => {
    const admin = await member(server, orgId, 'admin');
    const pat = await issuePat(server, admin.session, { scope: 'admin:manage runtime:read' });
    for (let i = 0; i < 3; i++) expectStatus(await query(server, pat), 200);
    spent(await call(server, 'GET', '/admin/org', { token: pat }), BUDGET - 2);
  });

  it('is shared by a session across its own tokens and the admin API', async () => {
    const admin = await member(server, orgId, 'admin');
    const issued = await call(server, 'POST', '/token', { token: admin.session, json: {} });
    expectStatus(issued, 201);
    spent(issued, BUDGET - 1);
    const listed = await call(server, 'GET', '/tokens', { token: admin.session });
    spent(listed, BUDGET - 2);
    const id = issued.body.tokenId as string;
    spent(await call(server, 'DELETE', `/tokens/${id}`, { token: admin.session }), BUDGET - 3);
    spent(await call(server, 'GET', '/admin/users', { token: admin.session }), 0);

    const tokens = await countRows(server, 'tokens');
    expectTooMany(await call(server, 'POST', '/token', { token: admin.session }), 'management');
    expect(await countRows(server, 'tokens')).toBe(tokens);
  });

  it("ignores a token's own runtime rate limit", async () => {
    const admin = await member(server, orgId, 'admin');
    const holder = await member(server, orgId, 'admin');
    const issued = await issueFor(server, admin.session, holder.id, {
      scope: 'admin:manage',
      rateLimit: '100/60s',
    });
    for (let r = BUDGET - 1; r >= 0; r--) {
      spent(await call(server, 'GET', '/admin/users', { token: issued.accessToken }), r);
    }
    expectTooMany(
      await call(server, 'GET', '/admin/users', { token: issued.accessToken }),
      'management',
    );
  });

  it('charges nothing for requests the guard refuses', async () => {
    const viewer = await member(server, orgId, 'viewer');
    for (let i = 0; i < BUDGET + 2; i++) {
      const refused = await call(server, 'GET', '/admin/users', { token: viewer.session });
      expectStatus(refused, 403);
      expect(refused.headers.get('ratelimit')).toBeNull();
    }
    for (let i = 0; i < BUDGET + 2; i++) {
      const unknown = await call(server, 'GET', '/admin/users', { token: 'abs_pat_nonsense' });
      expectStatus(unknown, 401);
    }
    // The viewer's own budget is whole: the refusals did not spend it.
    spent(await call(server, 'GET', '/tokens', { token: viewer.session }), BUDGET - 1);
  });

  it('charges nothing for a token refused where a session is needed', async () => {
    const admin = await member(server, orgId, 'admin');
    const pat = await issuePat(server, admin.session, { scope: 'admin:manage' });
    for (let i = 0; i < BUDGET + 2; i++) {
      const refused = await call(server, 'PATCH', '/admin/org', {
        token: pat,
        json: { selfServiceTokens: true },
      });
      expectStatus(refused, 403);
      expect(refused.body.code).toBe('session_required');
      expect(refused.headers.get('ratelimit')).toBeNull();
    }
    spent(await call(server, 'GET', '/admin/org', { token: pat }), BUDGET - 2);
  });

  it('is spent by a password change, which past the budget changes nothing', async () => {
    const viewer = await member(server, orgId, 'viewer');
    const change = (from: string, to: string) =>
      call(server, 'POST', '/me/password', {
        token: viewer.session,
        json: { currentPassword: from, newPassword: to },
      });
    const first = await change(viewer.password, 'second password, long enough');
    expectStatus(first, 204);
    spent(first, BUDGET - 1);
    for (let r = BUDGET - 2; r >= 0; r--) {
      spent(await call(server, 'GET', '/tokens', { token: viewer.session }), r);
    }
    const before = (await auditOf(server, orgId, 'user.password_changed')).length;
    expectTooMany(
      await change('second password, long enough', 'third password, long enough'),
      'management',
    );
    expect((await auditOf(server, orgId, 'user.password_changed')).length).toBe(before);
    await login(server, viewer.email, 'second password, long enough');
  });

  it('records nothing in the audit log for a refused request', async () => {
    const admin = await member(server, orgId, 'admin');
    const target = await member(server, orgId, 'viewer');
    for (let i = 0; i < BUDGET; i++) {
      await call(server, 'GET', '/admin/users', { token: admin.session });
    }
    const before = (await auditOf(server, orgId, 'user.disabled')).length;
    const refused = await call(server, 'PATCH', `/admin/users/${target.id}`, {
      token: admin.session,
      json: { status: 'disabled' },
    });
    expectTooMany(refused, 'management');
    expect((await auditOf(server, orgId, 'user.disabled')).length).toBe(before);
    const still = await call(server, 'GET', '/me', { token: target.session });
    expectStatus(still, 200);
  });
});
