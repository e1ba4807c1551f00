import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, expectStatus, issuePat } from '../support/client.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { auditOf, member, otherOrg } from './setup.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

const orgRow = (id: string) =>
  server.services.db
    .selectFrom('organizations')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirstOrThrow();

describe('GET /admin/org', () => {
  it('shows the caller organization policy', async () => {
    const { orgId, admin } = await otherOrg(server, true);
    const reply = await call(server, 'GET', '/admin/org', { token: admin.session });
    expectStatus(reply, 200);
    expect(reply.body.organization).toMatchObject({
      id: orgId,
      selfServiceTokens: false,
      githubSignup: false,
    });
  });
});

describe('PATCH /admin/org', () => {
  it('turns self-service off so that only admins issue tokens, and back on', async () => {
    const { orgId, admin } = await otherOrg(server);
    const op = await member(server, orgId, 'operator');
    expect(await issuePat(server, op.session)).toMatch(/^abs_pat_/);

    const off = await call(server, 'PATCH', '/admin/org', {
      token: admin.session,
      json: { selfServiceTokens: false },
    });
    expectStatus(off, 200);
    expect(off.body.organization).toMatchObject({ id: orgId, selfServiceTokens: false });
    expect((await orgRow(orgId)).self_service_tokens).toBe(0);
    const refused = await call(server, 'POST', '/token', { token: op.session, json: {} });
    expectStatus(refused, 403);
    expect(refused.body.code).toBe('self_service_disabled');
    expect(await issuePat(server, admin.session)).toMatch(/^abs_pat_/);

    const on = await call(server, 'PATCH', '/admin/org', {
      token: admin.session,
      json: { selfServiceTokens: true },
    });
    expectStatus(on, 200);
    expect(await issuePat(server, op.session)).toMatch(/^abs_pat_/);
    const entries = await auditOf(server, orgId, 'org.updated');
    expect(entries.map((e) => e.details)).toEqual([
      { from: { selfServiceTokens: true }, to: { selfServiceTokens: false } },
      { from: { selfServiceTokens: false }, to: { selfServiceTokens: true } },
    ]);
    expect(entries[0]).toMatchObject({ actor_id: admin.id, target_id: orgId });
  });

  it('stores githubSignup and records nothing when nothing changes', async () => {
    const { orgId, admin } = await otherOrg(server);
    const reply = await call(server, 'PATCH', '/admin/org', {
      token: admin.session,
      json: { githubSignup: true, selfServiceTokens: true },
    });
    expectStatus(reply, 200);
    expect(reply.body.organization).toMatchObject({ githubSignup: true, selfServiceTokens: true });
    expect((await orgRow(orgId)).github_signup).toBe(1);
    const again = await call(server, 'PATCH', '/admin/org', {
      token: admin.session,
      json: { githubSignup: true },
    });
    expectStatus(again, 200);
    const entries = await auditOf(server, orgId, 'org.updated');
    expect(entries.map((e) => e.details)).toEqual([
      { from: { githubSignup: false }, to: { githubSignup: true } },
    ]);
  });

  it('gives undocumented fields no effect and refuses wrong types with 400', async () => {
    const { orgId, admin } = await otherOrg(server);
    const before = await orgRow(orgId);
    const ignored = await call(server, 'PATCH', '/admin/org', {
      token: admin.session,
      json: { name: 'Renamed', id: 'org_other', createdAt: 0 },
    });
    expectStatus(ignored, 200);
    expect(await orgRow(orgId)).toEqual(before);
    const bad = await call(server, 'PATCH', '/admin/org', {
      token: admin.session,
      json: { selfServiceTokens: 'no' },
    });
    expectStatus(bad, 400);
    expect(bad.body.detail).toMatch(/^selfServiceTokens:/);
    const notJson = await call(server, 'PATCH', '/admin/org', {
      token: admin.session,
      body: 'selfServiceTokens=false',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expectStatus(notJson, 415);
    expect(await orgRow(orgId)).toEqual(before);
  });
});
