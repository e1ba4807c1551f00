import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, expectStatus, issuePat, login } from '../support/client.js';
import { makeOrg, makeUser } from '../support/fixtures.js';
import { startTestServer, type TestServer } from '../support/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

async function refusals(tokenId: string) {
  return server.services.db
    .selectFrom('audit_entries')
    .select(['action', 'details'])
    .where('action', '=', 'token.refused')
    .where('target_id', '=', tokenId)
    .execute();
}

describe('refused credentials in the audit ledger', () => {
  it('records a revoked token being used, once a minute however often it is tried', async () => {
    const org = await makeOrg(server.services, 'Leaky');
    const owner = await makeUser(server.services, org.id, 'operator');
    const session = await login(server, owner.email, owner.password);
    const pat = await issuePat(server, session);
    const id = (await call(server, 'GET', '/verify', { token: pat })).body.tokenId;
    expectStatus(await call(server, 'DELETE', `/tokens/${id}`, { token: session }), 204);
    for (let i = 0; i < 10; i++) {
      expectStatus(await call(server, 'GET', '/verify', { token: pat }), 401);
    }
    const rows = await refusals(id);
    expect(rows).toHaveLength(1);
    expect(JSON.parse(rows[0]!.details)).toMatchObject({ reason: 'revoked' });
  });

  it('records a token of a disabled owner and an expired token', async () => {
    const org = await makeOrg(server.services, 'Gone');
    const owner = await makeUser(server.services, org.id, 'operator');
    const pat = await issuePat(server, await login(server, owner.email, owner.password));
    const id = (await call(server, 'GET', '/verify', { token: pat })).body.tokenId;
    const db = server.services.db;
    await db
      .updateTable('users')
      .set({ status: 'disabled' })
      .where('id', '=', owner.user.id)
      .execute();
    expectStatus(await call(server, 'GET', '/verify', { token: pat }), 401);
    await db
      .updateTable('users')
      .set({ status: 'active' })
      .where('id', '=', owner.user.id)
      .execute();
    await db
      .updateTable('tokens')
      .set({ expires_at: Date.now() - 1 })
      .where('id', '=', id)
      .execute();
    expectStatus(await call(server, 'GET', '/verify', { token: pat }), 401);
    const reasons = (await refusals(id)).map((r) => JSON.parse(r.details).reason).sort();
    expect(reasons).toEqual(['disabled', 'expired']);
  });

  it('records a scope refusal of one token once a minute', async () => {
    const org = await makeOrg(server.services, 'Curious');
    const viewer = await makeUser(server.services, org.id, 'viewer');
    const pat = await issuePat(server, await login(server, viewer.email, viewer.password));
    const id = (await call(server, 'GET', '/verify', { token: pat })).body.tokenId;
    for (let i = 0; i < 10; i++) {
      expectStatus(await call(server, 'GET', '/admin/users', { token: pat }), 403);
    }
    const rows = await refusals(id);
    expect(rows).toHaveLength(1);
    expect(JSON.parse(rows[0]!.details)).toMatchObject({ reason: 'insufficient_scope' });
  });

  it("records one person's refusals once a minute, however many tokens they hold", async () => {
    const org = await makeOrg(server.services, 'Many tokens');
    const viewer = await makeUser(server.services, org.id, 'viewer');
    const session = await login(server, viewer.email, viewer.password);
    const pats = await Promise.all(Array.from({ length: 5 }, () => issuePat(server, session)));
    for (const pat of pats) {
      expectStatus(await call(server, 'GET', '/admin/users', { token: pat }), 403);
    }
    const rows = await server.services.db
      .selectFrom('audit_entries')
      .select(['details'])
      .where('org_id', '=', org.id)
      .where('action', '=', 'token.refused')
      .execute();
    expect(rows).toHaveLength(1);
    expect(JSON.parse(rows[0]!.details)).toMatchObject({ userId: viewer.user.id });
  });
});
