import { describe, expect, it } from 'vitest';
import { mintSecret } from '../../src/secrets.js';
import { adminOrgId, call, expectStatus, issuePat, login, type Reply } from '../support/client.js';
import { databaseText, leaked } from '../support/leaks.js';
import { startTestServer } from '../support/server.js';
import { useSharedServer } from '../support/shared-server.js';
import { event, member, ROUTES, sendTo, storedEvents } from './setup.js';

const shared = useSharedServer();

const send = (route: (typeof ROUTES)[number], opts: Parameters<typeof sendTo>[2]) =>
  sendTo(shared.server, route, opts);

function expectInvalidToken(reply: Reply, code = 'invalid_token') {
  expectStatus(reply, 401);
  expect(reply.headers.get('content-type')).toBe('application/problem+json');
  expect(reply.body.code).toBe(code);
  expect(reply.headers.get('www-authenticate')).toMatch(
    /^Bearer realm="abs", error="invalid_token", error_description="[^"]+"$/,
  );
}

async function eventCount() {
  return (await storedEvents(shared.server, shared.orgId)).length;
}

describe('bearer handling on every /v1 route and on /verify alike', () => {
  it.each(ROUTES)('$method $path without a credential: 401 with a bare challenge', async (r) => {
    const reply = await send(r, {});
    expectStatus(reply, 401);
    expect(reply.body.code).toBe('missing_token');
    expect(reply.headers.get('www-authenticate')).toBe('Bearer realm="abs"');
  });

  it.each(ROUTES)('$method $path with a malformed header or token: 401', async (r) => {
    const shapes = ['Basic dXNlcjpwYXNz', 'Bearer', 'Bearer abs_pat_short', 'abs_pat_x'];
    for (const authorization of shapes) {
      expectInvalidToken(await send(r, { headers: { authorization } }));
    }
    const typo = mintSecret('pat').secret.replace(/.$/, (ch) => (ch === 'a' ? 'b' : 'a'));
    expectInvalidToken(await send(r, { token: typo }));
  });

  it.each(ROUTES)('$method $path with a well-formed token never issued: 401', async (r) => {
    expectInvalidToken(await send(r, { token: mintSecret('pat').secret }));
  });

  it("refuses a revoked, an expired and a disabled owner's token on every route", async () => {
    const revoked = await member(shared.server, shared.orgId, 'operator');
    const del = await call(shared.server, 'DELETE', `/tokens/${revoked.tokenId}`, {
      token: revoked.session,
    });
    expectStatus(del, 204);
    const expired = await member(shared.server, shared.orgId, 'operator');
    await shared.server.services.db
      .updateTable('tokens')
      .set({ expires_at: Date.now() - 1000 })
      .where('id', '=', expired.tokenId)
      .execute();
    const disabled = await member(shared.server, shared.orgId, 'operator');
    await shared.server.services.db
      .updateTable('users')
      .set({ status: 'disabled' })
      .where('id', '=', disabled.user.id)
      .execute();
    const count = await eventCount();
    for (const r of ROUTES) {
      for (const [who, detail] of [
        [revoked, 'The token was revoked.'],
        [expired, 'The token has expired.'],
        [disabled, 'The token owner is disabled.'],
      ] as const) {
        const reply = await send(r, { token: who.pat });
        expectInvalidToken(reply);
        expect(reply.body.detail).toBe(detail);
        if (r.path === '/verify') expect(reply.body.active).toBe(false);
      }
    }
    expect(await eventCount()).toBe(count);
  });

  it.each(ROUTES)('$method $path refuses a staging token on a production server', async (r) => {
    const staging = await member(shared.server, shared.orgId, 'admin', { environment: 'staging' });
    const reply = await send(r, { token: staging.pat });
    expectInvalidToken(reply, 'wrong_environment');
    expect(reply.body.detail).toBe(
      'This token belongs to the staging environment; this server accepts production tokens only.',
    );
  });

  it('accepts staging tokens on a staging server and refuses production ones there', async () => {
    const staging = await startTestServer({ ABS_ENVIRONMENT: 'staging' });
    try {
      const org = await adminOrgId(staging);
      const session = await login(staging);
      const good = await issuePat(staging, session, { environment: 'staging' });
      const prod = await issuePat(staging, session, { environment: 'production' });
      const ok = await call(staging, 'POST', '/v1/events/ingest', { token: good, json: event(1) });
      expectStatus(ok, 201);
      const bad = await call(staging, 'POST', '/v1/events/query', { token: prod, json: {} });
      expectStatus(bad, 401);
      expect(bad.body.code).toBe('wrong_environment');
      expect(bad.body.detail).toMatch(/production environment; this server accepts staging/);
      const audit = await staging.services.db
        .selectFrom('audit_entries')
        .selectAll()
        .where('org_id', '=', org)
        .where('action', '=', 'token.refused')
        .execute();
      expect(audit.map((a) => JSON.parse(a.details).reason)).toContain('wrong_environment');
    } finally {
      await staging.stop();
    }
  });
});

describe('secrets', () => {
  it('never writes a token or session secret into the logs or the database', async () => {
    const op = await member(shared.server, shared.orgId, 'operator');
    const staging = await member(shared.server, shared.orgId, 'operator', {
      environment: 'staging',
    });
    await send(ROUTES[0], { token: op.pat });
    await send(ROUTES[2], { token: op.session });
    await send(ROUTES[2], { token: staging.pat });
    const secrets = [op.pat, op.session, staging.pat];
    expect(leaked(shared.server.logs.join('\n'), secrets)).toEqual([]);
    expect(leaked(await databaseText(shared.server), secrets)).toEqual([]);
  });
});
