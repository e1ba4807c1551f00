import type { Db, Dialect } from '../db/connect.js';
import { reusedQuery } from '../db/reused-query.js';
import type { NewTokenRow, TokenRow } from '../db/schema.js';
import type { Environment } from '../config.js';
import { parseScope, type Scope } from '../roles.js';
import { iso } from '../time.js';

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
  /** Per-token budget on the runtime API (`100/60s`); null means the server default. */
  rateLimit: string | null;
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
    rateLimit: row.rate_limit,
    active: row.revoked_at === null && row.expires_at > now,
  };
}

export function tokenScopes(row: Pick<TokenRow, 'scope'>): Scope[] {
  return parseScope(row.scope) ?? [];
}

export async function insertToken(db: Db, row: NewTokenRow): Promise<void> {
  await db.insertInto('tokens').values(row).execute();
}

function tokenByHashQuery(db: Db, secretHash: string) {
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
    .where('tokens.secret_hash', '=', secretHash);
}

export type TokenWithOwner = NonNullable<
  Awaited<ReturnType<ReturnType<typeof tokenByHashQuery>['executeTakeFirst']>>
>;

/**
 * The token with this secret hash, with its owner and organization, in one indexed read. Every
 * PAT request runs it, so its SQL is built once (`reusedQuery`).
 */
export async function findTokenByHash(
  db: Db,
  secretHash: string,
): Promise<TokenWithOwner | undefined> {
  const query = reusedQuery(db, 'token-by-hash', [secretHash], () =>
    tokenByHashQuery(db, secretHash).compile(),
  );
  const result = await db.executeQuery(query);
  return result.rows[0];
}

export async function findToken(db: Db, id: string): Promise<TokenRow | undefined> {
  return db.selectFrom('tokens').selectAll().where('id', '=', id).executeTakeFirst();
}

/**
 * Takes the row lock of a token for the rest of the caller's transaction (PostgreSQL; on SQLite
 * the transaction already holds the database's write lock). Every change to a token locks its
 * row before its audit entry locks the chain head; rotation locked them the other way round,
 * and a rotation beside a limit change on the same token deadlocked.
 */
export async function lockToken(db: Db, dialect: Dialect, id: string): Promise<void> {
  if (dialect !== 'postgres') return;
  await db.selectFrom('tokens').select('id').where('id', '=', id).forUpdate().execute();
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

/** Rows per statement when stamping many tokens: well under every driver's parameter limit. */
const STAMP_CHUNK = 500;

/**
 * Records a use of many tokens at once: one statement per 500 tokens, one transaction, so a busy
 * server pays one commit (one fsync on SQLite) for all of them. The same once-a-minute `where`
 * as `markTokenUsed` applies.
 */
export async function markTokensUsed(db: Db, ids: string[], now: number): Promise<void> {
  await db.transaction().execute(async (tx) => {
    for (let from = 0; from < ids.length; from += STAMP_CHUNK) {
      await tx
        .updateTable('tokens')
        .set({ last_used_at: now })
        .where('id', 'in', ids.slice(from, from + STAMP_CHUNK))
        .where((eb) =>
          eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<', now - 60_000)]),
        )
        .execute();
    }
  });
}

/** A token of one organization; another organization's token is simply not found. */
export async function findOrgToken(
  db: Db,
  orgId: string,
  id: string,
): Promise<TokenRow | undefined> {
  return db
    .selectFrom('tokens')
    .selectAll()
    .where('id', '=', id)
    .where('org_id', '=', orgId)
    .executeTakeFirst();
}

export interface TokenListQuery {
  orgId: string;
  userId?: string | undefined;
  environment?: Environment | undefined;
  /** true: neither revoked nor expired at `now`; false: revoked or expired. */
  active?: boolean | undefined;
  now: number;
  /** Position after which the page starts, newest first. */
  after?: { createdAt: number; id: string } | undefined;
  limit: number;
}

export async function listOrgTokens(db: Db, q: TokenListQuery): Promise<TokenRow[]> {
  let query = db
    .selectFrom('tokens')
    .selectAll()
    .where('org_id', '=', q.orgId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(q.limit);
  if (q.userId !== undefined) query = query.where('user_id', '=', q.userId);
  if (q.environment !== undefined) query = query.where('environment', '=', q.environment);
  if (q.active === true) {
    query = query.where('revoked_at', 'is', null).where('expires_at', '>', q.now);
  }
  if (q.active === false) {
    query = query.where((eb) =>
      eb.or([eb('revoked_at', 'is not', null), eb('expires_at', '<=', q.now)]),
    );
  }
  const after = q.after;
  if (after) {
    query = query.where((eb) =>
      eb.or([
        eb('created_at', '<', after.createdAt),
        eb.and([eb('created_at', '=', after.createdAt), eb('id', '<', after.id)]),
      ]),
    );
  }
  return query.execute();
}

/**
 * Links a token to its successor and shortens its life to the grace period. Only a token that is
 * neither revoked nor already rotated is changed; false means someone got there first.
 */
export async function markTokenRotated(
  db: Db,
  id: string,
  successorId: string,
  expiresAt: number,
): Promise<boolean> {
  const result = await db
    .updateTable('tokens')
    .set({ rotated_to: successorId, expires_at: expiresAt })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .where('rotated_to', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function setTokenRateLimit(
  db: Db,
  id: string,
  rateLimit: string | null,
): Promise<void> {
  await db.updateTable('tokens').set({ rate_limit: rateLimit }).where('id', '=', id).execute();
}
