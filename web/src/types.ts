/** Shapes of the service's answers, as the pages use them. */
export type Role = 'admin' | 'operator' | 'viewer';

/** How a person signs in; null for an account created without a password and not yet linked. */
export type Provider = 'password' | 'github' | null;

export interface Me {
  id: string;
  email: string;
  name: string;
  avatar: string | null;
  role: Role;
  provider: Provider;
  hasPassword: boolean;
  status: string;
  scope: string;
  csrfToken?: string;
  organization: { id: string; name: string; selfServiceTokens: boolean };
}

export interface TokenMeta {
  id: string;
  name: string;
  prefix: string;
  userId: string;
  environment: string;
  scope: string;
  createdAt: string;
  createdBy: string;
  lastUsedAt: string | null;
  expiresAt: string;
  revokedAt: string | null;
  rotatedFrom?: string | null;
  rotatedTo?: string | null;
  active?: boolean;
}

export interface IssuedToken {
  accessToken: string;
  tokenId: string;
  scope: string;
  environment: string;
  expiresAt: string;
}

export interface UserRecord {
  id: string;
  email: string;
  name: string;
  role: Role;
  status: string;
  provider: Provider;
  createdAt?: string;
}

export interface Page<T> {
  data: T[];
  nextCursor: string | null;
}

export const ROLE_SCOPES: Record<Role, string[]> = {
  admin: ['runtime:read', 'runtime:write', 'admin:manage'],
  operator: ['runtime:read', 'runtime:write'],
  viewer: ['runtime:read'],
};

export const SCOPE_WORDS: Record<string, string> = {
  'runtime:read': 'Read governance events',
  'runtime:write': 'Send governance events',
  'admin:manage': 'Manage users, tokens and organization settings',
};

export const ROLE_WORDS: Record<Role, string> = {
  admin: 'Everything, including users, tokens and the audit log',
  operator: 'Read and send governance events',
  viewer: 'Read-only access to governance events',
};

/** "Signs in with", as the profile and the user list say it. */
export function providerWords(provider: Provider): string {
  if (provider === 'github') return 'GitHub';
  if (provider === 'password') return 'Email and password';
  return 'Nothing yet: no password, not linked to GitHub';
}
