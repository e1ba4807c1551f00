import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../http/env.js';
import { insufficientScope } from '../http/guard.js';
import { ApiError } from '../http/problem.js';
import type { Scope } from '../roles.js';

/**
 * The scope check of one runtime route, behind the `/v1` gate that already authenticated the
 * caller. `tokenOnly`: events record the token that sent them, so only a PAT may send; a
 * signed-in person (the dashboard) may read with the scopes of their role.
 */
export function requireRuntime(
  scope: Scope,
  opts: { tokenOnly?: boolean } = {},
): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const principal = c.get('principal');
    if (opts.tokenOnly && principal.kind !== 'pat') {
      throw new ApiError(
        403,
        'token_required',
        'Sending events needs a Personal Access Token; a session cannot send them.',
      );
    }
    if (!principal.scopes.includes(scope)) throw await insufficientScope(c, principal, scope);
    await next();
  };
}
