import { Hono } from 'hono';
import type { AppEnv } from '../http/env.js';
import { identify, refusal } from '../http/guard.js';
import { formatScope } from '../roles.js';
import { iso } from '../store/tokens.js';

export const verifyRoutes = new Hono<AppEnv>();

/** Token introspection in the spirit of RFC 7662: anything not valid now is `active: false`. */
verifyRoutes.get('/verify', async (c) => {
  const outcome = await identify(c);
  if (!outcome.ok) throw await refusal(c, outcome, { active: false });
  const p = outcome.principal;
  return c.json({
    active: true,
    type: p.kind,
    tokenId: p.kind === 'pat' ? p.tokenId : p.sessionId,
    userId: p.userId,
    email: p.email,
    role: p.role,
    scope: formatScope(p.scopes),
    environment: p.kind === 'pat' ? p.environment : null,
    expiresAt: iso(p.expiresAt),
  });
});
