import { describe, expect, it } from 'vitest';
import { call, expectStatus, issuePat } from '../support/client.js';
import { useSharedServer } from '../support/shared-server.js';
import { member, ROUTES, sendTo, storedEvents } from './setup.js';

const shared = useSharedServer();

const send = (route: (typeof ROUTES)[number], opts: Parameters<typeof sendTo>[2]) =>
  sendTo(shared.server, route, opts);

async function eventCount() {
  return (await storedEvents(shared.server, shared.orgId)).length;
}

describe('scopes', () => {
  const challenge = (scope: string) =>
    `Bearer realm="abs", error="insufficient_scope", scope="${scope}"`;

  it('refuses a viewer writing, with 403 insufficient_scope naming runtime:write', async () => {
    const viewer = await member(shared.server, shared.orgId, 'viewer');
    const count = await eventCount();
    for (const r of ROUTES.slice(0, 2)) {
      const reply = await send(r, { token: viewer.pat });
      expectStatus(reply, 403);
      expect(reply.body).toMatchObject({ code: 'insufficient_scope', scope: 'runtime:write' });
      expect(reply.headers.get('www-authenticate')).toBe(challenge('runtime:write'));
    }
    expect(await eventCount()).toBe(count);
    expectStatus(await send(ROUTES[2], { token: viewer.pat }), 200);
  });

  it('refuses a write-only token reading, naming runtime:read', async () => {
    const writer = await member(shared.server, shared.orgId, 'operator', {
      scope: 'runtime:write',
    });
    expectStatus(await send(ROUTES[0], { token: writer.pat }), 201);
    const reply = await send(ROUTES[2], { token: writer.pat });
    expectStatus(reply, 403);
    expect(reply.body).toMatchObject({ code: 'insufficient_scope', scope: 'runtime:read' });
    expect(reply.headers.get('www-authenticate')).toBe(challenge('runtime:read'));
  });

  it("applies the owner's current role: a demoted operator's token stops writing", async () => {
    const op = await member(shared.server, shared.orgId, 'operator');
    const setRole = (role: string) =>
      shared.server.services.db
        .updateTable('users')
        .set({ role })
        .where('id', '=', op.user.id)
        .execute();
    expectStatus(await send(ROUTES[0], { token: op.pat }), 201);
    await setRole('viewer');
    expectStatus(await send(ROUTES[0], { token: op.pat }), 403);
    expectStatus(await send(ROUTES[2], { token: op.pat }), 200);
    const verify = await send(ROUTES[3], { token: op.pat });
    expect(verify.body.scope).toBe('runtime:read');
    await setRole('operator');
    expectStatus(await send(ROUTES[0], { token: op.pat }), 201);
  });

  it('records a scope refusal in the audit log, attributed to the token', async () => {
    const viewer = await member(shared.server, shared.orgId, 'viewer');
    await send(ROUTES[0], { token: viewer.pat });
    const rows = await shared.server.services.db
      .selectFrom('audit_entries')
      .selectAll()
      .where('target_id', '=', viewer.tokenId)
      .where('action', '=', 'token.refused')
      .execute();
    expect(rows).toHaveLength(1);
    expect(JSON.parse(rows[0]!.details)).toMatchObject({
      reason: 'insufficient_scope',
      needed: 'runtime:write',
    });
  });
});

describe('sessions on /v1', () => {
  it('lets a signed-in person query with a session bearer but not send events', async () => {
    const viewer = await member(shared.server, shared.orgId, 'viewer');
    expectStatus(await send(ROUTES[2], { token: viewer.session }), 200);
    const admin = await member(shared.server, shared.orgId, 'admin');
    const count = await eventCount();
    for (const r of ROUTES.slice(0, 2)) {
      const reply = await send(r, { token: admin.session });
      expectStatus(reply, 403);
      expect(reply.body.code).toBe('token_required');
    }
    expect(await eventCount()).toBe(count);
  });

  it('lets the dashboard query with its cookie only when it echoes the CSRF token', async () => {
    const viewer = await member(shared.server, shared.orgId, 'viewer');
    const cookie = `abs_session=${viewer.session}`;
    const bare = await send(ROUTES[2], { headers: { cookie } });
    expectStatus(bare, 403);
    expect(bare.body.code).toBe('csrf_failed');
    const me = await call(shared.server, 'GET', '/me', { token: viewer.session });
    const csrf = me.body.csrfToken as string;
    const ok = await send(ROUTES[2], { headers: { cookie, 'x-csrf-token': csrf } });
    expectStatus(ok, 200);
    const forged = await send(ROUTES[2], {
      headers: { cookie, 'x-csrf-token': csrf, origin: 'https://evil.example' },
    });
    expectStatus(forged, 403);
  });
});

describe('last use of a token', () => {
  it('shows lastUsedAt in GET /tokens after a use, written at most once a minute', async () => {
    const made = await member(shared.server, shared.orgId, 'operator');
    const fresh = await issuePat(shared.server, made.session, { name: 'fresh' });
    const listed = async () => {
      const reply = await call(shared.server, 'GET', '/tokens', { token: made.session });
      expectStatus(reply, 200);
      return reply.body.data.find((t: { name: string }) => t.name === 'fresh');
    };
    expect((await listed()).lastUsedAt).toBeNull();
    const before = Date.now();
    expectStatus(
      await call(shared.server, 'POST', '/v1/events/query', { token: fresh, json: {} }),
      200,
    );
    // The stamp is written beside the request, not inside it: wait for it to land.
    let first: string | null = null;
    for (let i = 0; i < 50 && first === null; i++) {
      first = (await listed()).lastUsedAt;
      if (first === null) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(first).not.toBeNull();
    expect(Date.parse(first!)).toBeGreaterThanOrEqual(before - 1);
    expectStatus(
      await call(shared.server, 'POST', '/v1/events/query', { token: fresh, json: {} }),
      200,
    );
    expect((await listed()).lastUsedAt).toBe(first);
  });
});
