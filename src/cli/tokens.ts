import type { Command } from 'commander';
import { appendAudit } from '../audit/ledger.js';
import { grantableScopes, MAX_TOKEN_DAYS, mintToken } from '../auth/pats.js';
import { ENVIRONMENTS, type Environment } from '../config.js';
import { findToken, revokeToken, toTokenMetadata, type TokenMetadata } from '../store/tokens.js';
import { findUserByEmail } from '../store/users.js';
import { CliError, print, withServices } from './context.js';

interface IssueOptions {
  email: string;
  environment?: string;
  expiresInDays?: string;
  name?: string;
  scope?: string;
}

export function registerTokenCommands(program: Command): void {
  const token = program.command('token').description('Personal Access Tokens');

  token
    .command('issue')
    .description('issue a token for a user; prints the secret alone on stdout, once')
    .requiredOption('--email <email>', 'the token owner')
    .option('--environment <env>', ENVIRONMENTS.join(' | '))
    .option('--expires-in-days <n>', `1 to ${MAX_TOKEN_DAYS} (default 90)`)
    .option('--name <name>', 'what the token is for')
    .option('--scope <scope>', 'space-separated, within the owner\'s role')
    .action(async (opts: IssueOptions) => {
      const environment = parseEnvironment(opts.environment);
      const expiresInDays = parseDays(opts.expiresInDays);
      if (opts.name !== undefined && (opts.name.trim() === '' || opts.name.length > 100)) {
        throw new CliError('--name: 1 to 100 characters');
      }
      await withServices(async (services) => {
        const owner = await findUserByEmail(services.db, opts.email);
        if (!owner) throw new CliError(`--email: no user ${opts.email.trim().toLowerCase()}`);
        if (owner.status !== 'active') throw new CliError(`user ${owner.id} is ${owner.status}`);
        const scopes = grantableScopes(owner, opts.scope);
        if (!scopes.ok) throw new CliError(scopes.detail.replace(/^scope/, '--scope'));
        const issued = await services.db.transaction().execute((tx) =>
          mintToken(tx, {
            owner,
            scopes: scopes.scopes,
            request: {
              name: opts.name,
              environment: environment ?? services.config.environment,
              expiresInDays,
            },
            issuedBy: 'cli',
            now: services.now(),
            audit: { actor: { type: 'cli', id: 'cli' } },
          }),
        );
        process.stderr.write(
          `issued ${issued.tokenId} (${issued.environment}, ${issued.scope}, ` +
            `expires ${issued.expiresAt}); this secret is shown only now\n`,
        );
        print(issued.accessToken);
      });
    });

  token
    .command('list')
    .description('one token a line: id, prefix, environment, status, expiry, scope, name, owner')
    .option('--email <email>', 'only this user\'s tokens')
    .action(async (opts: { email?: string }) => {
      await withServices(async (services) => {
        let query = services.db.selectFrom('tokens').selectAll().orderBy('created_at');
        if (opts.email) {
          const owner = await findUserByEmail(services.db, opts.email);
          if (!owner) throw new CliError(`--email: no user ${opts.email.trim().toLowerCase()}`);
          query = query.where('user_id', '=', owner.id);
        }
        const now = services.now();
        for (const row of await query.execute()) print(tokenLine(toTokenMetadata(row, now)));
      });
    });

  token
    .command('revoke')
    .description('revoke a token at once; revoking it again is harmless')
    .argument('<id>', 'token id (tok_…)')
    .action(async (id: string) => {
      await withServices(async (services) => {
        const row = await findToken(services.db, id);
        if (!row) throw new CliError(`no token ${id}`);
        const now = services.now();
        const revoked = await services.db.transaction().execute(async (tx) => {
          if (!(await revokeToken(tx, id, now))) return false;
          await appendAudit(
            tx,
            {
              orgId: row.org_id,
              actor: { type: 'cli', id: 'cli' },
              action: 'token.revoked',
              target: { type: 'token', id },
              details: { ownerId: row.user_id },
            },
            now,
          );
          return true;
        });
        print(revoked ? `revoked ${id}` : `${id} was already revoked`);
      });
    });
}

export function tokenLine(t: TokenMetadata): string {
  const status = t.revokedAt ? 'revoked' : t.active ? 'active' : 'expired';
  return [t.id, t.prefix, t.environment, status, t.expiresAt, t.scope, t.name, t.userId].join('\t');
}

function parseEnvironment(value: string | undefined): Environment | undefined {
  if (value === undefined) return undefined;
  if (!(ENVIRONMENTS as readonly string[]).includes(value)) {
    throw new CliError(`--environment: one of ${ENVIRONMENTS.join(', ')}`);
  }
  return value as Environment;
}

function parseDays(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const days = Number(value);
  if (!/^\d+$/.test(value) || days < 1 || days > MAX_TOKEN_DAYS) {
    throw new CliError(`--expires-in-days: a whole number from 1 to ${MAX_TOKEN_DAYS}`);
  }
  return days;
}
