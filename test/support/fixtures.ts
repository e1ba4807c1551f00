import { createOrganization } from '../../src/admin/organizations.js';
import { createUser } from '../../src/admin/users.js';
import type { Role } from '../../src/roles.js';
import type { Services } from '../../src/services.js';

let counter = 0;

/** A user straight through the domain layer, with a password so tests can sign in as them. */
export async function makeUser(
  services: Services,
  orgId: string,
  role: Role,
  email = `user${++counter}-${Date.now()}@example.test`,
) {
  const password = `password-${counter}-long-enough`;
  const outcome = await createUser(services, { orgId, email, role, password }, { type: 'cli' });
  if (!outcome.ok) throw new Error(outcome.detail);
  return { user: outcome.user, email: outcome.user.email, password };
}

export async function makeOrg(services: Services, name: string, enterprise = false) {
  return services.db
    .transaction()
    .execute((tx) => createOrganization(tx, { name, enterprise }, { type: 'cli' }, services.now()));
}
