import type { Command } from 'commander';
import { createUser } from '../admin/users.js';
import { isRole, ROLES } from '../roles.js';
import type { Services } from '../services.js';
import { findOrganization, listOrganizations } from '../store/organizations.js';
import { listUsers } from '../store/users.js';
import { CliError, print, readStdin, withServices } from './context.js';

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
      if (!isRole(opts.role)) throw new CliError(`--role: one of ${ROLES.join(', ')}`);
      if (!/^[^\s@]+@[^\s@]+$/.test(opts.email.trim())) throw new CliError('--email: not an email');
      const password = opts.passwordStdin ? (await readStdin()).replace(/\r?\n$/, '') : undefined;
      await withServices(async (services) => {
        const orgId = await resolveOrg(services, opts.org);
        const outcome = await createUser(
          services,
          { orgId, email: opts.email, role: opts.role as never, name: opts.name, password },
          { type: 'cli' },
        );
        if (!outcome.ok) throw new CliError(outcome.detail);
        print(outcome.user.id);
      });
    });

  user
    .command('list')
    .description('one user a line: id, email, role, status, organization')
    .option('--org <id>', 'only this organization')
    .action(async (opts: { org?: string }) => {
      await withServices(async (services) => {
        let after: string | undefined;
        for (;;) {
          const page = await listUsers(services.db, { orgId: opts.org, after, limit: 500 });
          for (const u of page) print(`${u.id}\t${u.email}\t${u.role}\t${u.status}\t${u.orgId}`);
          if (page.length < 500) break;
          after = page[page.length - 1]!.id;
        }
      });
    });
}

/** The organization named, or the only one there is; anything else is a clear error. */
export async function resolveOrg(services: Services, id: string | undefined): Promise<string> {
  if (id) {
    if (!(await findOrganization(services.db, id))) throw new CliError(`--org: no organization ${id}`);
    return id;
  }
  const orgs = await listOrganizations(services.db);
  if (orgs.length === 1) return orgs[0]!.id;
  if (orgs.length === 0) throw new CliError('no organization yet: run `abs-auth org create` first');
  throw new CliError('several organizations exist: name one with --org');
}
