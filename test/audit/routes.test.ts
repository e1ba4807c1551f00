import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, expectStatus, issuePat, login } from '../support/client.js';
import { makeOrg, makeUser } from '../support/fixtures.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { freshLedger, TRUST_LOOPBACK, type Ledger } from './support.js';

let server: TestServer;
let ledger: Ledger;
let other: Ledger;
beforeAll(async () => {
  server = await startTestServer(TRUST_LOOPBACK);
  ledger = await freshLedger(server);
  other = await freshLedger(server);
});
afterAll(() => server.stop());

async function list(query: string, token = ledger.session) {
  const reply = await call(server, 'GET', `/admin/audit${query}`, { token });
  expectStatus(reply, 200);
  return reply.body as { data: any[]; nextCursor: string | null };
}

describe('GET /admin/audit', () => {
  it("lists the caller's own organization, newest first, with the chain links", async () => {
    const { data, nextCursor } = await list('');
    expect(nextCursor).toBeNull();
    expect(data.map((e) => e.id)).toEqual(ledger.rows.map((r) => r.id).reverse());
    const first = ledger.rows[0]!;
    expect(data[6]).toEqual({
      id: first.id,
      orgId: ledger.orgId,
      seq: 1,
      at: new Date(Number(first.at)).toISOString(),
      actorType: 'cli',
      actorId: 'cli',
      action: 'org.created',
      targetType: 'organization',
      targetId: ledger.orgId,
      ip: null,
      userAgent: null,
      outcome: 'success',
      details: JSON.parse(first.details),
      prevHash: '0'.repeat(64),
      hash: first.hash,
    });
    const otherIds = new Set(other.rows.map((r) => r.id));
    expect(data.some((e) => otherIds.has(e.id))).toBe(false);
  });

  it('filters by action, by actor and by time', async () => {
    const logins = await list('?action=auth.login');
    expect(logins.data.map((e) => e.seq)).toEqual([7, 4, 3]);

    const adminId = ledger.rows[2]!.actor_id!;
    const byActor = await list(`?actorId=${adminId}`);
    expect(byActor.data.map((e) => e.actorId)).toEqual(Array(byActor.data.length).fill(adminId));
    expect(byActor.data.map((e) => e.action)).toEqual([
      'token.revoked',
      'token.issued',
      'auth.login',
    ]);

    const at = (i: number) => new Date(Number(ledger.rows[i]!.at)).toISOString();
    const window = await list(`?since=${at(2)}&until=${encodeURIComponent(at(6))}`);
    const expected = ledger.rows.filter(
      (r) => r.at >= ledger.rows[2]!.at && r.at < ledger.rows[6]!.at,
    );
    expect(window.data.map((e) => e.id)).toEqual(expected.map((r) => r.id).reverse());
    expect(window.data.length).toBeGreaterThan(0);

    // A date alone is midnight UTC, as in the event query.
    const day = at(2).slice(0, 10);
    const fromDay = await list(`?since=${day}`);
    const sinceMidnight = ledger.rows.filter((r) => Number(r.at) >= Date.parse(day));
    expect(fromDay.data.map((e) => e.id)).toEqual(sinceMidnight.map((r) => r.id).reverse());

    const none = await list('?action=auth.login&actorId=usr_nobody0000000000');
    expect(none).toEqual({ data: [], nextCursor: null });
  });

  it('pages with a cursor until every entry was served once', async () => {
    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const reply: { data: any[]; nextCursor: string | null } = await list(
        `?limit=3${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(reply.data.length).toBeLessThanOrEqual(3);
      seen.push(...reply.data.map((e) => e.seq));
      cursor = reply.nextCursor;
    } while (cursor);
    expect(seen).toEqual([7, 6, 5, 4, 3, 2, 1]);
  });

  it.each([
    ['?limit=0', 'limit'],
    ['?limit=201', 'limit'],
    ['?since=yesterday', 'since'],
    ['?until=2026-13-01T00:00:00Z', 'until'],
    ['?since=2027-01-01T00:00:00Z&until=2020-01-01T00:00:00Z', 'until'],
    ['?since=2026-12-05&until=2026-12-05', 'until'],
    ['?cursor=not-a-cursor', 'cursor'],
    ['?action=' + 'x'.repeat(101), 'action'],
  ])('refuses %s with a 400 naming %s', async (query, field) => {
    const reply = await call(server, 'GET', `/admin/audit${query}`, { token: ledger.session });
    expectStatus(reply, 400);
    expect(reply.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    // A cursor the API did not hand out has its own code, on every list alike.
    expect(reply.body.code).toBe(field === 'cursor' ? 'invalid_cursor' : 'validation_failed');
    expect(reply.body.detail).toMatch(new RegExp(`^${field}: `));
  });
});

describe('GET /admin/audit/verify', () => {
  it("verifies the caller's own chain only", async () => {
    const reply = await call(server, 'GET', '/admin/audit/verify', { token: other.session });
    expectStatus(reply, 200);
    expect(reply.body).toEqual({
      intact: true,
      entries: 7,
      head: other.rows[6]!.hash,
      firstBrokenId: null,
      broken: null,
    });
  });

  it('accepts a kept head that is in the chain and refuses a malformed one', async () => {
    const kept = ledger.rows[4]!.hash;
    const good = await call(server, 'GET', `/admin/audit/verify?expectHead=${kept}`, {
      token: ledger.session,
    });
    expectStatus(good, 200);
    expect(good.body.intact).toBe(true);
    const bad = await call(server, 'GET', '/admin/audit/verify?expectHead=abc', {
      token: ledger.session,
    });
    expectStatus(bad, 400);
    expect(bad.body.detail).toMatch(/^expectHead: /);
  });
});

describe('the audit routes', () => {
  it.each(['/admin/audit', '/admin/audit/verify'])(
    'refuse %s without a credential',
    async (path) => {
      const reply = await call(server, 'GET', path);
      expectStatus(reply, 401);
      expect(reply.headers.get('www-authenticate')).toBe('Bearer realm="abs"');
    },
  );

  it.each(['/admin/audit', '/admin/audit/verify'])('refuse %s to a non-admin', async (path) => {
    const operator = await makeUser(server.services, ledger.orgId, 'operator');
    const session = await login(server, operator.email, operator.password);
    const reply = await call(server, 'GET', path, { token: session });
    expectStatus(reply, 403);
    expect(reply.body.code).toBe('insufficient_scope');
    expect(reply.headers.get('www-authenticate')).toContain('scope="admin:manage"');
  });

  it("serve an admin's Personal Access Token carrying admin:manage", async () => {
    const pat = await issuePat(server, ledger.session, { scope: 'admin:manage' });
    const reply = await call(server, 'GET', '/admin/audit?action=token.issued&limit=1', {
      token: pat,
    });
    expectStatus(reply, 200);
    expect(reply.body.data[0]).toMatchObject({ action: 'token.issued', orgId: ledger.orgId });
    expect(reply.body.data[0].details.scope).toBe('admin:manage');
  });

  it('keep an organization without entries of its own apart from the others', async () => {
    const org = await makeOrg(server.services, 'Quiet');
    const admin = await makeUser(server.services, org.id, 'admin');
    const session = await login(server, admin.email, admin.password);
    const { data } = await list('', session);
    expect(data.map((e) => e.action)).toEqual(['auth.login', 'user.created', 'org.created']);
    expect(data.every((e) => e.orgId === org.id)).toBe(true);
  });
});
