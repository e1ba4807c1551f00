import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../src/ids.js';
import { call, expectStatus, issuePat, type Reply } from '../support/client.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { auditOf, firstAdmin, issueFor, member, tokenRow } from './setup.js';

// Staging and production servers may share one database, so an admin token of one environment
// must not mint, rotate, revoke or throttle a token of the other, nor change what every
// environment shares (users, roles, the organization's policy): a leaked staging token would
// otherwise yield or stop a production one. A person signed in (the account manager's desk) may
// do all of it.

let staging: TestServer;
let admin: Awaited<ReturnType<typeof firstAdmin>>;
let stagingPat: string;
let operator: Awaited<ReturnType<typeof member>>;
beforeAll(async () => {
  staging = await startTestServer({ ABS_ENVIRONMENT: 'staging' });
  admin = await firstAdmin(staging);
  stagingPat = await issuePat(staging, admin.session, { environment: 'staging' });
  operator = await member(staging, admin.orgId, 'operator');
});
afterAll(() => staging.stop());

const issue = (token: string, json: object) =>
  call(staging, 'POST', `/admin/users/${operator.id}/tokens`, { token, json });
const rotate = (token: string, id: string) =>
  call(staging, 'POST', `/admin/tokens/${id}/rotate`, { token, json: {} });

async function tokenCount() {
  const rows = await staging.services.db.selectFrom('tokens').select('id').execute();
  return rows.length;
}

function expectMismatch(reply: Reply) {
  expectStatus(reply, 403);
  expect(reply.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(reply.body).toMatchObject({ status: 403, code: 'environment_mismatch' });
  expect(reply.body.detail).toBe(
    'A staging token may only manage staging tokens, not production ones. ' +
      'To manage a production token, sign in (the dashboard) and use that session instead.',
  );
}

describe('an admin PAT issuing tokens for a user', () => {
  it('issues a token of its own environment, by default and when asked', async () => {
    for (const request of [{}, { environment: 'staging' }]) {
      const reply = await issue(stagingPat, request);
      expectStatus(reply, 201);
      expect(reply.body.environment).toBe('staging');
      expect((await tokenRow(staging, reply.body.tokenId)).environment).toBe('staging');
    }
  });

  it('is refused a production token (403 environment_mismatch), storing nothing', async () => {
    const before = await tokenCount();
    const issued = (await auditOf(staging, admin.orgId, 'token.issued')).length;
    expectMismatch(await issue(stagingPat, { environment: 'production' }));
    expect(await tokenCount()).toBe(before);
    expect(await auditOf(staging, admin.orgId, 'token.issued')).toHaveLength(issued);
    const warning = staging.logs.find((line) => line.includes('token management refused'));
    expect(JSON.parse(warning!)).toMatchObject({
      code: 'environment_mismatch',
      userId: operator.id,
    });
  });

  it('lets a signed-in admin issue a production token from the staging server', async () => {
    const reply = await issue(admin.session, { environment: 'production' });
    expectStatus(reply, 201);
    expect(reply.body.environment).toBe('production');
    expect((await tokenRow(staging, reply.body.tokenId)).environment).toBe('production');
  });
});

describe('an admin PAT rotating a token', () => {
  it('rotates a token of its own environment', async () => {
    const old = await issueFor(staging, admin.session, operator.id, { environment: 'staging' });
    const reply = await rotate(stagingPat, old.tokenId);
    expectStatus(reply, 201);
    expect(reply.body.environment).toBe('staging');
    expect((await tokenRow(staging, old.tokenId)).rotated_to).toBe(reply.body.tokenId);
  });

  it('is refused a production token (403 environment_mismatch), left as it was', async () => {
    const old = await issueFor(staging, admin.session, operator.id, { environment: 'production' });
    const before = await tokenCount();
    const rotations = (await auditOf(staging, admin.orgId, 'token.rotated')).length;
    const row = await tokenRow(staging, old.tokenId);
    expectMismatch(await rotate(stagingPat, old.tokenId));
    expect(await tokenRow(staging, old.tokenId)).toEqual(row);
    expect(await tokenCount()).toBe(before);
    expect(await auditOf(staging, admin.orgId, 'token.rotated')).toHaveLength(rotations);
  });

  it('lets a signed-in admin rotate that production token', async () => {
    const old = await issueFor(staging, admin.session, operator.id, { environment: 'production' });
    const reply = await rotate(admin.session, old.tokenId);
    expectStatus(reply, 201);
    expect(reply.body.environment).toBe('production');
    expect((await tokenRow(staging, reply.body.tokenId)).environment).toBe('production');
  });

  it('still answers 404 for a token that does not exist', async () => {
    const reply = await rotate(stagingPat, newId('tok'));
    expectStatus(reply, 404);
    expect(reply.body.code).toBe('token_not_found');
  });
});

describe('an admin PAT revoking or limiting a token', () => {
  const revoke = (token: string, id: string) =>
    call(staging, 'DELETE', `/admin/tokens/${id}`, { token });
  const limit = (token: string, id: string) =>
    call(staging, 'PATCH', `/admin/tokens/${id}`, { token, json: { rateLimit: '1/24h' } });

  it('revokes and limits a token of its own environment', async () => {
    const own = await issueFor(staging, admin.session, operator.id, { environment: 'staging' });
    expectStatus(await limit(stagingPat, own.tokenId), 200);
    expect((await tokenRow(staging, own.tokenId)).rate_limit).toBe('1/86400s');
    expectStatus(await revoke(stagingPat, own.tokenId), 204);
    expect((await tokenRow(staging, own.tokenId)).revoked_at).not.toBeNull();
  });

  it('is refused a production token (403 environment_mismatch), which keeps working', async () => {
    const prod = await issueFor(staging, admin.session, operator.id, { environment: 'production' });
    const row = await tokenRow(staging, prod.tokenId);
    const revocations = (await auditOf(staging, admin.orgId, 'token.revoked')).length;
    expectMismatch(await limit(stagingPat, prod.tokenId));
    expectMismatch(await revoke(stagingPat, prod.tokenId));
    expect(await tokenRow(staging, prod.tokenId)).toEqual(row);
    expect(await auditOf(staging, admin.orgId, 'token.revoked')).toHaveLength(revocations);
    // The person at the desk may.
    expectStatus(await revoke(admin.session, prod.tokenId), 204);
  });
});

describe('an admin PAT changing what every environment shares', () => {
  it.each([
    ['POST', '/admin/users', () => ({ email: 'escalate@example.test', role: 'admin' })],
    ['PATCH', '/admin/users/:operator', () => ({ role: 'admin' })],
    ['DELETE', '/admin/users/:operator', undefined],
    ['PATCH', '/admin/org', () => ({ selfServiceTokens: true })],
  ] as const)('is refused %s %s with 403 session_required, changing nothing', async (...args) => {
    const [method, template, body] = args;
    const path = template.replace(':operator', operator.id);
    const users = await staging.services.db.selectFrom('users').selectAll().execute();
    const orgs = await staging.services.db.selectFrom('organizations').selectAll().execute();
    const reply = await call(staging, method, path, { token: stagingPat, json: body?.() });
    expectStatus(reply, 403);
    expect(reply.body).toMatchObject({ code: 'session_required' });
    expect(reply.body.detail).toMatch(/bound to one environment/);
    expect(await staging.services.db.selectFrom('users').selectAll().execute()).toEqual(users);
    expect(await staging.services.db.selectFrom('organizations').selectAll().execute()).toEqual(
      orgs,
    );
  });

  it('leaves those changes to a signed-in admin', async () => {
    const reply = await call(staging, 'PATCH', `/admin/users/${operator.id}`, {
      token: admin.session,
      json: { name: 'Renamed at the desk' },
    });
    expectStatus(reply, 200);
    expect(reply.body.user.name).toBe('Renamed at the desk');
  });
});

describe('a production admin PAT', () => {
  it('is refused a staging token, issued or rotated, and a session is not', async () => {
    const production = await startTestServer();
    try {
      const boss = await firstAdmin(production);
      const pat = await issuePat(production, boss.session);
      const path = `/admin/users/${boss.id}/tokens`;
      const json = { environment: 'staging' };
      const refused = await call(production, 'POST', path, { token: pat, json });
      expectStatus(refused, 403);
      expect(refused.body.code).toBe('environment_mismatch');
      expect(refused.body.detail).toMatch(/^A production token may only manage production tokens/);
      const made = await call(production, 'POST', path, { token: boss.session, json });
      expectStatus(made, 201);
      const rotation = `/admin/tokens/${made.body.tokenId}/rotate`;
      const again = await call(production, 'POST', rotation, { token: pat, json: {} });
      expectStatus(again, 403);
      expect(again.body.code).toBe('environment_mismatch');
    } finally {
      await production.stop();
    }
  });
});
