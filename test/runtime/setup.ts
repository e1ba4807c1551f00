import { call, expectStatus, login } from '../support/client.js';
import { makeUser } from '../support/fixtures.js';
import type { TestServer } from '../support/server.js';
import type { Role } from '../../src/roles.js';

/** A new user of `orgId` with a session and a PAT (of the server's environment unless asked). */
export async function member(
  server: TestServer,
  orgId: string,
  role: Role,
  patRequest: { environment?: string; scope?: string } = {},
) {
  const made = await makeUser(server.services, orgId, role);
  const session = await login(server, made.email, made.password);
  const issued = await call(server, 'POST', '/token', { token: session, json: patRequest });
  expectStatus(issued, 201);
  const { accessToken: pat, tokenId } = issued.body as { accessToken: string; tokenId: string };
  return { user: made.user, session, pat, tokenId };
}

export const ingest = (server: TestServer, token: string | undefined, event: unknown) =>
  call(server, 'POST', '/v1/events/ingest', { token, json: event });

export const ingestBatch = (server: TestServer, token: string | undefined, events: unknown) =>
  call(server, 'POST', '/v1/events/ingest/batch', { token, json: { events } });

export const query = (server: TestServer, token: string | undefined, body: unknown = {}) =>
  call(server, 'POST', '/v1/events/query', { token, json: body });

export async function storedEvents(server: TestServer, orgId: string) {
  return server.services.db
    .selectFrom('events')
    .selectAll()
    .where('org_id', '=', orgId)
    .orderBy('seq', 'asc')
    .execute();
}

export function event(n: number, extra: Record<string, unknown> = {}) {
  return { event_type: 'tool.call', payload: { n }, ...extra };
}

/** Every route behind a bearer token that the runtime issue covers, with a body each accepts. */
export const ROUTES = [
  { method: 'POST', path: '/v1/events/ingest', json: event(1) },
  { method: 'POST', path: '/v1/events/ingest/batch', json: { events: [event(1)] } },
  { method: 'POST', path: '/v1/events/query', json: { limit: 5 } },
  { method: 'GET', path: '/verify', json: undefined },
] as const;

export const sendTo = (
  server: TestServer,
  route: (typeof ROUTES)[number],
  opts: { token?: string; headers?: Record<string, string> },
) => call(server, route.method, route.path, { json: route.json, ...opts });
