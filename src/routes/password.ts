import { Hono } from 'hono';
import { z } from 'zod';
import { changeOwnPassword } from '../auth/password-change.js';
import { readJson } from '../http/body.js';
import type { AppEnv } from '../http/env.js';
import { requestOrigin, requireAuth } from '../http/guard.js';
import { ApiError } from '../http/problem.js';
import { budgeted } from '../http/rate-limit.js';
import { PASSWORD_MAX_LENGTH } from '../passwords.js';
import { secondsInWords } from '../time.js';

export const passwordRoutes = new Hono<AppEnv>();

// Lengths beyond the maximum are refused here, before any argon2 work is spent on them.
const ChangeBody = z.object({
  currentPassword: z.string().min(1).max(PASSWORD_MAX_LENGTH),
  newPassword: z.string().max(PASSWORD_MAX_LENGTH),
});

// A change ends the person's other sessions and is audited: a write like those of the admin
// routes, so it spends the same budget (wrong passwords also meet the sign-in throttle).
const signedIn = budgeted(requireAuth({ accept: 'session' }));

passwordRoutes.post('/me/password', signedIn, async (c) => {
  const principal = c.get('principal');
  if (principal.kind !== 'session') throw new Error('guard let a non-session through');
  const change = await readJson(c, ChangeBody);
  const outcome = await changeOwnPassword(c.get('services'), principal, change, requestOrigin(c));
  if (outcome.ok) return c.body(null, 204);
  switch (outcome.reason) {
    case 'throttled':
      throw new ApiError(
        429,
        'too_many_attempts',
        `Too many wrong passwords. Try again in ${secondsInWords(outcome.retryAfter)}.`,
        { retryAfter: outcome.retryAfter },
        { 'retry-after': String(outcome.retryAfter) },
      );
    case 'invalid_credentials':
      throw new ApiError(403, 'invalid_credentials', 'The current password is incorrect.');
    case 'no_password':
      throw new ApiError(
        409,
        'no_password',
        'This account signs in through GitHub and has no password; an account manager can set one.',
      );
    case 'weak_password': {
      const errors = [
        { field: 'newPassword', message: outcome.detail.replace(/^newPassword: /, '') },
      ];
      throw new ApiError(400, 'validation_failed', outcome.detail, { errors });
    }
  }
});
