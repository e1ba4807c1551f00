import type { Context, MiddlewareHandler } from 'hono';
import type { Actor } from '../../admin/actor.js';
import type { AdminFailure, AdminFailureCode } from '../../admin/outcome.js';
import type { AppEnv } from '../../http/env.js';
import { requestOrigin, requireAuth } from '../../http/guard.js';
import { ApiError } from '../../http/problem.js';
import { budgeted, managementBudget } from '../../http/rate-limit.js';

const adminGuard = requireAuth({ scope: 'admin:manage' });

/**
 * The gate of every admin route: an admin's session or a PAT carrying `admin:manage`, then the
 * admin's management budget.
 */
export const adminOnly = budgeted(adminGuard);

/**
 * The gate of the routes that change the organization as a whole (its people, their roles, its
 * policy): a signed-in admin only, then the management budget. A PAT is bound to one environment
 * and these changes reach every environment: a staging admin token could otherwise create an
 * admin with a password, sign in as them and take a production token, or turn the enterprise
 * policy off. Refused before the budget, like any other refusal of who is calling.
 */
export const organizationWide: MiddlewareHandler<AppEnv> = (c, next) =>
  adminGuard(c, async () => {
    if (c.get('principal').kind === 'pat') {
      throw new ApiError(
        403,
        'session_required',
        'Changing users or the organization needs a signed-in admin: a Personal Access Token ' +
          'is bound to one environment, and these changes reach every environment.',
      );
    }
    await managementBudget(c, next);
  });

const STATUS: Record<AdminFailureCode, 400 | 403 | 404 | 409> = {
  user_not_found: 404,
  token_not_found: 404,
  organization_not_found: 404,
  email_taken: 409,
  weak_password: 400,
  invalid_scope: 400,
  own_role: 403,
  own_account: 403,
  last_admin: 409,
  user_disabled: 409,
  token_revoked: 409,
  token_expired: 409,
  token_already_rotated: 409,
  no_scope_left: 409,
  environment_mismatch: 403,
};

/** Validation failures keep the one code clients already handle for bad input. */
const CODE: Partial<Record<AdminFailureCode, string>> = {
  weak_password: 'validation_failed',
  invalid_scope: 'validation_failed',
};

export function adminError(failure: AdminFailure): ApiError {
  return new ApiError(STATUS[failure.code], CODE[failure.code] ?? failure.code, failure.detail);
}

/** The admin making this request, as the audit log names them. */
export function actorOf(c: Context<AppEnv>): Actor {
  return { type: 'user', id: c.get('principal').userId, ...requestOrigin(c) };
}
