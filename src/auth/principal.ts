import type { Environment } from '../config.js';
import type { Role, Scope } from '../roles.js';

interface PrincipalBase {
  userId: string;
  orgId: string;
  email: string;
  role: Role;
  /** Scopes in force for this request: the credential's, within the owner's current role. */
  scopes: Scope[];
  expiresAt: number;
}

export interface PatPrincipal extends PrincipalBase {
  kind: 'pat';
  tokenId: string;
  environment: Environment;
  rateLimit: string | null;
}

export interface SessionPrincipal extends PrincipalBase {
  kind: 'session';
  sessionId: string;
  /** The session's secret hash, from which the CSRF token of the dashboard is derived. */
  secretHash: string;
  viaCookie: boolean;
}

export type Principal = PatPrincipal | SessionPrincipal;

export type RefusalReason =
  'missing' | 'malformed' | 'unknown' | 'expired' | 'revoked' | 'disabled' | 'wrong_environment';

export type AuthOutcome =
  | { ok: true; principal: Principal }
  | {
      ok: false;
      reason: RefusalReason;
      detail: string;
      /** Set when the credential exists, so the refusal can be attributed in the audit log. */
      subject?: { kind: 'pat' | 'session'; id: string; userId: string; orgId: string };
    };
