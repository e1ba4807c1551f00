import type { Db } from '../db/connect.js';
import type { NewTokenRow, TokenRow } from '../db/schema.js';
import type { Environment } from '../config.js';
import { parseScope, type Scope } from '../roles.js';

/** What clients see of a token: never the secret, never its hash. */
export interface TokenMetadata {
  id: string;
  name: string;
  prefix: string;
  userId: string;
  environment: Environment;
  scope: string;
  createdAt: string;
  createdBy: string;
  lastUsedAt: string | null;
  expiresAt: string;
  revokedAt: string | null;
  rotatedFrom: string | null;
  rotatedTo: string | null;
  active: boolean;
}

export function toTokenMetadata(row: TokenRow, now: number): TokenMetadata {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    userId: row.user_id,
    environment: row.environment as Environment,
    scope: row.scope,
    createdAt: iso(row.created_at),
    createdBy: row.created_by,
    lastUsedAt: row.last_used_at === null ? null : iso(row.last_used_at),
    expiresAt: iso(row.expires_at),
    revokedAt: row.revoked_at === null ? null : iso(row.revoked_at),
    rotatedFrom: row.rotated_from,
    rotatedTo: row.rotated_to,
    active: row.revoked_at === null && row.expires_at > now,
  };
}

export function tokenScopes(row: Pick<TokenRow, 'scope'>): Scope[] {
  return parseScope(row.scope) ?? [];
}

export function iso(ms: number): string {
  return new Date(ms).toISOString();
}

export async function insertToken(db: Db, row: NewTokenRow): Promise<void> {
  await db.insertInto('tokens').values(row).execute();
}

/** The token with this secret hash, with its owner and organization, in one indexed read. */
export async function findTokenByHash(db: Db, secretHash: string) {
  return db
    .selectFrom('tokens')
    .innerJoin('users', 'users.id', 'tokens.user_id')
    .select([
      'tokens.id as token_id',
      'tokens.secret_hash',
      'tokens.environment',
      'tokens.scope',
      'tokens.expires_at',
      'tokens.revoked_at',
      'tokens.last_used_at',
      'tokens.rate_limit',
      'users.id as user_id',
      'users.org_id',
      'users.email',
      'users.role',
      'users.status',
    ])
    .where('tokens.secret_hash', '=', secretHash)
    .executeTakeFirst();
}

export async function findToken(db: Db, id: string): Promise<TokenRow | undefined> {
  return db.selectFrom('tokens').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listUserTokens(db: Db, userId: string): Promise<TokenRow[]> {
  return db
    .selectFrom('tokens')
    .selectAll()
    .where('user_id', '=', userId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
}

export async function revokeToken(db: Db, id: string, now: number): Promise<boolean> {
  const result = await db
    .updateTable('tokens')
    .set({ revoked_at: now })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function revokeUserTokens(db: Db, userId: string, now: number): Promise<number> {
  const result = await db
    .updateTable('tokens')
    .set({ revoked_at: now })
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/**
 * Records a use. The `where` keeps this to one write a minute per token however busy it is.
 */
export async function markTokenUsed(db: Db, id: string, now: number): Promise<void> {
  await db
    .updateTable('tokens')
    .set({ last_used_at: now })
    .where('id', '=', id)
    .where((eb) => eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<', now - 60_000)]))
    .execute();
}
