import { appendAudit, type AuditRecord } from '../audit/ledger.js';
import type { Environment } from '../config.js';
import type { Db } from '../db/connect.js';
import { newId } from '../ids.js';
import { formatScope, parseScope, scopesOfRole, type Scope } from '../roles.js';
import { mintSecret } from '../secrets.js';
import { insertToken } from '../store/tokens.js';
import { iso } from '../time.js';
import type { User } from '../store/users.js';

export const DEFAULT_TOKEN_DAYS = 90;
export const MAX_TOKEN_DAYS = 366;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface TokenRequest {
  name?: string | undefined;
  environment: Environment;
  expiresInDays?: number | undefined;
  /** Space-separated scopes; at most the owner's role. Defaults to all of the role's scopes. */
  scope?: string | undefined;
}

/** The answer to every way of issuing a token; the only time the secret is ever shown. */
export interface IssuedToken {
  accessToken: string;
  tokenId: string;
  tokenType: 'Bearer';
  name: string;
  scope: string;
  environment: Environment;
  expiresAt: string;
}

export type ScopeCheck = { ok: true; scopes: Scope[] } | { ok: false; detail: string };

/** The scopes a new token of this owner may carry, or why the asked-for ones are refused. */
export function grantableScopes(owner: User, requested: string | undefined): ScopeCheck {
  const allowed = scopesOfRole(owner.role);
  if (requested === undefined) return { ok: true, scopes: [...allowed] };
  const scopes = parseScope(requested);
  if (!scopes) return { ok: false, detail: `scope: unknown scope in "${requested.slice(0, 100)}"` };
  const excess = scopes.filter((s) => !allowed.includes(s));
  if (excess.length > 0) {
    return { ok: false, detail: `scope: the ${owner.role} role cannot grant ${excess.join(' ')}` };
  }
  return { ok: true, scopes };
}

export interface MintTokenInput {
  owner: User;
  scopes: Scope[];
  request: TokenRequest;
  issuedBy: string;
  now: number;
  rotatedFrom?: string;
  /** The token's own rate limit as stored (`100/60s`); none (the server's default) if absent. */
  rateLimit?: string | null;
  audit: Omit<AuditRecord, 'orgId' | 'target' | 'action'> & { action?: string };
}

/**
 * Stores a new token and its audit entry in the caller's transaction and returns the secret,
 * which exists nowhere else afterwards: only its hash is kept.
 */
export async function mintToken(tx: Db, input: MintTokenInput): Promise<IssuedToken> {
  const { owner, request, now } = input;
  const minted = mintSecret('pat');
  const id = newId('tok');
  const name = request.name?.trim() || 'default';
  const expiresAt = now + (request.expiresInDays ?? DEFAULT_TOKEN_DAYS) * DAY_MS;
  const scope = formatScope(input.scopes);
  await insertToken(tx, {
    id,
    org_id: owner.orgId,
    user_id: owner.id,
    name,
    environment: request.environment,
    scope,
    secret_hash: minted.hash,
    prefix: minted.displayPrefix,
    created_at: now,
    created_by: input.issuedBy,
    last_used_at: null,
    expires_at: expiresAt,
    revoked_at: null,
    rotated_from: input.rotatedFrom ?? null,
    rotated_to: null,
    rate_limit: input.rateLimit ?? null,
  });
  await appendAudit(
    tx,
    {
      ...input.audit,
      orgId: owner.orgId,
      action: input.audit.action ?? 'token.issued',
      target: { type: 'token', id },
      details: {
        ownerId: owner.id,
        name,
        environment: request.environment,
        scope,
        expiresAt: iso(expiresAt),
        ...input.audit.details,
      },
    },
    now,
  );
  return {
    accessToken: minted.secret,
    tokenId: id,
    tokenType: 'Bearer',
    name,
    scope,
    environment: request.environment,
    expiresAt: iso(expiresAt),
  };
}
