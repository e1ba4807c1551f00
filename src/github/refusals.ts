import { appendAudit, SYSTEM_CHAIN } from '../audit/ledger.js';
import type { Outcome } from '../audit/entry.js';
import type { RequestOrigin } from '../auth/sessions.js';
import type { Services } from '../services.js';
import type { User } from '../store/users.js';
import type { AccountRefusal } from './accounts.js';

export type RefusalReason =
  | 'not_configured'
  | 'state_missing'
  | 'state_mismatch'
  | 'state_unknown'
  | 'state_expired'
  | 'state_used'
  | 'access_denied'
  | 'github_error'
  | 'code_missing'
  | AccountRefusal;

export interface Refusal {
  reason: RefusalReason;
  user?: User;
  email?: string;
  githubId?: string;
  githubLogin?: string;
  githubError?: string;
}

export interface RefusalText {
  status: 400 | 403 | 404 | 502;
  code: string;
  title: string;
  message: string;
}

const START_AGAIN = 'Start again from the sign-in page.';
const badState = (message: string): RefusalText => ({
  status: 400,
  code: 'invalid_oauth_state',
  title: 'Sign-in could not be completed',
  message: `${message} ${START_AGAIN}`,
});

/**
 * What the person is told, by reason. Identity refusals are 403. A code or an error that the
 * callback brought and GitHub rejected is 400: anyone can forge one, so it must never look like
 * our failure. Only GitHub itself failing to answer is 502. A server without GitHub credentials
 * has no GitHub sign-in at all: 404, not a 5xx, since an operator switched it off on purpose and
 * nothing is failing (a 5xx would also log at error level on every visit).
 */
export const REFUSALS: Record<RefusalReason, RefusalText> = {
  not_configured: {
    status: 404,
    code: 'github_not_configured',
    title: 'GitHub sign-in is not set up',
    message:
      'GitHub sign-in is not set up on this server. Sign in with your email and password, ' +
      'or ask your administrator.',
  },
  state_missing: badState('This sign-in attempt was not started in this browser.'),
  state_mismatch: badState('This sign-in attempt belongs to another browser or tab.'),
  state_unknown: badState('This sign-in attempt is unknown.'),
  state_expired: badState('This sign-in attempt took too long and expired.'),
  state_used: badState('This sign-in link was already used.'),
  access_denied: {
    status: 403,
    code: 'github_access_denied',
    title: 'GitHub access was declined',
    message: `You declined access on GitHub, so you are not signed in. ${START_AGAIN}`,
  },
  github_error: {
    status: 400,
    code: 'github_error',
    title: 'GitHub could not complete the sign-in',
    message: `GitHub reported an error and did not sign you in. ${START_AGAIN}`,
  },
  code_missing: {
    status: 400,
    code: 'github_code_missing',
    title: 'Sign-in could not be completed',
    message: `GitHub sent no authorization code. ${START_AGAIN}`,
  },
  github_unavailable: {
    status: 502,
    code: 'github_unavailable',
    title: 'GitHub is not answering',
    message: 'GitHub did not answer properly. Try again in a few minutes.',
  },
  exchange_failed: {
    status: 400,
    code: 'github_exchange_failed',
    title: 'GitHub did not accept the sign-in',
    message: `GitHub refused to confirm this sign-in. ${START_AGAIN}`,
  },
  email_unverified: {
    status: 403,
    code: 'github_email_unverified',
    title: 'Your GitHub email is not verified',
    message:
      'Your primary email address on GitHub is not verified. Verify it on GitHub, then sign in ' +
      'again.',
  },
  not_invited: {
    status: 403,
    code: 'github_not_invited',
    title: 'No account for this GitHub identity',
    message:
      'No ABS Core account matches your GitHub identity, and accounts are by invitation only. ' +
      'Ask your administrator to add your verified primary GitHub email address.',
  },
  user_disabled: {
    status: 403,
    code: 'account_disabled',
    title: 'This account is disabled',
    message: 'This account is disabled. Ask your administrator.',
  },
  github_id_mismatch: {
    status: 403,
    code: 'github_account_mismatch',
    title: 'Linked to another GitHub account',
    message:
      'The ABS Core account with this email is linked to a different GitHub account. Sign in ' +
      'with that one, or ask your administrator.',
  },
};

const DENIALS = new Set<RefusalReason>([
  'access_denied',
  'email_unverified',
  'not_invited',
  'user_disabled',
  'github_id_mismatch',
]);

/**
 * Records a refused callback: the reason and who GitHub said it was; never a code or a token.
 * LIMITATION: refusals are not throttled, so a flood of forged callbacks grows the system chain
 * (a per-address budget in the limit store, as `/login` has, would bound it).
 */
export async function recordRefusal(
  services: Services,
  refusal: Refusal,
  origin: RequestOrigin,
): Promise<void> {
  const outcome: Outcome = DENIALS.has(refusal.reason) ? 'denied' : 'failure';
  const details = {
    reason: refusal.reason,
    ...(refusal.githubId ? { githubId: refusal.githubId, githubLogin: refusal.githubLogin } : {}),
    ...(refusal.email ? { email: refusal.email.slice(0, 320) } : {}),
    ...(refusal.githubError ? { githubError: refusal.githubError } : {}),
  };
  await services.db.transaction().execute((tx) =>
    appendAudit(
      tx,
      {
        orgId: refusal.user?.orgId ?? SYSTEM_CHAIN,
        actor: { type: 'anonymous' },
        action: 'auth.github.refused',
        target: refusal.user ? { type: 'user', id: refusal.user.id } : undefined,
        outcome,
        details,
        ...origin,
      },
      services.now(),
    ),
  );
  services.logger.info(
    {
      reason: refusal.reason,
      userId: refusal.user?.id ?? null,
      githubId: refusal.githubId ?? null,
    },
    'github sign-in refused',
  );
}
