import type { Config, GithubConfig } from '../config.js';
import type { RequestOrigin } from '../auth/sessions.js';
import { safeEqual, sha256Hex } from '../crypto/hash.js';
import type { Services } from '../services.js';
import {
  claimOAuthState,
  deleteOAuthStatesBefore,
  insertOAuthState,
} from '../store/oauth-states.js';
import type { User } from '../store/users.js';
import { accountFor } from './accounts.js';
import {
  authorizeUrl,
  exchangeCode,
  fetchEmails,
  fetchIdentity,
  type GithubIdentity,
} from './client.js';
import { codeChallengeS256, newCodeVerifier, newState } from './pkce.js';
import type { Refusal } from './refusals.js';
import { safeReturnTo } from './return-to.js';

/** How long a person has between leaving for GitHub and coming back. */
export const STATE_TTL_MS = 10 * 60_000;

export function callbackUrl(config: Config): string {
  return `${config.publicUrl}/auth/github/callback`;
}

/**
 * Opens one sign-in attempt: a fresh state (kept only as a hash) and PKCE verifier (kept only
 * here). The caller binds the state to the browser with a cookie.
 */
export async function beginSignIn(
  services: Services,
  github: GithubConfig,
  returnTo: string | undefined,
): Promise<{ state: string; authorizeUrl: string }> {
  const now = services.now();
  const state = newState();
  const codeVerifier = newCodeVerifier();
  // Rows live until this sweep, up to twenty minutes; GET /auth/github spends an address budget
  // (src/http/rate-limit.ts), so one client cannot store them faster than ABS_RATE_LIMIT.
  await deleteOAuthStatesBefore(services.db, now - STATE_TTL_MS);
  await insertOAuthState(services.db, {
    stateHash: sha256Hex(state),
    codeVerifier,
    returnTo: safeReturnTo(returnTo),
    createdAt: now,
    expiresAt: now + STATE_TTL_MS,
  });
  const url = authorizeUrl(github, {
    redirectUri: callbackUrl(services.config),
    state,
    codeChallenge: codeChallengeS256(codeVerifier),
  });
  return { state, authorizeUrl: url };
}

export interface CallbackInput {
  state: string | undefined;
  cookieState: string | undefined;
  code: string | undefined;
  error: string | undefined;
}

export type CallbackOutcome =
  | { ok: true; user: User; identity: GithubIdentity; returnTo: string }
  | { ok: false; refusal: Refusal };

/**
 * Finishes an attempt. The state is checked and spent before anything is sent to GitHub; then the
 * code is traded for a token that lives only for this request.
 * LIMITATION: the GitHub token is dropped, not revoked at GitHub; it stays valid there until the
 * person removes the app (a DELETE to GitHub's token API after sign-in would end it).
 */
export async function completeSignIn(
  services: Services,
  github: GithubConfig,
  input: CallbackInput,
  origin: RequestOrigin,
): Promise<CallbackOutcome> {
  const state = await spendState(services, input);
  if (!state.ok) return state;
  if (input.error !== undefined) {
    const reason = input.error === 'access_denied' ? 'access_denied' : 'github_error';
    const githubError = /^[a-z_]{1,64}$/.test(input.error) ? input.error : 'other';
    return refuse({ reason, githubError });
  }
  if (!input.code) return refuse({ reason: 'code_missing' });

  const redirectUri = callbackUrl(services.config);
  const exchange = { code: input.code, codeVerifier: state.codeVerifier, redirectUri };
  const token = await exchangeCode(github, exchange);
  if (!token.ok) return refuse(githubFailure(token.failure, token.githubError));
  const identity = await fetchIdentity(github, token.value);
  if (!identity.ok) return refuse(githubFailure(identity.failure, identity.githubError));

  const who = { githubId: identity.value.id, githubLogin: identity.value.login };
  const loadEmails = () => fetchEmails(github, token.value);
  const account = await accountFor(services, identity.value, loadEmails, origin);
  if (!account.ok) {
    return refuse({ reason: account.reason, user: account.user, email: account.email, ...who });
  }
  return { ok: true, user: account.user, identity: identity.value, returnTo: state.returnTo };
}

async function spendState(services: Services, input: CallbackInput) {
  if (!input.state || !input.cookieState) return refuse({ reason: 'state_missing' });
  // The cookie proves this browser started the attempt: a callback link planted by someone else
  // (login CSRF) carries their state, not the one this browser holds.
  if (!safeEqual(input.state, input.cookieState)) return refuse({ reason: 'state_mismatch' });
  const claim = await claimOAuthState(services.db, sha256Hex(input.state), services.now());
  if (!claim.ok) return refuse({ reason: `state_${claim.reason}` });
  return claim;
}

function githubFailure(failure: 'unavailable' | 'rejected', githubError?: string): Refusal {
  if (failure === 'unavailable') return { reason: 'github_unavailable' };
  return { reason: 'exchange_failed', ...(githubError ? { githubError } : {}) };
}

function refuse(refusal: Refusal): { ok: false; refusal: Refusal } {
  return { ok: false, refusal };
}
