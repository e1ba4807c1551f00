import type { Db } from '../db/connect.js';
import { toUser, type User } from './users.js';

export async function findUserByGithubId(db: Db, githubId: string): Promise<User | undefined> {
  const row = await db
    .selectFrom('users')
    .selectAll()
    .where('github_id', '=', githubId)
    .executeTakeFirst();
  return row && toUser(row);
}

/**
 * Ties a GitHub id to a user that has none yet. False when the user meanwhile got another one; a
 * second user claiming the same GitHub id fails on the unique index.
 */
export async function linkGithubId(
  db: Db,
  userId: string,
  patch: { githubId: string; name: string; avatar: string | null },
  now: number,
): Promise<boolean> {
  const result = await db
    .updateTable('users')
    .set({
      github_id: patch.githubId,
      provider: 'github',
      name: patch.name,
      avatar: patch.avatar,
      updated_at: now,
    })
    .where('id', '=', userId)
    .where('github_id', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** The avatar follows GitHub's; nothing else about the user changes on a later sign-in. */
export async function refreshGithubAvatar(
  db: Db,
  userId: string,
  avatar: string | null,
  now: number,
): Promise<void> {
  await db.updateTable('users').set({ avatar, updated_at: now }).where('id', '=', userId).execute();
}

/** Organizations that let a GitHub identity without an account join as a viewer. */
export async function listGithubSignupOrgIds(db: Db): Promise<string[]> {
  const rows = await db
    .selectFrom('organizations')
    .select('id')
    .where('github_signup', '=', 1)
    .orderBy('created_at')
    .execute();
  return rows.map((r) => r.id);
}
