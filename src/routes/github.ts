import { Hono, type Context } from 'hono';
import { startSession } from '../auth/sessions.js';
import { completeSignIn, beginSignIn } from '../github/flow.js';
import { PAGE_CSP, refusalPage } from '../github/page.js';
import { recordRefusal, REFUSALS, type Refusal, type RefusalReason } from '../github/refusals.js';
import { clearStateCookie, readStateCookie, setStateCookie } from '../github/state-cookie.js';
import { preferredType } from '../http/accept.js';
import { setSessionCookie } from '../http/cookies.js';
import type { AppEnv } from '../http/env.js';
import { requestOrigin } from '../http/guard.js';
import { addressBudget } from '../http/rate-limit.js';
import { ApiError, problemResponse } from '../http/problem.js';

export const githubRoutes = new Hono<AppEnv>();

githubRoutes.get('/auth/github', addressBudget('gh'), async (c) => {
  const services = c.get('services');
  const github = services.config.github;
  if (!github) return refusalAnswer(c, 'not_configured');
  const started = await beginSignIn(services, github, c.req.query('returnTo'));
  setStateCookie(c, started.state);
  return c.redirect(started.authorizeUrl, 302);
});

githubRoutes.get('/auth/github/callback', async (c) => {
  const services = c.get('services');
  const github = services.config.github;
  if (!github) return refusalAnswer(c, 'not_configured');
  const cookieState = readStateCookie(c);
  // Whatever happens next, this attempt is over for this browser.
  clearStateCookie(c);
  const origin = requestOrigin(c);
  const input = {
    state: c.req.query('state'),
    cookieState,
    code: c.req.query('code'),
    error: c.req.query('error'),
  };
  const outcome = await completeSignIn(services, github, input, origin);
  if (!outcome.ok) return refuseCallback(c, outcome.refusal);

  const { user, identity } = outcome;
  const details = { githubId: identity.id, githubLogin: identity.login };
  const session = await startSession(services, user, origin, { action: 'auth.github', details });
  setSessionCookie(c, session.secret, session.absoluteExpiresAt);
  services.logger.info({ userId: user.id, githubId: identity.id }, 'github sign-in');
  return c.redirect(outcome.returnTo, 302);
});

async function refuseCallback(c: Context<AppEnv>, refusal: Refusal): Promise<Response> {
  await recordRefusal(c.get('services'), refusal, requestOrigin(c));
  return refusalAnswer(c, refusal.reason);
}

/**
 * The page first, for ties: a browser sent here by GitHub or by a link ranks HTML highest anyway,
 * and a client that states no preference (the full wildcard, or no Accept) gets the page too.
 */
const REFUSAL_TYPES = ['text/html', 'application/problem+json', 'application/json'] as const;

/** A page for a browser; problem details for a client that prefers JSON. */
function refusalAnswer(c: Context<AppEnv>, reason: RefusalReason): Response {
  const text = REFUSALS[reason];
  // Accepting neither, the client gets the page, as if it had sent no Accept at all.
  const type = preferredType(c.req.header('accept'), REFUSAL_TYPES) ?? 'text/html';
  if (type !== 'text/html') {
    return problemResponse(c, new ApiError(text.status, text.code, text.message, { reason }));
  }
  c.header('content-security-policy', PAGE_CSP);
  return c.html(refusalPage(text.title, text.message, text.code), text.status);
}
