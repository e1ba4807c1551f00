import { sql } from 'kysely';
import { createOrganization } from './admin/organizations.js';
import { createUser, passwordProblem } from './admin/users.js';
import { generatePassword } from './passwords.js';
import type { Services } from './services.js';
import { countUsers, findUserByEmail } from './store/users.js';

export interface BootstrapResult {
  created: boolean;
  email?: string;
  /** Set only when the password was generated here: it is printed once and never stored. */
  generatedPassword?: string;
}

const DEFAULT_ADMIN_EMAIL = 'admin@example.com';
// Any constant works: it only names the lock that serializes bootstraps on PostgreSQL.
const BOOTSTRAP_LOCK = 7_411_902;

/**
 * Creates the first organization and its admin when the database has no user. Safe when several
 * instances start at once: on PostgreSQL they queue on an advisory lock; on SQLite the unique
 * email lets only one admin through.
 */
export async function bootstrap(services: Services): Promise<BootstrapResult> {
  if ((await countUsers(services.db)) > 0) return { created: false };
  const email = services.config.adminEmail ?? DEFAULT_ADMIN_EMAIL;
  const password = services.config.adminPassword ?? generatePassword();
  const problem = passwordProblem(password);
  if (problem) throw new Error(`ABS_ADMIN_PASSWORD: ${problem.replace('password: ', '')}`);

  if (services.dialect === 'postgres') {
    return services.db.connection().execute(async (conn) => {
      await sql`select pg_advisory_lock(${BOOTSTRAP_LOCK})`.execute(conn);
      try {
        return await createFirst({ ...services, db: conn }, email, password);
      } finally {
        await sql`select pg_advisory_unlock(${BOOTSTRAP_LOCK})`.execute(conn);
      }
    });
  }
  return createFirst(services, email, password);
}

async function createFirst(services: Services, email: string, password: string) {
  if ((await countUsers(services.db)) > 0) return { created: false };
  const now = services.now();
  const org = await services.db
    .transaction()
    .execute((tx) =>
      createOrganization(
        tx,
        { name: 'Default organization', enterprise: false },
        { type: 'cli' },
        now,
      ),
    );
  const outcome = await createUser(
    services,
    { orgId: org.id, email, role: 'admin', name: 'Administrator', password },
    { type: 'cli' },
  );
  if (!outcome.ok) {
    // Another instance won the race on SQLite; drop our empty organization.
    await services.db.deleteFrom('organizations').where('id', '=', org.id).execute();
    if (await findUserByEmail(services.db, email)) return { created: false };
    throw new Error(`bootstrap: ${outcome.detail}`);
  }
  const generated = services.config.adminPassword ? {} : { generatedPassword: password };
  return { created: true, email, ...generated };
}
