import { appendAudit } from '../audit/ledger.js';
import type { RequestOrigin } from '../auth/sessions.js';
import { newId } from '../ids.js';
import type { Services } from '../services.js';
import {
  findUserByGithubId,
  linkGithubId,
  listGithubSignupOrgIds,
  refreshGithubAvatar,
} from '../store/github-accounts.js';
import { findUserByEmail, insertUser, normalizeEmail, type User } from '../store/users.js';
import type { GithubCall, GithubEmail, GithubIdentity } from './client.js';

export type AccountRefusal =
  | 'github_unavailable'
  | 'exchange_failed'
  | 'email_unverified'
  | 'not_invited'
  | 'user_disabled'
  | 'github_id_mismatch';

export type AccountOutcome =
  { ok: true; user: User } | { ok: false; reason: AccountRefusal; user?: User; email?: string };

/**
 * The account a GitHub identity signs into. A GitHub id already linked wins, whatever the email
 * says now. Otherwise only GitHub's verified primary email may link to a provisioned user, and only
 * to one not yet linked to another GitHub id. Strangers are refused unless an organization takes
 * GitHub sign-ups.
 */
export async function accountFor(
  services: Services,
  identity: GithubIdentity,
  loadEmails: () => Promise<GithubCall<GithubEmail[]>>,
  origin: RequestOrigin,
): Promise<AccountOutcome> {
  const known = await findUserByGithubId(services.db, identity.id);
  if (known) return signInLinked(services, known, identity);

  const emails = await loadEmails();
  if (!emails.ok) {
    const reason = emails.failure === 'rejected' ? 'exchange_failed' : 'github_unavailable';
    return { ok: false, reason };
  }
  const primary = emails.value.find((e) => e.primary);
  if (!primary?.verified) return { ok: false, reason: 'email_unverified', email: primary?.email };

  const email = normalizeEmail(primary.email);
  const match = await findUserByEmail(services.db, email);
  if (match) return linkExisting(services, match, identity, origin);
  return signUp(services, identity, email, origin);
}

async function signInLinked(
  services: Services,
  user: User,
  identity: GithubIdentity,
): Promise<AccountOutcome> {
  if (user.status !== 'active') return { ok: false, reason: 'user_disabled', user };
  if (identity.avatarUrl && identity.avatarUrl !== user.avatar) {
    await refreshGithubAvatar(services.db, user.id, identity.avatarUrl, services.now());
    return { ok: true, user: { ...user, avatar: identity.avatarUrl } };
  }
  return { ok: true, user };
}

async function linkExisting(
  services: Services,
  user: User,
  identity: GithubIdentity,
  origin: RequestOrigin,
): Promise<AccountOutcome> {
  // Linked a moment ago by a parallel sign-in of the same person.
  if (user.githubId === identity.id) return signInLinked(services, user, identity);
  if (user.status !== 'active') return { ok: false, reason: 'user_disabled', user };
  if (user.githubId !== null) return { ok: false, reason: 'github_id_mismatch', user };
  const now = services.now();
  // An administrator's choice of name stands; the placeholder made from the email does not.
  const placeholder = user.name === user.email.split('@')[0];
  const name = placeholder && identity.name ? identity.name : user.name;
  const avatar = identity.avatarUrl ?? user.avatar;
  const linked = await services.db.transaction().execute(async (tx) => {
    const won = await linkGithubId(tx, user.id, { githubId: identity.id, name, avatar }, now);
    if (won) await auditLink(tx, user, identity, origin, now);
    return won;
  });
  if (!linked) {
    const current = await findUserByGithubId(services.db, identity.id);
    if (current?.id === user.id) return signInLinked(services, current, identity);
    return { ok: false, reason: 'github_id_mismatch', user };
  }
  services.logger.info({ userId: user.id, githubId: identity.id }, 'github identity linked');
  return { ok: true, user: { ...user, githubId: identity.id, provider: 'github', name, avatar } };
}

async function signUp(
  services: Services,
  identity: GithubIdentity,
  email: string,
  origin: RequestOrigin,
): Promise<AccountOutcome> {
  const orgIds = await listGithubSignupOrgIds(services.db);
  // LIMITATION: any GitHub account with a verified email may join the open organization; an
  // allow-list of email domains per organization would narrow who can.
  if (orgIds.length > 1) {
    // Which tenant a stranger joins must never be a guess: several candidates mean none.
    services.logger.warn({ orgIds }, 'github sign-up ambiguous');
  }
  if (orgIds.length !== 1) return { ok: false, reason: 'not_invited', email };
  const now = services.now();
  const user: User = {
    id: newId('usr'),
    orgId: orgIds[0]!,
    email,
    name: identity.name ?? identity.login,
    avatar: identity.avatarUrl,
    role: 'viewer',
    provider: 'github',
    passwordHash: null,
    githubId: identity.id,
    status: 'active',
    createdAt: now,
    updatedAt: now,
  };
  try {
    await insertGithubUser(services, user, identity, origin, now);
  } catch (error) {
    // Two first sign-ins of one stranger at the same instant: the unique indexes let one insert
    // win, and the other signs into the account it made.
    const winner = await findUserByGithubId(services.db, identity.id);
    if (winner) return signInLinked(services, winner, identity);
    throw error;
  }
  services.logger.info({ userId: user.id, orgId: user.orgId }, 'user created');
  return { ok: true, user };
}

async function insertGithubUser(
  services: Services,
  user: User,
  identity: GithubIdentity,
  origin: RequestOrigin,
  now: number,
): Promise<void> {
  await services.db.transaction().execute(async (tx) => {
    await insertUser(tx, user);
    await appendAudit(
      tx,
      {
        orgId: user.orgId,
        actor: { type: 'user', id: user.id },
        action: 'user.created',
        target: { type: 'user', id: user.id },
        details: { email: user.email, role: user.role, via: 'github' },
        ...origin,
      },
      now,
    );
    await auditLink(tx, user, identity, origin, now);
  });
}

async function auditLink(
  tx: Parameters<typeof appendAudit>[0],
  user: User,
  identity: GithubIdentity,
  origin: RequestOrigin,
  now: number,
): Promise<void> {
  await appendAudit(
    tx,
    {
      orgId: user.orgId,
      actor: { type: 'user', id: user.id },
      action: 'auth.github.linked',
      target: { type: 'user', id: user.id },
      details: { githubId: identity.id, githubLogin: identity.login, email: user.email },
      ...origin,
    },
    now,
  );
}
