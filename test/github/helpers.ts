import { createUser } from '../../src/admin/users.js';
import type { Role } from '../../src/roles.js';
import type { TestServer } from '../support/server.js';
import type { FakeIdentity } from './fake-github.js';

let serial = 0;

/** A GitHub identity whose only email is verified and primary, unless told otherwise. */
export function githubPerson(email: string, overrides: Partial<FakeIdentity> = {}): FakeIdentity {
  serial += 1;
  return {
    id: 4_100_000 + serial,
    login: `octo-${serial}`,
    name: `Octo Person ${serial}`,
    avatarUrl: `https://avatars.example.test/u/${4_100_000 + serial}`,
    emails: [{ email, primary: true, verified: true }],
    ...overrides,
  };
}

/** A user as an account manager provisions one: no password, sign-in only through GitHub. */
export async function provision(
  server: TestServer,
  orgId: string,
  email: string,
  opts: { role?: Role; name?: string } = {},
) {
  const outcome = await createUser(
    server.services,
    { orgId, email, role: opts.role ?? 'operator', name: opts.name },
    { type: 'cli' },
  );
  if (!outcome.ok) throw new Error(outcome.detail);
  return outcome.user;
}

export async function counts(server: TestServer): Promise<{ users: number; sessions: number }> {
  const db = server.services.db;
  const users = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  const sessions = await db
    .selectFrom('sessions')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return { users: Number(users.n), sessions: Number(sessions.n) };
}

export async function auditEntries(server: TestServer, action: string) {
  const rows = await server.services.db
    .selectFrom('audit_entries')
    .selectAll()
    .where('action', '=', action)
    .orderBy('at')
    .orderBy('seq')
    .execute();
  return rows.map((r) => ({ ...r, details: JSON.parse(r.details) as Record<string, unknown> }));
}

export async function userByEmail(server: TestServer, email: string) {
  return server.services.db
    .selectFrom('users')
    .selectAll()
    .where('email', '=', email.toLowerCase())
    .executeTakeFirst();
}
