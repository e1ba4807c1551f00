/** Why an administrative action was refused: an expected outcome, returned rather than thrown. */
export type AdminFailureCode =
  | 'user_not_found'
  | 'token_not_found'
  | 'organization_not_found'
  | 'email_taken'
  | 'weak_password'
  | 'invalid_scope'
  | 'own_role'
  | 'last_admin'
  | 'user_disabled'
  | 'token_revoked'
  | 'token_already_rotated'
  | 'no_scope_left';

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
}
