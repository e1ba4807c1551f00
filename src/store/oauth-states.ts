import type { Db } from '../db/connect.js';

/** One GitHub sign-in attempt in flight, found by the SHA-256 of its `state`. */
export interface OAuthState {
  stateHash: string;
  codeVerifier: string;
  returnTo: string;
  createdAt: number;
  expiresAt: number;
}

export type ClaimOutcome =
  | { ok: true; codeVerifier: string; returnTo: string }
  | { ok: false; reason: 'unknown' | 'expired' | 'used' };

export async function insertOAuthState(db: Db, state: OAuthState): Promise<void> {
  await db
    .insertInto('oauth_states')
    .values({
      state_hash: state.stateHash,
      code_verifier: state.codeVerifier,
      return_to: state.returnTo,
      created_at: state.createdAt,
      expires_at: state.expiresAt,
      used_at: null,
    })
    .execute();
}

/**
 * Marks a state used and hands back its verifier, in one statement: of two callbacks racing with
 * the same state (on any instance), exactly one wins.
 */
export async function claimOAuthState(
  db: Db,
  stateHash: string,
  now: number,
): Promise<ClaimOutcome> {
  const claimed = await db
    .updateTable('oauth_states')
    .set({ used_at: now })
    .where('state_hash', '=', stateHash)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .returning(['code_verifier', 'return_to'])
    .executeTakeFirst();
  if (claimed) {
    return { ok: true, codeVerifier: claimed.code_verifier, returnTo: claimed.return_to };
  }
  const row = await db
    .selectFrom('oauth_states')
    .select(['used_at', 'expires_at'])
    .where('state_hash', '=', stateHash)
    .executeTakeFirst();
  if (!row) return { ok: false, reason: 'unknown' };
  return { ok: false, reason: row.used_at !== null ? 'used' : 'expired' };
}

/** Forgets attempts that ended long enough ago that their replay would only say "unknown". */
export async function deleteOAuthStatesBefore(db: Db, expiredBefore: number): Promise<void> {
  await db.deleteFrom('oauth_states').where('expires_at', '<', expiredBefore).execute();
}
