import type { Db } from '../db/connect.js';
import { findOrganization } from '../store/organizations.js';
import type { Provider, User } from '../store/users.js';

/** A person as `/me` and `/login` show them. */
export interface Profile {
  id: string;
  email: string;
  name: string;
  avatar: string | null;
  role: string;
  provider: Provider | null;
  /** Whether a password is set: a GitHub-linked account may have one too, or not. */
  hasPassword: boolean;
  status: string;
  organization: { id: string; name: string; selfServiceTokens: boolean };
}

/** What anyone allowed to see a person sees of them: never a password hash. */
export function personOf(user: User): Omit<Profile, 'organization'> {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    avatar: user.avatar,
    role: user.role,
    provider: signInProvider(user),
    hasPassword: user.passwordHash !== null,
    status: user.status,
  };
}

/**
 * How the user signs in, from what the account holds now rather than the stored `provider`
 * column: an account created without a password (`POST /admin/users`, `abs-auth user create`)
 * is stored as `password` although no password exists until one is set. GitHub wins when both
 * work, as linking has always meant "this account signs in through GitHub". Null while neither
 * exists yet: the account cannot sign in until GitHub links it or a password is set.
 */
export function signInProvider(user: User): Provider | null {
  if (user.githubId !== null) return 'github';
  if (user.passwordHash !== null) return 'password';
  return null;
}

export async function profileOf(db: Db, user: User): Promise<Profile> {
  const org = await findOrganization(db, user.orgId);
  return {
    ...personOf(user),
    organization: {
      id: user.orgId,
      name: org?.name ?? '',
      selfServiceTokens: org?.selfServiceTokens ?? false,
    },
  };
}
