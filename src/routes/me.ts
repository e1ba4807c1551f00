import { Hono } from 'hono';
import { profileOf } from '../auth/profile.js';
import { csrfTokenFor } from '../auth/sessions.js';
import type { AppEnv } from '../http/env.js';
import { requireAuth } from '../http/guard.js';
import { ApiError } from '../http/problem.js';
import { formatScope } from '../roles.js';
import { findUserById } from '../store/users.js';

export const meRoutes = new Hono<AppEnv>();

meRoutes.get('/me', requireAuth(), async (c) => {
  const principal = c.get('principal');
  const services = c.get('services');
  const user = await findUserById(services.db, principal.userId);
  if (!user) throw new ApiError(401, 'invalid_token', 'The user no longer exists.');
  const profile = await profileOf(services.db, user);
  const csrf =
    principal.kind === 'session' ? { csrfToken: csrfTokenFor(principal.secretHash) } : {};
  // The scopes in force for this credential: a token's own, within its owner's current role.
  return c.json({ ...profile, scope: formatScope(principal.scopes), ...csrf });
});
