import type { Environment } from '../config.js';
import { safeEqual } from '../crypto/hash.js';
import { effectiveScopes, scopesOfRole, type Role } from '../roles.js';
import { hashSecret, parseSecret } from '../secrets.js';
import type { Services } from '../services.js';
import { findSessionByHash, touchSession } from '../store/sessions.js';
import type { Db } from '../db/connect.js';
import { markTokensUsed, tokenScopes } from '../store/tokens.js';
import type { AuthOutcome } from './principal.js';
import { SESSION_IDLE_MS, SESSION_TOUCH_INTERVAL_MS } from './session-policy.js';
import { findTokenForCheck } from './token-cache.js';

/**
 * The one way any request proves who it is. Reads the database on every call, so that a
 * revocation, a role change or a disabled user takes effect on the very next request on every
 * instance that shares the database (on SQLite the token row may come from a cache, but only
 * after the database confirmed that nothing it holds has changed: see `token-cache.ts`).
 */
export async function authenticateSecret(
  services: Services,
  secret: string,
  opts: { viaCookie: boolean },
): Promise<AuthOutcome> {
  const kind = parseSecret(secret);
  if (!kind) return refuse('malformed', 'The token is malformed.');
  const hash = hashSecret(secret);
  return kind === 'pat'
    ? authenticatePat(services, hash)
    : authenticateSession(services, hash, opts.viaCookie);
}

async function authenticatePat(services: Services, hash: string): Promise<AuthOutcome> {
  const row = await findTokenForCheck(services.db, services.dialect, hash);
  if (!row || !safeEqual(row.secret_hash, hash))
    return refuse('unknown', 'The token is not valid.');
  const now = services.now();
  const subject = {
    kind: 'pat' as const,
    id: row.token_id,
    userId: row.user_id,
    orgId: row.org_id,
  };
  if (row.revoked_at !== null) return { ...refuse('revoked', 'The token was revoked.'), subject };
  if (row.expires_at <= now) return { ...refuse('expired', 'The token has expired.'), subject };
  if (row.status !== 'active') {
    return { ...refuse('disabled', 'The token owner is disabled.'), subject };
  }
  const environment = row.environment as Environment;
  if (environment !== services.config.environment) {
    const detail =
      `This token belongs to the ${environment} environment; ` +
      `this server accepts ${services.config.environment} tokens only.`;
    return { ...refuse('wrong_environment', detail), subject };
  }
  if (row.last_used_at === null || row.last_used_at < now - 60_000) {
    recordTokenUse(services, row.token_id, now);
    // The row may be the cache's: it now says what the stamp will, so the next checks within the
    // minute queue no stamp of their own.
    row.last_used_at = now;
  }
  const role = row.role as Role;
  return {
    ok: true,
    principal: {
      kind: 'pat',
      tokenId: row.token_id,
      userId: row.user_id,
      orgId: row.org_id,
      email: row.email,
      role,
      scopes: effectiveScopes(tokenScopes(row), role),
      environment,
      expiresAt: row.expires_at,
      rateLimit: row.rate_limit,
    },
  };
}

async function authenticateSession(
  services: Services,
  hash: string,
  viaCookie: boolean,
): Promise<AuthOutcome> {
  const row = await findSessionByHash(services.db, hash);
  if (!row || !safeEqual(row.secret_hash, hash)) {
    return refuse('unknown', 'The session is not valid.');
  }
  const now = services.now();
  const subject = {
    kind: 'session' as const,
    id: row.session_id,
    userId: row.user_id,
    orgId: row.org_id,
  };
  if (row.revoked_at !== null) return { ...refuse('revoked', 'The session has ended.'), subject };
  if (row.expires_at <= now || row.last_seen_at + SESSION_IDLE_MS <= now) {
    return { ...refuse('expired', 'The session has expired.'), subject };
  }
  if (row.status !== 'active') return { ...refuse('disabled', 'The user is disabled.'), subject };
  if (row.last_seen_at < now - SESSION_TOUCH_INTERVAL_MS) {
    touchSession(services.db, row.session_id, now).catch((error: unknown) =>
      services.logger.warn({ err: error, sessionId: row.session_id }, 'session touch failed'),
    );
  }
  const role = row.role as Role;
  return {
    ok: true,
    principal: {
      kind: 'session',
      sessionId: row.session_id,
      secretHash: row.secret_hash,
      viaCookie,
      userId: row.user_id,
      orgId: row.org_id,
      email: row.email,
      role,
      scopes: [...scopesOfRole(role)],
      expiresAt: Math.min(row.expires_at, row.last_seen_at + SESSION_IDLE_MS),
    },
  };
}

/** Last-use stamps waiting to be written, per database. */
const pendingUses = new WeakMap<Db, { ids: Set<string>; latest: number }>();
/** How long stamps gather before one write stores them all. */
const STAMP_DELAY_MS = 200;

/**
 * Queues a last-use stamp. Stamps gather for a moment and are written together, off the request:
 * written one by one, each would be a commit of its own, and on SQLite a synchronous fsync that
 * holds up every request in flight (thousands of active tokens meant thousands of fsyncs a
 * minute). A lost stamp (a crash within the delay) is not worth slowing a request for.
 */
function recordTokenUse(services: Services, tokenId: string, now: number): void {
  const pending = pendingUses.get(services.db);
  if (pending) {
    pending.ids.add(tokenId);
    pending.latest = Math.max(pending.latest, now);
    return;
  }
  const batch = { ids: new Set([tokenId]), latest: now };
  pendingUses.set(services.db, batch);
  setTimeout(() => {
    pendingUses.delete(services.db);
    markTokensUsed(services.db, [...batch.ids], batch.latest).catch((error: unknown) =>
      services.logger.warn({ err: error, tokens: batch.ids.size }, 'token last use not recorded'),
    );
  }, STAMP_DELAY_MS).unref();
}

function refuse(reason: Exclude<AuthOutcome, { ok: true }>['reason'], detail: string) {
  return { ok: false as const, reason, detail };
}
