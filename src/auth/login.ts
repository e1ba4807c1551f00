import { appendAudit, SYSTEM_CHAIN } from '../audit/ledger.js';
import { sha256Hex } from '../crypto/hash.js';
import { burnPasswordCheck, verifyPassword } from '../passwords.js';
import type { Services } from '../services.js';
import { findUserByEmail, normalizeEmail, type User } from '../store/users.js';
import type { RequestOrigin } from './sessions.js';
import { ACCOUNT_POLICY, ADDRESS_POLICY, waitSeconds } from './throttle.js';

export type SignInOutcome =
  | { ok: true; user: User }
  | { ok: false; reason: 'invalid_credentials' }
  | { ok: false; reason: 'throttled'; retryAfter: number };

/** The failure counter of one account, shared by sign-in and the password change. */
export function accountThrottleKey(email: string): string {
  return `login:account:${sha256Hex(normalizeEmail(email))}`;
}

/**
 * Checks an email and password. Every failure looks the same to the caller and costs the same
 * argon2 work, whether the account exists, has no password, is disabled, or the password is wrong.
 */
export async function checkPassword(
  services: Services,
  email: string,
  password: string,
  origin: RequestOrigin,
): Promise<SignInOutcome> {
  const normalized = normalizeEmail(email);
  const accountKey = accountThrottleKey(normalized);
  const addressKey = `login:address:${origin.ip ?? 'unknown'}`;
  const now = services.now();
  const [account, address] = await Promise.all([
    services.limits.readFailures(accountKey),
    services.limits.readFailures(addressKey),
  ]);
  const wait = Math.max(
    waitSeconds(ACCOUNT_POLICY, account, now),
    waitSeconds(ADDRESS_POLICY, address, now),
  );
  if (wait > 0) {
    services.logger.warn({ ip: origin.ip }, 'sign-in throttled');
    return { ok: false, reason: 'throttled', retryAfter: wait };
  }

  const user = await findUserByEmail(services.db, normalized);
  const usable = user && user.status === 'active' && user.passwordHash !== null;
  const valid = usable
    ? await verifyPassword(user.passwordHash!, password)
    : await burnPasswordCheck(password);
  if (valid && user) {
    await services.limits.clearFailures(accountKey);
    return { ok: true, user };
  }

  await Promise.all([
    services.limits.addFailure(accountKey, now, ACCOUNT_POLICY.forgetAfterSeconds),
    services.limits.addFailure(addressKey, now, ADDRESS_POLICY.forgetAfterSeconds),
  ]);
  await recordFailure(services, normalized, user, origin, now);
  return { ok: false, reason: 'invalid_credentials' };
}

async function recordFailure(
  services: Services,
  email: string,
  user: User | undefined,
  origin: RequestOrigin,
  now: number,
): Promise<void> {
  const reason = !user
    ? 'unknown_email'
    : user.status !== 'active'
      ? 'user_disabled'
      : user.passwordHash === null
        ? 'no_password'
        : 'wrong_password';
  await services.db.transaction().execute((tx) =>
    appendAudit(
      tx,
      {
        orgId: user?.orgId ?? SYSTEM_CHAIN,
        actor: { type: 'anonymous' },
        action: 'auth.login',
        target: user ? { type: 'user', id: user.id } : undefined,
        outcome: 'failure',
        details: { email: email.slice(0, 320), reason },
        ...origin,
      },
      now,
    ),
  );
  services.logger.info({ userId: user?.id ?? null, reason }, 'sign-in failed');
}
