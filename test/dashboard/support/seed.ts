import { call, expectStatus, issuePat, login } from '../../support/client.js';
import { makeUser } from '../../support/fixtures.js';
import { ADMIN_EMAIL, ADMIN_PASSWORD, type TestServer } from '../../support/server.js';
import { adminOrgId } from '../../support/client.js';

export interface Person {
  email: string;
  password: string;
  id: string;
}

export interface Seeded {
  admin: Person;
  operator: Person;
  viewer: Person;
  orgId: string;
}

/** An organization with one person of each role, a few tokens and some governance events. */
export async function seedOrganization(server: TestServer): Promise<Seeded> {
  const orgId = await adminOrgId(server);
  const operator = await makeUser(server.services, orgId, 'operator', 'olivia.ops@example.test');
  const viewer = await makeUser(server.services, orgId, 'viewer', 'victor.view@example.test');
  const adminSession = await login(server);
  const me = await call(server, 'GET', '/me', { token: adminSession });
  const operatorSession = await login(server, operator.email, operator.password);
  const agentToken = await issuePat(server, operatorSession, {
    name: 'support-agent',
    environment: 'production',
  });
  await issuePat(server, operatorSession, { name: 'ci-staging', environment: 'staging' });
  await sendEvents(server, agentToken);
  return {
    orgId,
    admin: { email: ADMIN_EMAIL, password: ADMIN_PASSWORD, id: me.body.id },
    operator: { email: operator.email, password: operator.password, id: operator.user.id },
    viewer: { email: viewer.email, password: viewer.password, id: viewer.user.id },
  };
}

async function sendEvents(server: TestServer, token: string): Promise<void> {
  const events = Array.from({ length: 30 }, (_, i) => ({
    event_type: i % 3 === 0 ? 'policy.denied' : 'tool.call',
    payload: { tool: i % 2 ? 'refund' : 'lookup', amount: i * 10 },
    metadata: { agent_id: i % 2 ? 'billing-agent' : 'support-agent' },
  }));
  const reply = await call(server, 'POST', '/v1/events/ingest/batch', { token, json: { events } });
  expectStatus(reply, 201);
}
