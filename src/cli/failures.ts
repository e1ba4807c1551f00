import type { AdminFailure, AdminFailureCode } from '../admin/outcome.js';
import { CliError, EXIT } from './context.js';

export { EXIT };

const EXIT_OF: Record<AdminFailureCode, number> = {
  user_not_found: EXIT.notFound,
  token_not_found: EXIT.notFound,
  organization_not_found: EXIT.notFound,
  email_taken: EXIT.refused,
  weak_password: EXIT.invalid,
  invalid_scope: EXIT.invalid,
  own_role: EXIT.refused,
  own_account: EXIT.refused,
  last_admin: EXIT.refused,
  user_disabled: EXIT.refused,
  token_revoked: EXIT.refused,
  token_expired: EXIT.refused,
  token_already_rotated: EXIT.refused,
  no_scope_left: EXIT.refused,
  // The CLI is the account manager's desk and is never confined to one environment.
  environment_mismatch: EXIT.refused,
};

/** The one-line error and exit code of a refused administrative action. */
export function cliFailure(failure: AdminFailure, subject?: string): CliError {
  const exitCode = EXIT_OF[failure.code];
  const missing = /^(user|token|organization)_not_found$/.exec(failure.code);
  if (missing && subject) return new CliError(`no ${missing[1]} ${subject}`, exitCode);
  const detail = failure.detail.replace(/^scope:/, '--scope:');
  return new CliError(subject ? `${subject}: ${detail}` : detail, exitCode);
}

export function notFound(message: string): CliError {
  return new CliError(message, EXIT.notFound);
}
