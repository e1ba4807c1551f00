import { appendAudit } from '../audit/ledger.js';
import type { Db } from '../db/connect.js';
import type { Role } from '../roles.js';
import type { Services } from '../services.js';
import { revokeUserSessions } from '../store/sessions.js';
import { revokeUserTokens } from '../store/tokens.js';
import {
  activeAdminIds,
  deleteUserRow,
  findOrgUser,
  findUserById,
  updateUserFields,
  type User,
  type UserPatch,
} from '../store/users.js';
import { actorId, auditActor, type Actor } from './actor.js';
import { fail, type AdminOutcome, type Confinement } from './outcome.js';

export type UserChange = UserPatch;

/**
 * Changes a user's role, name or status. Checks run inside the transaction that writes, so the
 * last-admin rule holds even when two admins act at once. Disabling ends every session and
 * revokes every token in the same transaction: authentication reads both on each request, so
 * the user is locked out from the very next one.
 */
export async function changeUser(
  services: Services,
  where: Confinement,
  id: string,
  change: UserChange,
  actor: Actor,
): Promise<AdminOutcome<{ user: User }>> {
  return services.db.transaction().execute(async (tx) => {
    const user = await findUser(tx, where, id);
    if (!user) return fail('user_not_found', 'No such user.');
    const diff = differences(user, change);
    if (Object.keys(diff).length === 0) return { ok: true as const, user };
    const nextRole = diff.role ?? user.role;
    const nextStatus = diff.status ?? user.status;
    if (removesActiveAdmin(user, nextRole, nextStatus)) {
      const refused = await lastAdminCheck(services, tx, user);
      if (refused) return refused;
    }
    const own = actor.type === 'user' && actor.id === user.id;
    if (diff.role && own) {
      return fail('own_role', 'Nobody can change their own role; ask another admin.');
    }
    // Like a role change, a way to lock oneself out by mistake; another admin can do it.
    if (diff.status === 'disabled' && own) {
      return fail('own_account', 'Nobody can disable their own account; ask another admin.');
    }
    const now = services.now();
    await updateUserFields(tx, user.id, diff, now);
    const { status, ...rest } = diff;
    if (Object.keys(rest).length > 0 || status === 'active') {
      await audit(tx, user, actor, 'user.updated', { changes: describe(user, diff) }, now);
    }
    if (status === 'disabled') {
      const ended = await cutOff(tx, user.id, now);
      await audit(tx, user, actor, 'user.disabled', ended, now);
    }
    const logged = {
      userId: user.id,
      actorId: actorId(actor),
      role: diff.role,
      status: diff.status,
    };
    services.logger.info(logged, 'user updated');
    return { ok: true as const, user: { ...user, ...diff, updatedAt: now } };
  });
}

/** Deletes a user; their sessions and tokens are revoked first and stay revoked for good. */
export async function deleteUser(
  services: Services,
  where: Confinement,
  id: string,
  actor: Actor,
): Promise<AdminOutcome<{ user: User }>> {
  return services.db.transaction().execute(async (tx) => {
    const user = await findUser(tx, where, id);
    if (!user) return fail('user_not_found', 'No such user.');
    if (user.role === 'admin' && user.status === 'active') {
      const refused = await lastAdminCheck(services, tx, user);
      if (refused) return refused;
    }
    if (actor.type === 'user' && actor.id === user.id) {
      return fail('own_account', 'Nobody can delete their own account; ask another admin.');
    }
    const now = services.now();
    // Tokens keep the deleted user's id, which no later user can have: a user re-created with
    // the same email gets a new id, so nothing of the old account comes back to life.
    const ended = await cutOff(tx, user.id, now);
    await deleteUserRow(tx, user.id);
    const details = { email: user.email, role: user.role, ...ended };
    await audit(tx, user, actor, 'user.deleted', details, now);
    services.logger.info({ userId: user.id, actorId: actorId(actor), ...ended }, 'user deleted');
    return { ok: true as const, user };
  });
}

function findUser(db: Db, where: Confinement, id: string): Promise<User | undefined> {
  return where.orgId ? findOrgUser(db, where.orgId, id) : findUserById(db, id);
}

function differences(user: User, change: UserChange): UserChange {
  const diff: UserChange = {};
  if (change.role !== undefined && change.role !== user.role) diff.role = change.role;
  if (change.name !== undefined && change.name !== user.name) diff.name = change.name;
  if (change.status !== undefined && change.status !== user.status) diff.status = change.status;
  return diff;
}

function removesActiveAdmin(user: User, role: Role, status: string): boolean {
  return (
    user.role === 'admin' && user.status === 'active' && (role !== 'admin' || status !== 'active')
  );
}

async function lastAdminCheck(services: Services, tx: Db, user: User) {
  const admins = await activeAdminIds(tx, user.orgId, { lock: services.dialect === 'postgres' });
  if (admins.some((adminId) => adminId !== user.id)) return undefined;
  return fail(
    'last_admin',
    'This is the last active admin of the organization; make someone else admin first.',
  );
}

async function cutOff(tx: Db, userId: string, now: number) {
  const sessionsEnded = await revokeUserSessions(tx, userId, now);
  const tokensRevoked = await revokeUserTokens(tx, userId, now);
  return { sessionsEnded, tokensRevoked };
}

function describe(user: User, diff: UserChange): Record<string, { from: string; to: string }> {
  const changes: Record<string, { from: string; to: string }> = {};
  for (const key of ['role', 'name', 'status'] as const) {
    const to = diff[key];
    if (to !== undefined) changes[key] = { from: user[key], to };
  }
  return changes;
}

async function audit(
  tx: Db,
  user: User,
  actor: Actor,
  action: string,
  details: Record<string, unknown>,
  now: number,
): Promise<void> {
  await appendAudit(
    tx,
    {
      orgId: user.orgId,
      ...auditActor(actor),
      action,
      target: { type: 'user', id: user.id },
      details,
    },
    now,
  );
}
