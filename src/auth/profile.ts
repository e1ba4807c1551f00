import type { Db } from '../db/connect.js';
import { findOrganization } from '../store/organizations.js';
import type { User } from '../store/users.js';

/** A person as `/me` and `/login` show them. */
export interface Profile {
  id: string;
  email: string;
  name: string;
  avatar: string | null;
  role: string;
  provider: string;
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
    provider: user.provider,
    status: user.status,
  };
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
