import type { Role } from '../../src/roles.js';
import { call, expectStatus, login } from '../support/client.js';
import { makeOrg, makeUser } from '../support/fixtures.js';
import { ADMIN_EMAIL, type TestServer } from '../support/server.js';
import { adminOrgId } from '../support/client.js';

/** A person of the test world with a live session. */
export interface Member {
  id: string;
  email: string;
  password: string;
  session: string;
}

export async function member(server: TestServer, orgId: string, role: Role): Promise<Member> {
  const made = await makeUser(server.services, orgId, role);
  const session = await login(server, made.email, made.password);
  return { id: made.user.id, email: made.email, password: made.password, session };
}

/** The first admin of the server's organization, signed in. */
export async function firstAdmin(server: TestServer) {
  const session = await login(server);
  const orgId = await adminOrgId(server);
  const row = await server.services.db
    .selectFrom('users')
    .select('id')
    .where('email', '=', ADMIN_EMAIL)
    .executeTakeFirstOrThrow();
  return { id: row.id, orgId, session };
}

/** A second, unrelated client organization with its own admin. */
export async function otherOrg(server: TestServer, enterprise = false) {
  const org = await makeOrg(server.services, `Other ${Date.now()}`, enterprise);
  const admin = await member(server, org.id, 'admin');
  return { orgId: org.id, admin };
}

/** Issues a token for a user through the admin API and returns the whole answer. */
export async function issueFor(
  server: TestServer,
  adminToken: string,
  userId: string,
  request: object = {},
) {
  const reply = await call(server, 'POST', `/admin/users/${userId}/tokens`, {
    token: adminToken,
    json: request,
  });
  expectStatus(reply, 201);
  return reply.body as { accessToken: string; tokenId: string; scope: string; expiresAt: string };
}

/** The audit entries of an organization with this action, oldest first. */
export async function auditOf(server: TestServer, orgId: string, action: string) {
  const rows = await server.services.db
    .selectFrom('audit_entries')
    .selectAll()
    .where('org_id', '=', orgId)
    .where('action', '=', action)
    .orderBy('seq')
    .execute();
  return rows.map((row) => ({ ...row, details: JSON.parse(row.details) as Record<string, any> }));
}

export async function tokenRow(server: TestServer, id: string) {
  return server.services.db
    .selectFrom('tokens')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
}

/** What a credential can do right now, as `/verify` says. */
export async function verify(server: TestServer, token: string) {
  return call(server, 'GET', '/verify', { token });
}
