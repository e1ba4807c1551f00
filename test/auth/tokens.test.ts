import { describe, expect, it } from 'vitest';
import { call, expectStatus, issuePat, login } from '../support/client.js';
import { makeOrg, makeUser } from '../support/fixtures.js';
import { useSharedServer } from '../support/shared-server.js';

const shared = useSharedServer();

async function signedIn(role: 'admin' | 'operator' | 'viewer', org = shared.orgId) {
  const made = await makeUser(shared.server.services, org, role);
  return { ...made, session: await login(shared.server, made.email, made.password) };
}

/** `POST /token` with a session. */
const askToken = (session: string, json: object) =>
  call(shared.server, 'POST', '/token', { token: session, json });

describe('POST /token', () => {
  it("issues a PAT with its owner's role scopes, shown once, stored only as a hash", async () => {
    const { session, user } = await signedIn('operator');
    const reply = await askToken(session, { name: 'ci', environment: 'production' });
    expectStatus(reply, 201);
    expect(reply.body).toMatchObject({
      tokenId: expect.stringMatching(/^tok_[0-9a-z]{16}$/),
      scope: 'runtime:read runtime:write',
      environment: 'production',
      name: 'ci',
    });
    expect(reply.body.accessToken).toMatch(/^abs_pat_/);
    const days = (Date.parse(reply.body.expiresAt) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(89.9);
    expect(days).toBeLessThanOrEqual(90);
    const row = await shared.server.services.db
      .selectFrom('tokens')
      .selectAll()
      .where('id', '=', reply.body.tokenId)
      .executeTakeFirstOrThrow();
    expect(row.user_id).toBe(user.id);
    expect(JSON.stringify(row)).not.toContain(reply.body.accessToken);
    expect(JSON.stringify(row)).not.toContain(reply.body.accessToken.slice(12));
    const listed = await call(shared.server, 'GET', '/tokens', { token: session });
    expect(listed.text).not.toContain(reply.body.accessToken);
    expect(listed.body.data[0]).toMatchObject({ id: reply.body.tokenId, prefix: row.prefix });
  });

  it('narrows to an asked-for scope and refuses a scope the role lacks', async () => {
    const { session } = await signedIn('operator');
    const narrow = await askToken(session, { scope: 'runtime:read' });
    expectStatus(narrow, 201);
    expect(narrow.body.scope).toBe('runtime:read');
    // /me through the token says what the token may do, not what its owner's role allows.
    const me = await call(shared.server, 'GET', '/me', { token: narrow.body.accessToken });
    expectStatus(me, 200);
    expect(me.body.scope).toBe('runtime:read');
    const own = await call(shared.server, 'GET', '/me', { token: session });
    expect(own.body.scope).toBe('runtime:read runtime:write');
    const wide = await askToken(session, { scope: 'runtime:read admin:manage' });
    expectStatus(wide, 400);
    expect(wide.body.detail).toMatch(/^scope: .*admin:manage/);
    expect(wide.body.errors).toEqual([
      { field: 'scope', message: expect.stringMatching(/admin:manage/) },
    ]);
    const unknown = await askToken(session, { scope: 'root' });
    expectStatus(unknown, 400);
  });

  it('bounds the expiry between 1 and 366 days', async () => {
    const { session } = await signedIn('viewer');
    const max = await askToken(session, { expiresInDays: 366 });
    expectStatus(max, 201);
    for (const bad of [0, 367, 1.5, '30', -1]) {
      const reply = await askToken(session, { expiresInDays: bad });
      expectStatus(reply, 400);
      expect(reply.body.detail).toMatch(/^expiresInDays:/);
    }
  });

  it('refuses an unknown environment, naming the field', async () => {
    const { session } = await signedIn('viewer');
    const reply = await askToken(session, { environment: 'dev' });
    expectStatus(reply, 400);
    expect(reply.body.detail).toMatch(/^environment:/);
  });

  it('refuses a name that would show backwards, issuing nothing', async () => {
    const { session } = await signedIn('viewer');
    const reply = await askToken(session, { name: 'deploy \u202Egnp.exe' });
    expectStatus(reply, 400);
    expect(reply.body.detail).toBe(
      'name: must not contain characters that change the direction of text',
    );
    const listed = await call(shared.server, 'GET', '/tokens', { token: session });
    expect(listed.body.data).toEqual([]);
  });

  it('does not let a PAT mint a PAT', async () => {
    const { session } = await signedIn('admin');
    const pat = await issuePat(shared.server, session);
    const reply = await call(shared.server, 'POST', '/token', { token: pat });
    expectStatus(reply, 403);
    expect(reply.body.code).toBe('session_required');
  });

  it('sends a non-admin of an enterprise organization to their administrator', async () => {
    const enterprise = await makeOrg(shared.server.services, 'Enterprise Co', true);
    const operator = await signedIn('operator', enterprise.id);
    const refused = await call(shared.server, 'POST', '/token', { token: operator.session });
    expectStatus(refused, 403);
    expect(refused.body.code).toBe('self_service_disabled');
    expect(refused.body.detail).toMatch(/administrator/);
    const admin = await signedIn('admin', enterprise.id);
    expectStatus(await call(shared.server, 'POST', '/token', { token: admin.session }), 201);
  });
});

describe('GET /tokens and DELETE /tokens/:id', () => {
  it("lists only the caller's own tokens, as metadata", async () => {
    const a = await signedIn('operator');
    const b = await signedIn('operator');
    await issuePat(shared.server, a.session, { name: 'mine' });
    await issuePat(shared.server, b.session, { name: 'theirs' });
    const listed = await call(shared.server, 'GET', '/tokens', { token: a.session });
    expectStatus(listed, 200);
    expect(listed.body.data.map((t: { name: string }) => t.name)).toEqual(['mine']);
    expect(Object.keys(listed.body.data[0]).sort()).toEqual(
      [
        'active',
        'createdAt',
        'createdBy',
        'environment',
        'expiresAt',
        'id',
        'lastUsedAt',
        'name',
        'prefix',
        'rateLimit',
        'revokedAt',
        'rotatedFrom',
        'rotatedTo',
        'scope',
        'userId',
      ].sort(),
    );
  });

  it("revokes one's own token at once; another user's token is not found", async () => {
    const a = await signedIn('operator');
    const b = await signedIn('operator');
    const pat = await issuePat(shared.server, a.session);
    const id = (await call(shared.server, 'GET', '/verify', { token: pat })).body.tokenId;
    expectStatus(await call(shared.server, 'DELETE', `/tokens/${id}`, { token: b.session }), 404);
    expectStatus(await call(shared.server, 'GET', '/verify', { token: pat }), 200);
    expectStatus(await call(shared.server, 'DELETE', `/tokens/${id}`, { token: a.session }), 204);
    const after = await call(shared.server, 'GET', '/verify', { token: pat });
    expectStatus(after, 401);
    expect(after.body.active).toBe(false);
    expect(after.headers.get('www-authenticate')).toMatch(/error="invalid_token"/);
    expectStatus(await call(shared.server, 'DELETE', `/tokens/${id}`, { token: a.session }), 204);
  });
});

describe('GET /verify', () => {
  it('describes a valid PAT as the documentation shows', async () => {
    const { session, user, email } = await signedIn('operator');
    const pat = await issuePat(shared.server, session);
    const reply = await call(shared.server, 'GET', '/verify', { token: pat });
    expectStatus(reply, 200);
    expect(reply.body).toMatchObject({
      active: true,
      type: 'pat',
      userId: user.id,
      email,
      role: 'operator',
      scope: 'runtime:read runtime:write',
      environment: 'production',
    });
  });

  it('answers 401 {active:false} for an expired token', async () => {
    const { session } = await signedIn('viewer');
    const pat = await issuePat(shared.server, session);
    const id = (await call(shared.server, 'GET', '/verify', { token: pat })).body.tokenId;
    await shared.server.services.db
      .updateTable('tokens')
      .set({ expires_at: Date.now() - 1 })
      .where('id', '=', id)
      .execute();
    const reply = await call(shared.server, 'GET', '/verify', { token: pat });
    expectStatus(reply, 401);
    expect(reply.body).toMatchObject({ active: false, code: 'invalid_token' });
    expect(reply.body.detail).toMatch(/expired/);
  });

  it('answers 401 without an error attribute when no credential was sent', async () => {
    const reply = await call(shared.server, 'GET', '/verify');
    expectStatus(reply, 401);
    expect(reply.body.active).toBe(false);
    expect(reply.headers.get('www-authenticate')).toBe('Bearer realm="abs"');
  });

  it('refuses malformed headers and unknown tokens alike', async () => {
    const unknown = 'abs_pat_' + 'A'.repeat(32);
    for (const header of [
      'Basic abc',
      'Bearer',
      'Bearer abs_pat_short',
      `Bearer ${unknown}000000`,
    ]) {
      const reply = await call(shared.server, 'GET', '/verify', {
        headers: { authorization: header },
      });
      expectStatus(reply, 401);
      expect(reply.body.active).toBe(false);
      expect(reply.headers.get('www-authenticate')).toMatch(/error="invalid_token"/);
    }
  });

  it('shows the effective scopes when the owner was demoted after issue', async () => {
    const { session, user } = await signedIn('admin');
    const pat = await issuePat(shared.server, session);
    await shared.server.services.db
      .updateTable('users')
      .set({ role: 'viewer' })
      .where('id', '=', user.id)
      .execute();
    const reply = await call(shared.server, 'GET', '/verify', { token: pat });
    expect(reply.body).toMatchObject({ role: 'viewer', scope: 'runtime:read' });
  });
});
