import { FAKE_CLIENT_ID, FAKE_CLIENT_SECRET, FakeGithub } from '../github/fake-github.js';
import { adminOrgId, call, expectStatus, issuePat, login } from '../support/client.js';
import { makeUser } from '../support/fixtures.js';
import { ADMIN_EMAIL, startTestServer, type TestServer } from '../support/server.js';

/** Credentials and ids the hostile runs use: real ones, so requests reach deep into handlers. */
export interface World {
  server: TestServer;
  fake: FakeGithub;
  orgId: string;
  adminSession: string;
  /** The CSRF token of the admin session, for requests that carry it as a cookie. */
  adminCsrf: string;
  adminPat: string;
  operatorPat: string;
  /** A staging token on a production server: refused as the wrong environment. */
  stagingPat: string;
  revokedPat: string;
  /** Someone the admin routes may change or delete; no credential of the runs belongs to them. */
  victimId: string;
  victimTokenId: string;
  /** The admin's own ids: routes must refuse to lock the last admin out. */
  adminId: string;
  stop(): Promise<void>;
}

export async function startWorld(): Promise<World> {
  const fake = await new FakeGithub().start();
  const server = await startTestServer({
    // High budgets so generated requests reach validation instead of stopping at a 429.
    ABS_RATE_LIMIT: '1000000/60s',
    ABS_MANAGEMENT_RATE_LIMIT: '1000000/60s',
    ABS_TRUST_PROXY: '127.0.0.1',
    ABS_GITHUB_CLIENT_ID: FAKE_CLIENT_ID,
    ABS_GITHUB_CLIENT_SECRET: FAKE_CLIENT_SECRET,
    ABS_GITHUB_URL: fake.url,
    ABS_GITHUB_API_URL: fake.url,
  });
  const orgId = await adminOrgId(server);
  const adminSession = await login(server);
  const adminPat = await issuePat(server, adminSession, { name: 'hostile admin' });
  const me = await call(server, 'GET', '/me', { token: adminSession });
  expectStatus(me, 200);
  const operator = await makeUser(server.services, orgId, 'operator');
  const operatorSession = await login(server, operator.email, operator.password);
  const operatorPat = await issuePat(server, operatorSession, { name: 'hostile operator' });
  const stagingPat = await issuePat(server, operatorSession, { environment: 'staging' });
  const revoked = await call(server, 'POST', '/token', { token: operatorSession, json: {} });
  expectStatus(revoked, 201);
  const gone = await call(server, 'DELETE', `/tokens/${revoked.body.tokenId}`, {
    token: operatorSession,
  });
  expectStatus(gone, 204);
  const victim = await makeUser(server.services, orgId, 'viewer');
  const victimSession = await login(server, victim.email, victim.password);
  const victimToken = await call(server, 'POST', '/token', { token: victimSession, json: {} });
  expectStatus(victimToken, 201);
  const admin = await server.services.db
    .selectFrom('users')
    .select('id')
    .where('email', '=', ADMIN_EMAIL)
    .executeTakeFirstOrThrow();
  return {
    server,
    fake,
    orgId,
    adminSession,
    adminCsrf: me.body.csrfToken,
    adminPat,
    operatorPat,
    stagingPat,
    revokedPat: revoked.body.accessToken,
    victimId: victim.user.id,
    victimTokenId: victimToken.body.tokenId,
    adminId: admin.id,
    async stop() {
      await server.stop();
      await fake.stop();
    },
  };
}
