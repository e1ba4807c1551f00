import { appendAudit } from '../audit/ledger.js';
import { newId } from '../ids.js';
import { mintSecret } from '../secrets.js';
import type { Services } from '../services.js';
import { insertSession } from '../store/sessions.js';
import type { User } from '../store/users.js';
import { SESSION_ABSOLUTE_MS, SESSION_IDLE_MS } from './session-policy.js';
import { sha256Hex } from '../crypto/hash.js';

export interface StartedSession {
  id: string;
  secret: string;
  /** When it ends if unused: the idle limit, or the absolute one if that comes first. */
  expiresAt: number;
  /** When it ends however active it is: the cookie lives this long. */
  absoluteExpiresAt: number;
  csrfToken: string;
}

export interface RequestOrigin {
  ip: string | null;
  userAgent: string | null;
}

/** Creates a fresh session (never reusing an earlier one) and records the sign-in with it. */
export async function startSession(
  services: Services,
  user: User,
  origin: RequestOrigin,
  how: { action: string; details?: Record<string, unknown> },
): Promise<StartedSession> {
  const now = services.now();
  const minted = mintSecret('session');
  const id = newId('ses');
  const expiresAt = now + SESSION_ABSOLUTE_MS;
  await services.db.transaction().execute(async (tx) => {
    await insertSession(tx, {
      id,
      user_id: user.id,
      org_id: user.orgId,
      secret_hash: minted.hash,
      created_at: now,
      last_seen_at: now,
      expires_at: expiresAt,
      revoked_at: null,
      ip: origin.ip,
      user_agent: origin.userAgent?.slice(0, 512) ?? null,
    });
    await appendAudit(
      tx,
      {
        orgId: user.orgId,
        actor: { type: 'user', id: user.id },
        action: how.action,
        target: { type: 'session', id },
        details: { email: user.email, ...how.details },
        ...origin,
      },
      now,
    );
  });
  services.logger.info({ sessionId: id, userId: user.id }, 'session started');
  return {
    id,
    secret: minted.secret,
    expiresAt: Math.min(expiresAt, now + SESSION_IDLE_MS),
    absoluteExpiresAt: expiresAt,
    csrfToken: csrfTokenFor(minted.hash),
  };
}

/**
 * The dashboard's anti-forgery token for a session: derived from the session's secret hash, so it
 * needs no storage and is worthless without the session cookie it belongs to.
 */
export function csrfTokenFor(sessionSecretHash: string): string {
  return sha256Hex(`csrf\n${sessionSecretHash}`).slice(0, 43);
}
