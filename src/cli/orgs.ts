import type { Command } from 'commander';
import { updateOrgSettings, type OrgSettings } from '../admin/org-settings.js';
import { createOrganization } from '../admin/organizations.js';
import { listOrganizations } from '../store/organizations.js';
import { checkName, CliError, print, withServices } from './context.js';
import { cliFailure } from './failures.js';

export function registerOrgCommands(program: Command): void {
  const org = program.command('org').description('organizations (tenants)');

  org
    .command('create')
    .description('create an organization and print its id')
    .requiredOption('--name <name>', 'display name')
    .option('--enterprise', 'white-glove: only admins issue tokens (self-service off)')
    .action(async (opts: { name: string; enterprise?: boolean }) => {
      checkName(opts.name, 200);
      const name = opts.name.trim();
      await withServices(async (services) => {
        const created = await services.db
          .transaction()
          .execute((tx) =>
            createOrganization(
              tx,
              { name, enterprise: Boolean(opts.enterprise) },
              { type: 'cli' },
              services.now(),
            ),
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

  org
    .command('update')
    .description("set an organization's policy")
    .argument('<id>', 'organization id (org_…)')
    .option('--self-service <on|off>', 'whether non-admins may issue their own tokens')
    .option('--github-signup <on|off>', 'whether unknown GitHub users may join as viewers')
    .action(async (id: string, opts: { selfService?: string; githubSignup?: string }) => {
      const settings: OrgSettings = {
        selfServiceTokens: onOff(opts.selfService, '--self-service'),
        githubSignup: onOff(opts.githubSignup, '--github-signup'),
      };
      if (opts.selfService === undefined && opts.githubSignup === undefined) {
        throw new CliError('nothing to change: give --self-service or --github-signup');
      }
      await withServices(async (services) => {
        const outcome = await updateOrgSettings(services, id, settings, { type: 'cli' });
        if (!outcome.ok) throw cliFailure(outcome, id);
        const o = outcome.organization;
        print(
          `${o.id}\tself-service ${onOrOff(o.selfServiceTokens)}\t` +
            `github-signup ${onOrOff(o.githubSignup)}`,
        );
      });
    });
}

function onOff(value: string | undefined, what: string): boolean | undefined {
  if (value === undefined) return undefined;
  if (value !== 'on' && value !== 'off') throw new CliError(`${what}: on or off`);
  return value === 'on';
}

function onOrOff(flag: boolean): string {
  return flag ? 'on' : 'off';
}
