import { appendAudit } from '../audit/ledger.js';
import { newId } from '../ids.js';
import { hashPassword, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../passwords.js';
import type { Role } from '../roles.js';
import type { Services } from '../services.js';
import { findUserByEmail, insertUser, normalizeEmail, type User } from '../store/users.js';
import { auditActor, type Actor } from './actor.js';
import { personOf } from '../auth/profile.js';
import { iso } from '../time.js';

export interface NewUser {
  orgId: string;
  email: string;
  role: Role;
  name?: string | undefined;
  password?: string | undefined;
}

export type CreateUserOutcome =
  { ok: true; user: User } | { ok: false; code: 'email_taken' | 'weak_password'; detail: string };

export function passwordProblem(password: string): string | undefined {
  if (password.length < PASSWORD_MIN_LENGTH) {
    return `password: must be at least ${PASSWORD_MIN_LENGTH} characters`;
  }
  if (password.length > PASSWORD_MAX_LENGTH) {
    return `password: must be at most ${PASSWORD_MAX_LENGTH} characters`;
  }
  return undefined;
}

/**
 * Creates a user and its audit entry together. Without a password the user can sign in only
 * through GitHub, once their GitHub email matches.
 */
export async function createUser(
  services: Services,
  input: NewUser,
  actor: Actor,
): Promise<CreateUserOutcome> {
  const email = normalizeEmail(input.email);
  if (input.password !== undefined) {
    const problem = passwordProblem(input.password);
    if (problem) return { ok: false, code: 'weak_password', detail: problem };
  }
  if (await findUserByEmail(services.db, email)) return emailTaken();
  const passwordHash = input.password === undefined ? null : await hashPassword(input.password);
  const now = services.now();
  const user: User = {
    id: newId('usr'),
    orgId: input.orgId,
    email,
    name: input.name?.trim() || email.split('@')[0]!,
    avatar: null,
    role: input.role,
    provider: 'password',
    passwordHash,
    githubId: null,
    status: 'active',
    createdAt: now,
    updatedAt: now,
  };
  try {
    await services.db.transaction().execute(async (tx) => {
      await insertUser(tx, user);
      await appendAudit(
        tx,
        {
          orgId: user.orgId,
          ...auditActor(actor),
          action: 'user.created',
          target: { type: 'user', id: user.id },
          details: { email, role: user.role },
        },
        now,
      );
    });
  } catch (error) {
    // Two creations of one email at once: the unique index lets one win.
    if (await findUserByEmail(services.db, email)) return emailTaken();
    throw error;
  }
  services.logger.info({ userId: user.id, orgId: user.orgId }, 'user created');
  return { ok: true, user };
}

function emailTaken(): CreateUserOutcome {
  return { ok: false, code: 'email_taken', detail: 'email: a user with this email already exists' };
}

/** A user as the admin API shows them: never a password hash. */
export function userView(user: User) {
  return {
    ...personOf(user),
    githubLinked: user.githubId !== null,
    createdAt: iso(user.createdAt),
    updatedAt: iso(user.updatedAt),
  };
}
