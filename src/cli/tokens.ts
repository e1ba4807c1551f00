import type { Command } from 'commander';
import { MAX_GRACE_SECONDS, rotateToken } from '../admin/rotation.js';
import { revokeTokenAsAdmin, setTokenLimit } from '../admin/tokens.js';
import { grantableScopes, MAX_TOKEN_DAYS, mintToken, type IssuedToken } from '../auth/pats.js';
import { ENVIRONMENTS, type Environment } from '../config.js';
import { formatRateLimit, parseRateLimit, RATE_LIMIT_RULE } from '../limits/policy.js';
import { toTokenMetadata, type TokenMetadata } from '../store/tokens.js';
import { findUserByEmail } from '../store/users.js';
import { checkName, CliError, print, withServices } from './context.js';
import { cliFailure, EXIT, notFound } from './failures.js';

interface IssueOptions {
  email: string;
  environment?: string;
  expiresInDays?: string;
  name?: string;
  scope?: string;
  rateLimit?: string;
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
    .option('--scope <scope>', "space-separated, within the owner's role")
    .option('--rate-limit <limit>', 'its own limit on the runtime API, e.g. 100/60s')
    .action(async (opts: IssueOptions) => {
      const environment = parseEnvironment(opts.environment);
      const rateLimit = opts.rateLimit === undefined ? undefined : parseLimit(opts.rateLimit);
      if (opts.rateLimit !== undefined && !rateLimit) {
        throw new CliError(`--rate-limit: must be ${RATE_LIMIT_RULE}`);
      }
      const expiresInDays = parseWhole(opts.expiresInDays, '--expires-in-days', 1, MAX_TOKEN_DAYS);
      checkName(opts.name, 100);
      await withServices(async (services) => {
        const owner = await findUserByEmail(services.db, opts.email);
        if (!owner) throw notFound(`--email: no user ${opts.email.trim().toLowerCase()}`);
        if (owner.status !== 'active') {
          throw new CliError(`user ${owner.id} is ${owner.status}`, EXIT.refused);
        }
        const scopes = grantableScopes(owner, opts.scope);
        if (!scopes.ok) throw new CliError(scopes.detail.replace(/^scope/, '--scope'));
        const request = {
          name: opts.name,
          environment: environment ?? services.config.environment,
          expiresInDays,
        };
        const issued = await services.db.transaction().execute((tx) =>
          mintToken(tx, {
            owner,
            scopes: scopes.scopes,
            request,
            issuedBy: 'cli',
            now: services.now(),
            rateLimit,
            audit: {
              actor: { type: 'cli', id: 'cli' },
              ...(rateLimit && { details: { rateLimit } }),
            },
          }),
        );
        printSecret(issued, 'issued');
      });
    });

  token
    .command('list')
    .description(
      'one token a line: id, prefix, environment, status, expiry, scope, name, owner, rate limit',
    )
    .option('--email <email>', "only this user's tokens")
    .action(async (opts: { email?: string }) => {
      await withServices(async (services) => {
        let query = services.db.selectFrom('tokens').selectAll().orderBy('created_at');
        if (opts.email) {
          const owner = await findUserByEmail(services.db, opts.email);
          if (!owner) throw notFound(`--email: no user ${opts.email.trim().toLowerCase()}`);
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
        const outcome = await revokeTokenAsAdmin(services, {}, id, { type: 'cli' });
        if (!outcome.ok) throw cliFailure(outcome, id);
        print(outcome.revoked ? `revoked ${id}` : `${id} was already revoked`);
      });
    });

  token
    .command('rotate')
    .description('replace a token with a new secret; prints the new secret alone on stdout, once')
    .argument('<id>', 'token id (tok_…)')
    .option(
      '--grace-seconds <n>',
      `how long the old secret keeps working (0 to ${MAX_GRACE_SECONDS})`,
    )
    .action(async (id: string, opts: { graceSeconds?: string }) => {
      const grace = parseWhole(opts.graceSeconds, '--grace-seconds', 0, MAX_GRACE_SECONDS) ?? 0;
      await withServices(async (services) => {
        const outcome = await rotateToken(services, {}, id, grace, { type: 'cli' });
        if (!outcome.ok) throw cliFailure(outcome, id);
        printSecret(outcome.issued, `rotated ${id} to`);
      });
    });

  token
    .command('set-limit')
    .description("set a token's own rate limit on the runtime API, or `default` to clear it")
    .argument('<id>', 'token id (tok_…)')
    .argument('<limit>', 'e.g. 100/60s, 5000/1h, or default')
    .action(async (id: string, limit: string) => {
      const value = limit === 'default' ? null : parseLimit(limit);
      if (value === undefined) throw new CliError(`limit: must be ${RATE_LIMIT_RULE}, or default`);
      await withServices(async (services) => {
        const outcome = await setTokenLimit(services, {}, id, value, { type: 'cli' });
        if (!outcome.ok) throw cliFailure(outcome, id);
        print(`${id}\t${value ?? 'default'}`);
      });
    });
}

export function tokenLine(t: TokenMetadata): string {
  const status = t.revokedAt ? 'revoked' : t.active ? 'active' : 'expired';
  const limit = t.rateLimit ?? 'default';
  const fields = [t.id, t.prefix, t.environment, status, t.expiresAt, t.scope, t.name, t.userId];
  return [...fields, limit].join('\t');
}

/** A rate limit as stored (`100/1m` becomes `100/60s`), or undefined when it is not one. */
function parseLimit(text: string): string | undefined {
  const policy = parseRateLimit(text);
  return policy && formatRateLimit(policy);
}

/** The secret alone on stdout (for a pipe), what it is on stderr (for the person). */
function printSecret(issued: IssuedToken, what: string): void {
  process.stderr.write(
    `${what} ${issued.tokenId} (${issued.environment}, ${issued.scope}, ` +
      `expires ${issued.expiresAt}); this secret is shown only now\n`,
  );
  print(issued.accessToken);
}

function parseEnvironment(value: string | undefined): Environment | undefined {
  if (value === undefined) return undefined;
  if (!(ENVIRONMENTS as readonly string[]).includes(value)) {
    throw new CliError(`--environment: one of ${ENVIRONMENTS.join(', ')}`);
  }
  return value as Environment;
}

function parseWhole(value: string | undefined, what: string, min: number, max: number) {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min || n > max) {
    throw new CliError(`${what}: a whole number from ${min} to ${max}`);
  }
  return n;
}
