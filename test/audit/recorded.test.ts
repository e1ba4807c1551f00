import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_CHAIN } from '../../src/audit/ledger.js';
import { verifyChain } from '../../src/audit/verify.js';
import type { AuditEntryRow } from '../../src/db/schema.js';
import { call, expectStatus, issuePat, login } from '../support/client.js';
import { makeOrg, makeUser } from '../support/fixtures.js';
import { startTestServer, type TestServer } from '../support/server.js';
import {
  behindTheBack,
  chainRows,
  nextClientIp,
  strangerEmail,
  TRUST_LOOPBACK,
} from './support.js';

let server: TestServer;
/** Every secret handed out or typed in this file: none may ever reach the ledger. */
const secrets: string[] = [];
const BROWSER = 'Mozilla/5.0 (audit test)';

beforeAll(async () => {
  server = await startTestServer(TRUST_LOOPBACK);
});
afterAll(() => server.stop());

async function person(role: 'admin' | 'operator' | 'viewer' = 'operator') {
  const org = await makeOrg(server.services, `Recorded ${Math.random()}`);
  const made = await makeUser(server.services, org.id, role);
  secrets.push(made.password);
  return { orgId: org.id, ...made };
}

async function signIn(email: string, password: string, ip = nextClientIp()) {
  const reply = await call(server, 'POST', '/login', {
    json: { email, password },
    headers: { 'x-forwarded-for': ip, 'user-agent': BROWSER },
  });
  expectStatus(reply, 200);
  secrets.push(reply.body.token);
  return reply.body.token as string;
}

async function lastEntry(orgId: string, action: string): Promise<AuditEntryRow> {
  const rows = await chainRows(server.services.db, orgId);
  const found = rows.filter((row) => row.action === action).pop();
  if (!found) throw new Error(`no ${action} entry in ${orgId}`);
  return found;
}

describe('the ledger records', () => {
  it('a sign-in, with the person, the client address and the user agent', async () => {
    const p = await person();
    await signIn(p.email, p.password, '198.51.100.7');
    const entry = await lastEntry(p.orgId, 'auth.login');
    expect(entry).toMatchObject({
      actor_type: 'user',
      actor_id: p.user.id,
      target_type: 'session',
      outcome: 'success',
      ip: '198.51.100.7',
      user_agent: BROWSER,
    });
    const session = await server.services.db
      .selectFrom('sessions')
      .select('user_id')
      .where('id', '=', entry.target_id!)
      .executeTakeFirst();
    expect(session).toEqual({ user_id: p.user.id });
    expect(Number(entry.at)).toBeGreaterThan(Date.now() - 60_000);
  });

  it('a failed sign-in with the normalized email and not the password', async () => {
    const p = await person();
    const typed = 'Hunter2-wrong-password!';
    secrets.push(typed);
    const reply = await call(server, 'POST', '/login', {
      json: { email: `  ${p.email.toUpperCase()} `, password: typed },
      headers: { 'x-forwarded-for': nextClientIp() },
    });
    expectStatus(reply, 401);
    const entry = await lastEntry(p.orgId, 'auth.login');
    expect(entry).toMatchObject({
      outcome: 'failure',
      actor_type: 'anonymous',
      target_id: p.user.id,
    });
    expect(JSON.parse(entry.details)).toEqual({ email: p.email, reason: 'wrong_password' });
  });

  it('a failed sign-in of an email that belongs to no one, in the system chain', async () => {
    const email = strangerEmail('No.One');
    const reply = await call(server, 'POST', '/login', {
      json: { email, password: 'irrelevant-password' },
      headers: { 'x-forwarded-for': nextClientIp() },
    });
    expectStatus(reply, 401);
    const entry = await lastEntry(SYSTEM_CHAIN, 'auth.login');
    expect(entry).toMatchObject({ outcome: 'failure', target_id: null });
    expect(JSON.parse(entry.details)).toEqual({
      email: email.toLowerCase(),
      reason: 'unknown_email',
    });
  });

  it('a sign-out, and the revoked session refused afterwards', async () => {
    const p = await person();
    const session = await signIn(p.email, p.password);
    expectStatus(await call(server, 'POST', '/logout', { token: session }), 204);
    const logout = await lastEntry(p.orgId, 'auth.logout');
    expect(logout).toMatchObject({
      actor_id: p.user.id,
      target_type: 'session',
      outcome: 'success',
    });

    expectStatus(await call(server, 'GET', '/me', { token: session }), 401);
    const refused = await lastEntry(p.orgId, 'session.refused');
    expect(refused).toMatchObject({ outcome: 'denied', target_id: logout.target_id });
    expect(JSON.parse(refused.details)).toMatchObject({ reason: 'revoked', userId: p.user.id });
  });

  it('an expired session refused', async () => {
    const p = await person();
    const session = await signIn(p.email, p.password);
    const realNow = server.services.now;
    server.services.now = () => realNow() + 8 * 24 * 3600 * 1000;
    try {
      expectStatus(await call(server, 'GET', '/me', { token: session }), 401);
    } finally {
      server.services.now = realNow;
    }
    const refused = await lastEntry(p.orgId, 'session.refused');
    expect(JSON.parse(refused.details)).toMatchObject({ reason: 'expired', userId: p.user.id });
  });

  it('a token issued and revoked, never with its secret', async () => {
    const p = await person();
    const session = await signIn(p.email, p.password);
    const pat = await issuePat(server, session, { name: 'deploy bot', environment: 'production' });
    secrets.push(pat);
    const issued = await lastEntry(p.orgId, 'token.issued');
    expect(issued).toMatchObject({ actor_type: 'user', actor_id: p.user.id, target_type: 'token' });
    expect(JSON.parse(issued.details)).toMatchObject({
      ownerId: p.user.id,
      name: 'deploy bot',
      environment: 'production',
      scope: 'runtime:read runtime:write',
    });

    expectStatus(
      await call(server, 'DELETE', `/tokens/${issued.target_id}`, { token: session }),
      204,
    );
    const revoked = await lastEntry(p.orgId, 'token.revoked');
    expect(revoked).toMatchObject({ actor_id: p.user.id, target_id: issued.target_id });
  });

  it('a token refused for the wrong environment and for a missing scope', async () => {
    const p = await person('viewer');
    const session = await signIn(p.email, p.password);
    const staging = await issuePat(server, session, { environment: 'staging' });
    const production = await issuePat(server, session);
    secrets.push(staging, production);

    expectStatus(await call(server, 'GET', '/me', { token: staging }), 401);
    const wrongEnv = await lastEntry(p.orgId, 'token.refused');
    expect(wrongEnv).toMatchObject({ actor_type: 'token', outcome: 'denied' });
    expect(JSON.parse(wrongEnv.details)).toMatchObject({ reason: 'wrong_environment' });

    expectStatus(await call(server, 'GET', '/admin/audit', { token: production }), 403);
    const scope = await lastEntry(p.orgId, 'token.refused');
    expect(scope.id).not.toBe(wrongEnv.id);
    expect(JSON.parse(scope.details)).toMatchObject({
      reason: 'insufficient_scope',
      needed: 'admin:manage',
    });
  });
});

describe('the ledger records the admin API', () => {
  it('users created, changed (old and new role), disabled and deleted, by the admin', async () => {
    const p = await person('admin');
    const session = await signIn(p.email, p.password, '198.51.100.77');
    const created = await call(server, 'POST', '/admin/users', {
      token: session,
      json: { email: `new-${Date.now()}@example.test`, role: 'viewer' },
    });
    expectStatus(created, 201);
    const id = created.body.user.id as string;
    const byAdmin = { actor_type: 'user', actor_id: p.user.id, target_id: id };
    expect(await lastEntry(p.orgId, 'user.created')).toMatchObject(byAdmin);

    const patch = (json: object) =>
      call(server, 'PATCH', `/admin/users/${id}`, { token: session, json });
    expectStatus(await patch({ role: 'operator' }), 200);
    const updated = await lastEntry(p.orgId, 'user.updated');
    expect(updated).toMatchObject({ ...byAdmin, ip: '127.0.0.1' });
    expect(JSON.parse(updated.details)).toMatchObject({
      changes: { role: { from: 'viewer', to: 'operator' } },
    });

    expectStatus(await patch({ status: 'disabled' }), 200);
    expect(await lastEntry(p.orgId, 'user.disabled')).toMatchObject(byAdmin);
    expectStatus(await call(server, 'DELETE', `/admin/users/${id}`, { token: session }), 204);
    expect(await lastEntry(p.orgId, 'user.deleted')).toMatchObject(byAdmin);
  });

  it('tokens issued, rotated and revoked by an admin, and a setting changed', async () => {
    const p = await person('admin');
    const session = await signIn(p.email, p.password);
    const issued = await call(server, 'POST', `/admin/users/${p.user.id}/tokens`, {
      token: session,
      json: { name: 'white glove' },
    });
    expectStatus(issued, 201);
    secrets.push(issued.body.accessToken);
    const tokenId = issued.body.tokenId as string;
    expect(await lastEntry(p.orgId, 'token.issued')).toMatchObject({ target_id: tokenId });

    const rotated = await call(server, 'POST', `/admin/tokens/${tokenId}/rotate`, {
      token: session,
      json: { gracePeriodSeconds: 0 },
    });
    expectStatus(rotated, 201);
    secrets.push(rotated.body.accessToken);
    const rotation = await lastEntry(p.orgId, 'token.rotated');
    expect(rotation).toMatchObject({ actor_id: p.user.id, target_id: rotated.body.tokenId });
    expect(JSON.parse(rotation.details)).toMatchObject({ rotatedFrom: tokenId });

    const newId = rotated.body.tokenId as string;
    expectStatus(await call(server, 'DELETE', `/admin/tokens/${newId}`, { token: session }), 204);
    expect(await lastEntry(p.orgId, 'token.revoked')).toMatchObject({ target_id: newId });

    const setting = await call(server, 'PATCH', '/admin/org', {
      token: session,
      json: { selfServiceTokens: false },
    });
    expectStatus(setting, 200);
    const changed = await lastEntry(p.orgId, 'org.updated');
    expect(JSON.parse(changed.details)).toEqual({
      from: { selfServiceTokens: true },
      to: { selfServiceTokens: false },
    });
  });
});

describe('the ledger as a whole', () => {
  it('holds no secret, password or secret hash that this file handed out', async () => {
    const rows = await server.services.db.selectFrom('audit_entries').selectAll().execute();
    const hashes = [
      ...(await server.services.db.selectFrom('tokens').select('secret_hash').execute()),
      ...(await server.services.db.selectFrom('sessions').select('secret_hash').execute()),
    ].map((r) => r.secret_hash);
    const text = JSON.stringify(rows);
    expect(secrets.length).toBeGreaterThan(10);
    for (const secret of [...secrets, ...hashes]) expect(text).not.toContain(secret);
  });

  it('has every chain intact after all of the above', async () => {
    const chains = await server.services.db.selectFrom('audit_heads').select('org_id').execute();
    for (const { org_id } of chains) {
      expect(await verifyChain(server.services.db, org_id)).toMatchObject({ intact: true });
    }
  });
});

describe('an action whose entry cannot be written', () => {
  it('does not happen: no token is issued and no session ends', async () => {
    const p = await person();
    const session = await signIn(p.email, p.password);
    const tokensBefore = await server.services.db
      .selectFrom('tokens')
      .select('id')
      .where('user_id', '=', p.user.id)
      .execute();
    await behindTheBack(server, (db) =>
      sql`alter table audit_entries rename to audit_entries_away`.execute(db),
    );
    try {
      expectStatus(await call(server, 'POST', '/token', { token: session }), 500);
      expectStatus(await call(server, 'POST', '/logout', { token: session }), 500);
    } finally {
      await behindTheBack(server, (db) =>
        sql`alter table audit_entries_away rename to audit_entries`.execute(db),
      );
    }
    const tokensAfter = await server.services.db
      .selectFrom('tokens')
      .select('id')
      .where('user_id', '=', p.user.id)
      .execute();
    expect(tokensAfter).toEqual(tokensBefore);
    expectStatus(await call(server, 'GET', '/me', { token: session }), 200);
    expect(await verifyChain(server.services.db, p.orgId)).toMatchObject({ intact: true });
  });
});
