/** Roles and the scopes they grant: exactly the table of the customer documentation. */
export const ROLES = ['admin', 'operator', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

export const SCOPES = ['runtime:read', 'runtime:write', 'admin:manage'] as const;
export type Scope = (typeof SCOPES)[number];

const ROLE_SCOPES: Record<Role, readonly Scope[]> = {
  admin: ['runtime:read', 'runtime:write', 'admin:manage'],
  operator: ['runtime:read', 'runtime:write'],
  viewer: ['runtime:read'],
};

export function scopesOfRole(role: Role): readonly Scope[] {
  return ROLE_SCOPES[role];
}

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

export function isScope(value: string): value is Scope {
  return (SCOPES as readonly string[]).includes(value);
}

/** Space-separated scope string in canonical order, as OAuth writes them. */
export function formatScope(scopes: readonly Scope[]): string {
  return SCOPES.filter((s) => scopes.includes(s)).join(' ');
}

export function parseScope(text: string): Scope[] | undefined {
  const parts = text.split(' ').filter(Boolean);
  if (parts.length === 0 || !parts.every(isScope)) return undefined;
  return SCOPES.filter((s) => parts.includes(s));
}

/** A token's scopes as they stand today: what it was given, within what its owner's role allows. */
export function effectiveScopes(tokenScopes: readonly Scope[], ownerRole: Role): Scope[] {
  const allowed = ROLE_SCOPES[ownerRole];
  return tokenScopes.filter((s) => allowed.includes(s));
}
