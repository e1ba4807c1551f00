import type { Command } from 'commander';
import { createOrganization } from '../admin/organizations.js';
import { listOrganizations } from '../store/organizations.js';
import { CliError, print, withServices } from './context.js';

export function registerOrgCommands(program: Command): void {
  const org = program.command('org').description('organizations (tenants)');

  org
    .command('create')
    .description('create an organization and print its id')
    .requiredOption('--name <name>', 'display name')
    .option('--enterprise', 'white-glove: only admins issue tokens (self-service off)')
    .action(async (opts: { name: string; enterprise?: boolean }) => {
      const name = opts.name.trim();
      if (name.length < 1 || name.length > 200) throw new CliError('--name: 1 to 200 characters');
      await withServices(async (services) => {
        const created = await services.db
          .transaction()
          .execute((tx) =>
            createOrganization(tx, { name, enterprise: Boolean(opts.enterprise) }, { type: 'cli' },
              services.now()),
          );
        print(created.id);
      });
    });

  org
    .command('list')
    .description('one organization a line: id, self-service, name')
    .action(async () => {
      await withServices(async (services) => {
        for (const o of await listOrganizations(services.db)) {
          print(`${o.id}\t${o.selfServiceTokens ? 'self-service' : 'enterprise'}\t${o.name}`);
        }
      });
    });
}
