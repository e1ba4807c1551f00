import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { call, expectStatus } from '../support/client.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { auditOf, firstAdmin, issueFor, member, otherOrg, tokenRow, verify } from './setup.js';

let server: TestServer;
let admin: Awaited<ReturnType<typeof firstAdmin>>;
let realNow: () => number;
beforeAll(async () => {
  server = await startTestServer();
  admin = await firstAdmin(server);
  realNow = server.services.now;
});
afterEach(() => {
  server.services.now = realNow;
});
afterAll(() => server.stop());

/** Moves the server's clock forward, so expiry is tested without waiting for it. */
function advanceClock(ms: number) {
  server.services.now = () => realNow() + ms;
}

const rotate = (id: string, json?: object, token = admin.session) =>
  call(server, 'POST', `/admin/tokens/${id}/rotate`, { token, json });

async function operatorToken(request: object = {}) {
  const op = await member(server, admin.orgId, 'operator');
  return { op, old: await issueFor(server, admin.session, op.id, request) };
}

describe('POST /admin/tokens/:id/rotate', () => {
  it('issues a successor with the same owner, name, environment and scopes', async () => {
    const { op, old } = await operatorToken({ name: 'billing agent', scope: 'runtime:read' });
    const reply = await rotate(old.tokenId);
    expectStatus(reply, 201);
    expect(reply.body).toMatchObject({
      tokenType: 'Bearer',
      name: 'billing agent',
      environment: 'production',
      scope: 'runtime:read',
    });
    expect(reply.body.accessToken).not.toBe(old.accessToken);
    expect(reply.body.tokenId).not.toBe(old.tokenId);
    const successor = await tokenRow(server, reply.body.tokenId);
    const predecessor = await tokenRow(server, old.tokenId);
    expect(successor).toMatchObject({
      user_id: op.id,
      rotated_from: old.tokenId,
      created_by: admin.id,
    });
    expect(successor.expires_at - successor.created_at).toBe(90 * 86_400_000);
    expect(predecessor.rotated_to).toBe(reply.body.tokenId);
    expect(predecessor.revoked_at).toBeNull();
    const list = await call(server, 'GET', `/admin/tokens?userId=${op.id}`, {
      token: admin.session,
    });
    const byId = Object.fromEntries(list.body.data.map((t: any) => [t.id, t]));
    expect(byId[old.tokenId].rotatedTo).toBe(reply.body.tokenId);
    expect(byId[reply.body.tokenId].rotatedFrom).toBe(old.tokenId);
  });

  it("carries the token's own rate limit over to the successor, audited", async () => {
    const { old } = await operatorToken();
    const set = await call(server, 'PATCH', `/admin/tokens/${old.tokenId}`, {
      token: admin.session,
      json: { rateLimit: '2/1m' },
    });
    expectStatus(set, 200);
    const reply = await rotate(old.tokenId);
    expectStatus(reply, 201);
    expect((await tokenRow(server, reply.body.tokenId)).rate_limit).toBe('2/60s');
    const [entry] = (await auditOf(server, admin.orgId, 'token.rotated')).filter(
      (e) => e.target_id === reply.body.tokenId,
    );
    expect(entry!.details).toMatchObject({ rotatedFrom: old.tokenId, rateLimit: '2/60s' });
    // Without a limit of its own, the successor has none either (the server's default).
    const { old: plain } = await operatorToken();
    const next = await rotate(plain.tokenId);
    expect((await tokenRow(server, next.body.tokenId)).rate_limit).toBeNull();
  });

  it('stops the old secret at once without a grace period', async () => {
    const { old } = await operatorToken();
    const reply = await rotate(old.tokenId);
    expectStatus(reply, 201);
    expectStatus(await verify(server, old.accessToken), 401);
    expectStatus(await verify(server, reply.body.accessToken), 200);
  });

  it('keeps the old secret working for the grace period, then refuses it', async () => {
    const { old } = await operatorToken();
    const before = Date.now();
    const reply = await rotate(old.tokenId, { gracePeriodSeconds: 3600 });
    expectStatus(reply, 201);
    const oldExpiry = (await tokenRow(server, old.tokenId)).expires_at;
    expect(oldExpiry).toBeGreaterThanOrEqual(before + 3_600_000);
    expect(oldExpiry).toBeLessThanOrEqual(Date.now() + 3_600_000);
    expectStatus(await verify(server, old.accessToken), 200);
    advanceClock(3_600_000 + 1000);
    const late = await verify(server, old.accessToken);
    expectStatus(late, 401);
    expect(late.body.active).toBe(false);
    expectStatus(await verify(server, reply.body.accessToken), 200);
    const [entry] = (await auditOf(server, admin.orgId, 'token.rotated')).filter(
      (e) => e.target_id === reply.body.tokenId,
    );
    expect(entry).toMatchObject({ actor_id: admin.id });
    expect(entry!.details).toMatchObject({ rotatedFrom: old.tokenId, gracePeriodSeconds: 3600 });
  });

  it('never lets a grace period outlive the old token', async () => {
    const { old } = await operatorToken({ expiresInDays: 1 });
    const expiry = (await tokenRow(server, old.tokenId)).expires_at;
    expectStatus(await rotate(old.tokenId, { gracePeriodSeconds: 7 * 86_400 }), 201);
    expect((await tokenRow(server, old.tokenId)).expires_at).toBe(expiry);
  });

  it('refuses to rotate a token twice, or a revoked one, with 409', async () => {
    const { old } = await operatorToken();
    expectStatus(await rotate(old.tokenId, { gracePeriodSeconds: 60 }), 201);
    const twice = await rotate(old.tokenId);
    expectStatus(twice, 409);
    expect(twice.body.code).toBe('token_already_rotated');
    const revoked = (await operatorToken()).old;
    await call(server, 'DELETE', `/admin/tokens/${revoked.tokenId}`, { token: admin.session });
    const dead = await rotate(revoked.tokenId);
    expectStatus(dead, 409);
    expect(dead.body.code).toBe('token_revoked');
  });

  it('lets only one of two simultaneous rotations win', async () => {
    const { op, old } = await operatorToken();
    const replies = await Promise.all([rotate(old.tokenId), rotate(old.tokenId)]);
    expect(replies.map((r) => r.status).sort()).toEqual([201, 409]);
    const rows = await server.services.db
      .selectFrom('tokens')
      .select('id')
      .where('user_id', '=', op.id)
      .execute();
    expect(rows).toHaveLength(2);
  });

  it.each([-1, 7 * 86_400 + 1, 1.5, '60'])(
    'refuses gracePeriodSeconds %j with 400',
    async (grace) => {
      const { old } = await operatorToken();
      const reply = await rotate(old.tokenId, { gracePeriodSeconds: grace });
      expectStatus(reply, 400);
      expect(reply.body.detail).toMatch(/^gracePeriodSeconds:/);
      expect((await tokenRow(server, old.tokenId)).rotated_to).toBeNull();
    },
  );

  it('answers 404 for a token of another organization', async () => {
    const other = await otherOrg(server);
    const theirs = await issueFor(server, other.admin.session, other.admin.id);
    const reply = await rotate(theirs.tokenId);
    expectStatus(reply, 404);
    expect((await tokenRow(server, theirs.tokenId)).rotated_to).toBeNull();
    expectStatus(await verify(server, theirs.accessToken), 200);
  });

  it('gives the successor no more than the owner role allows today', async () => {
    const { op, old } = await operatorToken();
    await call(server, 'PATCH', `/admin/users/${op.id}`, {
      token: admin.session,
      json: { role: 'viewer' },
    });
    const reply = await rotate(old.tokenId);
    expectStatus(reply, 201);
    expect(reply.body.scope).toBe('runtime:read');
  });
});

describe('PATCH /admin/tokens/:id', () => {
  const setLimit = (id: string, rateLimit: unknown, token = admin.session) =>
    call(server, 'PATCH', `/admin/tokens/${id}`, { token, json: { rateLimit } });

  it('sets, normalizes and clears a per-token rate limit, audited', async () => {
    const { old } = await operatorToken();
    const set = await setLimit(old.tokenId, '100/1m');
    expectStatus(set, 200);
    expect(set.body.token).toMatchObject({ id: old.tokenId, rateLimit: '100/60s' });
    expect((await tokenRow(server, old.tokenId)).rate_limit).toBe('100/60s');
    const cleared = await setLimit(old.tokenId, null);
    expectStatus(cleared, 200);
    expect(cleared.body.token.rateLimit).toBeNull();
    expect((await tokenRow(server, old.tokenId)).rate_limit).toBeNull();
    const entries = (await auditOf(server, admin.orgId, 'token.updated')).filter(
      (e) => e.target_id === old.tokenId,
    );
    expect(entries.map((e) => e.details.rateLimit)).toEqual([
      { from: null, to: '100/60s' },
      { from: '100/60s', to: null },
    ]);
  });

  it.each(['fast', '0/60s', '10/2d', '', 100])('refuses rateLimit %j with 400', async (value) => {
    const { old } = await operatorToken();
    const reply = await setLimit(old.tokenId, value);
    expectStatus(reply, 400);
    expect(reply.body.detail).toMatch(/^rateLimit:/);
    expect((await tokenRow(server, old.tokenId)).rate_limit).toBeNull();
  });

  // A token never accepted again: a limit set on it would be a record of nothing.
  it.each([
    [
      'revoked',
      'token_revoked',
      (id: string) =>
        call(server, 'DELETE', `/admin/tokens/${id}`, {
          token: admin.session,
        }),
    ],
    ['rotated out with no grace', 'token_expired', (id: string) => rotate(id, { graceSeconds: 0 })],
  ] as const)('refuses a token %s with 409 %s, writing nothing', async (_, code, endIt) => {
    const { old } = await operatorToken();
    expect((await endIt(old.tokenId)).status).toBeLessThan(300);
    const before = (await auditOf(server, admin.orgId, 'token.updated')).length;
    const reply = await setLimit(old.tokenId, '10/1s');
    expectStatus(reply, 409);
    expect(reply.body).toMatchObject({ code });
    expect((await tokenRow(server, old.tokenId)).rate_limit).toBeNull();
    expect((await auditOf(server, admin.orgId, 'token.updated')).length).toBe(before);
  });

  it('answers 404 for a token of another organization', async () => {
    const other = await otherOrg(server);
    const theirs = await issueFor(server, other.admin.session, other.admin.id);
    expectStatus(await setLimit(theirs.tokenId, '1/60s'), 404);
    expect((await tokenRow(server, theirs.tokenId)).rate_limit).toBeNull();
  });
});
