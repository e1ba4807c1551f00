import type { Command } from 'commander';
import { changeUser, deleteUser, type UserChange } from '../admin/user-changes.js';
import { createUser } from '../admin/users.js';
import { setUserPassword } from '../auth/password-change.js';
import { isRole, ROLES, type Role } from '../roles.js';
import type { Services } from '../services.js';
import { findOrganization, listOrganizations } from '../store/organizations.js';
import { findUserById, listUsers } from '../store/users.js';
import { checkName, CliError, print, readStdin, withServices } from './context.js';
import { cliFailure, EXIT, notFound } from './failures.js';

interface CreateOptions {
  email: string;
  role: string;
  org?: string;
  name?: string;
  passwordStdin?: boolean;
}

export function registerUserCommands(program: Command): void {
  const user = program.command('user').description('people and their roles');

  user
    .command('create')
    .description('create a user and print its id')
    .requiredOption('--email <email>', 'sign-in email')
    .requiredOption('--role <role>', ROLES.join(' | '))
    .option('--org <id>', 'organization (default: the only one)')
    .option('--name <name>', 'display name')
    .option('--password-stdin', 'read the password from stdin (else GitHub sign-in only)')
    .action(async (opts: CreateOptions) => {
      const role = parseRole(opts.role, '--role');
      if (!/^[^\s@]+@[^\s@]+$/.test(opts.email.trim())) throw new CliError('--email: not an email');
      checkName(opts.name, 100);
      const password = opts.passwordStdin ? (await readStdin()).replace(/\r?\n$/, '') : undefined;
      await withServices(async (services) => {
        const orgId = await resolveOrg(services, opts.org);
        const input = { orgId, email: opts.email, role, name: opts.name, password };
        const outcome = await createUser(services, input, { type: 'cli' });
        if (!outcome.ok) throw cliFailure(outcome);
        print(outcome.user.id);
      });
    });

  user
    .command('list')
    .description('one user a line: id, email, role, status, organization')
    .option('--org <id>', 'only this organization')
    .action(async (opts: { org?: string }) => {
      await withServices(async (services) => {
        if (opts.org && !(await findOrganization(services.db, opts.org))) {
          throw notFound(`--org: no organization ${opts.org}`);
        }
        let after: string | undefined;
        for (;;) {
          const page = await listUsers(services.db, { orgId: opts.org, after, limit: 500 });
          for (const u of page) print(`${u.id}\t${u.email}\t${u.role}\t${u.status}\t${u.orgId}`);
          if (page.length < 500) break;
          after = page[page.length - 1]!.id;
        }
      });
    });

  user
    .command('disable')
    .description('disable a user: ends their sessions and revokes their tokens at once')
    .argument('<id>', 'user id (usr_…)')
    .action((id: string) => change(id, { status: 'disabled' }, 'disabled'));

  user
    .command('enable')
    .description('let a disabled user sign in again (their old tokens stay revoked)')
    .argument('<id>', 'user id (usr_…)')
    .action((id: string) => change(id, { status: 'active' }, 'enabled'));

  user
    .command('set-role')
    .description("change a user's role; their tokens narrow with it at once")
    .argument('<id>', 'user id (usr_…)')
    .argument('<role>', ROLES.join(' | '))
    .action((id: string, role: string) => change(id, { role: parseRole(role, 'role') }, role));

  user
    .command('set-password')
    .description("set a user's password (a reset): ends all their sessions, keeps their tokens")
    .argument('<id>', 'user id (usr_…)')
    .requiredOption(
      '--password-stdin',
      'read the new password from stdin (never from the arguments)',
    )
    .action(async (id: string) => {
      const password = (await readStdin()).replace(/\r?\n$/, '');
      await withServices(async (services) => {
        const outcome = await setUserPassword(services, id, password, { type: 'cli' });
        // Only "not found" names the id; a weak password reads best as the rule it broke.
        const subject = !outcome.ok && outcome.code === 'user_not_found' ? id : undefined;
        if (!outcome.ok) throw cliFailure(outcome, subject);
        print(`password set for ${id}; ${outcome.sessionsEnded} sessions ended`);
      });
    });

  user
    .command('delete')
    .description('delete a user; their sessions and tokens die with them')
    .argument('<id>', 'user id (usr_…)')
    .action(async (id: string) => {
      await withServices(async (services) => {
        const outcome = await deleteUser(services, {}, id, { type: 'cli' });
        if (!outcome.ok) throw cliFailure(outcome, id);
        print(`deleted ${id}`);
      });
    });
}

async function change(id: string, patch: UserChange, done: string): Promise<void> {
  await withServices(async (services) => {
    const before = await findUserById(services.db, id);
    const outcome = await changeUser(services, {}, id, patch, { type: 'cli' });
    if (!outcome.ok) throw cliFailure(outcome, id);
    const unchanged = before?.status === outcome.user.status && before.role === outcome.user.role;
    print(unchanged ? `${id} was already ${done}` : `${done} ${id}`);
  });
}

function parseRole(value: string, what: string): Role {
  if (!isRole(value)) throw new CliError(`${what}: one of ${ROLES.join(', ')}`, EXIT.invalid);
  return value;
}

/** The organization named, or the only one there is; anything else is a clear error. */
export async function resolveOrg(services: Services, id: string | undefined): Promise<string> {
  if (id) {
    if (!(await findOrganization(services.db, id))) throw notFound(`--org: no organization ${id}`);
    return id;
  }
  const orgs = await listOrganizations(services.db);
  if (orgs.length === 1) return orgs[0]!.id;
  if (orgs.length === 0) throw new CliError('no organization yet: run `abs-auth org create` first');
  throw new CliError('several organizations exist: name one with --org');
}
