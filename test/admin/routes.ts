/**
 * Every route of the admin API, for the shared security suite. Add a new admin route here and it
 * is tried with every kind of wrong caller. `:user` and `:token` become ids of a user and a token
 * of the organization under attack.
 */
export interface AdminRoute {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  path: string;
  body?: () => object;
  /**
   * What an admin of another organization gets: `not_found` for a route about one of our ids;
   * `own_only` for a route about the caller's own organization, which must answer with nothing
   * of ours in it.
   */
  foreign: 'not_found' | 'own_only';
  /** Changes the whole organization: a signed-in admin only, never a PAT (403 session_required). */
  sessionOnly?: true;
}

let emails = 0;

export const ADMIN_ROUTES: AdminRoute[] = [
  { method: 'GET', path: '/admin/users', foreign: 'own_only' },
  {
    method: 'POST',
    path: '/admin/users',
    body: () => ({ email: `sec${++emails}-${Date.now()}@example.test`, role: 'admin' }),
    foreign: 'own_only',
    sessionOnly: true,
  },
  { method: 'GET', path: '/admin/users/:user', foreign: 'not_found' },
  {
    method: 'PATCH',
    path: '/admin/users/:user',
    body: () => ({ role: 'admin' }),
    foreign: 'not_found',
    sessionOnly: true,
  },
  { method: 'DELETE', path: '/admin/users/:user', foreign: 'not_found', sessionOnly: true },
  { method: 'POST', path: '/admin/users/:user/tokens', body: () => ({}), foreign: 'not_found' },
  { method: 'GET', path: '/admin/tokens', foreign: 'own_only' },
  {
    method: 'POST',
    path: '/admin/tokens/:token/rotate',
    body: () => ({ gracePeriodSeconds: 60 }),
    foreign: 'not_found',
  },
  {
    method: 'PATCH',
    path: '/admin/tokens/:token',
    body: () => ({ rateLimit: '1/60s' }),
    foreign: 'not_found',
  },
  { method: 'DELETE', path: '/admin/tokens/:token', foreign: 'not_found' },
  { method: 'GET', path: '/admin/org', foreign: 'own_only' },
  {
    method: 'PATCH',
    path: '/admin/org',
    body: () => ({ selfServiceTokens: false, githubSignup: true }),
    foreign: 'own_only',
    sessionOnly: true,
  },
  { method: 'GET', path: '/admin/audit', foreign: 'own_only' },
  { method: 'GET', path: '/admin/audit/verify', foreign: 'own_only' },
];
