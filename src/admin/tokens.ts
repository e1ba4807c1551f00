import { appendAudit } from '../audit/ledger.js';
import { grantableScopes, mintToken, type IssuedToken, type TokenRequest } from '../auth/pats.js';
import type { Db } from '../db/connect.js';
import type { TokenRow } from '../db/schema.js';
import type { Services } from '../services.js';
import { findOrgToken, findToken, revokeToken, setTokenRateLimit } from '../store/tokens.js';
import { findOrgUser, findUserById } from '../store/users.js';
import { actorId, auditActor, type Actor } from './actor.js';
import {
  environmentRefusal,
  fail,
  type AdminFailure,
  type AdminOutcome,
  type Confinement,
} from './outcome.js';

/** White-glove issuance: an admin (or the CLI) issues a token that belongs to another user. */
export async function issueTokenFor(
  services: Services,
  where: Confinement,
  userId: string,
  request: TokenRequest,
  actor: Actor,
  /** The token's own rate limit (`100/60s`, as `formatRateLimit` writes it); none by default. */
  rateLimit?: string,
): Promise<AdminOutcome<{ issued: IssuedToken }>> {
  const refusal = environmentRefusal(where, request.environment);
  if (refusal) return refused(services, refusal, { userId, actorId: actorId(actor) });
  const outcome = await services.db.transaction().execute(async (tx) => {
    const owner = where.orgId
      ? await findOrgUser(tx, where.orgId, userId)
      : await findUserById(tx, userId);
    if (!owner) return fail('user_not_found', 'No such user.');
    if (owner.status !== 'active') return fail('user_disabled', 'The user is disabled.');
    const scopes = grantableScopes(owner, request.scope);
    if (!scopes.ok) return fail('invalid_scope', scopes.detail);
    const issued = await mintToken(tx, {
      owner,
      scopes: scopes.scopes,
      request,
      issuedBy: actorId(actor),
      now: services.now(),
      rateLimit,
      audit: rateLimit ? { ...auditActor(actor), details: { rateLimit } } : auditActor(actor),
    });
    return { ok: true as const, issued };
  });
  if (outcome.ok) {
    const ids = { tokenId: outcome.issued.tokenId, userId, actorId: actorId(actor) };
    services.logger.info(ids, 'token issued');
  }
  return outcome;
}

/** Revokes a token at once. Revoking it again changes nothing and records nothing. */
export async function revokeTokenAsAdmin(
  services: Services,
  where: Confinement,
  id: string,
  actor: Actor,
): Promise<AdminOutcome<{ token: TokenRow; revoked: boolean }>> {
  const token = await findScopedToken(services.db, where, id);
  if (!token) return fail('token_not_found', 'No such token.');
  const refusal = environmentRefusal(where, token.environment);
  if (refusal) return refused(services, refusal, { tokenId: id, actorId: actorId(actor) });
  const now = services.now();
  const revoked = await services.db.transaction().execute(async (tx) => {
    if (!(await revokeToken(tx, id, now))) return false;
    await appendAudit(
      tx,
      {
        orgId: token.org_id,
        ...auditActor(actor),
        action: 'token.revoked',
        target: { type: 'token', id },
        details: { ownerId: token.user_id },
      },
      now,
    );
    return true;
  });
  if (revoked) services.logger.info({ tokenId: id, actorId: actorId(actor) }, 'token revoked');
  return { ok: true, token, revoked };
}

/**
 * Sets a token's own budget on the runtime API (a normalized `100/60s`), or clears it with null
 * so that the server default applies again.
 */
export async function setTokenLimit(
  services: Services,
  where: Confinement,
  id: string,
  rateLimit: string | null,
  actor: Actor,
): Promise<AdminOutcome<{ token: TokenRow }>> {
  const now = services.now();
  const outcome = await services.db.transaction().execute(async (tx) => {
    const token = await findScopedToken(tx, where, id);
    if (!token) return fail('token_not_found', 'No such token.');
    const refusal = environmentRefusal(where, token.environment);
    if (refusal) return refusal;
    // A token that is never accepted again (revoked, expired, or rotated out past its grace):
    // a limit set on it would be a record of nothing.
    if (token.revoked_at !== null) return fail('token_revoked', 'The token was revoked.');
    if (token.expires_at <= now) return fail('token_expired', 'The token has expired.');
    if (token.rate_limit === rateLimit) return { ok: true as const, token };
    await setTokenRateLimit(tx, id, rateLimit);
    await appendAudit(
      tx,
      {
        orgId: token.org_id,
        ...auditActor(actor),
        action: 'token.updated',
        target: { type: 'token', id },
        details: { ownerId: token.user_id, rateLimit: { from: token.rate_limit, to: rateLimit } },
      },
      now,
    );
    return { ok: true as const, token: { ...token, rate_limit: rateLimit } };
  });
  if (!outcome.ok && outcome.code === 'environment_mismatch') {
    return refused(services, outcome, { tokenId: id, actorId: actorId(actor) });
  }
  return outcome;
}

export function findScopedToken(
  db: Db,
  where: Confinement,
  id: string,
): Promise<TokenRow | undefined> {
  return where.orgId ? findOrgToken(db, where.orgId, id) : findToken(db, id);
}

/** Logs a refusal worth noticing (a credential reaching past its environment) and returns it. */
export function refused(
  services: Services,
  failure: AdminFailure,
  ids: Record<string, string>,
): AdminFailure {
  services.logger.warn({ ...ids, code: failure.code }, 'token management refused');
  return failure;
}
