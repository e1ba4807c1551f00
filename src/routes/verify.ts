import { Hono } from 'hono';
import type { AppEnv } from '../http/env.js';
import { outcomeFromFastPath, verifyView } from '../http/fast-verify.js';
import { identify, refusal } from '../http/guard.js';

export const verifyRoutes = new Hono<AppEnv>();

/**
 * Token introspection in the spirit of RFC 7662: anything not valid now is `active: false`.
 * The common case, a valid bearer token, is answered before the app by `fast-verify.ts`; this
 * route answers everything else (cookies, refusals, CORS requests, HEAD).
 */
verifyRoutes.get('/verify', async (c) => {
  const outcome = outcomeFromFastPath(c) ?? (await identify(c));
  if (!outcome.ok) throw await refusal(c, outcome, { active: false });
  return c.json(verifyView(outcome.principal));
});
