import { PAGE_PATHS } from '../../src/routes/dashboard.js';

/**
 * What a route needs to be reached: `none`, a session (`session`), any credential (`any`),
 * admin:manage (`admin`), an admin's session (`admin-session`: changes to the whole
 * organization), runtime:write on a PAT (`write`) or runtime:read (`read`).
 */
export type Auth = 'none' | 'session' | 'any' | 'admin' | 'admin-session' | 'write' | 'read';

export interface RouteSpec {
  method: string;
  /** As registered, with `:id` or `:name` for the path parameter. */
  path: string;
  auth: Auth;
  /** Known body fields, each with values the route accepts. */
  body?: Record<string, readonly unknown[]>;
  /** Known query keys, each with values the route accepts. */
  query?: Record<string, readonly string[]>;
  /** Real ids (by name in the World) a path parameter may take besides generated ones. */
  ids?: readonly ('victimId' | 'victimTokenId' | 'adminId')[];
  /** Ends the credential that calls it (logout): only refused credentials are sent. */
  consumesCredential?: boolean;
}

const TOKEN_BODY = {
  name: ['build bot', 'ci'],
  environment: ['production', 'staging'],
  expiresInDays: [1, 30, 365],
  scope: ['runtime:read', 'runtime:read runtime:write', 'admin:manage'],
};
const PAGE_QUERY = { limit: ['1', '50', '200'], cursor: ['WyJ4Il0', 'WzEsIngiXQ'] };
const INSTANT = ['2026-01-01T00:00:00Z', '2026-12-31', '2026-06-01T12:00:00+02:00'];

export const ROUTES: RouteSpec[] = [
  { method: 'GET', path: '/health', auth: 'none' },
  {
    method: 'POST',
    path: '/login',
    auth: 'none',
    body: {
      email: ['admin@example.test', 'nobody@example.test', ' Admin@Example.Test '],
      password: ['wrong password 123', 'x'],
    },
  },
  { method: 'POST', path: '/logout', auth: 'session', consumesCredential: true },
  { method: 'GET', path: '/me', auth: 'any' },
  {
    method: 'POST',
    path: '/me/password',
    auth: 'session',
    body: {
      currentPassword: ['wrong password 123', 'x'],
      newPassword: ['a long enough password', 'short'],
    },
  },
  { method: 'POST', path: '/token', auth: 'session', body: TOKEN_BODY },
  { method: 'GET', path: '/tokens', auth: 'session' },
  { method: 'DELETE', path: '/tokens/:id', auth: 'session', ids: ['victimTokenId'] },
  { method: 'GET', path: '/verify', auth: 'any' },
  { method: 'GET', path: '/admin/users', auth: 'admin', query: PAGE_QUERY },
  {
    method: 'POST',
    path: '/admin/users',
    auth: 'admin-session',
    body: {
      email: ['new.person@example.test', 'admin@example.test'],
      role: ['admin', 'operator', 'viewer'],
      name: ['New Person'],
      password: ['a long enough password', 'short'],
    },
  },
  { method: 'GET', path: '/admin/users/:id', auth: 'admin', ids: ['victimId', 'adminId'] },
  {
    method: 'PATCH',
    path: '/admin/users/:id',
    auth: 'admin-session',
    ids: ['victimId'],
    body: { role: ['operator', 'viewer'], name: ['Renamed'], status: ['active', 'disabled'] },
  },
  { method: 'DELETE', path: '/admin/users/:id', auth: 'admin-session', ids: ['victimId'] },
  {
    method: 'POST',
    path: '/admin/users/:id/tokens',
    auth: 'admin',
    ids: ['victimId'],
    body: TOKEN_BODY,
  },
  {
    method: 'GET',
    path: '/admin/tokens',
    auth: 'admin',
    query: {
      ...PAGE_QUERY,
      userId: ['usr_x'],
      environment: ['production', 'staging'],
      active: ['true', 'false'],
    },
  },
  {
    method: 'POST',
    path: '/admin/tokens/:id/rotate',
    auth: 'admin',
    ids: ['victimTokenId'],
    body: { gracePeriodSeconds: [0, 60, 3600] },
  },
  {
    method: 'PATCH',
    path: '/admin/tokens/:id',
    auth: 'admin',
    ids: ['victimTokenId'],
    body: { rateLimit: ['100/60s', '5/1h', null] },
  },
  { method: 'DELETE', path: '/admin/tokens/:id', auth: 'admin', ids: ['victimTokenId'] },
  { method: 'GET', path: '/admin/org', auth: 'admin' },
  {
    method: 'PATCH',
    path: '/admin/org',
    auth: 'admin-session',
    body: { selfServiceTokens: [true, false], githubSignup: [true, false] },
  },
  {
    method: 'GET',
    path: '/admin/audit',
    auth: 'admin',
    query: {
      ...PAGE_QUERY,
      action: ['auth.login'],
      actorId: ['usr_x'],
      since: INSTANT,
      until: INSTANT,
    },
  },
  {
    method: 'GET',
    path: '/admin/audit/verify',
    auth: 'admin',
    query: { expectHead: ['0'.repeat(64)] },
  },
  {
    method: 'GET',
    path: '/auth/github',
    auth: 'none',
    query: { returnTo: ['/', '/account/tokens', '//evil.example', 'https://evil.example/'] },
  },
  {
    method: 'GET',
    path: '/auth/github/callback',
    auth: 'none',
    query: { state: ['abc'], code: ['xyz'], error: ['access_denied'] },
  },
  {
    method: 'POST',
    path: '/v1/events/ingest',
    auth: 'write',
    body: {
      event_type: ['tool.call'],
      payload: [{ a: 1 }, {}],
      metadata: [{ agent_id: 'agent-1', timestamp: '2026-12-04T15:00:00Z' }, {}],
    },
  },
  {
    method: 'POST',
    path: '/v1/events/ingest/batch',
    auth: 'write',
    body: { events: [[{ event_type: 'tool.call', payload: {} }], []] },
  },
  {
    method: 'POST',
    path: '/v1/events/query',
    auth: 'read',
    body: {
      limit: [1, 50, 1000],
      cursor: ['Y3Vyc29y'],
      event_type: ['tool.call'],
      agent_id: ['agent-1'],
      since: INSTANT,
      until: INSTANT,
    },
  },
  { method: 'GET', path: '/auth/providers', auth: 'none' },
  { method: 'GET', path: '/assets/:name', auth: 'none' },
  ...PAGE_PATHS.map((path) => ({ method: 'GET', path, auth: 'none' as const })),
  // The dashboard's catch-all: any other path, answered by a page or a 404.
  { method: 'GET', path: '/*', auth: 'none' },
];

/** `METHOD path` of every route, as Hono lists them. */
export const routeKey = (r: { method: string; path: string }) => `${r.method} ${r.path}`;
