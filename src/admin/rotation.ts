import { MAX_TOKEN_DAYS, mintToken, type IssuedToken } from '../auth/pats.js';
import type { Environment } from '../config.js';
import { effectiveScopes } from '../roles.js';
import type { Services } from '../services.js';
import { lockToken, markTokenRotated, tokenScopes } from '../store/tokens.js';
import { findUserById } from '../store/users.js';
import { actorId, auditActor, type Actor } from './actor.js';
import { environmentRefusal, fail, type AdminOutcome, type Confinement } from './outcome.js';
import { findScopedToken, refused } from './tokens.js';
import { iso } from '../time.js';

/** The longest an old secret may keep working after its rotation: 7 days. */
export const MAX_GRACE_SECONDS = 7 * 24 * 60 * 60;
const DAY_MS = 24 * 60 * 60 * 1000;

/** Thrown inside the transaction to undo the successor when another rotation won the race. */
class LostRace extends Error {}

/**
 * Replaces a token with a successor of the same owner, name, environment, scopes and rate limit
 * (and the same lifetime), and lets the old secret live on for the grace period only: never
 * longer than it would have lived anyway.
 */
export async function rotateToken(
  services: Services,
  where: Confinement,
  id: string,
  graceSeconds: number,
  actor: Actor,
): Promise<AdminOutcome<{ issued: IssuedToken }>> {
  const now = services.now();
  try {
    return await services.db.transaction().execute(async (tx) => {
      await lockToken(tx, services.dialect, id);
      const old = await findScopedToken(tx, where, id);
      if (!old) return fail('token_not_found', 'No such token.');
      const refusal = environmentRefusal(where, old.environment);
      if (refusal) return refused(services, refusal, { tokenId: id, actorId: actorId(actor) });
      if (old.revoked_at !== null) return fail('token_revoked', 'The token was revoked.');
      if (old.rotated_to !== null) {
        return fail('token_already_rotated', `The token was already rotated to ${old.rotated_to}.`);
      }
      const owner = await findUserById(tx, old.user_id);
      if (!owner || owner.status !== 'active') {
        return fail('user_disabled', 'The token owner is disabled.');
      }
      // A successor never carries more than the owner's role allows today.
      const scopes = effectiveScopes(tokenScopes(old), owner.role);
      if (scopes.length === 0) {
        return fail('no_scope_left', "The owner's role no longer allows any of its scopes.");
      }
      const lifetimeDays = Math.ceil((old.expires_at - old.created_at) / DAY_MS);
      const oldExpiresAt = Math.min(old.expires_at, now + graceSeconds * 1000);
      const issued = await mintToken(tx, {
        owner,
        scopes,
        request: {
          name: old.name,
          environment: old.environment as Environment,
          expiresInDays: Math.min(Math.max(lifetimeDays, 1), MAX_TOKEN_DAYS),
        },
        issuedBy: actorId(actor),
        now,
        rotatedFrom: old.id,
        // A limit an admin set on the token is a decision about its holder, not about one
        // secret: the successor keeps it.
        rateLimit: old.rate_limit,
        audit: {
          ...auditActor(actor),
          action: 'token.rotated',
          details: {
            rotatedFrom: old.id,
            gracePeriodSeconds: graceSeconds,
            previousExpiresAt: iso(oldExpiresAt),
            rateLimit: old.rate_limit,
          },
        },
      });
      if (!(await markTokenRotated(tx, old.id, issued.tokenId, oldExpiresAt))) throw new LostRace();
      services.logger.info(
        { tokenId: issued.tokenId, rotatedFrom: old.id, actorId: actorId(actor) },
        'token rotated',
      );
      return { ok: true as const, issued };
    });
  } catch (error) {
    if (error instanceof LostRace) {
      return fail('token_already_rotated', 'The token was rotated by someone else just now.');
    }
    throw error;
  }
}
