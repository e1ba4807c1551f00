import type { Environment } from '../config.js';

/** Why an administrative action was refused: an expected outcome, returned rather than thrown. */
export type AdminFailureCode =
  | 'user_not_found'
  | 'token_not_found'
  | 'organization_not_found'
  | 'email_taken'
  | 'weak_password'
  | 'invalid_scope'
  | 'own_role'
  | 'own_account'
  | 'last_admin'
  | 'user_disabled'
  | 'token_revoked'
  | 'token_expired'
  | 'token_already_rotated'
  | 'no_scope_left'
  | 'environment_mismatch';

export interface AdminFailure {
  ok: false;
  code: AdminFailureCode;
  detail: string;
}

export type AdminOutcome<T> = ({ ok: true } & T) | AdminFailure;

export function fail(code: AdminFailureCode, detail: string): AdminFailure {
  return { ok: false, code, detail };
}

/** Where the action applies: one organization (the API), or any (the operator's CLI). */
export interface Confinement {
  orgId?: string | undefined;
  /**
   * Set when the caller is a PAT: the one environment (its own) of the tokens it may issue,
   * rotate, revoke or limit, so that a staging credential never yields, stops or throttles a
   * production one. Unset for a person (a session, or the operator's CLI), who may manage
   * either: the account manager's desk.
   */
  tokenEnvironment?: Environment | undefined;
}

/** The refusal of a token of `environment` to a caller confined to another one, if any. */
export function environmentRefusal(
  where: Confinement,
  environment: string,
): AdminFailure | undefined {
  const own = where.tokenEnvironment;
  if (own === undefined || own === environment) return undefined;
  return fail(
    'environment_mismatch',
    `A ${own} token may only manage ${own} tokens, not ${environment} ones. ` +
      `To manage a ${environment} token, sign in (the dashboard) and use that session instead.`,
  );
}
