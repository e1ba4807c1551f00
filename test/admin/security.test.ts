import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mintSecret } from '../../src/secrets.js';
import { call, expectStatus, issuePat } from '../support/client.js';
import { makeOrg } from '../support/fixtures.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { ADMIN_ROUTES, type AdminRoute } from './routes.js';
import { issueFor, member, otherOrg } from './setup.js';

// One suite for every admin route: each wrong kind of caller is refused in the same way, and a
// refused request changes nothing in the organization it aimed at.

let server: TestServer;
let victim: { orgId: string; userId: string; tokenId: string };
const credentials: Record<string, string | undefined> = {};
let foreignIds: string[];

beforeAll(async () => {
  server = await startTestServer();
  const org = await makeOrg(server.services, 'Victim client', true);
  const admin = await member(server, org.id, 'admin');
  const target = await member(server, org.id, 'operator');
  const token = await issueFor(server, admin.session, target.id);
  victim = { orgId: org.id, userId: target.id, tokenId: token.tokenId };

  const operator = await member(server, org.id, 'operator');
  credentials.operatorSession = operator.session;
  credentials.operatorToken = (await issueFor(server, admin.session, operator.id)).accessToken;
  const viewer = await member(server, org.id, 'viewer');
  credentials.viewerToken = (await issueFor(server, admin.session, viewer.id)).accessToken;
  credentials.narrowAdminToken = await issuePat(server, admin.session, { scope: 'runtime:read' });
  const revoked = await issuePat(server, admin.session);
  await server.services.db
    .updateTable('tokens')
    .set({ revoked_at: Date.now() })
    .where('prefix', '=', revoked.slice(0, 12))
    .execute();
  credentials.revokedAdminToken = revoked;

  const disabled = await member(server, org.id, 'admin');
  credentials.disabledAdminToken = await issuePat(server, disabled.session);
  credentials.disabledAdminSession = disabled.session;
  expectStatus(
    await call(server, 'PATCH', `/admin/users/${disabled.id}`, {
      token: admin.session,
      json: { status: 'disabled' },
    }),
    200,
  );
  // Disabled behind the API's back: the credentials were never revoked, yet must not work.
  const flagged = await member(server, org.id, 'admin');
  credentials.flaggedAdminToken = await issuePat(server, flagged.session);
  credentials.flaggedAdminSession = flagged.session;
  await server.services.db
    .updateTable('users')
    .set({ status: 'disabled' })
    .where('id', '=', flagged.id)
    .execute();

  credentials.malformed = 'abs_pat_not-a-real-token';
  credentials.unknown = mintSecret('pat').secret;
  credentials.unknownSession = mintSecret('session').secret;
  credentials.garbage = 'Basic YWRtaW46YWRtaW4=';

  const other = await otherOrg(server);
  credentials.foreignAdminSession = other.admin.session;
  credentials.foreignAdminToken = await issuePat(server, other.admin.session);
  foreignIds = [org.id, admin.id, target.id, operator.id, viewer.id, token.tokenId];
});
afterAll(() => server.stop());

interface Refusal {
  name: string;
  credential: string | undefined;
  rawAuthorization?: boolean;
  status: number;
  code: string;
  challenge: RegExp;
}

const REFUSALS: Refusal[] = [
  {
    name: 'no token',
    credential: undefined,
    status: 401,
    code: 'missing_token',
    challenge: /^Bearer realm="abs"$/,
  },
  {
    name: 'a malformed token',
    credential: 'malformed',
    status: 401,
    code: 'invalid_token',
    challenge: /error="invalid_token"/,
  },
  {
    name: 'an unknown token',
    credential: 'unknown',
    status: 401,
    code: 'invalid_token',
    challenge: /error="invalid_token"/,
  },
  {
    name: 'an unknown session',
    credential: 'unknownSession',
    status: 401,
    code: 'invalid_token',
    challenge: /error="invalid_token"/,
  },
  {
    name: 'a non-bearer Authorization header',
    credential: 'garbage',
    rawAuthorization: true,
    status: 401,
    code: 'invalid_token',
    challenge: /error="invalid_token"/,
  },
  {
    name: 'a revoked admin token',
    credential: 'revokedAdminToken',
    status: 401,
    code: 'invalid_token',
    challenge: /error="invalid_token"/,
  },
  {
    name: 'an operator session',
    credential: 'operatorSession',
    status: 403,
    code: 'insufficient_scope',
    challenge: /error="insufficient_scope", scope="admin:manage"/,
  },
  {
    name: 'an operator token',
    credential: 'operatorToken',
    status: 403,
    code: 'insufficient_scope',
    challenge: /scope="admin:manage"/,
  },
  {
    name: 'a viewer token',
    credential: 'viewerToken',
    status: 403,
    code: 'insufficient_scope',
    challenge: /scope="admin:manage"/,
  },
  {
    name: "an admin's token without admin:manage",
    credential: 'narrowAdminToken',
    status: 403,
    code: 'insufficient_scope',
    challenge: /scope="admin:manage"/,
  },
  {
    name: 'a disabled admin token',
    credential: 'disabledAdminToken',
    status: 401,
    code: 'invalid_token',
    challenge: /error="invalid_token"/,
  },
  {
    name: 'a disabled admin session',
    credential: 'disabledAdminSession',
    status: 401,
    code: 'invalid_token',
    challenge: /error="invalid_token"/,
  },
  {
    name: 'an admin token disabled without revocation',
    credential: 'flaggedAdminToken',
    status: 401,
    code: 'invalid_token',
    challenge: /error="invalid_token"/,
  },
  {
    name: 'an admin session disabled without revocation',
    credential: 'flaggedAdminSession',
    status: 401,
    code: 'invalid_token',
    challenge: /error="invalid_token"/,
  },
];

function pathOf(route: AdminRoute): string {
  return route.path.replace(':user', victim.userId).replace(':token', victim.tokenId);
}

function send(route: AdminRoute, credential: string | undefined, raw = false) {
  const headers: Record<string, string> = raw && credential ? { authorization: credential } : {};
  return call(server, route.method, pathOf(route), {
    token: raw ? undefined : credential,
    headers,
    json: route.body?.(),
  });
}

/** The victim organization as stored, leaving out the use stamps a request may write. */
async function snapshot() {
  const db = server.services.db;
  const [org, users, tokens, sessions] = await Promise.all([
    db.selectFrom('organizations').selectAll().where('id', '=', victim.orgId).execute(),
    db.selectFrom('users').selectAll().where('org_id', '=', victim.orgId).orderBy('id').execute(),
    db.selectFrom('tokens').selectAll().where('org_id', '=', victim.orgId).orderBy('id').execute(),
    db
      .selectFrom('sessions')
      .selectAll()
      .where('org_id', '=', victim.orgId)
      .orderBy('id')
      .execute(),
  ]);
  return {
    org,
    users,
    tokens: tokens.map(({ last_used_at: _used, ...rest }) => rest),
    sessions: sessions.map(({ last_seen_at: _seen, ...rest }) => rest),
  };
}

describe.each(ADMIN_ROUTES)('$method $path', (route) => {
  it.each(REFUSALS)('refuses $name and changes nothing', async (refusal) => {
    const before = await snapshot();
    const credential = refusal.credential && credentials[refusal.credential];
    expect(refusal.credential === undefined || credential !== undefined).toBe(true);
    const reply = await send(route, credential, refusal.rawAuthorization);
    expectStatus(reply, refusal.status);
    expect(reply.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(reply.body).toMatchObject({ status: refusal.status, code: refusal.code });
    expect(reply.headers.get('www-authenticate')).toMatch(refusal.challenge);
    expect(await snapshot()).toEqual(before);
  });

  it.each(['foreignAdminSession', 'foreignAdminToken'])(
    'shows an admin of another organization (%s) nothing of ours',
    async (which) => {
      const before = await snapshot();
      const reply = await send(route, credentials[which]);
      if (route.sessionOnly && which === 'foreignAdminToken') {
        // Refused before any id is looked at: the same answer whatever the id.
        expectStatus(reply, 403);
        expect(reply.body.code).toBe('session_required');
      } else if (route.foreign === 'not_found') {
        expectStatus(reply, 404);
        expect(reply.body.code).toMatch(/_not_found$/);
      } else {
        expect(reply.status, reply.text).toBeGreaterThanOrEqual(200);
        expect(reply.status, reply.text).toBeLessThan(300);
      }
      for (const id of foreignIds) expect(reply.text).not.toContain(id);
      expect(await snapshot()).toEqual(before);
    },
  );
});
