import { Hono } from 'hono';
import { z } from 'zod';
import { appendAudit } from '../audit/ledger.js';
import { checkPassword } from '../auth/login.js';
import { profileOf } from '../auth/profile.js';
import { startSession } from '../auth/sessions.js';
import { PASSWORD_MAX_LENGTH } from '../passwords.js';
import { readJson } from '../http/body.js';
import { clearSessionCookie, setSessionCookie } from '../http/cookies.js';
import type { AppEnv } from '../http/env.js';
import { EmailAddress } from '../text.js';
import { requestOrigin, requireAuth } from '../http/guard.js';
import { ApiError } from '../http/problem.js';
import { revokeSession } from '../store/sessions.js';
import { iso, secondsInWords } from '../time.js';

export const loginRoutes = new Hono<AppEnv>();

const LoginBody = z.object({
  email: EmailAddress,
  password: z.string().min(1).max(PASSWORD_MAX_LENGTH),
});

loginRoutes.post('/login', async (c) => {
  const { email, password } = await readJson(c, LoginBody);
  const services = c.get('services');
  const origin = requestOrigin(c);
  const outcome = await checkPassword(services, email, password, origin);
  if (!outcome.ok && outcome.reason === 'throttled') {
    throw new ApiError(
      429,
      'too_many_attempts',
      `Too many failed sign-ins. Try again in ${secondsInWords(outcome.retryAfter)}.`,
      { retryAfter: outcome.retryAfter },
      { 'retry-after': String(outcome.retryAfter) },
    );
  }
  if (!outcome.ok) {
    throw new ApiError(401, 'invalid_credentials', 'The email or password is incorrect.');
  }
  const session = await startSession(services, outcome.user, origin, { action: 'auth.login' });
  setSessionCookie(c, session.secret, session.absoluteExpiresAt);
  return c.json({
    token: session.secret,
    tokenType: 'Bearer',
    expiresAt: iso(session.expiresAt),
    csrfToken: session.csrfToken,
    user: await profileOf(services.db, outcome.user),
  });
});

loginRoutes.post('/logout', requireAuth({ accept: 'session' }), async (c) => {
  const principal = c.get('principal');
  if (principal.kind !== 'session') throw new Error('guard let a non-session through');
  const services = c.get('services');
  const now = services.now();
  await services.db.transaction().execute(async (tx) => {
    await revokeSession(tx, principal.sessionId, now);
    await appendAudit(
      tx,
      {
        orgId: principal.orgId,
        actor: { type: 'user', id: principal.userId },
        action: 'auth.logout',
        target: { type: 'session', id: principal.sessionId },
        ...requestOrigin(c),
      },
      now,
    );
  });
  services.logger.info({ sessionId: principal.sessionId }, 'session ended');
  clearSessionCookie(c);
  return c.body(null, 204);
});
