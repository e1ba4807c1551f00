import { auditActor, type Actor } from '../admin/actor.js';
import { fail, type AdminOutcome } from '../admin/outcome.js';
import { passwordProblem } from '../admin/users.js';
import { appendAudit, type AuditRecord } from '../audit/ledger.js';
import { hashPassword, verifyPassword } from '../passwords.js';
import type { Services } from '../services.js';
import { revokeOtherSessions, revokeUserSessions } from '../store/sessions.js';
import { findUserById, setPasswordHash, type User } from '../store/users.js';
import { accountThrottleKey } from './login.js';
import type { SessionPrincipal } from './principal.js';
import type { RequestOrigin } from './sessions.js';
import { ACCOUNT_POLICY, waitSeconds } from './throttle.js';

export interface PasswordChange {
  currentPassword: string;
  newPassword: string;
}

export type PasswordChangeOutcome =
  | { ok: true; sessionsEnded: number }
  | { ok: false; reason: 'invalid_credentials' | 'no_password' }
  | { ok: false; reason: 'throttled'; retryAfter: number }
  | { ok: false; reason: 'weak_password'; detail: string };

/**
 * A signed-in person changes their own password. The current password is checked under the same
 * per-account throttle as sign-in, so a stolen session cannot be used to guess it faster than the
 * sign-in form allows. Every other session of the person ends with the change; this one stays.
 */
export async function changeOwnPassword(
  services: Services,
  session: SessionPrincipal,
  change: PasswordChange,
  origin: RequestOrigin,
): Promise<PasswordChangeOutcome> {
  const user = await findUserById(services.db, session.userId);
  if (!user) return { ok: false, reason: 'invalid_credentials' };
  const key = accountThrottleKey(user.email);
  const now = services.now();
  const wait = waitSeconds(ACCOUNT_POLICY, await services.limits.readFailures(key), now);
  if (wait > 0) {
    services.logger.warn({ userId: user.id }, 'password change throttled');
    return { ok: false, reason: 'throttled', retryAfter: wait };
  }
  // A GitHub-only account has no password to prove: setting its first one is the account
  // manager's call (`abs-auth user set-password`), not something a session alone may do.
  if (user.passwordHash === null) return { ok: false, reason: 'no_password' };
  if (!(await verifyPassword(user.passwordHash, change.currentPassword))) {
    await services.limits.addFailure(key, now, ACCOUNT_POLICY.forgetAfterSeconds);
    await recordRefusal(services, user, origin, now);
    return { ok: false, reason: 'invalid_credentials' };
  }
  await services.limits.clearFailures(key);

  const problem = passwordProblem(change.newPassword)?.replace(/^password:/, 'newPassword:');
  if (problem) return { ok: false, reason: 'weak_password', detail: problem };
  if (change.newPassword === change.currentPassword) {
    const detail = 'newPassword: must differ from the current password';
    return { ok: false, reason: 'weak_password', detail };
  }
  // Hashing takes tens of milliseconds: done before the transaction, which then holds no lock
  // while it waits.
  const newHash = await hashPassword(change.newPassword);
  const sessionsEnded = await services.db.transaction().execute(async (tx) => {
    const at = services.now();
    // Only if the hash just verified is still the stored one: of two changes at once, the
    // second finds the password it proved already gone.
    if (!(await setPasswordHash(tx, user.id, newHash, at, user.passwordHash!))) return null;
    const ended = await revokeOtherSessions(tx, user.id, session.sessionId, at);
    const actor: Actor = { type: 'user', id: user.id, ...origin };
    await appendAudit(tx, changedRecord(user, actor, { sessionsEnded: ended }), at);
    return ended;
  });
  if (sessionsEnded === null) return { ok: false, reason: 'invalid_credentials' };
  services.logger.info({ userId: user.id, sessionsEnded }, 'password changed');
  return { ok: true, sessionsEnded };
}

/**
 * The account manager sets a user's password (a reset, or a first password for a GitHub-only
 * account). Every session of the user ends; their Personal Access Tokens are not sessions and
 * stay valid.
 */
export async function setUserPassword(
  services: Services,
  id: string,
  password: string,
  actor: Actor,
): Promise<AdminOutcome<{ user: User; sessionsEnded: number }>> {
  const problem = passwordProblem(password);
  if (problem) return fail('weak_password', problem);
  if (!(await findUserById(services.db, id))) return fail('user_not_found', 'No such user.');
  const newHash = await hashPassword(password);
  return services.db.transaction().execute(async (tx) => {
    const user = await findUserById(tx, id);
    if (!user) return fail('user_not_found', 'No such user.');
    const now = services.now();
    await setPasswordHash(tx, user.id, newHash, now);
    const sessionsEnded = await revokeUserSessions(tx, user.id, now);
    await appendAudit(tx, changedRecord(user, actor, { sessionsEnded }), now);
    services.logger.info({ userId: user.id, sessionsEnded }, 'password set');
    return { ok: true as const, user, sessionsEnded };
  });
}

function changedRecord(user: User, actor: Actor, details: Record<string, unknown>): AuditRecord {
  return {
    orgId: user.orgId,
    ...auditActor(actor),
    action: 'user.password_changed',
    target: { type: 'user', id: user.id },
    details,
  };
}

/** A wrong current password is recorded like a failed sign-in: someone holds the session. */
async function recordRefusal(services: Services, user: User, origin: RequestOrigin, now: number) {
  const actor: Actor = { type: 'user', id: user.id, ...origin };
  const record = changedRecord(user, actor, { reason: 'wrong_current_password' });
  await services.db
    .transaction()
    .execute((tx) => appendAudit(tx, { ...record, outcome: 'failure' }, now));
  services.logger.info({ userId: user.id }, 'password change refused');
}
