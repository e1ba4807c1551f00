import type { Db } from '../db/connect.js';
import type { UserRow } from '../db/schema.js';
import type { Role } from '../roles.js';

export type UserStatus = 'active' | 'disabled';
export type Provider = 'password' | 'github';

export interface User {
  id: string;
  orgId: string;
  email: string;
  name: string;
  avatar: string | null;
  role: Role;
  /** As stored; what the API shows is `signInProvider` (src/auth/profile.ts). */
  provider: Provider;
  passwordHash: string | null;
  githubId: string | null;
  status: UserStatus;
  createdAt: number;
  updatedAt: number;
}

export function toUser(row: UserRow): User {
  return {
    id: row.id,
    orgId: row.org_id,
    email: row.email,
    name: row.name,
    avatar: row.avatar,
    role: row.role as Role,
    provider: row.provider as Provider,
    passwordHash: row.password_hash,
    githubId: row.github_id,
    status: row.status as UserStatus,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** Emails are one account whatever their case or surrounding spaces. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export async function insertUser(db: Db, user: User): Promise<void> {
  await db
    .insertInto('users')
    .values({
      id: user.id,
      org_id: user.orgId,
      email: normalizeEmail(user.email),
      name: user.name,
      avatar: user.avatar,
      role: user.role,
      provider: user.provider,
      password_hash: user.passwordHash,
      github_id: user.githubId,
      status: user.status,
      created_at: user.createdAt,
      updated_at: user.updatedAt,
    })
    .execute();
}

export async function findUserByEmail(db: Db, email: string): Promise<User | undefined> {
  const row = await db
    .selectFrom('users')
    .selectAll()
    .where('email', '=', normalizeEmail(email))
    .executeTakeFirst();
  return row && toUser(row);
}

export async function findUserById(db: Db, id: string): Promise<User | undefined> {
  const row = await db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toUser(row);
}

/** A user of one organization; another organization's user is simply not found. */
export async function findOrgUser(db: Db, orgId: string, id: string): Promise<User | undefined> {
  const row = await db
    .selectFrom('users')
    .selectAll()
    .where('id', '=', id)
    .where('org_id', '=', orgId)
    .executeTakeFirst();
  return row && toUser(row);
}

export async function countUsers(db: Db): Promise<number> {
  const row = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function listUsers(
  db: Db,
  opts: { orgId?: string; after?: string; limit: number },
): Promise<User[]> {
  let query = db.selectFrom('users').selectAll().orderBy('id').limit(opts.limit);
  if (opts.orgId) query = query.where('org_id', '=', opts.orgId);
  if (opts.after) query = query.where('id', '>', opts.after);
  return (await query.execute()).map(toUser);
}

export interface UserPatch {
  role?: Role;
  name?: string;
  status?: UserStatus;
}

export async function updateUserFields(
  db: Db,
  id: string,
  patch: UserPatch,
  now: number,
): Promise<void> {
  await db
    .updateTable('users')
    .set({ ...patch, updated_at: now })
    .where('id', '=', id)
    .execute();
}

export async function deleteUserRow(db: Db, id: string): Promise<void> {
  await db.deleteFrom('users').where('id', '=', id).execute();
}

/**
 * Ids of the organization's active admins. With `lock` (PostgreSQL) their rows stay locked until
 * the transaction ends, so two admins removing each other at once cannot leave nobody in charge:
 * the second waits, then sees the first one's change.
 */
export async function activeAdminIds(
  db: Db,
  orgId: string,
  opts: { lock: boolean },
): Promise<string[]> {
  let query = db
    .selectFrom('users')
    .select('id')
    .where('org_id', '=', orgId)
    .where('role', '=', 'admin')
    .where('status', '=', 'active')
    .orderBy('id');
  if (opts.lock) query = query.forUpdate();
  return (await query.execute()).map((row) => row.id);
}

/**
 * Replaces a user's password hash. With `onlyIf`, only while the stored hash is still that one:
 * a change checked against a password that another change has meanwhile replaced does nothing.
 */
export async function setPasswordHash(
  db: Db,
  id: string,
  passwordHash: string,
  now: number,
  onlyIf?: string,
): Promise<boolean> {
  let query = db
    .updateTable('users')
    .set({ password_hash: passwordHash, updated_at: now })
    .where('id', '=', id);
  if (onlyIf !== undefined) query = query.where('password_hash', '=', onlyIf);
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}
