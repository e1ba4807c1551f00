import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, expectStatus } from '../support/client.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { runCli, type CliResult } from './run.js';

// The account manager's desk, end to end: commands run as separate processes on the server's
// database, and their effects are checked through the server's HTTP API.

let server: TestServer;
const ids: Record<string, string> = {};
const secrets: Record<string, string> = {};
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

const cli = (...args: string[]) => runCli(server.databaseUrl, args);
const verify = (token: string) => call(server, 'GET', '/verify', { token });

function ok(result: CliResult): string {
  expect(result.code, result.stderr).toBe(0);
  return result.stdout;
}

function refused(result: CliResult, code: number, message: RegExp): void {
  expect(result.code, `${result.stdout}${result.stderr}`).toBe(code);
  expect(result.stdout).toBe('');
  expect(result.stderr).toMatch(message);
}

const tokenIdOf = async (secret: string) => (await verify(secret)).body.tokenId as string;

describe('provisioning an enterprise client from the CLI', { timeout: 120_000 }, () => {
  it('creates the organization and its people', async () => {
    ids.org = ok(await cli('org', 'create', '--name', 'Acme', '--enterprise')).trim();
    expect(ids.org).toMatch(/^org_[0-9a-z]{16}$/);
    const org = await server.services.db
      .selectFrom('organizations')
      .selectAll()
      .where('id', '=', ids.org)
      .executeTakeFirstOrThrow();
    expect(org).toMatchObject({ name: 'Acme', self_service_tokens: 0 });
    const admin = await runCli(
      server.databaseUrl,
      [
        'user',
        'create',
        '--email',
        'boss@acme.test',
        '--role',
        'admin',
        '--org',
        ids.org,
        '--password-stdin',
      ],
      'a long enough password\n',
    );
    ids.admin = ok(admin).trim();
    ids.operator = ok(
      await cli(
        'user',
        'create',
        '--email',
        'Ops@Acme.test',
        '--role',
        'operator',
        '--org',
        ids.org,
        '--name',
        'Ops',
      ),
    ).trim();
    expect(ids.operator).toMatch(/^usr_/);
    const listed = ok(await cli('user', 'list', '--org', ids.org))
      .trim()
      .split('\n');
    expect(listed.sort()).toEqual(
      [
        `${ids.admin}\tboss@acme.test\tadmin\tactive\t${ids.org}`,
        `${ids.operator}\tops@acme.test\toperator\tactive\t${ids.org}`,
      ].sort(),
    );
  });

  it('refuses bad user input with clear messages and distinct exit codes', async () => {
    refused(
      await cli(
        'user',
        'create',
        '--email',
        'OPS@acme.test',
        '--role',
        'viewer',
        '--org',
        ids.org!,
      ),
      4,
      /email: a user with this email already exists/,
    );
    refused(
      await cli('user', 'create', '--email', 'x@acme.test', '--role', 'owner', '--org', ids.org!),
      2,
      /--role: one of admin, operator, viewer/,
    );
    refused(
      await cli(
        'user',
        'create',
        '--email',
        'x@acme.test',
        '--role',
        'viewer',
        '--org',
        'org_0000000000000000',
      ),
      3,
      /--org: no organization org_0000000000000000/,
    );
    const missing = await cli('user', 'create', '--role', 'viewer');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/--email/);
  });

  it('issues production and staging tokens, printing only the secret', async () => {
    const prod = ok(await cli('token', 'issue', '--email', 'ops@acme.test', '--name', 'ci'));
    expect(prod).toMatch(/^abs_pat_[0-9A-Za-z]{38}\n$/);
    secrets.prod = prod.trim();
    const check = await verify(secrets.prod);
    expectStatus(check, 200);
    expect(check.body).toMatchObject({ userId: ids.operator, environment: 'production' });
    ids.prod = check.body.tokenId;
    const staging = ok(
      await cli(
        'token',
        'issue',
        '--email',
        'ops@acme.test',
        '--environment',
        'staging',
        '--scope',
        'runtime:read',
      ),
    );
    secrets.staging = staging.trim();
    const lines = ok(await cli('token', 'list', '--email', 'ops@acme.test'))
      .trim()
      .split('\n');
    expect(lines).toHaveLength(2);
    expect(lines.join('\n')).not.toContain(secrets.prod);
    expect(lines.some((l) => l.startsWith(`${ids.prod}\t`) && l.includes('\tactive\t'))).toBe(true);
    // The last field is the token's own rate limit, or the server's default.
    expect(lines.map((l) => l.split('\t').at(-1))).toEqual(['default', 'default']);
    refused(
      await cli('token', 'issue', '--email', 'ops@acme.test', '--scope', 'admin:manage'),
      2,
      /--scope: the operator role cannot grant admin:manage/,
    );
    refused(await cli('token', 'issue', '--email', 'nobody@acme.test'), 3, /no user nobody@acme/);
    refused(
      await cli('token', 'issue', '--email', 'ops@acme.test', '--name', 'ci \u202Etxt.exe'),
      2,
      /--name: must not contain characters that change the direction of text/,
    );
    // Bytes that are not UTF-8 reach the program as U+FFFD.
    refused(
      await cli('token', 'issue', '--email', 'ops@acme.test', '--name', 'ci \uFFFD'),
      2,
      /--name: is not valid UTF-8 text/,
    );
  });

  it('rotates a token with a grace period, once', async () => {
    const rotated = await cli('token', 'rotate', ids.prod!, '--grace-seconds', '600');
    const secret = ok(rotated).trim();
    expect(secret).toMatch(/^abs_pat_/);
    expect(rotated.stderr).toContain(`rotated ${ids.prod} to tok_`);
    expectStatus(await verify(secrets.prod!), 200);
    expectStatus(await verify(secret), 200);
    ids.successor = await tokenIdOf(secret);
    secrets.successor = secret;
    refused(await cli('token', 'rotate', ids.prod!), 4, /already rotated/);
    refused(
      await cli('token', 'rotate', ids.successor, '--grace-seconds', '604801'),
      2,
      /--grace-seconds: a whole number from 0 to 604800/,
    );
    refused(
      await cli('token', 'rotate', 'tok_0000000000000000'),
      3,
      /no token tok_0000000000000000/,
    );
  });

  it('issues a token with its own rate limit and lists it; refuses a bad limit', async () => {
    const limited = ok(
      await cli('token', 'issue', '--email', 'ops@acme.test', '--rate-limit', '30/1m'),
    ).trim();
    const id = await tokenIdOf(limited);
    const line = ok(await cli('token', 'list', '--email', 'ops@acme.test'))
      .split('\n')
      .find((l) => l.startsWith(`${id}\t`))!;
    expect(line.split('\t').at(-1)).toBe('30/60s');
    ok(await cli('token', 'revoke', id));
    const count = async () =>
      ok(await cli('token', 'list'))
        .trim()
        .split('\n').length;
    const before = await count();
    refused(
      await cli('token', 'issue', '--email', 'ops@acme.test', '--rate-limit', '0/60s'),
      2,
      /--rate-limit: must be a count from 1 to 9999999/,
    );
    expect(await count()).toBe(before);
  });

  it('sets and clears a per-token rate limit', async () => {
    expect(ok(await cli('token', 'set-limit', ids.successor!, '100/1m'))).toBe(
      `${ids.successor}\t100/60s\n`,
    );
    const stored = () =>
      server.services.db
        .selectFrom('tokens')
        .select('rate_limit')
        .where('id', '=', ids.successor!)
        .executeTakeFirstOrThrow();
    expect((await stored()).rate_limit).toBe('100/60s');
    ok(await cli('token', 'set-limit', ids.successor!, 'default'));
    expect((await stored()).rate_limit).toBeNull();
    refused(
      await cli('token', 'set-limit', ids.successor!, 'fast'),
      2,
      /limit: must be a count from 1 to 9999999/,
    );
  });

  it('revokes a token at once, and again harmlessly', async () => {
    expect(ok(await cli('token', 'revoke', ids.successor!))).toBe(`revoked ${ids.successor}\n`);
    expectStatus(await verify(secrets.successor!), 401);
    expect(ok(await cli('token', 'revoke', ids.successor!))).toMatch(/was already revoked/);
    refused(
      await cli('token', 'revoke', 'tok_0000000000000000'),
      3,
      /no token tok_0000000000000000/,
    );
  });

  it('disables a person, but never the last admin', async () => {
    expect(ok(await cli('user', 'disable', ids.operator!))).toBe(`disabled ${ids.operator}\n`);
    expectStatus(await verify(secrets.staging!), 401);
    expectStatus(await verify(secrets.prod!), 401);
    expect(ok(await cli('user', 'disable', ids.operator!))).toMatch(/was already disabled/);
    refused(await cli('user', 'disable', ids.admin!), 4, /last active admin/);
    refused(
      await cli('user', 'disable', 'usr_0000000000000000'),
      3,
      /no user usr_0000000000000000/,
    );
    const signIn = await call(server, 'POST', '/login', {
      json: { email: 'boss@acme.test', password: 'a long enough password' },
    });
    expectStatus(signIn, 200);
  });

  it('sets the organization policy', async () => {
    expect(ok(await cli('org', 'update', ids.org!, '--self-service', 'on'))).toBe(
      `${ids.org}\tself-service on\tgithub-signup off\n`,
    );
    refused(await cli('org', 'update', ids.org!, '--self-service', 'maybe'), 2, /on or off/);
    refused(
      await cli('org', 'update', 'org_0000000000000000', '--self-service', 'on'),
      3,
      /no organization org_0000000000000000/,
    );
  });
});
