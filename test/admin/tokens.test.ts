import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, expectStatus, issuePat } from '../support/client.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { auditOf, firstAdmin, issueFor, member, otherOrg, tokenRow, verify } from './setup.js';

let server: TestServer;
let admin: Awaited<ReturnType<typeof firstAdmin>>;
beforeAll(async () => {
  server = await startTestServer();
  admin = await firstAdmin(server);
});
afterAll(() => server.stop());

const DAY = 24 * 60 * 60 * 1000;

describe('POST /admin/users/:id/tokens', () => {
  it('issues a token that belongs to the user, with the documented defaults', async () => {
    const op = await member(server, admin.orgId, 'operator');
    const before = Date.now();
    const reply = await call(server, 'POST', `/admin/users/${op.id}/tokens`, {
      token: admin.session,
    });
    expectStatus(reply, 201);
    expect(reply.body).toMatchObject({
      tokenType: 'Bearer',
      scope: 'runtime:read runtime:write',
      environment: 'production',
      name: 'default',
    });
    expect(reply.body.accessToken).toMatch(/^abs_pat_/);
    const expires = Date.parse(reply.body.expiresAt);
    expect(expires).toBeGreaterThanOrEqual(before + 90 * DAY);
    expect(expires).toBeLessThanOrEqual(Date.now() + 90 * DAY);
    const row = await tokenRow(server, reply.body.tokenId);
    expect(row).toMatchObject({ user_id: op.id, org_id: admin.orgId, created_by: admin.id });
    expect(JSON.stringify(row)).not.toContain(reply.body.accessToken);
    expect((await verify(server, reply.body.accessToken)).body).toMatchObject({
      active: true,
      userId: op.id,
      email: op.email,
    });
    const [entry] = (await auditOf(server, admin.orgId, 'token.issued')).filter(
      (e) => e.target_id === reply.body.tokenId,
    );
    expect(entry).toMatchObject({ actor_id: admin.id });
    expect(entry!.details).toMatchObject({ ownerId: op.id, environment: 'production' });
    expect(server.logs.join('\n')).not.toContain(reply.body.accessToken);
  });

  it('issues a named staging token with a narrower scope and a chosen expiry', async () => {
    const op = await member(server, admin.orgId, 'operator');
    const issued = await issueFor(server, admin.session, op.id, {
      name: 'ci staging',
      environment: 'staging',
      expiresInDays: 366,
      scope: 'runtime:read',
    });
    const row = await tokenRow(server, issued.tokenId);
    expect(row).toMatchObject({
      name: 'ci staging',
      environment: 'staging',
      scope: 'runtime:read',
    });
    expect(row.expires_at - row.created_at).toBe(366 * DAY);
    // This server accepts production tokens only.
    const check = await verify(server, issued.accessToken);
    expectStatus(check, 401);
    expect(check.body.code).toBe('wrong_environment');
  });

  it.each([
    [{ expiresInDays: 367 }, 'expiresInDays'],
    [{ expiresInDays: 0 }, 'expiresInDays'],
    [{ environment: 'development' }, 'environment'],
    [{ scope: 'admin:manage' }, 'scope'],
    [{ scope: 'runtime:everything' }, 'scope'],
  ])('refuses %j for an operator with a 400 naming %s', async (json, field) => {
    const op = await member(server, admin.orgId, 'operator');
    const reply = await call(server, 'POST', `/admin/users/${op.id}/tokens`, {
      token: admin.session,
      json,
    });
    expectStatus(reply, 400);
    expect(reply.body.detail).toMatch(new RegExp(`^${field}:`));
    const rows = await server.services.db
      .selectFrom('tokens')
      .select('id')
      .where('user_id', '=', op.id)
      .execute();
    expect(rows).toEqual([]);
  });

  it('issues a token with its own rate limit in one step, normalized and audited', async () => {
    const op = await member(server, admin.orgId, 'operator');
    const reply = await call(server, 'POST', `/admin/users/${op.id}/tokens`, {
      token: admin.session,
      json: { name: 'slow agent', rateLimit: '2/1m' },
    });
    expectStatus(reply, 201);
    expect((await tokenRow(server, reply.body.tokenId)).rate_limit).toBe('2/60s');
    const [entry] = (await auditOf(server, admin.orgId, 'token.issued')).filter(
      (e) => e.target_id === reply.body.tokenId,
    );
    expect(entry!.details).toMatchObject({ ownerId: op.id, rateLimit: '2/60s' });
    // The limit applies from the token's first request.
    const ask = () => call(server, 'POST', '/v1/events/query', { token: reply.body.accessToken });
    expectStatus(await ask(), 200);
    expectStatus(await ask(), 200);
    const third = await ask();
    expectStatus(third, 429);
    expect(third.headers.get('ratelimit-policy')).toMatch(/;q=2;w=60$/);
  });

  it.each(['0/60s', 'fast', null, 5])(
    'refuses rateLimit %j at issue, storing nothing',
    async (value) => {
      const op = await member(server, admin.orgId, 'operator');
      const reply = await call(server, 'POST', `/admin/users/${op.id}/tokens`, {
        token: admin.session,
        json: { rateLimit: value },
      });
      expectStatus(reply, 400);
      expect(reply.body.detail).toMatch(/^rateLimit:/);
      const owned = await call(server, 'GET', `/admin/tokens?userId=${op.id}`, {
        token: admin.session,
      });
      expect(owned.body.data).toEqual([]);
    },
  );

  it('refuses a disabled user with 409 and another organization user with 404', async () => {
    const op = await member(server, admin.orgId, 'operator');
    await call(server, 'PATCH', `/admin/users/${op.id}`, {
      token: admin.session,
      json: { status: 'disabled' },
    });
    const disabled = await call(server, 'POST', `/admin/users/${op.id}/tokens`, {
      token: admin.session,
    });
    expectStatus(disabled, 409);
    expect(disabled.body.code).toBe('user_disabled');
    const other = await otherOrg(server);
    const foreign = await call(server, 'POST', `/admin/users/${other.admin.id}/tokens`, {
      token: admin.session,
    });
    expectStatus(foreign, 404);
    expect(foreign.body.code).toBe('user_not_found');
  });
});

describe('the enterprise policy', () => {
  it('sends non-admins to their admin, who issues their tokens', async () => {
    const other = await otherOrg(server, true);
    const op = await member(server, other.orgId, 'operator');
    const self = await call(server, 'POST', '/token', { token: op.session, json: {} });
    expectStatus(self, 403);
    expect(self.body.code).toBe('self_service_disabled');
    const issued = await issueFor(server, other.admin.session, op.id, {
      environment: 'production',
    });
    expect((await verify(server, issued.accessToken)).body.userId).toBe(op.id);
    expect(await issuePat(server, other.admin.session)).toMatch(/^abs_pat_/);
  });
});

describe('GET /admin/tokens', () => {
  it('lists metadata with filters, pages, and never a secret', async () => {
    const other = await otherOrg(server);
    const owner = await member(server, other.orgId, 'operator');
    const prod = await issueFor(server, other.admin.session, owner.id, {
      environment: 'production',
    });
    const staging = await issueFor(server, other.admin.session, owner.id, {
      environment: 'staging',
    });
    const third = await issueFor(server, other.admin.session, owner.id, { environment: 'staging' });
    await call(server, 'DELETE', `/admin/tokens/${third.tokenId}`, { token: other.admin.session });
    const list = (query: string) =>
      call(server, 'GET', `/admin/tokens${query}`, { token: other.admin.session });

    const all = await list(`?userId=${owner.id}`);
    expectStatus(all, 200);
    expect(all.body.data.map((t: any) => t.id).sort()).toEqual(
      [third.tokenId, staging.tokenId, prod.tokenId].sort(),
    );
    for (const token of all.body.data) {
      expect(Object.keys(token)).toEqual(
        expect.arrayContaining([
          'id',
          'name',
          'prefix',
          'environment',
          'scope',
          'createdAt',
          'createdBy',
          'lastUsedAt',
          'expiresAt',
          'revokedAt',
        ]),
      );
      expect(token.createdBy).toBe(other.admin.id);
    }
    for (const secret of [prod, staging, third].map((t) => t.accessToken)) {
      expect(all.text).not.toContain(secret);
    }
    const ids = async (query: string) => (await list(query)).body.data.map((t: any) => t.id).sort();
    expect(await ids(`?userId=${owner.id}&environment=staging`)).toEqual(
      [staging.tokenId, third.tokenId].sort(),
    );
    expect(await ids(`?userId=${owner.id}&active=true`)).toEqual(
      [prod.tokenId, staging.tokenId].sort(),
    );
    expect(await ids(`?userId=${owner.id}&active=false`)).toEqual([third.tokenId]);

    const first = await list(`?userId=${owner.id}&limit=2`);
    expect(first.body.data).toHaveLength(2);
    const second = await list(`?userId=${owner.id}&limit=2&cursor=${first.body.nextCursor}`);
    expect(second.body.nextCursor).toBeNull();
    const paged = [...first.body.data, ...second.body.data].map((t: any) => t.id);
    expect(paged).toEqual(all.body.data.map((t: any) => t.id));
  });

  it('shows when a token was last used', async () => {
    const op = await member(server, admin.orgId, 'operator');
    const issued = await issueFor(server, admin.session, op.id);
    const list = () =>
      call(server, 'GET', `/admin/tokens?userId=${op.id}`, { token: admin.session });
    expect((await list()).body.data[0].lastUsedAt).toBeNull();
    await verify(server, issued.accessToken);
    await expect.poll(async () => (await list()).body.data[0].lastUsedAt).not.toBeNull();
  });

  it('shows nothing of another organization, even when asked by user id', async () => {
    const other = await otherOrg(server);
    await issueFor(server, other.admin.session, other.admin.id);
    const reply = await call(server, 'GET', `/admin/tokens?userId=${other.admin.id}`, {
      token: admin.session,
    });
    expectStatus(reply, 200);
    expect(reply.body).toEqual({ data: [], nextCursor: null });
  });

  it.each([
    ['?limit=0', 'validation_failed'],
    ['?limit=201', 'validation_failed'],
    ['?active=yes', 'validation_failed'],
    ['?environment=dev', 'validation_failed'],
    ['?cursor=%%%', 'invalid_cursor'],
  ])('refuses %s with 400 %s', async (query, code) => {
    const reply = await call(server, 'GET', `/admin/tokens${query}`, { token: admin.session });
    expectStatus(reply, 400);
    expect(reply.body.code).toBe(code);
  });
});

describe('DELETE /admin/tokens/:id', () => {
  it('revokes on the very next request; revoking again is harmless', async () => {
    const op = await member(server, admin.orgId, 'operator');
    const issued = await issueFor(server, admin.session, op.id);
    expectStatus(await verify(server, issued.accessToken), 200);
    const first = await call(server, 'DELETE', `/admin/tokens/${issued.tokenId}`, {
      token: admin.session,
    });
    expectStatus(first, 204);
    // No content, so no type (the adapter would otherwise add text/plain).
    expect(first.headers.get('content-type')).toBeNull();
    expect(first.text).toBe('');
    expectStatus(await verify(server, issued.accessToken), 401);
    const revokedAt = (await tokenRow(server, issued.tokenId)).revoked_at;
    const again = await call(server, 'DELETE', `/admin/tokens/${issued.tokenId}`, {
      token: admin.session,
    });
    expectStatus(again, 204);
    expect((await tokenRow(server, issued.tokenId)).revoked_at).toBe(revokedAt);
    const entries = (await auditOf(server, admin.orgId, 'token.revoked')).filter(
      (e) => e.target_id === issued.tokenId,
    );
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ actor_id: admin.id });
  });

  it('answers 404 for a token of another organization and leaves it alive', async () => {
    const other = await otherOrg(server);
    const issued = await issueFor(server, other.admin.session, other.admin.id);
    const reply = await call(server, 'DELETE', `/admin/tokens/${issued.tokenId}`, {
      token: admin.session,
    });
    expectStatus(reply, 404);
    expect(reply.body.code).toBe('token_not_found');
    expectStatus(await verify(server, issued.accessToken), 200);
  });
});
